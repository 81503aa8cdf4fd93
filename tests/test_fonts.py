"""Fonts and text in the static exports: real CJK glyphs in a sans-serif CJK face
chosen by a CSS family list, user font folders, system folders vl-convert misses,
unsafe characters, and one warning per script no font can draw.

Which face is drawn is read from the pictures themselves: the fonts a PDF embeds,
the ``font-family`` of the SVG, PNGs compared byte for byte. Fonts the tests register
are built here with fontTools (a box per character, a different notch for each).
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import textwrap
import warnings
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import vl_convert

import tfvis
from conftest import aria_labels, require, svg_texts
from tfvis import OptionError, _fontdirs, _glyphs, render
from tfvis import _fonts as fonts
from tfvis._engine import vegalite_version
from tfvis._scripts import detect_scripts
from tfvis._text import clean_text
from tfvis.errors import MissingGlyphWarning

BOOK_X, BOOK_Y = "实际水果", "识别的水果"  # the book's confusion-matrix titles, in Chinese
FRUITS = ["苹果", "橙子", "橘子"]
TOFU = "\ue000\ue001\ue002\ue003\ue004"  # private use: no font has glyphs, only boxes
PRINTABLE = "".join(chr(c) for c in range(0x20, 0x7F))
NO_FONT_SCRIPTS = {"Tibetan": "ཀཁག", "Ethiopic": "ሀለሐ", "Cherokee": "ᎠᎡᎢ", "Khmer": "កខគ"}


# ----------------------------------------------------------------------------- helpers


def pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGBA or RGB, non-interlaced PNG (what vl-convert writes)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    at, idat, header = 8, b"", b""
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, body = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and color in (2, 6) and interlace == 0, (depth, color, interlace)
    channels = 4 if color == 6 else 3
    raw, stride = zlib.decompress(idat), width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def ink(png: bytes) -> int:
    """How many pixels are darker than light grey: drawn text and marks."""
    width, _, rows = pixels(png)
    channels = len(rows[0]) // width
    return sum(
        1
        for row in rows
        for i in range(0, len(row), channels)
        if (channels == 3 or row[i + 3] > 128) and row[i] + row[i + 1] + row[i + 2] < 3 * 160
    )


def text_spec(text: str, font: str | None) -> str:
    """A bare text mark (no tfvis), in ``font`` or in vl-convert's default."""
    spec: dict[str, Any] = {
        "width": 300,
        "height": 40,
        "data": {"values": [{}]},
        "mark": {"type": "text", "fontSize": 24},
        "encoding": {"text": {"value": text}},
    }
    if font is not None:
        spec["config"] = {"font": font}
    return json.dumps(spec)


def text_png(text: str, font: str | None) -> bytes:
    return vl_convert.vegalite_to_png(text_spec(text, font), vl_version=vegalite_version())  # type: ignore[no-any-return]


def pdf_fonts(pdf: bytes) -> set[str]:
    """The PostScript names of the fonts a PDF embeds, without subset tags."""
    return {name.decode().split("+")[-1] for name in re.findall(rb"/FontName\s*/([^\s/]+)", pdf)}


def squashed(family: str) -> str:
    return family.replace(" ", "").replace("-", "").lower()


def embeds(pdf: bytes, family: str) -> bool:
    return any(squashed(name).startswith(squashed(family)) for name in pdf_fonts(pdf))


def book_heatmap(x_label: str, y_label: str, ticks: list[str]) -> tfvis.Chart:
    return render.heatmap(
        {
            "values": [[1, 0, 0], [0, 0.3, 0.7], [0, 0.7, 0.3]],
            "xTickLabels": ticks,
            "yTickLabels": ticks,
        },
        {"xLabel": x_label, "yLabel": y_label, "colorMap": "blues", "width": 400, "height": 300},
    )


def font_families(svg: str) -> set[str]:
    return {html.unescape(f) for f in re.findall(r'font-family="([^"]*)"', svg)}


def css_families(css: str) -> list[str]:
    return [name.strip().strip('"') for name in css.split(",")]


@functools.cache
def installed_families() -> frozenset[str]:
    """Every family fontconfig knows (empty without fontconfig)."""
    if shutil.which("fc-list") is None:
        return frozenset()
    listed = subprocess.run(["fc-list", "--format", "%{family}\\n"], capture_output=True, text=True)
    return frozenset(n.strip() for line in listed.stdout.splitlines() for n in line.split(","))


def first_installed(css: str) -> str:
    """The family of a CSS list vl-convert draws with: the first one installed."""
    return next(f for f in css_families(css) if f in installed_families())


def fontconfig_covers(text: str) -> bool:
    """Whether one font fontconfig knows has all of ``text`` (asked without tfvis)."""
    pattern = ":charset=" + " ".join(f"{ord(c):x}" for c in text)
    listed = subprocess.run(["fc-list", pattern, "file"], capture_output=True, text=True)
    return bool(listed.stdout.strip())


def build_font(path: Path, family: str, chars: str) -> Path:
    """Write a TrueType font named ``family`` with a glyph for each of ``chars``.

    Every glyph is a box with a notch of its own height, so distinct characters draw
    distinct shapes, and none looks like any installed font's.
    """
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    chars = "".join(dict.fromkeys(chars.replace(" ", "")))
    names = [".notdef", "space"] + [f"glyph{i}" for i in range(len(chars))]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({32: "space"} | {ord(c): f"glyph{i}" for i, c in enumerate(chars)})
    glyphs = {}
    for i, name in enumerate(names):
        pen = TTGlyphPen(None)
        if name != "space":
            notch = 150 + (53 * i) % 500
            pen.moveTo((100, 0))
            for point in ((100, 700), (500, 700), (500, notch), (300, notch), (300, 0)):
                pen.lineTo(point)
            pen.closePath()
        glyphs[name] = pen.glyph()
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics(dict.fromkeys(names, (600, 100)))
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable(
        {
            "familyName": family,
            "styleName": "Regular",
            "uniqueFontIdentifier": family,
            "fullName": f"{family} Regular",
            "psName": re.sub(r"[^A-Za-z0-9]", "", family) + "-Regular",
        }
    )
    builder.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    builder.font["OS/2"].recalcUnicodeRanges(builder.font)
    builder.setupPost()
    path.parent.mkdir(parents=True, exist_ok=True)
    builder.save(str(path))
    return path


@pytest.fixture(scope="session")
def probe_font(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A folder holding a Latin font of a family nobody has."""
    folder = tmp_path_factory.mktemp("probe-fonts")
    build_font(folder / "probe.ttf", "Tfvis Probe", PRINTABLE)
    return folder, "Tfvis Probe"


@pytest.fixture
def fresh_warnings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Forget which scripts were already warned about."""
    monkeypatch.setattr(fonts, "_WARNED", set())
    yield


def warned(record: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in record if issubclass(w.category, MissingGlyphWarning)]


def _run(code: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _child_json(code: str, env: dict[str, str] | None = None) -> Any:
    return json.loads(_run(code, env).strip().splitlines()[-1])


# ----------------------------------------------------------------------------- scripts


def test_detect_scripts_by_the_unicode_script_property() -> None:
    assert detect_scripts("Epoch 1: loss 0.5 — 20 °C, é, Ελληνικά, русский, a\u0301") == {}
    assert detect_scripts(f"{BOOK_X} / {BOOK_Y}") == {"Han": "实际水果识别的"}
    found = detect_scripts("ひらがな カタカナ 한국어 مرحبا שלום नमस्ते 🍎 ཀཁག ሀለሐ 「、」！")
    assert set(found) == {
        "Hiragana",
        "Katakana",
        "Hangul",
        "Arabic",
        "Hebrew",
        "Devanagari",
        "Emoji",
        "Tibetan",
        "Ethiopic",
        "CJK symbols",
    }
    assert found["Hangul"] == "한국어"
    assert found["CJK symbols"] == "「、」！"
    assert detect_scripts(TOFU) == {}  # private use: no script, nothing to choose or check
    assert len(detect_scripts("".join(chr(0x4E00 + i) for i in range(500)))["Han"]) == 64


# ----------------------------------------------------------------------------- families


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (BOOK_Y, "zh-Hans"),
        ("ㄅㄆㄇ 注音", "zh-Hant"),
        ("ひらがなと漢字", "ja"),
        ("한국어와 漢字", "ko"),
        ("カタカナ 한국어", "ko"),
    ],
)
def test_the_family_list_puts_the_languages_sans_serif_faces_first(
    text: str, language: str
) -> None:
    """Korean with Hangul, Japanese with kana, Traditional Chinese with Bopomofo,
    Simplified Chinese for Han alone; the pan-CJK families of the other languages
    follow, then the generic sans-serif."""
    families = css_families(fonts.cjk_font_family(text) or "")
    own = list(fonts.CJK_FAMILIES[language])
    assert families[: len(own)] == own
    others = [
        f for lang, names in fonts.CJK_FAMILIES.items() if lang != language for f in names[:4]
    ]
    assert families[len(own) :] == [*others, "sans-serif"]
    assert not [f for f in families[:-1] if re.search(r"serif|mincho|song|ming|mono", f, re.I)]


def test_css_family_quotes_only_what_needs_quotes() -> None:
    assert fonts._css_family("Noto Sans CJK SC") == "Noto Sans CJK SC"
    assert fonts._css_family("ヒラギノ角ゴシック") == '"ヒラギノ角ゴシック"'
    assert fonts._css_family("Probe 2 CJK") == '"Probe 2 CJK"'  # "2" is no CSS identifier
    assert fonts._css_family("serif") == '"serif"'  # a family named so, not the generic
    assert fonts._css_family('a"b\\c') == '"a\\"b\\\\c"'


def test_plain_specs_pass_through_untouched() -> None:
    """ASCII text, and non-Latin text that needs no CJK family, leave the spec as is."""
    text = render.linechart({"values": [{"x": 1, "y": 2}, {"x": 2, "y": 3}]}).to_json()
    assert fonts.prepare_spec_json(text) is text
    celsius = render.barchart([{"index": "20 °C", "value": 1}], xLabel="Température").to_json()
    assert "\\u" in celsius
    assert fonts.prepare_spec_json(celsius) is celsius


def test_no_cjk_text_no_cjk_family() -> None:
    assert fonts.cjk_font_family("Accuracy, loss, مرحبا") is None
    chart = render.barchart([{"index": "a", "value": 1}])
    assert font_families(chart.to_svg()) == {"sans-serif"}


def test_a_spec_that_sets_its_own_font_keeps_it() -> None:
    spec = {
        "config": {"font": "DejaVu Serif"},
        "data": {"values": [{"t": BOOK_Y}]},
        "mark": "text",
        "encoding": {"text": {"field": "t"}},
    }
    assert font_families(tfvis.Chart(spec, {}).to_svg()) == {"DejaVu Serif"}


def test_to_dict_json_and_html_stay_machine_independent() -> None:
    chart = book_heatmap(BOOK_X, BOOK_Y, FRUITS)
    assert "font" not in chart.to_dict().get("config", {})
    assert "Noto Sans CJK" not in chart.to_json()
    assert "Noto Sans CJK" not in chart.to_html()


# ----------------------------------------------------------------------------- CJK


@pytest.mark.cjk
def test_book_chinese_labels_draw_real_glyphs_in_png_svg_and_pdf(cjk_font: None) -> None:
    chart = book_heatmap(BOOK_X, BOOK_Y, FRUITS)
    boxes = book_heatmap(TOFU[:4], TOFU[:5], [TOFU[:2], TOFU[1:3], TOFU[2:4]])
    same_boxes = book_heatmap(TOFU[0] * 4, TOFU[0] * 5, [TOFU[0] * 2] * 3)
    # The private-use rendering is boxes only: every box is the same box.
    assert boxes.to_png() == same_boxes.to_png()
    png = chart.to_png()
    assert png != boxes.to_png()  # real glyphs, not boxes
    # Distinct characters draw distinct shapes (boxes would all be alike), with ink.
    css = fonts.cjk_font_family(BOOK_X + BOOK_Y + "".join(FRUITS))
    assert css is not None
    shapes = [text_png(ch, css) for ch in BOOK_X]
    assert len({tuple(pixels(shape)[2]) for shape in shapes}) == len(BOOK_X)
    assert all(ink(shape) > 20 for shape in shapes)
    svg = chart.to_svg()
    texts = svg_texts(svg)
    for label in (BOOK_X, BOOK_Y, *FRUITS):
        assert label in texts
    assert font_families(svg) == {css}
    pdf = chart.to_pdf()
    assert embeds(pdf, first_installed(css)), pdf_fonts(pdf)


@pytest.mark.cjk
def test_vl_convert_draws_with_the_first_installed_family_of_the_list(cjk_font: None) -> None:
    """What the family list relies on: a missing family falls through to the next one,
    which then draws everything (直 and 骨 differ between the Japanese and the
    Simplified Chinese Noto faces)."""
    wanted = {"Noto Sans CJK JP", "Noto Sans CJK SC"}
    require(wanted <= installed_families(), f"{sorted(wanted)} are not installed")
    text = "直骨 Apple"
    listed = text_png(text, "Tfvis Nonexistent, Noto Sans CJK JP, Noto Sans CJK SC, sans-serif")
    assert listed == text_png(text, "Noto Sans CJK JP")
    assert listed != text_png(text, "Noto Sans CJK SC")


@pytest.mark.cjk
def test_cjk_text_and_the_latin_after_it_get_a_sans_serif_face(cjk_font: None) -> None:
    """vl-convert alone drew 识别的水果 — and the Latin after it — in Noto Serif CJK."""
    chart = render.barchart(
        [{"index": f"{BOOK_Y} Apple", "value": 1}, {"index": "Apple 苹果", "value": 2}],
        xLabel="Fruit 水果",
    )
    pdf = chart.to_pdf()
    assert pdf_fonts(pdf) and not [n for n in pdf_fonts(pdf) if "serif" in n.lower()], pdf_fonts(
        pdf
    )
    css = fonts.cjk_font_family(BOOK_Y)
    assert css is not None
    face = first_installed(css)
    assert embeds(pdf, face), pdf_fonts(pdf)
    # The PNG is the one drawn with the first installed family named alone.
    spec = json.loads(chart._text("raster"))
    spec["config"]["font"] = face
    assert chart.to_png() == vl_convert.vegalite_to_png(
        json.dumps(spec), vl_version=vegalite_version()
    )
    # The bug this guards against, where a serif CJK face is installed.
    if any(f.startswith("Noto Serif CJK") for f in installed_families()):
        default = vl_convert.vegalite_to_pdf(chart.to_json(), vl_version=vegalite_version())
        assert [n for n in pdf_fonts(default) if "serif" in n.lower()], pdf_fonts(default)


@pytest.mark.cjk
@pytest.mark.parametrize(
    ("text", "noto"),
    [
        ("识别的水果", "Noto Sans CJK SC"),
        ("ひらがなと漢字", "Noto Sans CJK JP"),
        ("한국어와 漢字", "Noto Sans CJK KR"),
    ],
)
def test_the_face_drawn_suits_the_language(cjk_font: None, text: str, noto: str) -> None:
    """Simplified Chinese for Han alone, Japanese with kana, Korean with Hangul."""
    require(noto in installed_families(), f"{noto} is not installed")
    pdf = render.barchart([{"index": text, "value": 1}]).to_pdf()
    assert embeds(pdf, noto), pdf_fonts(pdf)


# ----------------------------------------------------------------------------- folders


def test_register_font_directory_makes_its_fonts_drawable(probe_font: tuple[Path, str]) -> None:
    folder, family = probe_font
    before = text_png("Hello", family)  # vl-convert 1.9 draws nothing for an unknown family
    assert fonts.register_font_directory(folder) == folder.resolve()
    assert folder.resolve() in fonts.registered_font_directories()
    after = text_png("Hello", family)
    assert after != before
    assert ink(after) > 50
    assert fonts.register_font_directory(str(folder)) == folder.resolve()  # again: no-op
    assert list(fonts.registered_font_directories()).count(folder.resolve()) == 1


def test_register_font_directory_is_public() -> None:
    assert tfvis.register_font_directory is _fontdirs.register_font_directory
    assert "register_font_directory" in tfvis.__all__


def test_register_font_directory_errors_name_the_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(OptionError) as error:
        tfvis.register_font_directory(missing)
    assert str(error.value) == (
        f"Font folder {str(missing)!r} given to register_font_directory(path) does not exist"
    )
    file = tmp_path / "font.ttf"
    file.write_bytes(b"not a font")
    with pytest.raises(OptionError) as error:
        tfvis.register_font_directory(file)
    assert str(error.value) == (
        f"Font folder {str(file)!r} given to register_font_directory(path) is not a folder"
    )
    empty = tmp_path / "empty"
    (empty / "sub").mkdir(parents=True)
    (empty / "sub" / "readme.txt").write_text("no fonts here")
    with pytest.raises(OptionError) as error:
        tfvis.register_font_directory(empty)
    assert str(error.value) == (
        f"Font folder {str(empty)!r} given to register_font_directory(path) holds no font "
        "file (.ttf, .otf, .ttc or .otc)"
    )
    with pytest.raises(OptionError) as error:
        tfvis.register_font_directory(42)  # type: ignore[arg-type]
    assert str(error.value) == (
        "register_font_directory(path) needs a folder path (str or os.PathLike), got 42 (int)"
    )


@pytest.mark.cjk
def test_a_registered_cjk_font_is_drawn_first(cjk_font: None, tmp_path: Path) -> None:
    """A registered family with every CJK character of the chart goes in front of the
    list (quoted: "2" is no CSS identifier) and draws all of the chart's text; one
    that lacks some of them does not."""
    text = BOOK_X + BOOK_Y + "".join(FRUITS)
    build_font(tmp_path / "partial" / "partial.ttf", "Tfvis Partial", PRINTABLE + BOOK_X)
    build_font(tmp_path / "full" / "full.ttf", "Tfvis Probe 2 CJK", PRINTABLE + text)
    result = _child_json(
        f"""
        import html, json, re, tfvis
        from tfvis import render
        chart = render.heatmap(
            {{"values": [[1, 0, 0], [0, 0.3, 0.7], [0, 0.7, 0.3]],
              "xTickLabels": {FRUITS!r}, "yTickLabels": {FRUITS!r}}},
            xLabel={BOOK_X!r}, yLabel={BOOK_Y!r},
        )
        fonts = lambda pdf: sorted({{n.decode().split("+")[-1]
                                   for n in re.findall(rb"/FontName\\s*/([^\\s/]+)", pdf)}})
        before = chart.to_png()
        tfvis.register_font_directory({str(tmp_path / "partial")!r})
        partial = chart.to_png()
        tfvis.register_font_directory({str(tmp_path / "full")!r})
        print(json.dumps({{
            "partial_changed": partial != before,
            "families": sorted({{html.unescape(f) for f in
                                 re.findall(r'font-family="([^"]*)"', chart.to_svg())}}),
            "pdf": fonts(chart.to_pdf()),
            "changed": chart.to_png() != before,
        }}))
        """
    )
    assert not result["partial_changed"]
    (css,) = result["families"]
    assert css.startswith('"Tfvis Probe 2 CJK", Noto Sans CJK SC, '), css
    assert result["pdf"] == ["TfvisProbe2CJK-Regular"]  # every label, Latin digits too
    assert result["changed"]


def test_a_registered_font_for_a_script_no_font_has_is_drawn_and_silences_the_warning(
    tmp_path: Path,
) -> None:
    script, text = _uncovered_script()
    folder = tmp_path / "script-font"
    build_font(folder / "script.ttf", "Tfvis Probe Script", PRINTABLE + text)
    result = _child_json(
        f"""
        import json, warnings
        import tfvis
        from tfvis import _fonts, render
        chart = render.barchart([{{"index": {text!r}, "value": 1}}])
        def export():
            with warnings.catch_warnings(record=True) as record:
                warnings.simplefilter("always")
                png = chart.to_png()
            return png, [str(w.message) for w in record]
        before, warned_before = export()
        tfvis.register_font_directory({str(folder)!r})
        _fonts._WARNED.clear()  # warnings are once per process: forget the first one
        after, warned_after = export()
        print(json.dumps({{"before": warned_before, "after": warned_after,
                           "changed": after != before}}))
        """
    )
    assert result["before"] == [missing_message(script, text)]
    assert result["after"] == []
    assert result["changed"]


@pytest.mark.skipif(sys.platform != "linux", reason="fontconfig folders are a Linux matter")
def test_discovery_registers_a_fontconfig_folder_vl_convert_misses(
    probe_font: tuple[Path, str], tmp_path: Path
) -> None:
    """A relocated fontconfig (conda's, FONTCONFIG_PATH) lists fonts vl-convert never reads."""
    require(shutil.which("fc-list") is not None, "fontconfig (fc-list) is not installed")
    folder, family = probe_font
    config = tmp_path / "fontconfig"
    config.mkdir()
    (config / "fonts.conf").write_text(
        '<?xml version="1.0"?>\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{folder}</dir>\n</fontconfig>\n"
    )
    result = _child_json(
        f"""
        import json, vl_convert
        from tfvis import _fontdirs
        from tfvis._engine import vegalite_version
        png = lambda: vl_convert.vegalite_to_png(json.dumps({{"width": 100, "height": 40,
            "data": {{"values": [{{}}]}}, "mark": {{"type": "text", "font": {family!r}}},
            "encoding": {{"text": {{"value": "Hello"}}}}}}), vl_version=vegalite_version())
        before = png()
        found = _fontdirs.discover_system_fonts()
        print(json.dumps({{"found": [str(f) for f in found], "changed": png() != before}}))
        """,
        env={"FONTCONFIG_PATH": str(config)},
    )
    assert str(folder.resolve()) in result["found"]
    assert result["changed"]


# ----------------------------------------------------------------------------- coverage


@pytest.mark.skipif(sys.platform != "linux", reason="fontconfig answers on Linux")
def test_first_cjk_export_reads_no_font_file_where_fontconfig_answers() -> None:
    """Building and the machine-independent outputs never touch fonts; the first PNG
    with CJK text asks fontconfig and opens no font file."""
    require(shutil.which("fc-list") is not None, "fontconfig (fc-list) is not installed")
    result = _child_json(
        f"""
        import json, sys
        from tfvis import _glyphs, render
        chart = render.heatmap([[1, 2], [3, 4]], xLabel={BOOK_X!r}, yLabel={BOOK_Y!r})
        chart.to_dict(), chart.to_json(), chart.to_html()
        built = "fontTools" in sys.modules
        chart.to_png()
        print(json.dumps({{"built": built, "ttLib": "fontTools.ttLib" in sys.modules,
                           "files": len(_glyphs._FILE_FACES), "cmaps": len(_glyphs._CMAPS)}}))
        """
    )
    assert result == {"built": False, "ttLib": False, "files": 0, "cmaps": 0}


@pytest.mark.cjk
def test_the_fonttools_path_agrees_with_fontconfig(
    cjk_font: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without fontconfig (macOS, Windows) fontTools reads the platform's font folders;
    only faces whose OS/2 ranges claim a character have their cmap read."""
    samples = [BOOK_X + BOOK_Y, "مرحبا", *NO_FONT_SCRIPTS.values(), TOFU[:2]]
    with_fontconfig = [_glyphs.uncovered(s) for s in samples]
    monkeypatch.setattr(_glyphs, "_fontconfig", lambda: None)
    for name, empty in (("_FACES", None), ("_FOLDERS", None), ("_COVERED", {})):
        monkeypatch.setattr(_glyphs, name, empty)
    monkeypatch.setattr(_glyphs, "_FILE_FACES", {})
    monkeypatch.setattr(_glyphs, "_CMAPS", {})
    assert _glyphs.uncovered(BOOK_X + BOOK_Y) == with_fontconfig[0] == ""
    read = set(_glyphs._CMAPS)
    assert 1 <= len(read) < len(_glyphs._faces()) / 4, read  # one CJK face had them all
    assert [_glyphs.uncovered(s) for s in samples] == with_fontconfig


# ----------------------------------------------------------------------------- unsafe text
# Text is made safe by tfvis._text.strict_json when the JSON is written; these check
# that every static export gets it.


def test_clean_text_keeps_text_and_replaces_only_what_no_renderer_takes() -> None:
    plain = "Accuracy (%) <b> & 'quotes' \\ 实际水果 مرحبا 🍎 e\u0301 \t\n\r"
    assert clean_text(plain) == plain
    assert clean_text("a\x00b\x0bc\x1fd\ufffee\uffff") == "a\ufffdb\ufffdc\ufffdd\ufffde\ufffd"
    assert clean_text("lone \ud800 surrogate") == "lone \ufffd surrogate"
    assert clean_text("line\u2028paragraph\u2029end") == "line paragraph end"
    ascii_text = "Time (s)"
    assert clean_text(ascii_text) is ascii_text


def test_characters_that_aborted_vl_convert_are_replaced_in_every_export() -> None:
    """NUL, vertical tab, U+FFFF and friends made vl-convert abort the whole process.

    Run in a child process, so a regression shows as a failure, not a dead test run.
    """
    out = _run(
        """
        from tfvis import Chart, render
        hostile = "a\\x00b\\x0bc\\x1fd\\ufffe\\uffff\\ud800"
        charts = [
            render.barchart([{"index": hostile, "value": 1}]),
            render.linechart({"values": [[{"x": 1, "y": 2}]], "series": [hostile]}, xLabel=hostile),
            render.histogram([1, 2], xLabel=hostile, yLabel=hostile),
            render.heatmap({"values": [[1]], "xTickLabels": [hostile], "yTickLabels": [hostile]}),
            # a spec that bypassed tfvis's input checks
            Chart({"mark": "text", "title": hostile, "data": {"values": [{"t": hostile}]},
                   "encoding": {"text": {"field": "t"}}}, {}),
        ]
        for chart in charts:
            assert chart.to_svg().startswith("<svg")
            assert chart.to_png()[:4] == b"\\x89PNG"
            assert chart.to_pdf()[:4] == b"%PDF"
        print("ok")
        """
    )
    assert out.strip().endswith("ok")


def test_line_separators_do_not_break_vega_expressions() -> None:
    chart = render.linechart(
        {"values": [[{"x": 1, "y": 2}, {"x": 2, "y": 1}]], "series": ["a\u2028b"]},
        {"xLabel": "x\u2029y"},
    )
    assert "\u2028" not in chart.to_json() and "\\u2028" not in chart.to_json()
    assert "a b" in svg_texts(chart.to_svg())


@pytest.mark.parametrize(
    "title",
    ["a\\b", "ends in \\", "C:\\new\\table", "\\\"+upper(datum.s)+'", "x\\u0041", "two\nlines"],
)
def test_titles_stay_literal_in_the_expressions_vega_lite_builds(title: str) -> None:
    """Vega-Lite pastes titles into tooltip and ARIA expressions escaping only quotes:
    ``\\n`` became a newline, a line break or a trailing backslash broke the chart, and
    ``\\"`` let the rest of a title become expression code."""
    charts = [
        render.scatterplot({"values": [{"x": 1, "y": 2}]}, xLabel=title, yLabel=title),
        render.linechart({"values": [[{"x": 1, "y": 2}]], "series": [title]}, xLabel=title),
        render.barchart([{"index": title, "value": 1}], xLabel=title, yLabel=title),
        render.heatmap([[1]], xLabel=title, yLabel=title),
        render.histogram([1, 2], xLabel=title, yLabel=title),
    ]
    for chart in charts:
        svg = chart.to_svg()
        assert title in svg_texts(svg)  # the axis title, as typed
        described = [
            a for a in aria_labels(svg) if a.startswith(title + ": ") or f"; {title}: " in a
        ]
        assert described, aria_labels(svg)  # the marks' descriptions, as typed


def test_emoji_in_long_labels_survive_truncation() -> None:
    """Vega cut long labels between the two halves of an emoji; vl-convert then failed.
    tfvis cuts long labels itself, never inside a character."""
    apples = "🍎" * 40
    chart = render.linechart({"values": [[{"x": 1, "y": 2}, {"x": 2, "y": 1}]], "series": [apples]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingGlyphWarning)
        svg = chart.to_svg()
    assert "🍎" * 13 + "…" in svg_texts(svg)


def test_colours_that_are_not_css_colours_are_refused() -> None:
    """A colour string goes into SVG attributes: only real CSS colours get there."""
    for bad in ['" onload="window.__pwned = 4', "red' onclick='x'", "url(javascript:1)"]:
        with pytest.raises(OptionError, match=r"^Option 'color' must hold CSS colours"):
            render.barchart([{"index": "a", "value": 1}], color=[bad])
        with pytest.raises(OptionError, match=r"^Option 'color' must be a CSS colour"):
            render.histogram([1, 2], color=bad)


def test_hostile_svg_stays_inert_in_a_browser(offline_page: Any, tmp_path: Path) -> None:
    """Labels and titles that try to become markup stay text in the SVG."""
    hostile = [
        "</text><script>window.__pwned = 1</script>",
        '<img src=x onerror="window.__pwned = 2">',
        "]]><script>window.__pwned = 3</script>",
    ]
    chart = render.barchart(
        [{"index": label, "value": i + 1} for i, label in enumerate(hostile)],
        {"xLabel": hostile[0], "yLabel": hostile[1]},
        color=["red", "#00ff00", "rgb(0, 0, 255)"],
    )
    path = chart.save(tmp_path / "hostile.svg")
    ET.fromstring(path.read_text(encoding="utf-8"))  # well-formed XML
    page = offline_page.open(path)
    page.wait_for_selector("text")
    assert page.evaluate("window.__pwned") is None
    assert (
        page.evaluate("document.querySelectorAll('script, img, [onload], [onclick]').length") == 0
    )
    assert offline_page.dialogs == [] and offline_page.requests == []
    drawn = page.evaluate("Array.from(document.querySelectorAll('text')).map(t => t.textContent)")
    for label in hostile:
        assert any(text.startswith(label[:15]) for text in drawn), label


# ----------------------------------------------------------------------------- warnings


def missing_message(script: str, chars: str) -> str:
    return (
        f"No installed font has glyphs for the {script} text in this chart "
        f"({chars[:5]!r}, U+{ord(chars[0]):04X}); PNG, PDF and SVG exports will show empty "
        "boxes there. Install a font for it, or call tfvis.register_font_directory(folder) "
        "with a folder that holds one."
    )


def _uncovered_script() -> tuple[str, str]:
    """A script no installed font has, asked of fontconfig where it is installed."""
    for script, text in NO_FONT_SCRIPTS.items():
        if shutil.which("fc-list") is not None:
            if not any(fontconfig_covers(c) for c in text):
                return script, text
        elif _glyphs.uncovered(text) == text:
            return script, text
    pytest.skip(f"every one of {sorted(NO_FONT_SCRIPTS)} has an installed font here")


def test_text_no_font_draws_warns_once_per_script(fresh_warnings: None) -> None:
    script, text = _uncovered_script()
    chart = render.barchart([{"index": text, "value": 1}, {"index": "plain", "value": 2}])
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        chart.to_png()
        chart.to_svg()
        render.linechart({"values": [{"x": text + "!", "y": 1}]}).to_pdf()
    assert warned(record) == [missing_message(script, text)]
    culprit = next(w for w in record if issubclass(w.category, MissingGlyphWarning))
    assert culprit.filename == __file__  # points at the user's line, not into tfvis


@pytest.mark.cjk
def test_covered_scripts_do_not_warn(cjk_font: None, fresh_warnings: None) -> None:
    covered = [
        text
        for text in ("مرحبا", "שלום", "สวัสดี", "नमस्ते")
        if shutil.which("fc-list") is not None and fontconfig_covers(text)
    ]
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        book_heatmap(BOOK_X, BOOK_Y, FRUITS).to_png()
        for text in covered:
            render.barchart([{"index": text, "value": 1}]).to_png()
    assert warned(record) == []

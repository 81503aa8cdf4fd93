"""Fonts and text in the static exports: real CJK glyphs, a sans-serif CJK face,
user font folders, system folders vl-convert misses, unsafe characters, and one
warning per script no font can draw.
"""

from __future__ import annotations

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
from tfvis import OptionError, render
from tfvis import _fonts as fonts
from tfvis._engine import vegalite_version
from tfvis.errors import MissingGlyphWarning

BOOK_X, BOOK_Y = "实际水果", "识别的水果"  # the book's confusion-matrix titles, in Chinese
FRUITS = ["苹果", "橙子", "橘子"]
TOFU = "\ue000\ue001\ue002\ue003\ue004"  # private use: no font has glyphs, only boxes


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


def text_png(text: str, font: str) -> bytes:
    """A bare text mark in one font, straight through vl-convert (no tfvis)."""
    spec = {
        "width": 200,
        "height": 40,
        "data": {"values": [{}]},
        "mark": {"type": "text", "font": font, "fontSize": 24},
        "encoding": {"text": {"value": text}},
    }
    return vl_convert.vegalite_to_png(json.dumps(spec), vl_version=vegalite_version())  # type: ignore[no-any-return]


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
    return set(re.findall(r'font-family="([^"]*)"', svg))


def renamed_font(source: Path, target: Path, new: str) -> str:
    """Copy a TrueType font under a new family name of the same length; return it."""
    data = source.read_bytes()
    faces = fonts._read_faces(str(source))
    old = faces[0].family
    name = (new + "X" * len(old))[: len(old)]
    data = data.replace(old.encode("utf-16-be"), name.encode("utf-16-be"))
    data = data.replace(old.encode("latin-1", "replace"), name.encode("latin-1"))
    target.write_bytes(data)
    return name


def a_truetype_font() -> Path | None:
    """An installed .ttf file with a readable family name, a common sans-serif first."""
    files = fonts._fontconfig_files() or ()
    candidates = [Path(f) for f in files] + [
        Path(p)
        for folder in fonts._platform_folders()
        if folder.is_dir()
        for p in fonts._font_files(folder)
    ]
    common = ("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "Arial.ttf", "arial.ttf")
    candidates.sort(key=lambda path: path.name not in common)
    for path in candidates:
        if path.suffix.lower() == ".ttf" and fonts._read_faces(str(path)):
            return path
    return None


@pytest.fixture(scope="session")
def probe_font(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A folder holding an installed font renamed to a family nobody has."""
    source = a_truetype_font()
    require(source is not None, "no TrueType font is installed")
    assert source is not None
    folder = tmp_path_factory.mktemp("probe-fonts")
    family = renamed_font(source, folder / "probe.ttf", "Tfvis Probe")
    return folder, family


@pytest.fixture
def fresh_warnings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Forget which scripts were already warned about."""
    monkeypatch.setattr(fonts, "_WARNED", set())
    yield


def warned(record: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in record if issubclass(w.category, MissingGlyphWarning)]


def has_family(family: str) -> bool:
    return any(face.family == family for face in fonts._faces())


# ----------------------------------------------------------------------------- text


def test_clean_text_keeps_text_and_replaces_only_what_no_renderer_takes() -> None:
    plain = "Accuracy (%) <b> & 'quotes' \\ 实际水果 مرحبا 🍎 e\u0301 \t\n\r"
    assert fonts.clean_text(plain) == plain
    assert (
        fonts.clean_text("a\x00b\x0bc\x1fd\ufffee\uffff") == "a\ufffdb\ufffdc\ufffdd\ufffde\ufffd"
    )
    assert fonts.clean_text("lone \ud800 surrogate") == "lone \ufffd surrogate"
    assert fonts.clean_text("line\u2028paragraph\u2029end") == "line paragraph end"
    ascii_text = "Time (s)"
    assert fonts.clean_text(ascii_text) is ascii_text


def test_detect_scripts_by_unicode_ranges() -> None:
    assert fonts.detect_scripts("Epoch 1: loss 0.5") == {}
    assert fonts.detect_scripts(f"{BOOK_X} / {BOOK_Y}") == {"Han": "实际水果识别的"}
    found = fonts.detect_scripts("ひらがな カタカナ 한국어 مرحبا שלום สวัสดี नमस्ते 🍎 Ελληνικά")
    assert set(found) == {
        "Hiragana",
        "Katakana",
        "Hangul",
        "Arabic",
        "Hebrew",
        "Thai",
        "Devanagari",
        "Emoji",
    }
    assert found["Hangul"] == "한국어"
    assert len(fonts.detect_scripts("".join(chr(0x4E00 + i) for i in range(500)))["Han"]) == 64


def test_css_family_quotes_only_what_needs_quotes() -> None:
    assert fonts._css_family("Noto Sans CJK SC") == "Noto Sans CJK SC, sans-serif"
    assert fonts._css_family("ヒラギノ角ゴシック") == '"ヒラギノ角ゴシック", sans-serif'
    assert fonts._css_family('a"b\\c') == '"a\\"b\\\\c", sans-serif'


def test_plain_specs_pass_through_untouched() -> None:
    text = render.linechart({"values": [{"x": 1, "y": 2}, {"x": 2, "y": 3}]}).to_json()
    assert fonts.prepare_spec_json(text) is text


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
    font = fonts._css_family(fonts.cjk_family(BOOK_X) or "")
    shapes = [text_png(ch, font) for ch in BOOK_X]
    assert len({tuple(pixels(shape)[2]) for shape in shapes}) == len(BOOK_X)
    assert all(ink(shape) > 20 for shape in shapes)
    svg = chart.to_svg()
    texts = svg_texts(svg)
    for label in (BOOK_X, BOOK_Y, *FRUITS):
        assert label in texts
    family = fonts.cjk_family(BOOK_X + BOOK_Y)
    assert family is not None
    assert font_families(svg) == {fonts._css_family(family)}
    pdf = chart.to_pdf()
    embedded = {
        name.decode().split("+")[-1] for name in re.findall(rb"/FontName\s*/([^\s/]+)", pdf)
    }
    squashed = family.replace(" ", "").lower()
    assert any(name.replace("-", "").lower().startswith(squashed) for name in embedded), embedded


@pytest.mark.cjk
def test_cjk_text_gets_a_sans_serif_face_not_vl_converts_serif_fallback(cjk_font: None) -> None:
    family = fonts.cjk_family(BOOK_Y)
    assert family is not None
    face = next(f for f in fonts._faces() if f.family == family)
    assert fonts._style_score(face) > 0, family  # sans-serif by name or PANOSE
    assert not re.search(r"serif|mincho|song|ming|mono", family.replace("Sans", ""), re.I)
    chart = book_heatmap(BOOK_X, BOOK_Y, FRUITS)
    spec = chart.to_dict()
    assert "font" not in spec.get("config", {})  # to_dict and HTML stay machine-independent
    as_sans = dict(spec, config={**spec["config"], "font": fonts._css_family(family)})
    rendered = vl_convert.vegalite_to_png(json.dumps(as_sans), vl_version=vegalite_version())
    assert chart.to_png() == rendered


@pytest.mark.cjk
@pytest.mark.parametrize(
    ("text", "noto"),
    [
        ("识别的水果", "Noto Sans CJK SC"),
        ("ひらがなと漢字", "Noto Sans CJK JP"),
        ("한국어와 漢字", "Noto Sans CJK KR"),
    ],
)
def test_the_cjk_family_suits_the_language(cjk_font: None, text: str, noto: str) -> None:
    """Simplified Chinese for Han alone, Japanese with kana, Korean with Hangul."""
    family = fonts.cjk_family(text)
    assert family is not None
    face = next(f for f in fonts._faces() if f.family == family)
    assert all(fonts._has(face, ord(c)) for c in text if not c.isspace()), family
    if all(has_family(f"Noto Sans CJK {locale}") for locale in ("SC", "JP", "KR")):
        assert family == noto


def test_no_cjk_text_no_cjk_family() -> None:
    assert fonts.cjk_family("Accuracy, loss, مرحبا") is None
    chart = render.barchart([{"index": "a", "value": 1}])
    assert font_families(chart.to_svg()) == {"sans-serif"}


@pytest.mark.cjk
def test_the_pure_python_folder_scan_finds_the_same_cjk_family(
    cjk_font: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_fontconfig = fonts.cjk_family(BOOK_Y)
    monkeypatch.setattr(fonts, "_fontconfig_files", lambda: None)
    monkeypatch.setattr(fonts, "_FACES", None)
    monkeypatch.setattr(fonts, "_CMAPS", {})
    monkeypatch.setattr(fonts, "_COVERED", {})
    fonts._choose_family.cache_clear()
    try:
        assert fonts.cjk_family(BOOK_Y) == with_fontconfig
    finally:
        fonts._choose_family.cache_clear()


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
    assert tfvis.register_font_directory is fonts.register_font_directory
    assert "register_font_directory" in tfvis.__all__


def test_register_font_directory_errors_name_the_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(OptionError) as error:
        fonts.register_font_directory(missing)
    assert str(error.value) == (
        f"Font folder {str(missing)!r} given to register_font_directory(path) does not exist"
    )
    file = tmp_path / "font.ttf"
    file.write_bytes(b"not a font")
    with pytest.raises(OptionError) as error:
        fonts.register_font_directory(file)
    assert str(error.value) == (
        f"Font folder {str(file)!r} given to register_font_directory(path) is not a folder"
    )
    empty = tmp_path / "empty"
    (empty / "sub").mkdir(parents=True)
    (empty / "sub" / "readme.txt").write_text("no fonts here")
    with pytest.raises(OptionError) as error:
        fonts.register_font_directory(empty)
    assert str(error.value) == (
        f"Font folder {str(empty)!r} given to register_font_directory(path) holds no font "
        "file (.ttf, .otf, .ttc or .otc)"
    )
    with pytest.raises(OptionError) as error:
        fonts.register_font_directory(42)  # type: ignore[arg-type]
    assert str(error.value) == (
        "register_font_directory(path) needs a folder path (str or os.PathLike), got 42 (int)"
    )


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
    out = _run(
        f"""
        import json, vl_convert
        from tfvis import _fonts as fonts
        from tfvis._engine import vegalite_version
        png = lambda: vl_convert.vegalite_to_png(json.dumps({{"width": 100, "height": 40,
            "data": {{"values": [{{}}]}}, "mark": {{"type": "text", "font": {family!r}}},
            "encoding": {{"text": {{"value": "Hello"}}}}}}), vl_version=vegalite_version())
        before = png()
        found = fonts.discover_system_fonts()
        print(json.dumps({{"found": [str(f) for f in found], "changed": png() != before}}))
        """,
        env={"FONTCONFIG_PATH": str(config)},
    )
    result = json.loads(out.strip().splitlines()[-1])
    assert str(folder.resolve()) in result["found"]
    assert result["changed"]


# ----------------------------------------------------------------------------- unsafe text


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


def test_emoji_in_long_labels_survive_vegas_truncation() -> None:
    """Vega cut long labels between the two halves of an emoji; vl-convert then failed."""
    apples = "🍎" * 40
    chart = render.linechart({"values": [[{"x": 1, "y": 2}, {"x": 2, "y": 1}]], "series": [apples]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingGlyphWarning)
        svg = chart.to_svg()
    assert apples in svg_texts(svg)


@pytest.mark.browser
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


def _uncovered_script() -> tuple[str, str] | None:
    candidates = {
        "Tibetan": "ཀཁག",
        "Ethiopic": "ሀለሐ",
        "Cherokee": "ᎠᎡᎢ",
        "Mongolian": "ᠠᠡᠢ",
        "Khmer": "កខគ",
        "Thai": "สวัสดี",
        "Devanagari": "नमस्ते",
        "Sinhala": "අආඇ",
    }
    for script, text in candidates.items():
        if not any(fonts._covered(ord(c), script) for c in text):
            return script, text
    return None


def test_text_no_font_draws_warns_once_per_script(fresh_warnings: None) -> None:
    missing = _uncovered_script()
    if missing is None:
        pytest.skip("every candidate script has an installed font here")
    script, text = missing
    chart = render.barchart([{"index": text, "value": 1}, {"index": "plain", "value": 2}])
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        chart.to_png()
        chart.to_svg()
        render.linechart({"values": [{"x": text + "!", "y": 1}]}).to_pdf()
    messages = warned(record)
    assert len(messages) == 1, messages
    assert messages[0].startswith(f"No installed font has glyphs for the {script} text")
    assert "tfvis.register_font_directory(folder)" in messages[0]
    culprit = next(w for w in record if issubclass(w.category, MissingGlyphWarning))
    assert culprit.filename == __file__  # points at the user's line, not into tfvis


@pytest.mark.cjk
def test_covered_scripts_do_not_warn(cjk_font: None, fresh_warnings: None) -> None:
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        book_heatmap(BOOK_X, BOOK_Y, FRUITS).to_png()
    assert warned(record) == []

"""``tfvis demo``: the console script, ``python -m tfvis``, the page in a browser, failures.

The full gallery runs once per session (it draws the 420,551-row Jena-shaped series);
everything else uses a chart or two.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import tfvis
from conftest import page_blocks, page_specs
from tfvis import __main__ as cli
from tfvis import render
from tfvis._demo import gallery

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SLUGS = [entry.slug for entry in gallery.default_entries()]
# Entries that are tfvis.Table outputs: an HTML table on the page, no spec.
TABLE_SLUGS = [
    "evaluation-per-class-accuracy",
    "evaluation-model-summary",
    "evaluation-layer-weights",
]
CHART_SLUGS = [slug for slug in SLUGS if slug not in TABLE_SLUGS]

# What each chart must draw in the browser: {chart: {mark class: item count}}.
EXPECTED_MARKS = {
    "listing-7-1": {"mark-line": 1},
    "listing-7-2": {"mark-line": 2},
    "listing-7-3": {"mark-symbol": 8},
    "listing-7-4": {"mark-rect": 4},
    "listing-7-5-auto": {"mark-rect": 7},
    "listing-7-5-maxbins": {"mark-rect": 3},
    "listing-7-6": {"mark-rect": 9},
    "seattle-hourly": {"mark-line": 1},
    "seattle-daily": {"mark-line": 2},
    "seattle-weather-days": {"mark-rect": 5},
    "seattle-monthly": {"mark-rect": 48},
    "stocks": {"mark-line": 5},
    "iris": {"mark-symbol": 150},
    "jena-synthetic-full": {"mark-line": 2},
    "jena-synthetic-10-days": {"mark-line": 2},
    # 90 coloured cells, the 10 correct ones white on their own layer; 100 numbers
    "evaluation-confusion-matrix": {"mark-rect": 100, "mark-text": 100},
}

COUNT_MARKS = """() => Array.from(document.querySelectorAll('.tfvis-chart')).map(element => {
  const marks = {};
  for (const group of element.querySelectorAll('g.role-mark')) {
    const kind = Array.from(group.classList).find(c => c.startsWith('mark-'));
    const items = group.querySelectorAll(
      ':scope > path, :scope > line, :scope > g, :scope > text').length;
    marks[kind] = (marks[kind] || 0) + items;
  }
  return {id: element.id, state: element.dataset.state,
          svgs: element.querySelectorAll('svg').length, marks: marks};
})"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """``tfvis demo --out DIR`` through the installed console script."""
    out = tmp_path_factory.mktemp("gallery") / "out"
    script = Path(sys.executable).with_name("tfvis")
    assert script.exists(), f"the tfvis console script is not installed beside {sys.executable}"
    result = subprocess.run(
        [str(script), "demo", "--out", str(out)], capture_output=True, text=True, timeout=300
    )
    return result, out


def _specs(page: str) -> dict[str, Any]:
    return {key.removeprefix("chart-"): spec for key, spec in page_specs(page).items()}


def test_demo_succeeds_and_says_where_the_files_are(
    demo: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    result, out = demo
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert f"drawing {len(SLUGS)} charts into {out.resolve()}" in result.stdout
    assert f"Open {(out / 'index.html').resolve()}" in result.stdout
    for number, slug in enumerate(SLUGS, start=1):
        assert re.search(rf"\[\s*{number}/{len(SLUGS)}\] {slug} ", result.stdout), slug


def test_every_chart_has_a_png(demo: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    _, out = demo
    assert sorted(p.stem for p in out.glob("*.png")) == sorted(SLUGS)
    for slug in SLUGS:
        assert (out / f"{slug}.png").read_bytes()[:8] == PNG_MAGIC, slug


def test_page_embeds_every_spec_and_the_bundle_once(
    demo: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    page = (demo[1] / "index.html").read_text(encoding="utf-8")
    assert list(_specs(page)) == CHART_SLUGS
    assert page.count('<table class="tfvis-table"') == len(TABLE_SLUGS)
    # One data block holds the Vega runtime (megabytes), one the specs; one script
    # starts the charts.
    blocks = page_blocks(page)
    assert len(blocks["tfvis-runtime"]) > 500_000 and "vegaEmbed" in blocks["tfvis-runtime"]
    assert page.count('id="tfvis-runtime"') == 1
    plain = re.findall(r"<script>(.*?)</script>", page, flags=re.DOTALL)
    assert len(plain) == 1
    assert len(plain[0]) < 6_000 and "vegaEmbed(" in plain[0]
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert page.count('class="tfvis-chart"') == len(CHART_SLUGS)


def test_the_jena_scale_reduction_is_recorded(
    demo: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    result, out = demo
    specs = _specs((out / "index.html").read_text(encoding="utf-8"))
    notes = specs["jena-synthetic-full"]["usermeta"]["tfvis"]["downsample"]
    assert [n["original"] for n in notes] == [gallery.JENA_ROWS] * 2
    assert all(n["method"] == "minmax_lttb" and n["kept"] <= 2000 for n in notes)
    assert "420,551 points drawn as" in result.stdout
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "DownsampleWarning: tfvis drew a reduced copy of 2 series" in page
    assert "Recorded in the spec: T (degC): 420,551 points" in page
    scatter = specs["jena-synthetic-scatter"]["usermeta"]["tfvis"]["downsample"]
    assert scatter[0]["method"] == "pixel_grid" and scatter[0]["original"] == gallery.JENA_ROWS
    for slug in ("listing-7-1", "iris", "stocks"):
        assert "usermeta" not in specs[slug]


@pytest.mark.browser
def test_page_draws_every_chart_offline(
    demo: tuple[subprocess.CompletedProcess[str], Path], offline_page: Any
) -> None:
    out = demo[1]
    page = offline_page.open(out / "index.html")
    page.wait_for_function(
        "document.querySelectorAll('.tfvis-chart:not([data-state=drawn]):not([data-state=failed])')"
        ".length === 0",
        timeout=120_000,
    )
    drawn = {chart["id"].removeprefix("chart-"): chart for chart in page.evaluate(COUNT_MARKS)}
    assert list(drawn) == CHART_SLUGS
    specs = _specs((out / "index.html").read_text(encoding="utf-8"))
    kept = specs["jena-synthetic-scatter"]["usermeta"]["tfvis"]["downsample"][0]["kept"]
    expected = {**EXPECTED_MARKS, "jena-synthetic-scatter": {"mark-symbol": kept}}
    for slug, chart in drawn.items():
        assert chart["state"] == "drawn", slug
        assert chart["svgs"] == 1, slug
        assert sum(chart["marks"].values()) > 0, slug
        for mark, count in expected.get(slug, {}).items():
            assert chart["marks"].get(mark) == count, (slug, mark, chart["marks"])
    assert offline_page.requests == []
    assert offline_page.console_errors == []


def test_python_m_tfvis_demo_only(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tfvis", "demo", "--out", str(tmp_path), "--only", "listing-7-4"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "index.html",
        "listing-7-4.png",
        "visor.html",
    ]
    assert list(_specs((tmp_path / "index.html").read_text(encoding="utf-8"))) == ["listing-7-4"]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == f"tfvis {tfvis.__version__}\n"


def test_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([]) == 2
    assert "give a command: demo or plot" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        cli.main(["demo", "--only", "nope"])
    assert stop.value.code == 2
    error = capsys.readouterr().err
    assert "--only: unknown chart nope; known: listing-7-1," in error


def _entry(slug: str, make: Any, needs: tuple[str, ...] = ()) -> gallery.Entry:
    return gallery.Entry(slug, f"Title <{slug}>", "test data", "a caption & more", make, needs)


def _bars() -> tfvis.Chart:
    return render.barchart([{"index": "a", "value": 1}])


def _broken() -> tfvis.Chart:
    raise RuntimeError("boom <script>alert(1)</script>")


def test_a_failing_chart_makes_the_demo_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    entries = [_entry("good", _bars), _entry("broken", _broken), _entry("after", _bars)]
    monkeypatch.setattr(gallery, "default_entries", lambda: entries)
    assert cli.main(["demo", "--out", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "[2/3] broken" in captured.out and "FAILED: RuntimeError: boom" in captured.out
    assert "tfvis demo: error: 1 of 3 gallery charts failed: broken" in captured.err
    # The other charts and the page are still written; the page shows the error, escaped.
    assert sorted(p.name for p in tmp_path.glob("*.png")) == ["after.png", "good.png"]
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "Failed: RuntimeError: boom &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert "Title &lt;good&gt;" in page and "a caption &amp; more" in page
    assert list(_specs(page)) == ["good", "after"]


def test_an_export_failure_fails_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: tfvis.Chart, path: Any, **kwargs: Any) -> Path:
        raise tfvis.ExportError("disk full")

    monkeypatch.setattr(tfvis.Chart, "save", refuse)
    with pytest.raises(tfvis.errors.DemoError, match="1 of 1 gallery charts failed: good"):
        gallery.build(tmp_path, entries=[_entry("good", _bars)], log=lambda line: None)


def test_a_missing_optional_package_skips_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    entries = [_entry("good", _bars), _entry("needs-x", _bars, ("no_such_package_tfvis",))]
    monkeypatch.setattr(gallery, "default_entries", lambda: entries)
    assert cli.main(["demo", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "needs-x" in out and "skipped: needs no_such_package_tfvis" in out
    assert "note: 1 charts were skipped" in out
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "Skipped: this chart needs no_such_package_tfvis" in page
    assert not (tmp_path / "needs-x.png").exists()


def test_bad_slugs_are_refused(tmp_path: Path) -> None:
    with pytest.raises(tfvis.errors.DemoError, match="repeated"):
        gallery.build(tmp_path, entries=[_entry("a", _bars), _entry("a", _bars)])
    with pytest.raises(tfvis.errors.DemoError, match="not"):
        gallery.build(tmp_path, entries=[_entry('a"b', _bars)])


def test_jena_synthetic_has_the_archive_shape() -> None:
    frame = gallery.jena_synthetic()
    assert list(frame.columns) == ["T (degC)", "p (mbar)", "rho (g/m**3)"]
    assert str(frame.index[0]) == "2009-01-01 00:10:00"
    assert (np.diff(frame.index.to_numpy()) == np.timedelta64(10, "m")).all()
    assert frame["T (degC)"].corr(frame["rho (g/m**3)"]) < -0.9
    assert len(frame) == gallery.JENA_ROWS == 420_551


def test_jena_synthetic_looks_like_weather_not_noise() -> None:
    # The issue: white-noise pressure drew as a solid band. Weather changes over days,
    # with a yearly and a daily cycle of temperature and stormier winters.
    frame = gallery.jena_synthetic()
    temperature, pressure = frame["T (degC)"], frame["p (mbar)"]
    assert pressure.autocorr(1) > 0.99  # ten minutes later: nearly the same
    assert 0.3 < pressure.autocorr(144) < 0.9  # a day later: related, not equal
    assert abs(pressure.autocorr(144 * 30)) < 0.2  # a month later: unrelated
    monthly = temperature.groupby(frame.index.month).mean()
    assert monthly[7] - monthly[1] > 12  # summer is warmer than winter
    hourly = temperature.groupby(frame.index.hour).mean()
    assert hourly[14] - hourly[4] > 4  # afternoons are warmer than nights
    spread = pressure.groupby(frame.index.month).std()
    assert spread[1] > 1.5 * spread[7]  # winter pressure swings more


# --------------------------------------------------------------------- the visor page


@pytest.mark.browser
def test_the_visor_page_has_three_tabs_that_draw_offline(
    demo: tuple[subprocess.CompletedProcess[str], Path], offline_page: Any
) -> None:
    from tfvis._demo import report

    out = demo[1]
    assert 'href="visor.html"' in (out / "index.html").read_text(encoding="utf-8")
    text = (out / gallery.VISOR_PAGE).read_text(encoding="utf-8")
    # The gallery's charts are the same specs, in their tabs, with the evaluation last.
    index_specs = list(_specs((out / "index.html").read_text(encoding="utf-8")).values())
    visor_specs = list(page_specs(text).values())
    book = [
        s
        for slug, s in _specs((out / "index.html").read_text(encoding="utf-8")).items()
        if slug.startswith("listing-")
    ]
    assert visor_specs[: len(book)] == book
    # The evaluation tab: a confusion matrix and a histogram (Vega-Lite), and a table.
    assert len(visor_specs) == len([s for s in SLUGS if s.startswith(("listing-", "seattle-"))]) + 2
    assert all(spec in index_specs for spec in visor_specs[:-2])
    page = offline_page.open(out / gallery.VISOR_PAGE)
    tabs = page.evaluate(
        "Array.from(document.querySelectorAll('[role=tab]')).map(t => t.textContent)"
    )
    assert tabs == [report.BOOK_TAB, report.SEATTLE_TAB, report.EVALUATION_TAB]
    for index in range(3):
        page.click(f"[role=tab] >> nth={index}")
        page.wait_for_function(
            "Array.from(document.querySelectorAll('[role=tabpanel]:not([hidden]) .tfvis-chart'))"
            ".every(e => e.dataset.state === 'drawn')",
            timeout=60_000,
        )
    charts = page.evaluate(COUNT_MARKS)
    assert len(charts) == len(visor_specs)
    assert all(c["state"] == "drawn" and sum(c["marks"].values()) > 0 for c in charts)
    # The 10 × 10 confusion matrix (render.confusion_matrix), a count in every cell.
    assert charts[-2]["marks"]["mark-rect"] == 100
    assert charts[-2]["marks"]["mark-text"] == 100
    rows = page.evaluate(
        "Array.from(document.querySelectorAll('[role=tabpanel]:not([hidden]) table tbody tr'))"
        ".map(r => r.cells[0].textContent)"
    )
    assert rows == [f"digit {d}" for d in range(10)]  # show.per_class_accuracy
    assert offline_page.requests == [] and offline_page.console_errors == []

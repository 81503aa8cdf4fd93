"""The documentation: its code runs, its pictures come from that code, its tables are true.

Every ```python block of README.md and docs/*.md runs (per page, in order, in a
temporary folder) with ``scripts/make_doc_images.py``, the script that makes the
pictures; the option tables are checked against ``src/tfvis/options.py``.
"""

from __future__ import annotations

import ast
import concurrent.futures
import dataclasses
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tfvis import _options as options

ROOT = Path(__file__).resolve().parent.parent


def _load_script() -> ModuleType:
    path = ROOT / "scripts" / "make_doc_images.py"
    spec = importlib.util.spec_from_file_location("make_doc_images", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


docs = _load_script()
PAGES = docs.pages()
CHART_PAGES = {
    "linechart": options.LineChartOptions,
    "scatterplot": options.ScatterPlotOptions,
    "barchart": options.BarChartOptions,
    "histogram": options.HistogramOptions,
    "heatmap": options.HeatmapOptions,
    # issue #12
    "confusion_matrix": options.ConfusionMatrixOptions,
    "table": options.TableOptions,
}
# Pages other engineers write; linked from here, checked once they exist.
OTHERS = {"output.md", "security.md"}


def _name(page: Path) -> str:
    return str(page.relative_to(ROOT))


def test_the_expected_pages_exist() -> None:
    names = {p.name for p in PAGES}
    wanted = {f"{chart}.md" for chart in CHART_PAGES} | {"index.md", "tfjs-vis.md"}
    assert wanted | {"downsampling.md", "README.md"} <= names


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_page_code_runs_and_draws_its_pictures(page: Path, tmp_path: Path) -> None:
    blocks = docs.code_blocks(page)
    if not blocks:
        pytest.skip(f"{_name(page)} has no python code")
    # In a thread of its own: a page that drives Chromium with Playwright's sync API
    # (docs/visor.md) fails in a thread where the browser fixture's loop is running.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(docs.run_page, page, tmp_path).result()
    for name in docs.images(page):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_pictures_exist_and_are_small(page: Path) -> None:
    for name in docs.images(page):
        png = (docs.IMAGES / name).read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n", name
        width = int.from_bytes(png[16:20], "big")
        assert width <= 900, f"{name} is {width} px wide: make it at scale 1"
        assert len(png) < 200_000, f"{name} is {len(png):,} bytes"


def test_every_chart_page_and_the_index_show_a_picture() -> None:
    for name in [*CHART_PAGES, "index", "downsampling", "evaluation"]:
        assert docs.images(docs.DOCS / f"{name}.md"), name
    assert docs.images(docs.README) == ["plot1.png"]


def test_every_picture_in_docs_images_is_used() -> None:
    shown = {name for page in PAGES for name in docs.images(page)}
    assert {p.name for p in docs.IMAGES.glob("*.png")} == shown


LINK = re.compile(r"\]\(([^)#\s]+)(#[^)\s]*)?\)")


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_links_resolve(page: Path) -> None:
    pending = []
    for target, _anchor in LINK.findall(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+://", target):
            continue
        path = (page.parent / target).resolve()
        if not path.exists() and path.name in OTHERS:
            pending.append(path.name)
            continue
        assert path.exists(), f"{_name(page)} links to {target}, which does not exist"
    if pending:
        pytest.skip(f"not written yet (owned by others): {', '.join(sorted(set(pending)))}")


def _option_rows(page: Path) -> dict[str, list[str]]:
    """The rows of the page's '## Options' table, keyed by the Python name."""
    text = page.read_text(encoding="utf-8").split("## Options", 1)[1]
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[1].startswith("`"):
            rows[cells[1].strip("`")] = cells
    return rows


@pytest.mark.parametrize("chart", list(CHART_PAGES))
def test_option_tables_match_options_py(chart: str) -> None:
    rows = _option_rows(docs.DOCS / f"{chart}.md")
    fields = dataclasses.fields(CHART_PAGES[chart])
    assert sorted(rows) == sorted(f.name for f in fields), "table rows != options.py fields"
    for f in fields:
        camel, _python, _type, default, meaning = rows[f.name]
        assert camel == f"`{f.metadata['camel'] or f.name}`", f.name
        literal = re.match(r"`([^`]*)`", default)
        assert literal, f"{chart}.{f.name}: the default must start with a `literal`"
        assert ast.literal_eval(literal.group(1)) == f.default, f"{chart}.{f.name} default"
        assert meaning, f.name

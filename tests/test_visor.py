"""The visor: surfaces in tabs, one offline report, autosave, the notebook output."""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import nbformat
import pytest
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

import tfvis
from conftest import page_blocks, page_specs
from tfvis import _output, _visor, render
from tfvis.errors import ExportError, OptionError

LINE = {"values": [{"x": 1, "y": 0.9}, {"x": 2, "y": 0.5}, {"x": 3, "y": 0.3}]}
BARS = [{"index": "cat", "value": 3}, {"index": "dog", "value": 5}]
HOSTILE = [
    "</script><script>window.__pwned = 1</script>",
    '<img src=x onerror="window.__pwned = 2">',
    "\"'><svg onload=window.__pwned=3>",
]


@pytest.fixture
def fresh_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new default visor for the test (it is one per process otherwise)."""
    monkeypatch.setattr(_visor, "_default", None)


def _report(tabs: int = 2, per_tab: int = 2) -> tfvis.Visor:
    report = tfvis.Visor()
    for t in range(tabs):
        for s in range(per_tab):
            surface = report.surface(name=f"chart {t}.{s}", tab=f"tab {t}")
            render.linechart(surface, {"values": [{"x": 1, "y": s}, {"x": 2, "y": t + 1}]})
    return report


# ------------------------------------------------------------------------- surfaces


def test_the_default_visor_is_one_per_process_and_visor_makes_others(fresh_default: None) -> None:
    assert tfvis.visor() is tfvis.visor()
    other = tfvis.Visor()
    assert other is not tfvis.visor()
    other.surface(name="only here")
    assert tfvis.visor().surfaces == []


def test_surface_is_made_once_per_name_and_tab() -> None:
    report = tfvis.Visor()
    first = report.surface({"name": "Loss", "tab": "Training"})
    assert report.surface(name="Loss", tab="Training") is first
    assert report.surface(name="Loss") is not first  # another tab: 'Visor'
    assert report.surface({"name": "Loss"}).tab == "Visor"
    assert [(s.name, s.tab) for s in report.surfaces] == [
        ("Loss", "Training"),
        ("Loss", "Visor"),
    ]
    assert repr(first) == "<tfvis.Surface 'Loss' on tab 'Training' (empty)>"
    assert repr(report) == "<tfvis.Visor 2 tabs, 2 surfaces>"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda v: v.surface({"tab": "x"}),
            "You must pass a config object with a 'name' property to create or retrieve a surface",
        ),
        (
            lambda v: v.surface(name=3),
            "You must pass a config object with a 'name' property to create or retrieve a "
            "surface; got name=3 (int)",
        ),
        (lambda v: v.surface({"nmae": "x"}), "Unknown surface option 'nmae'. Did you mean 'name'?"),
        (
            lambda v: v.surface({"name": "a"}, name="b"),
            "Surface option 'name' was given twice (in the mapping and as name=)",
        ),
        (lambda v: v.surface(name="a", tab=1), "A surface's tab must be a string, got 1 (int)"),
        (
            lambda v: v.surface("loss"),
            "surface() takes a mapping such as {'name': 'Loss', 'tab': 'Training'} or name=... "
            "and tab=... keywords, got 'loss' (str)",
        ),
        (
            lambda v: v.surface(name="a", styles={"heigth": 3}),
            "Unknown surface style 'heigth'. Did you mean 'height'?",
        ),
        (
            lambda v: v.surface(name="a", styles={"height": "1px; background: url(x)"}),
            "Option 'styles.height' must be a number of pixels from 0 to 10000 or a CSS length "
            "('500px', '80%'), got '1px; background: url(x)' (str)",
        ),
    ],
)
def test_bad_surface_requests_say_what_is_wrong(call: Any, message: str) -> None:
    with pytest.raises(OptionError) as raised:
        call(tfvis.Visor())
    assert str(raised.value) == message


def test_render_functions_draw_on_a_surface_or_a_mapping(fresh_default: None) -> None:
    surface = tfvis.visor().surface(name="Loss", tab="Training")
    line = render.linechart(surface, LINE)
    assert surface.output is line
    bars = render.barchart({"name": "Classes", "tab": "Data"}, BARS, {"width": 300})
    classes = tfvis.visor().surface(name="Classes", tab="Data")
    assert classes.output is bars
    # Drawing again replaces what the surface showed.
    again = render.barchart(surface, BARS)
    assert surface.output is again
    specs = list(page_specs(tfvis.visor().to_html()).values())
    assert specs == [again.to_dict(), bars.to_dict()]


def test_draw_places_a_composed_chart_and_refuses_other_things() -> None:
    report = tfvis.Visor()
    both = render.linechart(LINE) | render.barchart(BARS)
    surface = report.surface(name="both")
    assert surface.draw(both) is both
    assert page_specs(report.to_html())["tfvis-view-0"] == both.to_dict()
    with pytest.raises(OptionError) as raised:
        surface.draw({"values": [1, 2]})  # type: ignore[arg-type]
    assert str(raised.value) == (
        "A surface shows a tfvis chart or table, got {'values': [1, 2]} (dict) on surface "
        "'both' of tab 'Visor'"
    )
    with pytest.raises(OptionError, match="A surface shows a tfvis chart or table"):
        surface.draw(tfvis.Visor())
    assert surface.output is both


def test_the_newest_tab_is_shown_first_unless_another_is_chosen() -> None:
    report = tfvis.Visor()
    report.surface(name="a", tab="First")
    report.surface(name="b", tab="Second")
    assert report.active_tab == "Second"  # as tfjs-vis: a new tab is shown
    report.surface(name="c", tab="First")
    assert report.active_tab == "Second"
    report.set_active_tab("First")
    report.setActiveTab("First")
    assert report.active_tab == "First"
    page = report.to_html()
    assert re.search(r'aria-selected="true" tabindex="0">First</button>', page)
    with pytest.raises(OptionError) as raised:
        report.set_active_tab("Frist")
    assert str(raised.value) == (
        "Tab 'Frist' does not exist; did you mean 'First'? (the visor's tabs: 'First', 'Second')"
    )
    with pytest.raises(OptionError) as raised:
        tfvis.Visor().set_active_tab("x")
    assert str(raised.value) == "Tab 'x' does not exist (the visor's tabs: none yet)"


# ---------------------------------------------------------------------------- page


def test_the_page_has_the_javascript_once_and_every_spec_in_one_block() -> None:
    report = _report(tabs=3, per_tab=4)
    page = report.to_html()
    assert page.count('id="tfvis-runtime"') == 1 and page.count('id="tfvis-specs"') == 1
    assert "vegaEmbed" in page_blocks(page)["tfvis-runtime"]
    specs = page_specs(page)
    assert list(specs.values()) == [s.output.to_dict() for s in report.surfaces]  # type: ignore[union-attr]
    assert page.count('role="tab"') == 3 and page.count('role="tabpanel"') == 3
    assert report.to_html() is page  # unchanged: the same text, not built again
    assert report.to_html(title="Run 7") != page


def test_an_empty_visor_is_a_page_that_says_so() -> None:
    page = tfvis.Visor().to_html()
    assert "This visor has no surfaces yet." in page
    assert page_blocks(page)["tfvis-runtime"] == ""
    empty = tfvis.Visor()
    empty.surface(name="later")
    assert "Nothing has been drawn on this surface yet." in empty.to_html()


def test_names_are_escaped_in_the_page() -> None:
    report = tfvis.Visor(title=HOSTILE[0])
    for name in HOSTILE:
        render.barchart(report.surface(name=name, tab=name), BARS)
    page = report.to_html()
    for name in HOSTILE:
        assert name not in page
    assert "&lt;/script&gt;&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page
    assert len(re.findall(r"<script[ >]", page)) == 3  # two data blocks and the page's own


def test_surface_styles_size_the_surface() -> None:
    report = tfvis.Visor()
    report.surface(name="tall", styles={"height": 500, "maxWidth": "80%"})
    assert 'style="height: 500px; max-width: 80%;"' in report.to_html()
    report.surface(name="tall", styles={"height": "20em"})  # given again: replaced
    assert 'style="height: 20em;"' in report.to_html()


# ------------------------------------------------------------------------ autosave


def test_autosave_rewrites_the_file_on_every_change(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    report = tfvis.Visor(path=path)
    assert "This visor has no surfaces yet." in path.read_text(encoding="utf-8")
    surface = report.surface(name="Loss", tab="Training")
    for epoch in range(1, 4):
        values = [{"x": x, "y": 1 / x} for x in range(1, epoch + 2)]
        chart = render.linechart(surface, {"values": values})
        assert page_specs(path.read_text(encoding="utf-8")) == {"tfvis-view-0": chart.to_dict()}
        assert path.read_text(encoding="utf-8") == report.to_html()
    assert repr(report).endswith(f"saved to {str(path)!r} on every change>")
    report.autosave(None)
    render.barchart(surface, BARS)
    assert path.read_text(encoding="utf-8") != report.to_html()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_default_visor_with_a_path(fresh_default: None, tmp_path: Path) -> None:
    path = tmp_path / "run.html"
    assert tfvis.visor(path=path).path == path
    render.barchart({"name": "Classes"}, BARS)
    assert len(page_specs(path.read_text(encoding="utf-8"))) == 1


def test_autosave_needs_an_html_path(tmp_path: Path) -> None:
    with pytest.raises(ExportError) as raised:
        tfvis.Visor().autosave(tmp_path / "report.png")
    assert str(raised.value) == (
        f"A visor saves as HTML: autosave({str(tmp_path / 'report.png')!r}) needs a path "
        "ending in .html"
    )


@pytest.mark.parametrize("where", ["rename", "build"])
def test_an_interrupted_save_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    path = tmp_path / "report.html"
    report = tfvis.Visor(path=path)
    surface = report.surface(name="Loss")
    render.linechart(surface, LINE)
    before = path.read_bytes()

    def interrupt(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    if where == "rename":
        monkeypatch.setattr(_output.os, "replace", interrupt)
    else:
        monkeypatch.setattr(_visor._page, "build", interrupt)
    with pytest.raises(KeyboardInterrupt):
        render.barchart(surface, BARS)
    with pytest.raises(KeyboardInterrupt):
        report.save(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


# ---------------------------------------------------------------------- the guard


def test_a_report_too_large_names_the_surface(monkeypatch: pytest.MonkeyPatch) -> None:
    report = tfvis.Visor()
    bars = render.barchart(report.surface(name="small", tab="A"), BARS)
    first = render.linechart(report.surface(name="first", tab="A"), {"values": line_values(100)})
    line = render.linechart({"values": line_values(400)})
    costs = [c.cost.total for c in (bars, first, line)]
    monkeypatch.setenv("TFVIS_EXPORT_LIMIT", str(line.cost.total * 1.1))
    big = report.surface(name="big one", tab="B")
    with pytest.raises(ExportError) as raised:
        big.draw(line)
    assert str(raised.value) == (
        "Drawing this chart on surface 'big one' of tab 'B' would make the report too large "
        f"to render as HTML: its charts cost {sum(costs):,.0f} units, "
        f"above the limit of {line.cost.total * 1.1:,.0f} that keeps the browser from running "
        f"out of memory. The largest part is surface 'big one' on tab 'B' ({costs[2]:,.0f} "
        f"units: 400 line rows, 1 label, 400 rule rows); then surface 'first' on tab 'A' "
        f"({costs[1]:,.0f} units: 100 line rows, 1 label, 100 rule rows); "
        f"surface 'small' on tab 'A' "
        f"({costs[0]:,.0f} units: 2 bar rows, 2 labels). Draw less data on that surface "
        "(a smaller maxPoints, fewer bins or cells), or put it in another visor; to raise the "
        "limit at your own risk, set the environment variable TFVIS_EXPORT_LIMIT."
    )
    assert big.output is None  # refused before anything changed
    monkeypatch.setenv("TFVIS_EXPORT_LIMIT", str(costs[1] * 0.9))
    with pytest.raises(ExportError, match="The largest part is surface 'first' on tab 'A'"):
        report.to_html(title="again")


def line_values(n: int) -> list[dict[str, float]]:
    return [{"x": x, "y": x % 7} for x in range(n)]


# ------------------------------------------------------------------------ notebook


class _Sanitised(HTMLParser):
    """What JupyterLab's sanitiser keeps of untrusted HTML, for the tags tfvis writes:
    iframe, script and style elements are dropped (the last two with their text)."""

    DROPPED: ClassVar[set[str]] = {"iframe", "script", "style"}

    def __init__(self) -> None:
        super().__init__()
        self.kept: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.DROPPED:
            self.skip += tag != "iframe"
            return
        shown = "".join(f' {k}="{v}"' for k, v in attrs if k in ("src", "alt", "class"))
        self.kept.append(f"<{tag}{shown}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.DROPPED:
            self.skip -= tag != "iframe"
        else:
            self.kept.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.kept.append(data)


def _untrusted(markup: str) -> str:
    parser = _Sanitised()
    parser.feed(markup)
    return "".join(parser.kept)


def test_notebook_output_is_the_page_in_an_iframe_with_pictures_for_untrusted_viewers() -> None:
    report = _report(tabs=2, per_tab=1)
    previous = tfvis.set_display("vegalite+png")
    try:
        bundle = report._repr_mimebundle_()
    finally:
        tfvis.set_display(previous)
    assert set(bundle) == {"text/html", "text/plain"}
    html = bundle["text/html"]
    assert html.count("<iframe") == 1 and 'sandbox="allow-scripts"' in html
    assert html.count('src="data:image/png;base64,') == 2
    untrusted = _untrusted(html)
    assert "<iframe" not in untrusted
    assert re.findall(r"<h[34]>([^<]*)<", untrusted) == ["tab 0", "chart 0.0", "tab 1", "chart 1.0"]
    assert len(re.findall(r'<img alt="chart [01].0" src="data:image/png;base64,', untrusted)) == 2


def test_the_display_mode_chooses_the_pictures() -> None:
    report = _report(tabs=1, per_tab=1)
    previous = tfvis.get_display()
    try:
        tfvis.set_display("vegalite")
        html = report._repr_mimebundle_()["text/html"]
        assert "<iframe" in html and "<img" not in html
        assert "an interactive report that shows when the notebook is trusted" in _untrusted(html)
        tfvis.set_display("vegalite+svg")
        assert 'src="data:image/svg+xml;base64,' in report._repr_mimebundle_()["text/html"]
        tfvis.set_display("png")
        html = report._repr_mimebundle_()["text/html"]
        assert "<iframe" not in html and "<style>" not in html and "<img" in html
    finally:
        tfvis.set_display(previous)
    assert set(report._repr_mimebundle_(include=["text/plain"])) == {"text/plain"}


NOTEBOOK = [
    "import tfvis\nfrom tfvis import render\nreport = tfvis.Visor()\n"
    "loss = report.surface(name='Loss', tab='Training')\nreport",
    "for epoch in range(1, 4):\n"
    "    render.linechart(loss, {'values': [{'x': x, 'y': 1 / x} for x in range(1, epoch + 2)]})\n"
    "render.barchart({'name': 'Classes', 'tab': 'Data'}, [{'index': 'a', 'value': 1}])\n"
    "_ = report.surface(name='Classes', tab='Data').draw(\n"
    "    render.barchart([{'index': 'b', 'value': 2}])\n"
    ")",
]


def test_a_displayed_visor_updates_in_place_in_a_real_kernel() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in NOTEBOOK]
    manager = KernelManager(kernel_name="python3")
    manager.kernel_cmd = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    NotebookClient(nb, km=manager, timeout=180).execute()
    first, second = nb.cells[0].outputs, nb.cells[1].outputs
    assert [o.output_type for o in first] == ["display_data"]
    assert second == []  # the updates went to the first cell's output
    html = first[0].data["text/html"]
    assert first[0].data["text/plain"] == "<tfvis.Visor 2 tabs, 2 surfaces>"
    assert "Classes" in html and html.count('src="data:image/png;base64,') == 2


# ------------------------------------------------------------------------- browser


COUNT = """() => Array.from(document.querySelectorAll('[role=tabpanel]')).map(panel => ({
  hidden: panel.hidden,
  charts: Array.from(panel.querySelectorAll('.tfvis-chart')).map(chart => {
    const box = chart.querySelector('svg') ? chart.querySelector('svg').getBoundingClientRect()
                                            : {width: 0, height: 0};
    return {state: chart.dataset.state, width: box.width, height: box.height,
            marks: chart.querySelectorAll('[role=graphics-symbol]').length};
  })}))"""
VISIBLE_DRAWN = (
    "Array.from(document.querySelectorAll('[role=tabpanel]:not([hidden]) .tfvis-chart'))"
    ".every(e => e.dataset.state === 'drawn')"
)


@pytest.mark.browser
def test_every_tab_draws_when_clicked_and_by_keyboard(offline_page: Any, tmp_path: Path) -> None:
    report = _report(tabs=3, per_tab=2)
    report.set_active_tab("tab 0")
    page = offline_page.open(report.save(tmp_path / "report.html"))
    page.wait_for_function(VISIBLE_DRAWN)
    panels = page.evaluate(COUNT)
    assert [p["hidden"] for p in panels] == [False, True, True]
    assert [c["state"] for c in panels[1]["charts"]] == ["pending", "pending"]  # not yet shown
    for index in (2, 1):
        page.click(f"[role=tab] >> nth={index}")
        page.wait_for_function(VISIBLE_DRAWN)
    for panel in page.evaluate(COUNT):
        for chart in panel["charts"]:
            assert chart["state"] == "drawn" and chart["marks"] > 0
    # Drawn when shown: none of them got the zero width of a hidden element.
    page.click("[role=tab] >> nth=0")
    for panel_index in range(3):
        page.click(f"[role=tab] >> nth={panel_index}")
        for chart in page.evaluate(COUNT)[panel_index]["charts"]:
            assert chart["width"] > 300 and chart["height"] > 150
    # Keyboard: arrows move the selection and the focus, Home and End jump.
    page.focus("[role=tab] >> nth=0")
    selected = "document.querySelector('[role=tab][aria-selected=true]').textContent"
    focused = "document.activeElement.textContent"
    page.keyboard.press("ArrowRight")
    assert page.evaluate(selected) == page.evaluate(focused) == "tab 1"
    page.keyboard.press("End")
    assert page.evaluate(selected) == "tab 2"
    page.keyboard.press("ArrowRight")
    assert page.evaluate(selected) == "tab 0"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Home")
    assert page.evaluate(selected) == page.evaluate(focused) == "tab 0"
    assert page.evaluate("document.querySelectorAll('[role=tabpanel]:not([hidden])').length") == 1
    assert offline_page.requests == [] and offline_page.console_errors == []


@pytest.mark.browser
def test_hostile_names_stay_text_in_the_browser(offline_page: Any, tmp_path: Path) -> None:
    report = tfvis.Visor(title=HOSTILE[1])
    for name in HOSTILE:
        render.barchart(report.surface(name=name, tab=name), BARS)
    page = offline_page.open(report.save(tmp_path / "hostile.html"))
    for index in range(len(HOSTILE)):
        page.click(f"[role=tab] >> nth={index}")
        page.wait_for_function(VISIBLE_DRAWN)
    assert page.evaluate("window.__pwned") is None
    assert offline_page.dialogs == [] and offline_page.console_errors == []
    tabs = page.evaluate(
        "Array.from(document.querySelectorAll('[role=tab]')).map(t => t.textContent)"
    )
    labels = page.evaluate(
        "Array.from(document.querySelectorAll('.tfvis-surface > h2')).map(t => t.textContent)"
    )
    assert tabs == HOSTILE and labels == HOSTILE
    assert page.title() == HOSTILE[1]
    assert page.evaluate("document.querySelectorAll('img, svg[onload]').length") == 0


@pytest.mark.browser
def test_the_notebook_output_draws_offline_in_its_iframe(offline_page: Any, tmp_path: Path) -> None:
    report = _report(tabs=2, per_tab=2)
    html = report._repr_mimebundle_()["text/html"]
    host = tmp_path / "notebook.html"
    host.write_text(f"<!DOCTYPE html><html><body>{html}</body></html>", encoding="utf-8")
    page = offline_page.open(host)
    frame = page.frame_locator("iframe.tfvis-visor-frame")
    frame.locator("[role=tab]").nth(0).click()
    inner = next(f for f in page.frames if f != page.main_frame)
    inner.wait_for_function(VISIBLE_DRAWN)
    assert inner.evaluate("document.querySelectorAll('[role=graphics-symbol]').length") > 0
    # The page inside told the notebook its height; the pictures for viewers without
    # scripts are hidden.
    page.wait_for_function(
        "Math.abs(document.querySelector('iframe').getBoundingClientRect().height - "
        f"{report._estimated_height()}) > 1"
    )
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.tfvis-visor-static')).display")
        == "none"
    )
    assert offline_page.requests == [] and offline_page.console_errors == []
    # Sanitised as an untrusted notebook does: the pictures show, nothing runs.
    host.write_text(f"<!DOCTYPE html><html><body>{_untrusted(html)}</body></html>", "utf-8")
    page = offline_page.open(host)
    page.wait_for_function("Array.from(document.images).every(i => i.complete)")
    sizes = page.evaluate("Array.from(document.images).map(i => [i.naturalWidth, i.naturalHeight])")
    assert len(sizes) == 4 and all(w > 300 and h > 150 for w, h in sizes)

"""The visor report (issue #14): page size, first-tab draw time, tab switch, rewrite time.

* Size: a report of 20 small charts (lines, bars, scatters, histograms, heatmaps)
  against what it must carry: the JavaScript bundle as the page carries it (packed)
  plus the 20 specs packed together, the smallest possible payload.
* Draw: headless Chromium, offline (every request refused), a fresh context per
  sample; the time from the load event until every chart of the first tab (20
  charts) is drawn, against the same time for a page of one of those charts
  (``Chart.to_html``). Then a click on the second tab (10 charts): the time until all
  are drawn, and every one must have a non-zero size.
* Rewrite: a 20-chart report that autosaves; the time of ``surface.draw(chart)`` for
  one new chart (page built again and written atomically), against ``Chart.save`` of
  that chart alone as a page, and against the same rewrite with the packed-spec cache
  emptied first (what it costs when every spec is compressed again).

Everything runs in one fresh worker process (the JavaScript bundle is built once
there, as in a training script).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import CaseResult, Row, Settings, median, run_worker, seconds, size, summary

FIRST_TAB, SECOND_TAB = 20, 10
_RECORD_DRAWS = """
window.__tfvisTimes = {};
window.addEventListener("load", function () { window.__tfvisTimes.load = performance.now(); });
new MutationObserver(function () {
  var panel = document.querySelector("[role=tabpanel]:not([hidden])") || document.body;
  var charts = panel.querySelectorAll(".tfvis-chart");
  if (!charts.length) { return; }
  var done = Array.prototype.every.call(charts, function (c) {
    return c.dataset.state === "drawn";
  });
  var key = panel.id || "body";
  if (done && !(key in window.__tfvisTimes)) { window.__tfvisTimes[key] = performance.now(); }
  var screen = Array.prototype.filter.call(charts, function (c) {
    var box = c.getBoundingClientRect();
    return box.bottom > 0 && box.top < window.innerHeight;
  });
  var seen = screen.length && screen.every(function (c) { return c.dataset.state === "drawn"; });
  if (seen && !((key + ":screen") in window.__tfvisTimes)) {
    window.__tfvisTimes[key + ":screen"] = performance.now();
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ["data-state"]});
"""


def small_charts(n: int, seed: int = 0) -> list[Any]:
    """``n`` small charts of the five kinds, each a few dozen rows."""
    import numpy as np

    from tfvis import render

    rng = np.random.default_rng(seed)
    makers = [
        lambda: render.linechart(
            {
                "values": [
                    {"x": i, "y": float(v)} for i, v in enumerate(np.cumsum(rng.normal(size=50)))
                ]
            }
        ),
        lambda: render.barchart(
            [{"index": f"c{i}", "value": float(v)} for i, v in enumerate(rng.uniform(1, 9, 8))]
        ),
        lambda: render.scatterplot(
            {"values": [{"x": float(a), "y": float(b)} for a, b in rng.normal(size=(40, 2))]}
        ),
        lambda: render.histogram(rng.normal(size=300)),
        lambda: render.heatmap(rng.uniform(size=(6, 6)).tolist()),
    ]
    return [makers[i % len(makers)]() for i in range(n)]


def _draw_times(path: Path, repeats: int, tab_click: bool) -> dict[str, Any]:
    """Open ``path`` offline ``repeats`` times; ms from load to the first tab drawn."""
    from playwright.sync_api import sync_playwright

    first, switch, navigation, sizes_ok, requests, cpu = [], [], [], True, [], []
    screen: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
        )
        system = browser.new_browser_cdp_session()

        def renderer_cpu() -> float:
            # CPU seconds of every page process: on a shared machine, steadier than wall time.
            info = system.send("SystemInfo.getProcessInfo")["processInfo"]
            return sum(p["cpuTime"] for p in info if p["type"] == "renderer")

        for _ in range(repeats):
            context = browser.new_context(viewport={"width": 1200, "height": 900})
            context.route(
                "**/*",
                lambda r: (
                    (requests.append(r.request.url), r.abort())
                    if not r.request.url.startswith("file:")
                    else r.continue_()
                ),
            )
            context.add_init_script(_RECORD_DRAWS)
            page = context.new_page()
            before = renderer_cpu()
            page.goto(path.as_uri())
            key = "tfvis-panel-0" if tab_click else "body"
            page.wait_for_function(
                f"'{key}' in window.__tfvisTimes && 'load' in window.__tfvisTimes", timeout=60_000
            )
            cpu.append(renderer_cpu() - before)
            times = page.evaluate("window.__tfvisTimes")
            first.append(times[key] - times["load"])
            screen.append(times[key + ":screen"] - times["load"])
            navigation.append(times[key])
            if tab_click:
                page.evaluate("window.__tfvisClick = performance.now()")
                page.click("[role=tab] >> nth=1")
                page.wait_for_function("'tfvis-panel-1' in window.__tfvisTimes", timeout=60_000)
                switch.append(
                    page.evaluate("window.__tfvisTimes['tfvis-panel-1'] - window.__tfvisClick")
                )
                boxes = page.evaluate(
                    "Array.from(document.querySelectorAll('#tfvis-panel-1 .tfvis-chart svg'))"
                    ".map(s => [s.getBoundingClientRect().width, s.getBoundingClientRect().height])"
                )
                sizes_ok = (
                    sizes_ok and len(boxes) == SECOND_TAB and all(w > 0 and h > 0 for w, h in boxes)
                )
            context.close()
        browser.close()
    return {
        "after_load_ms": first,
        "from_navigation_ms": navigation,
        "switch_ms": switch,
        "second_tab_sizes_ok": sizes_ok,
        "requests": requests,
        "renderer_cpu_s": cpu,
        "first_screen_after_load_ms": screen,
    }


def task_all(repeats: int, browser_repeats: int) -> dict[str, Any]:
    """Worker: every measurement of the case in this one process, in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="tfvis-visor-bench-") as temp:
        return _measure(Path(temp), repeats, browser_repeats)


def _measure(folder: Path, repeats: int, browser_repeats: int) -> dict[str, Any]:
    import tfvis
    from tfvis import _engine

    charts = small_charts(FIRST_TAB + SECOND_TAB)
    # Size: 20 small charts, one tab.
    twenty = tfvis.Visor()
    for number, chart in enumerate(charts[:FIRST_TAB]):
        twenty.surface(name=f"chart {number}", tab="Charts").draw(chart)
    page = twenty.to_html()
    specs_json = (
        "{" + ",".join(f'"k{i}":{c.to_json()}' for i, c in enumerate(charts[:FIRST_TAB])) + "}"
    )
    answer: dict[str, Any] = {
        "page_bytes": len(page.encode()),
        "bundle_packed_bytes": len(_engine.packed_bundle()),
        "bundle_raw_bytes": len(_engine.javascript_bundle().encode()),
        "specs_packed_bytes": len(_engine.packed(specs_json)),
        "specs_raw_bytes": len(specs_json.encode()),
    }
    # Draw: 20 charts on the first tab, 10 on the second.
    report = tfvis.Visor()
    for number, chart in enumerate(charts):
        tab = "First" if number < FIRST_TAB else "Second"
        report.surface(name=f"chart {number}", tab=tab).draw(chart)
    report.set_active_tab("First")
    report_path = report.save(folder / "report.html")
    single_path = charts[0].save(folder / "single.html")
    answer["report"] = _draw_times(Path(report_path), browser_repeats, tab_click=True)
    answer["single"] = _draw_times(Path(single_path), browser_repeats, tab_click=False)
    # Rewrite: one chart changes in a 20-chart report that autosaves.
    live = tfvis.Visor(path=folder / "live.html")
    surfaces = [live.surface(name=f"chart {i}", tab="Charts") for i in range(FIRST_TAB)]
    for surface, chart in zip(surfaces, charts[:FIRST_TAB], strict=True):
        surface.draw(chart)
    replacements = small_charts(3 * repeats, seed=1)
    rewrite, uncached, single = [], [], []
    for index in range(repeats):
        new = replacements[3 * index : 3 * index + 3]
        start = time.perf_counter()
        surfaces[index % FIRST_TAB].draw(new[0])
        rewrite.append(time.perf_counter() - start)
        start = time.perf_counter()
        new[1].save(folder / "one.html")
        single.append(time.perf_counter() - start)
        with _engine._piece_lock:
            _engine._pieces.clear()
        start = time.perf_counter()
        surfaces[(index + 1) % FIRST_TAB].draw(new[2])
        uncached.append(time.perf_counter() - start)
    answer["rewrite_s"], answer["single_save_s"], answer["uncached_rewrite_s"] = (
        rewrite,
        single,
        uncached,
    )
    answer["live_page_bytes"] = (folder / "live.html").stat().st_size
    return answer


def run(settings: Settings) -> CaseResult:
    """The rows of the visor case."""
    answer = run_worker(
        "case_visor.task_all",
        repeats=settings.call_repeats,
        browser_repeats=3 if settings.quick else 7,
    )
    needed = answer["bundle_packed_bytes"] + answer["specs_packed_bytes"]
    fraction = answer["page_bytes"] / needed
    report, single = answer["report"], answer["single"]
    first, one = median(report["after_load_ms"]), median(single["after_load_ms"])
    switch = median(report["switch_ms"])
    one_screen = median(single["first_screen_after_load_ms"])
    rewrite = median(answer["rewrite_s"])
    rows = [
        Row(
            f"visor report, {FIRST_TAB} small charts → page bytes",
            size(answer["page_bytes"]),
            f"packed bundle {size(answer['bundle_packed_bytes'])} + packed specs "
            f"{size(answer['specs_packed_bytes'])}",
            f"{fraction:.3f}×",
            "≤ 1.1×",
            fraction <= 1.1,
        ),
        Row(
            f"same, Chromium offline: load → first tab ({FIRST_TAB} charts) drawn",
            f"{first:.0f} ms",
            f"one-chart page {one:.0f} ms",
            f"{first / one:.1f}×",
            "≤ 1 s",
            first <= 1000 and not report["requests"],
        ),
        Row(
            "same, load → the charts on the first screen (1200 × 900 px) drawn",
            f"{median(report['first_screen_after_load_ms']):.0f} ms",
            f"one-chart page {one_screen:.0f} ms",
            f"{median(report['first_screen_after_load_ms']) / one_screen:.1f}×",
            "(≤ 1 s)",
            None,
        ),
        Row(
            "same, renderer CPU time (all its threads) from navigation to the first tab drawn",
            f"{median(report['renderer_cpu_s']) * 1000:.0f} ms",
            f"one-chart page {median(single['renderer_cpu_s']) * 1000:.0f} ms",
            f"{median(report['renderer_cpu_s']) / median(single['renderer_cpu_s']):.1f}×",
            "(steadier than wall time when shared)",
            None,
        ),
        Row(
            f"click → second tab ({SECOND_TAB} charts) drawn, all non-zero size",
            f"{switch:.0f} ms",
            "—",
            "all drawn" if report["second_tab_sizes_ok"] else "NOT all drawn",
            "all drawn",
            bool(report["second_tab_sizes_ok"]),
        ),
        Row(
            f"rewrite after one chart changes ({FIRST_TAB}-chart report, autosave)",
            seconds(rewrite),
            f"Chart.save one-chart page {seconds(median(answer['single_save_s']))}; "
            f"specs packed again {seconds(median(answer['uncached_rewrite_s']))}",
            f"{rewrite / median(answer['single_save_s']):.2f}× one chart's page",
            "≤ 50 ms",
            rewrite <= 0.05,
        ),
    ]
    notes = [
        f"visor page {answer['page_bytes']:,} bytes; raw bundle {answer['bundle_raw_bytes']:,} "
        f"+ raw specs {answer['specs_raw_bytes']:,} = "
        f"{answer['bundle_raw_bytes'] + answer['specs_raw_bytes']:,} bytes "
        f"({answer['page_bytes'] / (answer['bundle_raw_bytes'] + answer['specs_raw_bytes']):.2f}×)",
        f"renderer CPU from navigation to the first tab drawn: report "
        f"{median(report['renderer_cpu_s']) * 1000:.0f} ms, one-chart page "
        f"{median(single['renderer_cpu_s']) * 1000:.0f} ms (summed over the renderer's "
        "threads: main, compositor, garbage collector; wall time includes waiting for a core)",
        f"first tab drawn {median(report['from_navigation_ms']):.0f} ms after navigation start "
        f"(spread of after-load samples {statistics.pstdev(report['after_load_ms']):.0f} ms)",
    ]
    data = {
        **{k: v for k, v in answer.items() if k.endswith("bytes")},
        "report": report,
        "single": single,
        "rewrite_seconds": summary(answer["rewrite_s"]),
        "single_save_seconds": summary(answer["single_save_s"]),
        "uncached_rewrite_seconds": summary(answer["uncached_rewrite_s"]),
    }
    return CaseResult("visor", rows, notes, data)

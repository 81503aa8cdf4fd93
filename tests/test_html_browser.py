"""Offline HTML opened in a real headless Chromium with every network request refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tfvis import render

HOSTILE = [
    "</script><script>window.__pwned = 1</script>",
    '<img src=x onerror="window.__pwned = 2">',
    "'); window.__pwned = 3; ('",
    "{{constructor.constructor('window.__pwned = 4')()}}",
]


def drawn_marks(page: Any) -> int:
    page.wait_for_selector("svg.marks, svg", timeout=15_000)
    page.wait_for_function("document.querySelectorAll('[role=graphics-symbol]').length > 0")
    return int(page.evaluate("document.querySelectorAll('[role=graphics-symbol]').length"))


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("line", lambda: render.linechart({"values": [{"x": 1, "y": 2}, {"x": 2, "y": 5}]})),
        ("bars", lambda: render.barchart([{"index": "foo", "value": 1}, {"index": 3, "value": 7}])),
        ("hist", lambda: render.histogram([1, 5, 5, 5, 5, 10, -3, -3])),
        ("heat", lambda: render.heatmap([[1, 0], [0, 1]], colorMap="blues")),
        ("scatter", lambda: render.scatterplot({"values": [{"x": 1, "y": 2}, {"x": 3, "y": 1}]})),
    ],
)
def test_every_chart_draws_offline(offline_page: Any, tmp_path: Path, name: str, make: Any) -> None:
    path = make().save(tmp_path / f"{name}.html")
    page = offline_page.open(path)
    assert drawn_marks(page) >= 2
    assert offline_page.requests == []
    assert offline_page.console_errors == []
    assert page.evaluate("document.querySelectorAll('.tfvis-error').length") == 0


def test_hostile_strings_stay_text(offline_page: Any, tmp_path: Path) -> None:
    values = [[{"x": 1, "y": i}, {"x": 2, "y": i + 1}] for i in range(len(HOSTILE))]
    chart = render.linechart(
        {"values": values, "series": HOSTILE}, {"xLabel": HOSTILE[0], "yLabel": HOSTILE[1]}
    )
    path = tmp_path / "hostile.html"
    path.write_text(chart.to_html(title=HOSTILE[0]), encoding="utf-8")
    page = offline_page.open(path)
    drawn_marks(page)
    assert page.evaluate("window.__pwned") is None
    assert offline_page.dialogs == []
    assert offline_page.console_errors == []
    assert page.title() == HOSTILE[0]
    legend = page.evaluate(
        "Array.from(document.querySelectorAll('svg text')).map(t => t.textContent)"
    )
    # Long legend labels are cut with an ellipsis by Vega; the start must be literal text.
    for text in HOSTILE:
        assert any(label.startswith(text[:20]) for label in legend), text
    assert page.evaluate("document.querySelectorAll('img').length") == 0


def test_heatmap_and_bar_labels_are_text(offline_page: Any, tmp_path: Path) -> None:
    chart = render.heatmap(
        {"values": [[1, 2], [3, 4]], "xTickLabels": HOSTILE[:2], "yTickLabels": HOSTILE[2:]}
    )
    page = offline_page.open(chart.save(tmp_path / "heat.html"))
    drawn_marks(page)
    bars = render.barchart([{"index": HOSTILE[1], "value": 1}, {"index": HOSTILE[0], "value": 2}])
    page2 = offline_page.context.new_page()
    page2.goto(bars.save(tmp_path / "bars.html").resolve().as_uri())
    drawn_marks(page2)
    for p in (page, page2):
        assert p.evaluate("window.__pwned") is None
    assert offline_page.requests == []

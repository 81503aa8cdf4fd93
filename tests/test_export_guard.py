"""No input may kill the Python process: inputs that used to crash the engine.

Each risky export runs in a subprocess, so a regression shows up as a failed test
(with the child's exit signal) instead of taking pytest down with it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap

import pytest

from tfvis import ExportError, render
from tfvis import _budget as budget

PRELUDE = """
import json, struct, sys, time, warnings
import numpy as np
import tfvis
from tfvis import render
warnings.simplefilter("ignore", tfvis.DownsampleWarning)
def png_size(data):
    return list(struct.unpack(">II", data[16:24]))
def report(**fields):
    print("RESULT " + json.dumps(fields))
def attempt(make, export):
    try:
        chart = make()
        start = time.perf_counter()
        out = export(chart)
        report(ok=True, seconds=time.perf_counter() - start, size=png_size(out)
               if isinstance(out, bytes) else len(out), meta=chart.to_dict().get("usermeta"))
    except tfvis.ExportError as error:
        report(ok=False, error=str(error))
"""


def run_child(body: str, env: dict[str, str] | None = None) -> dict[str, object]:
    code = PRELUDE + textwrap.dedent(body)
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == 0, (
        f"child died with code {done.returncode} (negative = killed by that signal):\n"
        f"{done.stderr[-2000:]}"
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert len(lines) == 1, done.stdout + done.stderr
    result: dict[str, object] = json.loads(lines[0][len("RESULT ") :])
    return result


def assert_refused(result: dict[str, object], output: str, hint: str) -> None:
    assert result["ok"] is False
    message = str(result["error"])
    pattern = (
        rf"^This chart is too large to render as {output}: it costs [\d,]+ units \(.+\), "
        rf"above the limit of [\d,]+ that keeps the rendering engine from running out of "
        rf"memory and killing Python\. {re.escape(hint)}\. To raise the limit at your own "
        rf"risk, set the environment variable TFVIS_EXPORT_LIMIT\.$"
    )
    assert re.match(pattern, message), message


def test_million_cell_heatmap_is_aggregated_and_renders() -> None:
    result = run_child(
        """
        m = np.random.default_rng(0).normal(size=(1000, 1000))
        attempt(lambda: render.heatmap(m, width=500, height=300), lambda c: c.to_png())
        """
    )
    assert result["ok"] is True
    assert result["size"] == [500, 300]
    assert result["meta"] == {
        "tfvis": {
            "aggregate": {
                "method": "block_mean",
                "original": [1000, 1000],
                "drawn": [125, 72],
                "block": [8, 14],
            }
        }
    }


def test_million_cell_heatmap_without_aggregation_is_refused_before_the_engine() -> None:
    result = run_child(
        """
        m = np.zeros((1000, 1000))
        attempt(lambda: render.heatmap(m, aggregate=False), lambda c: c.to_png())
        """
    )
    assert_refused(result, "PNG", "Leave aggregate=True (the default) so tfvis draws block means")


def test_jena_sized_line_renders_reduced() -> None:
    result = run_child(
        """
        n = 420_551
        t = np.arange(n)
        y = np.sin(t / 144 * 2 * np.pi) * 5 + np.sin(t / 52_560 * 2 * np.pi) * 10
        x = np.datetime64("2009-01-01T00:10") + t * np.timedelta64(10, "m")
        import pandas as pd
        df = pd.DataFrame({"T (degC)": y, "p (mbar)": 990 + y / 3}, index=x)
        attempt(lambda: render.linechart(df, width=800, height=300), lambda c: c.to_png())
        """
    )
    assert result["ok"] is True
    assert result["size"] == [800, 300]
    meta = result["meta"]["tfvis"]  # type: ignore[index]
    assert [(d["series"], d["original"], d["kept"] <= 2000) for d in meta["downsample"]] == [
        ("T (degC)", 420_551, True),
        ("p (mbar)", 420_551, True),
    ]


@pytest.mark.parametrize(
    ("call", "output"),
    [
        ("render.linechart({'values': big}, downsample=False)", "PNG"),
        ("render.scatterplot({'values': big}, downsample=None)", "PNG"),
    ],
)
def test_turning_reduction_off_on_huge_series_is_refused(call: str, output: str) -> None:
    result = run_child(
        f"""
        y = np.random.default_rng(1).normal(size=600_000)
        big = y
        attempt(lambda: {call}, lambda c: c.to_png())
        """
    )
    assert_refused(
        result,
        output,
        "Leave downsampling on (the default, downsample='minmax_lttb') or pass a smaller "
        "maxPoints so tfvis draws a reduced copy of each series",
    )


def test_a_huge_max_points_is_lowered_to_the_limit() -> None:
    result = run_child(
        """
        y = np.random.default_rng(2).normal(size=1_000_000)
        attempt(lambda: render.scatterplot({"values": y}, maxPoints=10**9), lambda c: c.to_svg())
        """
    )
    assert result["ok"] is True
    meta = result["meta"]["tfvis"]  # type: ignore[index]
    assert meta["max_points"] < 10**9
    assert meta["downsample"][0]["kept"] <= meta["max_points"]


def test_a_huge_max_bins_is_lowered_to_the_limit() -> None:
    # A lowered limit exercises the same cap as the default one, in a second not minutes.
    result = run_child(
        """
        v = np.random.default_rng(3).normal(size=2_000_000)
        chart = render.histogram(v, maxBins=10_000)
        bins = chart.to_dict()["datasets"]["tfvis_bins"]
        assert 100 < len(bins) <= 60_000 // 12, len(bins)
        attempt(lambda: chart, lambda c: c.to_png())
        """,
        env={budget.LIMIT_VARIABLE: "60000"},
    )
    assert result["ok"] is True


def test_many_bars_are_refused_with_advice() -> None:
    result = run_child(
        """
        attempt(lambda: render.barchart(np.ones(100_000)), lambda c: c.to_svg())
        """
    )
    assert_refused(
        result, "SVG", "A bar chart draws every bar: aggregate the data into fewer bars first"
    )


def test_html_and_notebook_outputs_are_guarded_too() -> None:
    chart = render.linechart({"values": list(range(50))}, downsample=False)
    os.environ[budget.LIMIT_VARIABLE] = "10"
    try:
        for export, name in [
            (chart.to_html, "HTML"),
            (chart.to_pdf, "PDF"),
            (chart._repr_mimebundle_, "a notebook output"),
        ]:
            with pytest.raises(ExportError, match=f"^This chart is too large to render as {name}"):
                export()
        chart.to_json()  # the spec itself is always available
    finally:
        del os.environ[budget.LIMIT_VARIABLE]
    assert chart.to_svg().startswith("<svg")


def test_the_limit_can_be_raised_by_environment() -> None:
    chart = render.barchart(list(range(30)))
    os.environ[budget.LIMIT_VARIABLE] = "5"
    try:
        with pytest.raises(ExportError):
            chart.to_svg()
        os.environ[budget.LIMIT_VARIABLE] = "1e9"
        assert chart.to_svg().startswith("<svg")
        os.environ[budget.LIMIT_VARIABLE] = "lots"
        with pytest.raises(
            ExportError,
            match=r"^Environment variable TFVIS_EXPORT_LIMIT must be a positive number, "
            r"got 'lots'$",
        ):
            chart.to_svg()
    finally:
        del os.environ[budget.LIMIT_VARIABLE]


def test_cost_counts_every_mark_and_discrete_axis_label() -> None:
    chart = render.barchart([{"index": str(i), "value": i} for i in range(10)])
    parts = {mark: rows for mark, rows, _ in chart.cost.parts}
    assert parts == {"bar": 10, "axis label": 10}
    line = render.linechart(
        {"values": [[{"x": i, "y": i} for i in range(7)]] * 2, "series": ["a", "b"]}
    )
    # The two legend entries are labels the engine measures too.
    assert [(m, r) for m, r, _ in line.cost.parts] == [
        ("line", 14),
        ("axis label", 2),
        ("rule", 14),
    ]

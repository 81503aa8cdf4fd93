"""The programs in examples/: the book's listings, the Jena case study, the notebook.

Each program runs once as a subprocess (two at a time); the Jena loader and helpers
are also tested in-process on ``tests/data/jena_fixture.csv``, a small synthetic file
in the exact format of ``jena_climate_2009_2016.csv``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd
import pytest

from conftest import aria_labels, svg_texts
from tfvis._chart import VEGALITE_MIMETYPE

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIXTURE = ROOT / "tests" / "data" / "jena_fixture.csv"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _load_module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


jena = _load_module(EXAMPLES / "jena_weather.py")


# --------------------------------------------------------------------- subprocesses


def _jobs(out: Path) -> dict[str, list[str]]:
    script = str(EXAMPLES / "jena_weather.py")
    jena_args = [script, str(FIXTURE), "--out"]
    jobs = {
        f"listing_7_{i}": [str(EXAMPLES / f"listing_7_{i}.py"), "--out", str(out / f"7_{i}.svg")]
        for i in range(1, 6)
    }
    jobs["listing_7_6"] = [str(EXAMPLES / "listing_7_6.py"), "--out", str(out / "7_6.png")]
    jobs["week"] = [*jena_args, str(out / "week.svg"), "--span", "week"]
    jobs["year"] = [*jena_args, str(out / "year.json"), "--span", "year", "--start", "02.01.2009"]
    jobs["full"] = [*jena_args, str(out / "full.html"), "--span", "full", "--series2", "None"]
    jobs["full"] += ["--no-normalize"]
    jobs["scatter"] = [*jena_args, str(out / "scatter.svg"), "--span", "tenDays", "--scatter"]
    jobs["scatter"] += ["--series1", "T (degC)", "--series2", "rho (g/m**3)"]
    return jobs


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    """Run every example program once, in parallel, from a scratch folder."""
    out = tmp_path_factory.mktemp("examples")
    jobs = _jobs(out)

    def run(args: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args], capture_output=True, text=True, timeout=180, cwd=out
        )

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        results = dict(zip(jobs, pool.map(run, jobs.values()), strict=True))
    return results, out


def _ok(runs: tuple[dict[str, Any], Path], name: str) -> Path:
    result = runs[0][name]
    assert result.returncode == 0, f"{name} failed:\n{result.stdout}\n{result.stderr}"
    return runs[1]


def test_listing_7_1_uses_x(runs: tuple[dict[str, Any], Path]) -> None:
    svg = (_ok(runs, "listing_7_1") / "7_1.svg").read_text()
    axis = [a for a in aria_labels(svg) if a.startswith("X-axis")]
    # tfvis places the points at x = 1..4; tfjs-vis would use their positions 0..3.
    assert len(axis) == 1
    assert re.fullmatch(
        r"X-axis titled 'x' for a linear scale with values from 1(\.0)? to 4(\.0)?", axis[0]
    )
    assert {"x", "y"} <= set(svg_texts(svg))


def test_listing_7_2(runs: tuple[dict[str, Any], Path]) -> None:
    svg = (_ok(runs, "listing_7_2") / "7_2.svg").read_text()
    texts = svg_texts(svg)
    for text in ["My series 1", "My series 2", "My x-axis label", "My y-axis label"]:
        assert text in texts


def test_listing_7_3(runs: tuple[dict[str, Any], Path]) -> None:
    svg = (_ok(runs, "listing_7_3") / "7_3.svg").read_text()
    points = [label for label in aria_labels(svg) if label.startswith("My x-values: ")]
    assert len(points) == 8
    assert (
        "My x-values: 20; My y-values: 40; s: My scatter series 1; series: My scatter series 1"
        in points
    )


def test_listing_7_4_keeps_the_order(runs: tuple[dict[str, Any], Path]) -> None:
    svg = (_ok(runs, "listing_7_4") / "7_4.svg").read_text()
    texts = svg_texts(svg)
    assert [t for t in texts if t in ("foo", "bar", "3", "5")][:4] == ["foo", "bar", "3", "5"]
    assert "My value" in texts


def test_listing_7_5_writes_both_histograms(runs: tuple[dict[str, Any], Path]) -> None:
    out = _ok(runs, "listing_7_5")
    auto = aria_labels((out / "7_5.svg").read_text())
    three = aria_labels((out / "7_5-maxbins.svg").read_text())
    assert len([a for a in auto if a.startswith("value: ")]) == 7  # -4..10 in steps of 2
    assert len([a for a in three if a.startswith("value: ")]) == 3
    assert any("Num Vals: 8" in a for a in auto)
    assert "'num_vals': 8" in runs[0]["listing_7_5"].stdout


def test_listing_7_6_png(runs: tuple[dict[str, Any], Path]) -> None:
    png = (_ok(runs, "listing_7_6") / "7_6.png").read_bytes()
    assert png[:8] == PNG_MAGIC
    assert int.from_bytes(png[16:20], "big") == 500  # IHDR width: {width: 500}, scale 1
    assert int.from_bytes(png[20:24], "big") == 300


def test_jena_week_is_a_time_series(runs: tuple[dict[str, Any], Path]) -> None:
    svg = (_ok(runs, "week") / "week.svg").read_text()
    labels = aria_labels(svg)
    assert any(label.startswith("X-axis titled 'Time' for a utc scale") for label in labels)
    assert {"T (degC) (normalized)", "p (mbar) (normalized)"} <= set(svg_texts(svg))
    assert "1,008 rows from 2009-01-01 00:10:00 to 2009-01-08 00:00:00" in runs[0]["week"].stdout


def test_jena_year_json(runs: tuple[dict[str, Any], Path]) -> None:
    spec = json.loads((_ok(runs, "year") / "year.json").read_text())
    assert spec["layer"][0]["encoding"]["x"]["type"] == "temporal"
    names = {row["s"] for rows in spec["datasets"].values() for row in rows if "s" in row}
    assert names == {"T (degC) (normalized)", "p (mbar) (normalized)"}
    # The fixture is shorter than a year: the span ends at the last row, every 36th drawn.
    assert "37 rows from 2009-01-02 00:00:00 to 2009-01-11 00:00:00" in runs[0]["year"].stdout


def test_jena_full_html(runs: tuple[dict[str, Any], Path]) -> None:
    page = (_ok(runs, "full") / "full.html").read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert "10 rows from 2009-01-01 00:10:00 to 2009-01-10 00:10:00" in runs[0]["full"].stdout


def test_jena_scatter_plots_series_against_each_other(runs: tuple[dict[str, Any], Path]) -> None:
    svg = (_ok(runs, "scatter") / "scatter.svg").read_text()
    points = [a for a in aria_labels(svg) if a.startswith("T (degC) (normalized): ")]
    assert len(points) == 1440 // 6  # tenDays, stride 6
    assert "rho (g/m**3) (normalized)" in svg_texts(svg)


def test_jena_help_mentions_every_flag(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        jena.main(["--help"])
    assert stop.value.code == 0
    text = capsys.readouterr().out
    flags = [s for action in jena.build_parser()._actions for s in action.option_strings]
    expected = ["--out", "--span", "--start", "--series1", "--series2", "--normalize"]
    expected += ["--no-normalize", "--scatter", "--stride", "--width", "--height", "--help"]
    assert sorted(flags) == sorted([*expected, "-h"])
    for flag in flags:
        assert flag in text
    assert "csv" in text and "rho (g/m**3)" in text


# ----------------------------------------------------------------- in-process: loader


@pytest.fixture(scope="module")
def weather() -> pd.DataFrame:
    frame: pd.DataFrame = jena.load(FIXTURE)
    return frame


def test_loader_reads_columns_and_day_first_dates(weather: pd.DataFrame) -> None:
    assert list(weather.columns) == list(jena.COLUMNS)
    assert len(jena.COLUMNS) == 14
    assert all(dtype == np.float64 for dtype in weather.dtypes)
    assert weather.index.name == "Date Time"
    assert len(weather) == 1440
    assert weather.index[0] == pd.Timestamp("2009-01-01 00:10:00")
    # 02.01.2009 is the 2nd of January (day first), not the 1st of February.
    assert weather.index[144] == pd.Timestamp("2009-01-02 00:10:00")
    assert weather.index[-1] == pd.Timestamp("2009-01-11 00:00:00")
    assert (np.diff(weather.index.to_numpy()) == np.timedelta64(10, "m")).all()
    first = FIXTURE.read_text().splitlines()[1].split(",")
    assert weather.iloc[0].tolist() == [float(v) for v in first[1:]]


def test_fixture_is_what_its_generator_writes(tmp_path: Path) -> None:
    generator = _load_module(FIXTURE.with_name("make_jena_fixture.py"))
    generator.write(tmp_path / "fixture.csv")
    fresh, shipped = pd.read_csv(tmp_path / "fixture.csv"), pd.read_csv(FIXTURE)
    assert fresh.columns.tolist() == shipped.columns.tolist()
    assert fresh["Date Time"].tolist() == shipped["Date Time"].tolist()
    # Equal up to the last printed digit (libm rounding may differ between machines).
    numbers = fresh.columns[1:]
    assert np.allclose(fresh[numbers], shipped[numbers], rtol=0, atol=0.0101)


def test_loader_errors_name_the_problem(tmp_path: Path) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_text('"Date Time","p (mbar)"\n01.01.2009 00:10:00,996.52\n')
    with pytest.raises(jena.JenaError, match=r"lacks the Jena column\(s\) 'T \(degC\)'"):
        jena.load(broken)
    lines = FIXTURE.read_text().splitlines()
    bad_date = tmp_path / "bad_date.csv"
    bad_date.write_text("\n".join([lines[0], lines[1].replace("01.01.2009", "2009-01-01")]))
    with pytest.raises(jena.JenaError, match=r"is not like 01\.01\.2009 00:10:00"):
        jena.load(bad_date)
    with pytest.raises(jena.JenaError, match="cannot read"):
        jena.load(tmp_path / "missing.csv")


def test_normalize_uses_the_first_year_and_the_population_std(weather: pd.DataFrame) -> None:
    assert jena.NORMALIZATION_ROWS == 52_560
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, 100.0]})
    scaled = jena.normalize(frame, rows=3)["a"].tolist()
    std = np.std([1.0, 2.0, 3.0])  # ddof=0, as the book
    assert scaled == pytest.approx([(v - 2.0) / std for v in [1.0, 2.0, 3.0, 100.0]])
    whole = jena.normalize(weather)  # fewer rows than a year: all of them
    assert np.allclose(whole.mean(), 0.0) and np.allclose(whole.std(ddof=0), 1.0)


def test_spans_and_strides_are_the_books() -> None:
    assert jena.TIME_SPANS == {
        "hour": 6,
        "day": 144,
        "week": 1008,
        "tenDays": 1440,
        "month": 4320,
        "year": 52560,
        "full": None,
    }
    assert {k: v for k, v in jena.STRIDES.items() if k != "hour"} == {
        "day": 1,
        "week": 1,
        "tenDays": 6,
        "month": 6,
        "year": 36,
        "full": 144,
    }


def test_select(weather: pd.DataFrame) -> None:
    assert len(jena.select(weather, span="week")) == 1008
    assert len(jena.select(weather, span="tenDays")) == 240
    assert len(jena.select(weather, span="full")) == 10
    assert len(jena.select(weather, span="full", stride=1)) == 1440
    day = jena.select(weather, span="day", start=datetime(2009, 1, 5, 12))
    assert day.index[0] == pd.Timestamp("2009-01-05 12:00:00") and len(day) == 144
    with pytest.raises(jena.JenaError, match="is after the last row"):
        jena.select(weather, span="day", start=datetime(2010, 1, 1))


def test_parse_start() -> None:
    assert jena.parse_start("2012-01-31") == datetime(2012, 1, 31)
    assert jena.parse_start("2012-01-31 06:30") == datetime(2012, 1, 31, 6, 30)
    assert jena.parse_start("02.01.2009") == datetime(2009, 1, 2)
    assert jena.parse_start("02.01.2009 06:00:00") == datetime(2009, 1, 2, 6)
    with pytest.raises(jena.JenaError, match="is not a date"):
        jena.parse_start("next tuesday")


def test_make_chart_has_a_real_time_axis(weather: pd.DataFrame) -> None:
    rows = jena.select(jena.normalize(weather), span="day")
    chart = jena.make_chart(
        rows,
        series1="T (degC)",
        series2=None,
        normalized=True,
        scatter=False,
        width=400,
        height=200,
    )
    spec = chart.to_dict()
    x = spec["layer"][0]["encoding"]["x"]
    assert x["type"] == "temporal" and x["title"] == "Time"
    assert spec["layer"][0]["encoding"]["y"]["title"] == "T (degC) (normalized)"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--series1", "T degC"], "Did you mean 'T (degC)'?"),
        (["--scatter", "--series2", "None"], "--scatter needs two series"),
        (["--out", "chart.txt"], "the suffix must be one of"),
        (["--stride", "0"], "--stride must be 1 or more"),
        (["--start", "2010-01-01"], "is after the last row"),
    ],
)
def test_cli_errors_exit_1_with_a_message(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = ["--out", str(tmp_path / "chart.svg")]
    assert jena.main([str(FIXTURE), *out, *argv]) == 1
    error = capsys.readouterr().err
    assert error.startswith("jena_weather.py: error: ") and message in error


# ------------------------------------------------------------------------ notebook


@pytest.fixture
def this_python_kernel() -> Iterator[Any]:
    """A kernel manager that runs ipykernel on this interpreter, whatever is installed."""
    from ipykernel.kernelspec import RESOURCES, get_kernel_dict
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_client.manager import KernelManager

    class ThisPython(KernelSpecManager):  # type: ignore[misc]
        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            return KernelSpec(resource_dir=RESOURCES, **get_kernel_dict())

    manager = KernelManager(kernel_name="python3", kernel_spec_manager=ThisPython())
    assert manager.kernel_spec.argv[0] == sys.executable
    yield manager


def test_quickstart_notebook(this_python_kernel: Any, tmp_path: Path) -> None:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(EXAMPLES / "quickstart.ipynb", as_version=4)
    assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")
    NotebookClient(
        nb, km=this_python_kernel, timeout=120, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    charts = [
        o for o in outputs if o.get("data", {}).get("text/plain", "").startswith("<tfvis.Chart")
    ]
    assert len(charts) == 5  # line, histogram, bars, heatmap, line again
    for chart in charts:
        assert chart.data[VEGALITE_MIMETYPE]["$schema"].endswith("/vega-lite/v5.json")
    assert {"8"} <= {o.data.get("text/plain") for o in outputs if "data" in o}
    assert (tmp_path / "plot1.png").read_bytes()[:8] == PNG_MAGIC
    assert (tmp_path / "plot2.html").read_text().startswith("<!DOCTYPE html>")

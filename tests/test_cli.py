"""The ``tfvis`` command line: its errors, ``demo --list`` and ``tfvis plot``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import aria_labels, svg_texts
from tfvis.__main__ import main

LOG = "time,loss,val_loss\n1,0.9,1.0\n2,0.5,0.7\n3,0.3,0.6\n"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tfvis", *args], capture_output=True, text=True, timeout=120
    )


def test_no_command_is_an_error_with_a_line_saying_so() -> None:
    done = run()
    assert done.returncode == 2
    assert "tfvis: error: give a command: demo or plot" in done.stderr


def test_an_unknown_demo_chart_prints_the_demo_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["demo", "--only", "nope"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: tfvis demo")
    assert "unknown chart nope; known: listing-7-1" in err


def test_demo_out_onto_a_file_is_refused_before_drawing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "a_file"
    target.write_text("mine", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["demo", "--out", str(target)])
    captured = capsys.readouterr()
    assert "is a file; give a folder" in captured.err
    assert "drawing" not in captured.out
    assert target.read_text(encoding="utf-8") == "mine"


def test_demo_list_names_every_chart(capsys: pytest.CaptureFixture[str]) -> None:
    from tfvis._demo import gallery

    assert main(["demo", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == [e.slug for e in gallery.default_entries()]


def test_demo_only_removes_the_stale_pictures_of_an_earlier_gallery(tmp_path: Path) -> None:
    (tmp_path / "iris.png").write_bytes(b"old")
    (tmp_path / "mine.png").write_bytes(b"not the gallery's")
    assert main(["demo", "--out", str(tmp_path), "--only", "listing-7-1"]) == 0
    assert not (tmp_path / "iris.png").exists()
    assert (tmp_path / "mine.png").read_bytes() == b"not the gallery's"
    assert (tmp_path / "listing-7-1.png").stat().st_size > 0


def test_plot_the_issue_form(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    data.write_text(LOG, encoding="utf-8")
    out = tmp_path / "out.svg"
    done = run(
        "plot", str(data), "--kind", "line", "-x", "time", "-y", "loss,val_loss", "-o", str(out)
    )
    assert done.returncode == 0, done.stderr
    svg = out.read_text(encoding="utf-8")
    assert {"loss", "val_loss", "time"} <= set(svg_texts(svg))
    assert any(a.startswith("loss: ") or "loss" in a for a in aria_labels(svg))


@pytest.mark.parametrize("suffix", [".csv", ".json", ".npy", ".parquet"])
def test_plot_reads_each_file_kind(tmp_path: Path, suffix: str) -> None:
    frame = pd.DataFrame({"time": [1.0, 2.0, 3.0], "loss": [0.9, 0.5, 0.3]})
    data = tmp_path / f"data{suffix}"
    if suffix == ".csv":
        frame.to_csv(data, index=False)
    elif suffix == ".json":
        data.write_text(json.dumps(frame.to_dict(orient="records")), encoding="utf-8")
    elif suffix == ".npy":
        np.save(data, frame.to_numpy())
    else:
        frame.to_parquet(data)
    out = tmp_path / "out.json"
    assert main(["plot", str(data), "-o", str(out)]) == 0
    rows = json.loads(out.read_text(encoding="utf-8"))["datasets"]["tfvis_points"]
    assert [r["y"] for r in rows] == [0.9, 0.5, 0.3]


@pytest.mark.parametrize(
    ("kind", "args", "marks"),
    [
        ("scatter", ["-x", "time"], "symbol"),
        ("bar", ["-x", "time", "-y", "loss"], "rect"),
        ("histogram", ["-y", "loss"], "rect"),
        ("heatmap", ["-x", "time"], "rect"),
    ],
)
def test_plot_each_kind(tmp_path: Path, kind: str, args: list[str], marks: str) -> None:
    data = tmp_path / "data.csv"
    data.write_text(LOG, encoding="utf-8")
    out = tmp_path / "out.svg"
    assert main(["plot", str(data), "--kind", kind, *args, "-o", str(out)]) == 0
    assert f"mark-{marks}" in out.read_text(encoding="utf-8")


def test_plot_names_a_missing_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data.csv"
    data.write_text(LOG, encoding="utf-8")
    assert main(["plot", str(data), "-y", "lose", "-o", str(tmp_path / "x.png")]) == 1
    err = capsys.readouterr().err
    assert "no column 'lose'; did you mean 'loss'? Columns: time, loss, val_loss" in err
    assert not (tmp_path / "x.png").exists()


def test_plot_help_lists_every_kind_and_file_kind() -> None:
    done = run("plot", "--help")
    assert done.returncode == 0
    for word in ("line", "scatter", "bar", "histogram", "heatmap", "history", ".csv", ".npy"):
        assert word in done.stdout

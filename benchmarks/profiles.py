"""Where the time goes: the Jena line chart and the 1000×1000 heatmap, stage by stage.

Diagnostic, not a target: it reads tfvis' private function names (cProfile), its
spec layout (the hover-rule layer) and its engine module, so it may need updating
when those change. Each profile runs in its own fresh process; the numbers go to
``profile_line.txt`` / ``profile_heatmap.txt`` in the output folder and the JSON.
"""

from __future__ import annotations

import copy
import cProfile
import io
import json
import pstats
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import (
    HEAT_SIZE,
    JENA_COLUMNS,
    LINE_HEIGHT,
    LINE_WIDTH,
    CaseResult,
    Settings,
    heat_matrix,
    jena_frame,
    run_worker,
    seconds,
)

#: (label, file name part, function name) of the linechart build stages to attribute.
LINE_STAGES = (
    ("options.resolve", "tfvis/options.py", "resolve"),
    ("data.normalize_xy", "tfvis/data.py", "normalize_xy"),
    ("reduce_series (sort check + downsample)", "tfvis/render/_xy.py", "reduce_series"),
    ("  downsample.reduce_indices", "tfvis/downsample.py", "reduce_indices"),
    ("xy_encodings", "tfvis/render/_xy.py", "xy_encodings"),
    ("series_records (columns; rows are made at export)", "tfvis/render/_xy.py", "series_records"),
    ("_spec.finish (sizing, config, Chart)", "tfvis/render/_spec.py", "finish"),
    ("  Chart.__init__ (strict check + spec_cost)", "tfvis/chart.py", "__init__"),
)
HEAT_STAGES = (
    ("data.normalize_heatmap", "tfvis/data.py", "normalize_heatmap"),
    ("aggregate.block_mean", "tfvis/aggregate.py", "block_mean"),
    ("_image_spec (PNG: colours sampled, image encoded)", "tfvis/render/heatmap.py", "_image_spec"),
    ("  _engine.scale_colors (samples the Vega scale)", "tfvis/_engine.py", "scale_colors"),
    ("_spec.finish (sizing, config, Chart)", "tfvis/render/_spec.py", "finish"),
)
TINY_SPEC = {"mark": "point", "data": {"values": [{"a": 1}]}, "encoding": {"x": {"field": "a"}}}


def _median_time(action: Callable[[], Any], repeats: int = 3) -> float:
    """Median wall seconds of ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def _first_time(action: Callable[[], Any]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _stages(
    action: Callable[[], Any], stages: tuple[tuple[str, str, str], ...], entry: tuple[str, str]
) -> tuple[dict[str, float], float, str]:
    """Cumulative seconds of each stage in one profiled call, the total, the top 25."""
    profiler = cProfile.Profile()
    profiler.enable()
    action()
    profiler.disable()
    stats = pstats.Stats(profiler)
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(25)
    found = {label: _cumulative(stats, part, name) for label, part, name in stages}
    return found, _cumulative(stats, *entry), text.getvalue()


def _cumulative(stats: pstats.Stats, file_part: str, function: str) -> float:
    total = 0.0
    for (filename, _line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        if name == function and file_part in filename.replace("\\", "/"):
            total = max(total, row[3])  # cumulative time of the outermost entry
    return total


def _mark(layer: dict[str, Any]) -> str:
    mark = layer.get("mark", "")
    return str(mark.get("type", "")) if isinstance(mark, dict) else str(mark)


def _layers(spec: dict[str, Any], keep: Callable[[str], bool]) -> str:
    trimmed = copy.deepcopy(spec)
    trimmed["layer"] = [layer for layer in spec["layer"] if keep(_mark(layer))]
    return json.dumps(trimmed)


def _pixels(png: bytes) -> Any:
    """Decoded RGB pixels of a PNG (the bytes of equal pictures can differ)."""
    import matplotlib.image

    return matplotlib.image.imread(io.BytesIO(png), format="png")[..., :3]


def _engine_start(result: dict[str, Any]) -> Callable[[str], bytes]:
    """Start vl-convert with a tiny spec (timed); return a PNG converter."""
    import vl_convert

    from tfvis import _engine

    version = _engine.vegalite_version()

    def png(spec_json: str) -> bytes:
        out: bytes = vl_convert.vegalite_to_png(spec_json, vl_version=version)
        return out

    tiny = json.dumps(TINY_SPEC)
    result["engine_first_call"] = _first_time(lambda: png(tiny))
    result["engine_warm_call"] = _median_time(lambda: png(tiny))
    return png


def task_line(out: str) -> dict[str, Any]:
    """Worker: time every stage of the Jena line chart in this fresh process."""
    import vl_convert

    from tfvis import _engine, render

    data = jena_frame()[list(JENA_COLUMNS)]
    warnings.simplefilter("ignore")
    result: dict[str, Any] = {}
    png = _engine_start(result)

    def build() -> Any:
        return render.linechart(data, width=LINE_WIDTH, height=LINE_HEIGHT)

    result["build_first_call"] = _first_time(build)
    result["build_warm"] = _median_time(build)
    stages, total, listing = _stages(build, LINE_STAGES, ("tfvis/render/linechart.py", "linechart"))
    result["build_stages_profiled"], result["build_profiled_total"] = stages, total

    chart = build()
    spec = chart.to_dict()  # the interactive spec (HTML, notebooks): lines + hover rules
    result["rows"] = {name: len(rows) for name, rows in spec["datasets"].items()}
    result["spec_json_bytes"] = len(chart.to_json())
    result["layers"] = [_mark(layer) for layer in spec.get("layer", [])]
    result["to_png"] = _median_time(chart.to_png)
    result["interactive_spec_png"] = _median_time(lambda: png(chart.to_json()), repeats=1)
    result["lines_layer_png"] = _median_time(lambda: png(_layers(spec, lambda m: m != "rule")))
    result["rule_layer_png"] = _median_time(
        lambda: png(_layers(spec, lambda m: m == "rule")), repeats=1
    )
    shipped = _pixels(chart.to_png())
    interactive = _pixels(png(chart.to_json()))
    result["to_png_vs_interactive_pixels"] = int((shipped != interactive).any(axis=-1).sum())
    result["to_svg"] = _median_time(chart.to_svg)
    version = _engine.vegalite_version()
    result["vegalite_to_vega"] = _median_time(
        lambda: vl_convert.vegalite_to_vega(chart.to_json(), vl_version=version)
    )
    result["javascript_bundle_first_call"] = _first_time(_engine.javascript_bundle)
    result["packed_bundle_first_call"] = _first_time(_engine.packed_bundle)
    result["html_warm"] = _median_time(chart.to_html)
    _write(Path(out, "profile_line.txt"), result, "render.linechart", listing)
    return result


def task_heatmap(out: str) -> dict[str, Any]:
    """Worker: time every stage of the 1000×1000 heatmap in this fresh process."""
    import vl_convert

    from tfvis import _engine, render

    matrix = heat_matrix()
    warnings.simplefilter("ignore")
    result: dict[str, Any] = {}
    _engine_start(result)

    def build() -> Any:
        return render.heatmap(matrix, width=HEAT_SIZE, height=HEAT_SIZE)

    result["build_first_call"] = _first_time(build)
    result["build_warm"] = _median_time(build)
    stages, total, listing = _stages(build, HEAT_STAGES, ("tfvis/render/heatmap.py", "heatmap"))
    result["build_stages_profiled"], result["build_profiled_total"] = stages, total
    chart = build()
    result["rows"] = {name: len(rows) for name, rows in chart.to_dict()["datasets"].items()}
    result["spec_json_bytes"] = len(chart.to_json())
    result["to_png"] = _median_time(chart.to_png)
    result["to_svg"] = _median_time(chart.to_svg, repeats=1)
    version = _engine.vegalite_version()
    result["vegalite_to_vega"] = _median_time(
        lambda: vl_convert.vegalite_to_vega(chart.to_json(), vl_version=version)
    )
    _write(Path(out, "profile_heatmap.txt"), result, "render.heatmap", listing)
    return result


def _write(path: Path, result: dict[str, Any], name: str, listing: str) -> None:
    text = json.dumps(result, indent=2) + f"\n\ncProfile of one {name} call:\n" + listing
    path.write_text(text, encoding="utf-8")


def _stage_lines(result: dict[str, Any]) -> list[str]:
    lines = [
        f"    vl-convert engine start (first call, tiny spec)  "
        f"{seconds(result['engine_first_call'])} (then {seconds(result['engine_warm_call'])})",
        f"    build, first call / warm                         "
        f"{seconds(result['build_first_call'])} / {seconds(result['build_warm'])}"
        f" (under cProfile {seconds(result['build_profiled_total'])}:)",
    ]
    lines += [
        f"      {label:<46} {seconds(value)}"
        for label, value in result["build_stages_profiled"].items()
    ]
    lines.append(
        f"    spec: {result['spec_json_bytes']:,} bytes of JSON, dataset rows {result['rows']}"
    )
    return lines


def run(settings: Settings) -> CaseResult:
    """Run both profiles in fresh processes and turn them into notes and rows."""
    line = run_worker("profiles.task_line", out=str(settings.out))
    heat = run_worker("profiles.task_heatmap", out=str(settings.out))
    notes = ["Where the Jena line PNG time goes (fresh process; warm = median of 3):"]
    notes += _stage_lines(line)
    notes += [
        f"    to_png() as shipped (static spec: no hover layer) {seconds(line['to_png'])}",
        f"      the interactive spec (layers {line['layers']})   "
        f"{seconds(line['interactive_spec_png'])}",
        f"      lines layer alone                                "
        f"{seconds(line['lines_layer_png'])}",
        f"      hover-rule layer alone                           {seconds(line['rule_layer_png'])}",
        f"      pixels that differ, to_png() vs interactive spec: "
        f"{line['to_png_vs_interactive_pixels']}",
        f"    to_svg()                                         {seconds(line['to_svg'])}",
        f"    Vega-Lite → Vega compile (interactive spec)      {seconds(line['vegalite_to_vega'])}",
        f"    to_html: JS bundle, first call in a process      "
        f"{seconds(line['javascript_bundle_first_call'])}; gzip -9 of it "
        f"{seconds(line['packed_bundle_first_call'])}; then to_html {seconds(line['html_warm'])}",
        "Where the 1000×1000 heatmap PNG time goes (fresh process; warm = median of 3):",
    ]
    notes += _stage_lines(heat)
    notes += [
        f"    to_png() (block means as one image mark)         {seconds(heat['to_png'])}",
        f"    to_svg() (one rect per block mean)               {seconds(heat['to_svg'])}",
        f"    Vega-Lite → Vega compile (interactive spec)      {seconds(heat['vegalite_to_vega'])}",
    ]
    return CaseResult("profile", [], notes, {"line": line, "heatmap": heat})

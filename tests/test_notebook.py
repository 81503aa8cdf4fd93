"""Charts in a real Jupyter kernel: the Vega-Lite v5 mimetype plus a PNG fallback."""

from __future__ import annotations

import base64
import sys

import nbformat
import pytest
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

from tfvis._chart import VEGALITE_MIMETYPE

CELLS = [
    "from tfvis import render",
    "render.linechart({'values': [{'x': 1, 'y': 20}, {'x': 2, 'y': 30}]}, {'width': 400})",
    "render.histogram([1, 5, 5, 5, 5, 10, -3, -3], maxBins=3)",
    "from IPython.display import display\n"
    "display(render.heatmap([[1, 0], [0, 1]], colorMap='blues'))",
]


@pytest.fixture(scope="module")
def executed() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    # Run the kernel on this interpreter, whatever kernelspecs the machine has.
    manager = KernelManager(kernel_name="python3")
    manager.kernel_cmd = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    NotebookClient(nb, km=manager, timeout=120).execute()
    return nb


@pytest.mark.parametrize("cell", [1, 2, 3])
def test_chart_outputs_carry_the_vega_lite_v5_mimetype(
    executed: nbformat.NotebookNode, cell: int
) -> None:
    outputs = executed.cells[cell].outputs
    assert [o.output_type for o in outputs] in (["execute_result"], ["display_data"])
    data = outputs[0].data
    assert set(data) == {VEGALITE_MIMETYPE, "image/png", "text/plain"}
    assert "text/html" not in data  # JupyterLab would prefer it and show a blank cell offline
    assert data[VEGALITE_MIMETYPE]["$schema"].endswith("/v5.json")
    assert base64.b64decode(data["image/png"])[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("cell", "alt"),
    [
        (1, "A tfvis linechart, 400×200 px, drawn with line and rule marks"),
        (3, "A tfvis heatmap, 400×200 px, drawn with rect marks"),
    ],
)
def test_the_png_fallback_carries_alt_text(
    executed: nbformat.NotebookNode, cell: int, alt: str
) -> None:
    # nbconvert warns "Alternative text is missing" on a PNG output without it.
    assert executed.cells[cell].outputs[0].metadata["image/png"] == {"alt": alt}

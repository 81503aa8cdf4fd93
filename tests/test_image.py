"""``render.image``: what is drawn in every output, the input forms, the tile budget."""

from __future__ import annotations

import base64
import io
import re
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

import tfvis
from conftest import REQUIRE_EXTERNALS, aria_labels, page_specs
from tfvis import DataError, ExportError, render

RED, GREEN, BLUE = (255, 0, 0), (0, 255, 0), (0, 0, 255)


def decode(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def solid(colour: tuple[int, int, int], side: int = 6) -> np.ndarray:
    return np.broadcast_to(np.array(colour, np.uint8), (side, side, 3)).copy()


def tile_centres(chart: tfvis.Chart, png: np.ndarray) -> list[tuple[int, int]]:
    """Pixel (row, column) of each tile's centre in the PNG, from the spec's coordinates."""
    spec = chart.to_dict()
    rows = spec["datasets"]["tfvis_tiles"]
    x_domain = spec["layer"][0]["encoding"]["x"]["scale"]["domain"][1]
    y_domain = spec["layer"][0]["encoding"]["y"]["scale"]["domain"][1]
    height, width = png.shape[:2]
    pad = 5  # Vega's default padding, inside the picture (autosize "fit")
    title = height - 2 * pad - y_domain * (width - 2 * pad) / x_domain
    sx = (width - 2 * pad) / x_domain
    sy = (height - 2 * pad - title) / y_domain
    return [
        (
            round(pad + title + sy * (r["y"] + r["y2"]) / 2),
            round(pad + sx * (r["x"] + r["x2"]) / 2),
        )
        for r in rows
    ]


def test_png_shows_each_tile_in_its_colour() -> None:
    chart = render.image([solid(RED), solid(GREEN), solid(BLUE)], titles=["r", "g", "b"])
    png = decode(chart.to_png())
    centres = tile_centres(chart, png)
    assert [tuple(int(v) for v in png[r, c]) for r, c in centres] == [RED, GREEN, BLUE]


def test_value_images_are_colour_mapped_each_on_its_own_range() -> None:
    # Two tiles whose values differ by 1000x: each spans the whole colour map.
    ramp = np.tile(np.arange(8.0), (8, 1))
    chart = render.image([ramp, ramp * 1000], colorMap="greyscale")
    png = decode(chart.to_png())
    (r0, c0), (r1, c1) = tile_centres(chart, png)
    assert np.allclose(png[r0, c0].astype(int), png[r1, c1].astype(int), atol=3)
    spec = chart.to_dict()
    row = spec["datasets"]["tfvis_tiles"][0]
    left = round(
        5
        + (row["x"] + 1)
        * (png.shape[1] - 10)
        / spec["layer"][0]["encoding"]["x"]["scale"]["domain"][1]
    )
    assert png[r0, left].mean() > 200 or png[r0, left].mean() < 55  # an end of the map


def test_shared_scale_keeps_the_values_comparable() -> None:
    low, high = np.zeros((4, 4)), np.ones((4, 4))
    chart = render.image([low, high], sharedScale=True, colorMap="greyscale")
    png = decode(chart.to_png())
    (r0, c0), (r1, c1) = tile_centres(chart, png)
    assert abs(int(png[r0, c0].mean()) - int(png[r1, c1].mean())) > 150


def embedded_pngs(svg: str) -> list[np.ndarray]:
    urls = re.findall(r'xlink:href="data:image/png;base64,([^"]+)"', svg)
    return [decode(base64.b64decode(u)) for u in urls]


def test_svg_embeds_every_tile_and_describes_it() -> None:
    chart = render.image({"red": solid(RED), "blue": solid(BLUE)})
    svg = chart.to_svg()
    pictures = embedded_pngs(svg)
    assert [tuple(int(v) for v in p[2, 2]) for p in pictures] == [RED, BLUE]
    labels = aria_labels(svg)
    assert "red: image 0, 6×6 pixels" in labels
    assert "blue: image 1, 6×6 pixels" in labels
    assert not any("base64" in label for label in labels)  # the URL is not read aloud


def test_pdf_embeds_the_images() -> None:
    pdf = render.image([solid(RED), solid(BLUE)]).to_pdf()
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/Subtype /Image") >= 2


def test_html_and_notebook_carry_the_pictures() -> None:
    chart = render.image(solid(GREEN))
    url = chart.to_dict()["datasets"]["tfvis_tiles"][0]["url"]
    picture = decode(base64.b64decode(url.split(",", 1)[1]))
    assert tuple(int(v) for v in picture[0, 0]) == GREEN
    bundle = chart._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert any("vegalite" in key for key in data)
    (spec,) = page_specs(chart.to_html()).values()
    assert spec["datasets"]["tfvis_tiles"][0]["url"] == url


def test_the_offline_page_draws_the_picture_in_chromium(offline_page: Any, tmp_path: Path) -> None:
    chart = render.image([solid(RED), solid(BLUE)], tileSize=60)
    page = offline_page.open(chart.save(tmp_path / "image.html"))
    page.wait_for_selector("svg, canvas", timeout=15_000)
    page.wait_for_function("document.querySelectorAll('[role=graphics-symbol]').length >= 2")
    page.wait_for_timeout(300)
    shot = decode(page.screenshot())
    colours = {tuple(int(v) for v in p) for p in shot.reshape(-1, 3)[::7]}
    assert RED in colours and BLUE in colours
    assert offline_page.requests == []
    assert offline_page.console_errors == []


def test_float_rgb_rgba_and_uint8_forms() -> None:
    rgb = np.zeros((4, 4, 3))
    rgb[..., 1] = 1.0
    rgba = np.zeros((4, 4, 4), np.uint8)
    rgba[..., 2] = 255
    rgba[..., 3] = 255
    chart = render.image([rgb, rgba])
    pictures = embedded_pngs(chart.to_svg())
    assert tuple(int(v) for v in pictures[0][1, 1]) == GREEN
    assert tuple(int(v) for v in pictures[1][1, 1]) == BLUE


def test_pil_images() -> None:
    picture = Image.new("RGB", (5, 3), RED)
    chart = render.image(picture)
    (embedded,) = embedded_pngs(chart.to_svg())
    assert embedded.shape == (3, 5, 3)
    assert tuple(int(v) for v in embedded[1, 1]) == RED


def test_torch_channels_first_tensor_and_batch() -> None:
    torch = pytest.importorskip("torch") if not REQUIRE_EXTERNALS else __import__("torch")
    image = torch.zeros(3, 4, 7)
    image[0] = 1.0  # red, channels first
    (embedded,) = embedded_pngs(render.image(image.requires_grad_()).to_svg())
    assert embedded.shape == (4, 7, 3)
    assert tuple(int(v) for v in embedded[2, 2]) == RED
    batch = torch.zeros(2, 1, 5, 5)
    batch[1] = 1.0
    chart = render.image(batch)
    assert len(chart.to_dict()["datasets"]["tfvis_tiles"]) == 2


def test_stack_draws_one_tile_per_image_with_titles() -> None:
    chart = render.image(np.random.default_rng(0).random((5, 8, 8)), titles=list("abcde"))
    svg = chart.to_svg()
    assert len(embedded_pngs(svg)) == 5
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert texts == list("abcde")


def test_errors_name_the_argument() -> None:
    with pytest.raises(
        DataError, match=r"^Length of titles \(1\) must match the number of images \(2\)$"
    ):
        render.image([solid(RED), solid(BLUE)], titles=["x"])
    with pytest.raises(
        DataError,
        match=(
            r"^data of image is an RGB image of floats, which must lie in 0\.\.1, "
            r"got values from -2 to 3 \(rescale it"
        ),
    ):
        render.image(np.linspace(-2, 3, 48).reshape(4, 4, 3))
    with pytest.raises(DataError, match=r"^image 1 of image must be an image"):
        render.image([solid(RED), "nope"])
    with pytest.raises(DataError, match=r"got shape \(2, 2, 2, 2, 2\)"):
        render.image(np.zeros((2, 2, 2, 2, 2)))
    with pytest.raises(tfvis.OptionError, match="maxTiles"):
        render.image(solid(RED), maxTiles=0)


def test_a_huge_stack_is_reduced_and_says_so() -> None:
    filters = np.random.default_rng(1).random((512, 112, 112), dtype=np.float32)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        chart = render.image(filters)
    assert any("the first 256 of 512 tiles" in str(w.message) for w in caught)
    report = chart.report["image"]
    assert (report["tiles"], report["drawn"]) == (512, 256)
    tiles = chart.to_dict()["datasets"]["tfvis_tiles"]
    assert len(tiles) == 256
    assert sum(t["pixels"] for t in tiles) <= 4_000_000


def test_a_big_picture_is_block_averaged_to_its_drawn_size() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        chart = render.image(np.ones((3000, 1500)), tileSize=100)
    assert caught
    (reduced,) = chart.report["image"]["reduced"]
    assert reduced["original"] == [3000, 1500] and reduced["drawn"] == [200, 100]


def test_the_export_guard_prices_image_pixels_also_in_compositions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    one = render.image(np.ones((100, 100)), tileSize=100)
    assert ("image pixel", 10_000, 500.0) in one.cost.parts
    both = tfvis.hconcat(one, render.image(np.ones((100, 100)), tileSize=100))
    assert sum(c for m, _, c in both.cost.parts if m == "image pixel") == 1000.0
    monkeypatch.setenv("TFVIS_EXPORT_LIMIT", "900")
    with pytest.raises(ExportError, match="10,000 image pixels, 1 image row, 10,000 image pixels"):
        both.to_svg()


def test_import_tfvis_does_not_import_pil() -> None:
    code = "import tfvis, tfvis.render, sys; print('PIL' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

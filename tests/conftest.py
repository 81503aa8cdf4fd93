"""Shared fixtures: external tools (Chromium, CJK fonts) and small helpers.

Tests that need a browser or a CJK font skip with a reason when it is missing;
with ``TFVIS_REQUIRE_EXTERNALS=1`` (CI) a missing external fails the test instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import tfvis._chart
import tfvis._compose
import tfvis.render._spec
from vegalite_schema import reference_errors, schema_errors

REQUIRE_EXTERNALS = os.environ.get("TFVIS_REQUIRE_EXTERNALS") == "1"
# Keras 3 reads its backend once, at import: the tests run Keras on PyTorch.
os.environ.setdefault("KERAS_BACKEND", "torch")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _check_view(name: str, view: Any) -> Any:
    errors = schema_errors(view) + reference_errors(view)
    assert not errors, f"tfvis built an invalid Vega-Lite {name}: {errors[:3]}"
    return view


def _checked(name: str, view: Any) -> Any:
    """A view, checked now, or a lazy view, checked when it is built."""
    if view is None:
        return None
    if callable(view):
        return lambda: _check_view(name, view())
    return _check_view(name, view)


class _SchemaCheckedChart(tfvis._chart.Chart):  # type: ignore[misc]
    """A Chart that first checks each of its views against the Vega-Lite schema, and
    that every parameter a view uses is defined (lazy views when they are built)."""

    def __init__(self, spec: Any, datasets: Any, **keywords: Any) -> None:
        spec = _checked("spec", spec)
        for key in ("static_spec", "raster_spec"):
            keywords[key] = _checked(key, keywords.get(key))
        super().__init__(spec, datasets, **keywords)


@pytest.fixture(autouse=True)
def every_spec_is_valid_vega_lite(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every chart a test builds or composes is checked against the Vega-Lite schema.

    tfvis writes specs as plain dicts with no run-time validation (it was Altair's
    ``to_dict(validate=True)``, which cost more than the rest of a chart); this puts
    the check where it belongs, on every spec the tests make.
    """
    for module in (tfvis.render._spec, tfvis._compose):
        monkeypatch.setattr(module, "Chart", _SchemaCheckedChart)


def require(available: bool, reason: str) -> None:
    """Skip (or, under TFVIS_REQUIRE_EXTERNALS=1, fail) when an external is missing."""
    if available:
        return
    if REQUIRE_EXTERNALS:
        pytest.fail(f"TFVIS_REQUIRE_EXTERNALS=1 but {reason}")
    pytest.skip(reason)


def chromium_path() -> str | None:
    for candidate in (
        shutil.which("chromium"),
        "/usr/bin/chromium",
        shutil.which("chromium-browser"),
    ):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright (no browser download needed)."""
    path = chromium_path()
    require(path is not None, "headless Chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a test dependency
        require(False, "playwright is not installed")
        raise
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class OfflinePage:
    """A page whose every network request is refused and recorded."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context()
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.dialogs: list[str] = []

        def refuse(route: Any) -> None:
            self.requests.append(route.request.url)
            route.abort()

        self.context.route(re.compile(r"^(https?|wss?|ftp)://"), refuse)
        self.page = self.context.new_page()
        self.page.on(
            "console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None
        )
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def open(self, path: Path) -> Any:
        self.page.goto(path.resolve().as_uri())
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def offline_page(browser: Any) -> Iterator[OfflinePage]:
    page = OfflinePage(browser)
    yield page
    page.close()


def cjk_font_available() -> bool:
    """True when fontconfig knows a font that covers Chinese."""
    if shutil.which("fc-list") is None:
        return False
    found = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True)
    return bool(found.stdout.strip())


@pytest.fixture
def cjk_font() -> None:
    require(cjk_font_available(), "no CJK font is installed (apt-get install fonts-noto-cjk)")


ARIA = re.compile(r'aria-label="([^"]*)"')


def aria_labels(svg: str) -> list[str]:
    """The aria-label of every mark, axis and legend in a vl-convert SVG, in order."""
    import html

    return [html.unescape(label) for label in ARIA.findall(svg)]


def svg_texts(svg: str) -> list[str]:
    """Every text run drawn in a vl-convert SVG (axis labels, titles, legend entries).

    A multi-line text (a subtitle with the histogram's stats) is one ``<text>`` with a
    ``<tspan>`` per line: each line is a run of its own.
    """
    import html

    runs = re.findall(r"<(text|tspan)[^>]*>([^<]*)</(?:text|tspan)>", svg)
    return [html.unescape(text) for _, text in runs if text]


def page_blocks(page: str) -> dict[str, str]:
    """The data blocks of a tfvis page (``tfvis-runtime``, ``tfvis-specs``), unpacked."""
    import base64
    import gzip

    found = re.findall(
        r'<script type="application/octet-stream" id="(tfvis-[a-z]+)">([^<]*)</script>', page
    )
    return {
        name: gzip.decompress(base64.b64decode(text)).decode("utf-8") if text else ""
        for name, text in found
    }


def page_specs(page: str) -> dict[str, Any]:
    """Every Vega-Lite spec of a tfvis page, by the id of the element that draws it."""
    import json

    text = page_blocks(page).get("tfvis-specs", "")
    specs: dict[str, Any] = json.loads(text) if text else {}
    return specs

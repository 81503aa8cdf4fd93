"""Generate the pictures of ``docs/`` and the README by running their own code.

Every ```` ```python ```` block of a page runs, in order and in one namespace, in a
temporary folder. The PNG files a page shows (``![...](images/NAME.png)``, or
``docs/images/NAME.png`` in the README) must be written by that page's code under
``NAME.png``; they are then copied to ``docs/images/``. So no picture is ever drawn
by hand, and a picture always matches the code printed next to it::

    python scripts/make_doc_images.py            # all pages
    python scripts/make_doc_images.py docs/heatmap.md

``tests/test_docs.py`` imports this module and runs the same blocks.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import sys
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
IMAGES = DOCS / "images"
README = ROOT / "README.md"

_BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
_IMAGE = re.compile(r"!\[[^\]]*\]\((?:docs/)?images/([\w.-]+\.png)\)")


def pages() -> list[Path]:
    """Every page whose code is run: the README and each ``docs/*.md``."""
    return [README, *sorted(DOCS.glob("*.md"))]


def code_blocks(page: Path) -> list[str]:
    """The ```` ```python ```` blocks of a Markdown page, in order."""
    return _BLOCK.findall(page.read_text(encoding="utf-8"))


def images(page: Path) -> list[str]:
    """File names of the ``images/*.png`` pictures a page shows."""
    return _IMAGE.findall(page.read_text(encoding="utf-8"))


@contextlib.contextmanager
def _inside(folder: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def run_page(page: Path, folder: Path) -> None:
    """Run a page's Python blocks in ``folder`` (the working directory meanwhile).

    Raises
    ------
    RuntimeError
        Naming the page and block number when a block raises.
    """
    namespace: dict[str, object] = {"__name__": f"docs:{page.name}"}
    with _inside(folder), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the pages show DownsampleWarning on purpose
        for number, block in enumerate(code_blocks(page), start=1):
            try:
                exec(compile(block, f"{page.name}:block{number}", "exec"), namespace)
            except Exception as error:
                raise RuntimeError(
                    f"{page.relative_to(ROOT)}, python block {number} failed: "
                    f"{type(error).__name__}: {error}"
                ) from error


def make(page: Path) -> list[Path]:
    """Run a page and copy the pictures it shows into ``docs/images``."""
    wanted = images(page)
    if not wanted:
        return []
    with tempfile.TemporaryDirectory() as temp:
        run_page(page, Path(temp))
        missing = [name for name in wanted if not (Path(temp) / name).is_file()]
        if missing:
            raise RuntimeError(
                f"{page.relative_to(ROOT)} shows {', '.join(missing)} but its code does not "
                "write it"
            )
        IMAGES.mkdir(parents=True, exist_ok=True)
        return [Path(shutil.copyfile(Path(temp) / name, IMAGES / name)) for name in wanted]


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate the pictures of the given pages (all pages by default)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", type=Path, help="Markdown pages (default: all)")
    args = parser.parse_args(argv)
    chosen = [p.resolve() for p in args.pages] or pages()
    try:
        for page in chosen:
            for written in make(page):
                print(f"{page.relative_to(ROOT)} -> {written.relative_to(ROOT)}")
    except RuntimeError as error:
        print(f"make_doc_images: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

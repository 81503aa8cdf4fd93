"""The JavaScript runtime kept on disk between processes, and when it is not trusted."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tfvis import _engine, _runtime_cache

# A fresh interpreter saves a page; it says whether it had to build the bundle.
SAVE_A_PAGE = """
import vl_convert
built = []
original = vl_convert.javascript_bundle
def counting(*args, **kwargs):
    built.append(1)
    return original(*args, **kwargs)
vl_convert.javascript_bundle = counting
from tfvis import render
html = render.linechart([1, 3, 2]).to_html()
assert "tfvis-runtime" in html
print("built" if built else "cached")
"""


def save_a_page(folder: Path | str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", SAVE_A_PAGE],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, _runtime_cache.VARIABLE: str(folder)},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def cached_file(folder: Path) -> Path:
    (found,) = folder.glob("runtime-*.b64")
    return found


def test_the_second_process_reads_the_runtime_from_disk(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    assert save_a_page(folder) == "built"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(cached_file(folder).stat().st_mode) == 0o600
    assert save_a_page(folder) == "cached"


def test_a_page_from_the_cache_is_the_page_built_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(_runtime_cache.VARIABLE, str(tmp_path))
    _engine.packed_bundle.cache_clear()
    built = _engine.packed_bundle()
    _engine.packed_bundle.cache_clear()
    assert _engine.packed_bundle() == built  # now read from the file
    _engine.packed_bundle.cache_clear()


@pytest.mark.parametrize(
    "spoil",
    [
        lambda path: path.write_text(path.read_text()[:-100]),  # truncated: hash differs
        lambda path: path.write_text(path.read_text() + "<script>"),  # not base64
        lambda path: path.chmod(0o666),  # writable by others
        lambda path: path.parent.chmod(0o777),  # folder writable by others
    ],
    ids=["truncated", "script", "file-world-writable", "folder-world-writable"],
)
def test_a_cache_failing_a_check_is_not_used(tmp_path: Path, spoil: object) -> None:
    folder = tmp_path / "cache"
    save_a_page(folder)
    spoil(cached_file(folder))  # type: ignore[operator]
    assert save_a_page(folder) == "built"


def test_a_symbolic_link_is_not_followed(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    save_a_page(folder)
    real = cached_file(folder)
    moved = tmp_path / "elsewhere.b64"
    real.rename(moved)
    real.symlink_to(moved)
    assert save_a_page(folder) == "built"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_a_file_of_another_user_is_not_used(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    save_a_page(folder)
    os.chown(cached_file(folder), 65534, 65534)  # nobody
    assert save_a_page(folder) == "built"


def test_an_empty_variable_turns_the_cache_off(tmp_path: Path) -> None:
    assert save_a_page("") == "built"
    assert (
        _runtime_cache.cache_folder() is not None or os.environ.get(_runtime_cache.VARIABLE) == ""
    )


def test_an_unwritable_folder_still_gives_pages(tmp_path: Path) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    assert save_a_page(blocker / "cache") == "built"

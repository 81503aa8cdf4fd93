"""The call forms of the ``show`` functions: an optional container first (tfjs-vis order)."""

from __future__ import annotations

from typing import Any

from tfvis._container import is_container

__all__ = ["split_container"]


def split_container(function: str, args: tuple[Any, ...], most: int) -> tuple[Any, tuple[Any, ...]]:
    """``(container, rest)`` from ``args``: tfjs-vis' ``(container, ...)`` or Python's ``(...)``.

    The first argument is a container (a path, a visor surface or a ``{name, tab}``
    mapping) only when more arguments follow it; ``rest`` holds 1 to ``most`` values.
    """
    container = None
    if len(args) >= 2 and is_container(args[0]):
        container, args = args[0], args[1:]
    if not 1 <= len(args) <= most:
        raise TypeError(
            f"{function}() takes 1 to {most} arguments, optionally preceded by a container "
            f"(a file path or a visor surface); got {len(args) + (container is not None)}"
        )
    return container, args

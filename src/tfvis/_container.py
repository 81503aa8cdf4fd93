"""Containers: where an output goes besides being returned.

tfjs-vis renders into a container (a DOM element, or a visor surface given as
``{name, tab}``). In tfvis the container is the optional first argument of every
``render``/``show`` function, and may be

* a file path (``str`` or ``os.PathLike``): the output is saved there, format by
  suffix, atomically (:meth:`tfvis._output.Output.save`);
* a visor surface (:class:`tfvis.Surface`, anything with ``_tfvis_place``), or
  tfjs-vis's ``{"name": ..., "tab": ...}`` mapping for a surface of the default
  visor: the output is shown there, replacing what the surface showed.

Live outputs (``show.fit_callbacks``) place their chart again after each update.

Example
-------
>>> from tfvis._container import split_call
>>> split_call("linechart", ("plot.png", [1, 2], {"width": 300}))
('plot.png', [1, 2], {'width': 300})
>>> split_call("linechart", ([1, 2],))
(None, [1, 2], None)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from tfvis._output import Output
from tfvis._text import describe
from tfvis.errors import OptionError

__all__ = ["Placeable", "is_container", "place", "split_call"]


@runtime_checkable
class Placeable(Protocol):
    """Something an output can be shown on (a visor surface)."""

    def _tfvis_place(self, output: Output) -> None: ...


def _is_surface_mapping(value: Any) -> bool:
    """tfjs-vis's ``{name, tab}`` surface description (never chart data: no ``values``)."""
    return (
        isinstance(value, Mapping)
        and "name" in value
        and "values" not in value
        and set(value) <= {"name", "tab", "styles"}
    )


def is_container(value: Any) -> bool:
    """Whether ``value`` names a container: a path, a surface, a ``{name, tab}`` mapping."""
    if isinstance(value, str | os.PathLike):
        return True
    return isinstance(value, Placeable) or _is_surface_mapping(value)


def split_call(function: str, args: tuple[Any, ...]) -> tuple[Any, Any, Mapping[str, Any] | None]:
    """Accept ``(data, opts)`` and the tfjs-vis order ``(container, data, opts)``.

    A lone argument is always the data; a container only counts as the first of two
    or three arguments.
    """
    container = None
    if len(args) >= 2 and is_container(args[0]):
        container, args = args[0], args[1:]
    if not 1 <= len(args) <= 2:
        raise TypeError(
            f"{function}() takes data and an optional options mapping, optionally preceded "
            f"by a container (a file path or a visor surface); got "
            f"{len(args) + (container is not None)} positional arguments"
        )
    return container, args[0], args[1] if len(args) == 2 else None


def place(output: Output, container: Any) -> None:
    """Put ``output`` in ``container`` (see the module docstring); None does nothing."""
    if container is None:
        return
    if isinstance(container, str | os.PathLike):
        output.save(container)
    elif isinstance(container, Placeable):
        container._tfvis_place(output)
    elif _is_surface_mapping(container):
        from tfvis import _visor

        _visor.surface_from_mapping(container)._tfvis_place(output)
    else:
        raise OptionError(
            "A container must be a file path, a visor surface or a {'name': ..., 'tab': ...} "
            f"mapping, got {describe(container)}"
        )

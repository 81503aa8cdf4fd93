"""The visor: surfaces in tabs, one offline page (issue #14 builds it here)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tfvis.errors import OptionError

__all__ = ["surface_from_mapping"]


def surface_from_mapping(mapping: Mapping[str, Any]) -> Any:
    """The default visor's surface for tfjs-vis's ``{name, tab}`` (not built yet)."""
    raise OptionError(f"visor surfaces are not available yet (got {dict(mapping)!r})")

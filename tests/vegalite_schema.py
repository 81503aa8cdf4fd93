"""Validate specs against the Vega-Lite JSON schema that Altair ships.

tfvis writes its specs as plain dicts, so nothing checks them at run time; the test
suite checks every spec it builds instead (see ``conftest.py``).
"""

from __future__ import annotations

import functools
import importlib.util
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema


@functools.cache
def _validator() -> Any:
    spec = importlib.util.find_spec("altair")
    assert spec is not None and spec.submodule_search_locations
    path = Path(spec.submodule_search_locations[0], "vegalite", "v6", "schema")
    schema = json.loads((path / "vega-lite-schema.json").read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


def schema_errors(spec: Mapping[str, Any]) -> list[str]:
    """Why ``spec`` (without its datasets) is not valid Vega-Lite; empty when it is."""
    body = {key: value for key, value in spec.items() if key != "datasets"}
    errors = sorted(_validator().iter_errors(body), key=lambda e: list(e.absolute_path))
    return [f"at {'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in errors]

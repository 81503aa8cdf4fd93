"""Validate specs against the Vega-Lite JSON schema that Altair ships.

tfvis writes its specs as plain dicts, so nothing checks them at run time; the test
suite checks every spec it builds instead (see ``conftest.py``).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
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


_TFVIS_NAME = re.compile(r"\btfvis_\w+")


def reference_errors(spec: Mapping[str, Any]) -> list[str]:
    """Names a spec uses but never defines, which no JSON schema can see.

    Every ``"param": name`` (conditions, selections) and every ``tfvis_…`` name read
    in an expression (the label lookups) must be a parameter the spec defines.
    """
    defined: set[str] = set()
    used: list[str] = []

    def walk(value: Any, in_params: bool = False) -> None:
        if isinstance(value, Mapping):
            for key, item in value.items():
                if key == "params" and isinstance(item, list):
                    defined.update(p["name"] for p in item if isinstance(p, Mapping))
                    walk(item, in_params=True)
                elif key == "param" and isinstance(item, str) and not in_params:
                    used.append(item)
                elif key in ("labelExpr", "expr", "test") and isinstance(item, str):
                    used.extend(_TFVIS_NAME.findall(item))
                else:
                    walk(item, in_params)
        elif isinstance(value, list):
            for item in value:
                walk(item, in_params)

    walk({key: value for key, value in spec.items() if key != "datasets"})
    missing = list(dict.fromkeys(name for name in used if name not in defined))
    return [f"uses {name!r}, which the spec does not define" for name in missing]

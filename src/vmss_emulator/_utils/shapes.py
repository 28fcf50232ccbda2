"""Does a JSON body fit the shapes of the SDK's models (see scripts/gen_wire_shapes.py)?

Only JSON *kinds* are checked, the way Azure's deserializer fails: an object or array where a scalar
belongs, a scalar where an object or array belongs. Scalars convert among themselves (az sends
`"primary": "true"`), unknown members are ignored, and null is allowed except as a list's model item.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def _document() -> dict[str, Any]:
    text = resources.files("vmss_emulator._utils").joinpath("wire_shapes.json").read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def root_model(resource_type: str, method: str) -> str | None:
    """The model a request body of this resource type and method must fit, or None when none is known."""
    roots: dict[str, str] = _document()["roots"]
    wanted = f"{resource_type} {method}".lower()
    return next((model for key, model in roots.items() if key.lower() == wanted), None)


def _describe(shape: str) -> str:
    if shape.startswith("m:"):
        return shape[2:]
    if shape.startswith("["):
        return f"array of {_describe(shape[1:])}"
    if shape.startswith("{"):
        return f"dictionary of {_describe(shape[1:])}"
    return "a value"


def misfit(value: Any, shape: str, path: str = "") -> tuple[str, str] | None:
    """(JSON path, expected kind) of the first place `value` does not fit `shape`, or None when it fits."""
    if value is None or shape == "o":
        return None
    if shape == "s":
        return (path, "a value") if isinstance(value, (dict, list)) else None
    if shape.startswith("["):
        if not isinstance(value, list):
            return path, _describe(shape)
        for index, item in enumerate(value):
            if item is None and shape[1:].startswith("m:"):
                return f"{path}[{index}]", _describe(shape[1:])  # Azure reads no null model out of a list
            found = misfit(item, shape[1:], f"{path}[{index}]")
            if found:
                return found
        return None
    if not isinstance(value, dict):
        return path, _describe(shape)
    if shape.startswith("{"):
        for key, item in value.items():
            found = misfit(item, shape[1:], f"{path}.{key}" if path else str(key))
            if found:
                return found
        return None
    fields: dict[str, str] = _document()["models"].get(shape[2:], {})
    for key, item in value.items():
        field_shape = fields.get(str(key).lower())
        if field_shape is not None:
            found = misfit(item, field_shape, f"{path}.{key}" if path else str(key))
            if found:
                return found
    return None

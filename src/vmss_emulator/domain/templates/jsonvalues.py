"""JSON value helpers shared by the expression evaluator and the function table."""

from __future__ import annotations

import json
from typing import Any


def type_name(value: Any) -> str:
    """ARM's name for a JSON value's type, as used in its error messages."""
    if value is None:
        return "Null"
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, float):
        return "Float"
    if isinstance(value, str):
        return "String"
    if isinstance(value, list):
        return "Array"
    if isinstance(value, dict):
        return "Object"
    return type(value).__name__


def compact_json(value: Any) -> str:
    """JSON without whitespace, as Newtonsoft's `Formatting.None` writes it (what `string(object)` returns)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def to_text(value: Any) -> str:
    """ARM's `string()` conversion: booleans are `True`/`False`, null is empty, containers are compact JSON."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int | float):
        return str(value)
    return compact_json(value)


def json_equals(left: Any, right: Any) -> bool:
    """Deep equality of JSON values; unlike Python's `==`, `true` never equals `1`."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(json_equals(left[key], right[key]) for key in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(json_equals(a, b) for a, b in zip(left, right, strict=True))
    return type(left) is type(right) and bool(left == right)


def find_key(obj: dict[str, Any], name: str) -> str | None:
    """The key of `obj` matching `name` case-insensitively (exact match first), or None."""
    if name in obj:
        return name
    lowered = name.lower()
    for key in obj:
        if key.lower() == lowered:
            return key
    return None

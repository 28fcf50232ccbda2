"""Array and object functions: length, contains, union, take, range, createObject, json, items..."""

from __future__ import annotations

import json
from typing import Any

from vmss_emulator.domain.templates._registry import Invocation, function
from vmss_emulator.domain.templates.jsonvalues import find_key, json_equals, to_text

# Azure caps range() and similar generated arrays.
_MAX_RANGE = 10_000


def _sequence(inv: Invocation, index: int) -> str | list[Any]:
    value = inv.args[index]
    if not isinstance(value, str | list):
        raise inv.wrong_type(index, "Array or String")
    return value


@function("length", 1)
def length(inv: Invocation) -> Any:
    value = inv.args[0]
    if isinstance(value, str | list | dict):
        return len(value)
    raise inv.wrong_type(0, "Array, Object or String")


@function("empty", 1)
def empty(inv: Invocation) -> Any:
    value = inv.args[0]
    if value is None:
        return True
    if isinstance(value, str | list | dict):
        return len(value) == 0
    raise inv.wrong_type(0, "Array, Object or String")


@function("contains", 2)
def contains(inv: Invocation) -> Any:
    container, item = inv.args
    if isinstance(container, str):
        # Ordinal, case-sensitive substring search; non-string items compare by their text.
        return to_text(item) in container
    if isinstance(container, dict):
        return isinstance(item, str) and find_key(container, item) is not None
    if isinstance(container, list):
        return any(json_equals(element, item) for element in container)
    raise inv.wrong_type(0, "Array, Object or String")


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    # union() merges nested objects; for every other value the later one wins.
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _append_unique(out: list[Any], seen: set[str], item: Any) -> None:
    # Keys are canonical JSON so de-duplication stays linear on large arrays.
    key = json.dumps(item, sort_keys=True) + type(item).__name__
    if key not in seen:
        seen.add(key)
        out.append(item)


@function("union", 1, None)
def union(inv: Invocation) -> Any:
    if all(isinstance(arg, dict) for arg in inv.args):
        merged: dict[str, Any] = {}
        for arg in inv.args:
            merged = _merge(merged, arg)
        return merged
    if all(isinstance(arg, list) for arg in inv.args):
        out: list[Any] = []
        seen: set[str] = set()
        for arg in inv.args:
            for item in arg:
                _append_unique(out, seen, item)
        return out
    raise inv.fail("the parameters must all be arrays or all be objects")


@function("intersection", 2, None)
def intersection(inv: Invocation) -> Any:
    first = inv.args[0]
    rest = inv.args[1:]
    if isinstance(first, dict) and all(isinstance(arg, dict) for arg in rest):
        return {
            key: value
            for key, value in first.items()
            if all(key in other and json_equals(other[key], value) for other in rest)
        }
    if isinstance(first, list) and all(isinstance(arg, list) for arg in rest):
        others = [{json.dumps(item, sort_keys=True) + type(item).__name__ for item in arg} for arg in rest]
        out: list[Any] = []
        seen: set[str] = set()
        for item in first:
            key = json.dumps(item, sort_keys=True) + type(item).__name__
            if all(key in other for other in others) and key not in seen:
                seen.add(key)
                out.append(item)
        return out
    raise inv.fail("the parameters must all be arrays or all be objects")


@function("coalesce", 1, None)
def coalesce(inv: Invocation) -> Any:
    return next((arg for arg in inv.args if arg is not None), None)


@function("take", 2)
def take(inv: Invocation) -> Any:
    count = max(0, inv.integer(1))
    return _sequence(inv, 0)[:count]


@function("skip", 2)
def skip(inv: Invocation) -> Any:
    count = max(0, inv.integer(1))
    return _sequence(inv, 0)[count:]


@function("first", 1)
def first(inv: Invocation) -> Any:
    value = _sequence(inv, 0)
    if not value:
        return "" if isinstance(value, str) else None
    return value[0]


@function("last", 1)
def last(inv: Invocation) -> Any:
    value = _sequence(inv, 0)
    if not value:
        return "" if isinstance(value, str) else None
    return value[-1]


@function("createArray", 0, None)
def create_array(inv: Invocation) -> Any:
    return list(inv.args)


@function("array", 1)
def array(inv: Invocation) -> Any:
    value = inv.args[0]
    return value if isinstance(value, list) else [value]


@function("createObject", 0, None)
def create_object(inv: Invocation) -> Any:
    if len(inv.args) % 2:
        raise inv.fail("the function requires an even number of parameters (pairs of property name and value)")
    return {inv.string(i): inv.args[i + 1] for i in range(0, len(inv.args), 2)}


@function("json", 1)
def json_(inv: Invocation) -> Any:
    try:
        return json.loads(inv.string(0))
    except json.JSONDecodeError as error:
        raise inv.fail(f"the provided value is not valid JSON: {error.msg}") from error


@function("range", 2)
def range_(inv: Invocation) -> Any:
    start, count = inv.integer(0), inv.integer(1)
    if count < 0 or count > _MAX_RANGE:
        raise inv.fail(f"the count parameter must be between 0 and {_MAX_RANGE}")
    return list(range(start, start + count))


@function("items", 1)
def items(inv: Invocation) -> Any:
    obj = inv.object(0)
    # ARM returns the pairs sorted by key.
    return [{"key": key, "value": obj[key]} for key in sorted(obj, key=str.lower)]


@function("objectKeys", 1)
def object_keys(inv: Invocation) -> Any:
    return list(inv.object(0))

"""ARM's case-insensitive JSON member names (arm-reference.md §1.9), plus the two merge rules ARM bodies need.

ARM services accept JSON member names in any case on input (``"publicipaddressconfiguration"``,
``"ApplicationGatewayBackendAddressPools"``) and always answer in the canonical camelCase. This module:

* :func:`canonicalize` rewrites every object key that matches a known wire name case-insensitively to its canonical
  form, recursively, without renaming keys inside free-form values (``tags``, extension ``settings`` /
  ``protectedSettings``, deployment ``template`` / ``parameters`` / ``outputs``, the resource-id keys of
  ``userAssignedIdentities``). Unknown keys are kept as sent.
* :func:`get_ci` looks a key up case-insensitively.
* :func:`merge_patch` is RFC 7396 JSON merge patch (PATCH).
* :func:`deep_merge_put` is the partial-PUT merge Compute applies (``az vmss scale`` PUTs only ``location`` + ``sku``).

The tables are generated from the Azure SDK models by ``scripts/gen_wire_names.py`` (see ``docs/wire-names.md``):
``wire_names.json`` (lower-case name -> canonical name) and ``wire_freeform.json`` (lower-case name -> ``"opaque"``
or ``"keys"``). The mapping is context-free: a name has one canonical casing and one free-form kind wherever it
appears; the few conflicts between models are listed, with the choice made, in ``docs/wire-names.md``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from importlib import resources
from typing import Any, Final, Literal, TypeAlias

__all__ = [
    "FreeformKind",
    "canonical_name",
    "canonicalize",
    "deep_merge_put",
    "default_freeform",
    "get_ci",
    "merge_patch",
    "wire_names",
]

FreeformKind: TypeAlias = Literal["opaque", "keys"]
"""``opaque``: keep the whole value verbatim. ``keys``: keep the object's own keys, canonicalize each entry's value."""

OPAQUE: Final = "opaque"
KEYS: Final = "keys"
_MEMO_LIMIT: Final = 50_000  # distinct raw keys remembered per canonicalizer (unknown keys are client-chosen)
_MISSING: Final = object()


@functools.cache
def _load(resource: str) -> dict[str, str]:
    data: dict[str, str] = json.loads(resources.files(__package__).joinpath(resource).read_bytes())
    return data


def wire_names() -> Mapping[str, str]:
    """The generated table: lower-case wire name -> canonical wire name (loaded once, do not mutate)."""
    return _load("wire_names.json")


def default_freeform() -> Mapping[str, FreeformKind]:
    """The generated table: lower-case wire name -> free-form kind (loaded once, do not mutate)."""
    table: dict[str, Any] = _load("wire_freeform.json")
    return table


def canonical_name(name: str) -> str:
    """The canonical casing of one property name; unknown names are returned unchanged."""
    return wire_names().get(name.lower(), name)


def _copy_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy_json(v) for v in value]
    return value


class _Canonicalizer:
    """Canonicalizes with one free-form table; memoizes raw key -> (canonical key, free-form kind)."""

    __slots__ = ("_freeform", "_memo", "_names")

    def __init__(self, names: Mapping[str, str], freeform: Mapping[str, FreeformKind]) -> None:
        self._names = names
        self._freeform = {k.lower(): v for k, v in freeform.items()}
        self._memo: dict[str, tuple[str, FreeformKind | None]] = {}
        for low, canon in names.items():
            self._memo[canon] = (canon, self._freeform.get(low))

    def _learn(self, key: str) -> tuple[str, FreeformKind | None]:
        low = key.lower()
        info = (self._names.get(low, key), self._freeform.get(low))
        if len(self._memo) < _MEMO_LIMIT:
            self._memo[key] = info
        return info

    def value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return self.obj(value)
        if isinstance(value, list):
            return self.array(value)
        return value

    def array(self, items: list[Any]) -> list[Any]:
        obj = self.obj
        array = self.array
        out: list[Any] = []
        append = out.append
        for v in items:
            t = type(v)
            if t is dict:
                append(obj(v))
            elif t is list:
                append(array(v))
            elif t is str or t is int or t is bool or t is float or v is None:
                append(v)
            else:
                append(self.value(v))  # dict/list subclasses
        return out

    def obj(self, src: dict[str, Any]) -> dict[str, Any]:
        # Hot path (every key of every body): local names, exact-type checks, one memo lookup per key.
        out: dict[str, Any] = {}
        memo_get = self._memo.get
        obj = self.obj
        array = self.array
        for key, v in src.items():
            info = memo_get(key)
            if info is None:
                info = self._learn(key)
            new_key, kind = info
            if kind is None:
                t = type(v)
                if t is dict:
                    v = obj(v)
                elif t is list:
                    v = array(v)
                elif t is not str and t is not int and t is not bool and t is not float and v is not None:
                    v = self.value(v)  # dict/list subclasses
            elif kind == OPAQUE:
                v = _copy_json(v)
            elif isinstance(v, dict):  # KEYS: the object's own keys are user data
                v = {k: self.value(iv) for k, iv in v.items()}
            else:
                v = self.value(v)
            out[new_key] = v  # if two spellings of one name collide, the later one wins (like Newtonsoft)
        return out


@functools.cache
def _default_canonicalizer() -> _Canonicalizer:
    return _Canonicalizer(wire_names(), default_freeform())


@functools.lru_cache(maxsize=32)
def _custom_canonicalizer(freeform: frozenset[tuple[str, FreeformKind]]) -> _Canonicalizer:
    return _Canonicalizer(wire_names(), dict(freeform))


def canonicalize(body: Any, *, freeform: Mapping[str, FreeformKind] | None = None) -> Any:
    """Return a copy of a parsed JSON body with every known member name in its canonical casing.

    ``freeform`` maps (case-insensitive) property names to their free-form kind and replaces the generated
    table (``default_freeform()``); pass ``{**default_freeform(), "x": "opaque"}`` to extend it. Values are never
    changed, only object keys; keys inside ``opaque`` values, and the own keys of ``keys`` values, are kept as sent.
    """
    if freeform is None:
        return _default_canonicalizer().value(body)
    return _custom_canonicalizer(frozenset(freeform.items())).value(body)


def get_ci(mapping: Mapping[str, Any] | None, key: str, default: Any = None) -> Any:
    """``mapping[key]`` matching the key case-insensitively (exact match preferred); ``default`` if absent."""
    if not mapping:
        return default
    value = mapping.get(key, _MISSING)
    if value is not _MISSING:
        return value
    low = key.lower()
    for k, v in mapping.items():
        if k.lower() == low:
            return v
    return default


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 JSON merge patch; returns a new value (inputs are not modified).

    Objects merge recursively, ``null`` removes a member, anything else (arrays, scalars) replaces. Keys are
    matched exactly: canonicalize both documents first.
    """
    if not isinstance(patch, dict):
        return _copy_json(patch)
    result: dict[str, Any] = _copy_json(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def deep_merge_put(existing: Any, incoming: Any, *, freeform: Mapping[str, FreeformKind] | None = None) -> Any:
    """Merge a PUT body into the stored resource the way Compute treats a partial PUT; returns a new value.

    Members absent from ``incoming`` keep their existing value; objects merge recursively; arrays, scalars and
    explicit ``null`` from ``incoming`` replace. Free-form members (``tags``, extension ``settings``,
    ``userAssignedIdentities``, ... from ``freeform`` / ``default_freeform()``) are replaced whole, so a PUT can
    remove a tag. Keys are matched exactly: canonicalize both documents first.
    """
    if not isinstance(incoming, dict) or not isinstance(existing, dict):
        return _copy_json(incoming)
    table = default_freeform() if freeform is None else {k.lower(): v for k, v in freeform.items()}
    return _merge_put(existing, incoming, table)


def _merge_put(existing: dict[str, Any], incoming: dict[str, Any], freeform: Mapping[str, FreeformKind]) -> Any:
    result: dict[str, Any] = {}
    for key, old in existing.items():
        value = incoming.get(key, _MISSING)
        if value is _MISSING:
            result[key] = _copy_json(old)
        elif isinstance(value, dict) and isinstance(old, dict) and key.lower() not in freeform:
            result[key] = _merge_put(old, value, freeform)
        else:
            result[key] = _copy_json(value)
    for key, value in incoming.items():
        if key not in existing:
            result[key] = _copy_json(value)
    return result

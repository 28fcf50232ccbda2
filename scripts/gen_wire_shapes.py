#!/usr/bin/env python3
"""Generate the JSON shapes of compute request bodies from the Azure SDK's own models.

Writes ``src/vmss_emulator/_utils/wire_shapes.json``: for each model reachable from the roots below, its
wire fields (lower case, as Azure matches them) and each field's shape:

* ``"s"``: a scalar (string, number, bool, enum, date...); ``"o"``: anything (free-form JSON);
* ``"m:Name"``: an object of model ``Name``; ``"[" + shape``: an array of shape; ``"{" + shape``: a map of shape.

The emulator uses it to refuse a body whose JSON kinds do not fit (an object where a string belongs, a
string where an object belongs) with a 400 before any rule reads it, as Azure's deserializer does.

Run: ``.venv/bin/python scripts/gen_wire_shapes.py`` (needs azure-mgmt-compute from the test extras).
"""

from __future__ import annotations

import collections.abc
import datetime as _dt
import decimal
import importlib
import inspect
import json
import types
import typing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "vmss_emulator" / "_utils" / "wire_shapes.json"
MODULE = "azure.mgmt.compute.models._models"
# Request bodies the emulator checks: resource type (and method) -> model.
ROOTS = {
    "Microsoft.Compute/virtualMachineScaleSets PUT": "VirtualMachineScaleSet",
    "Microsoft.Compute/virtualMachineScaleSets PATCH": "VirtualMachineScaleSetUpdate",
    "Microsoft.Compute/virtualMachineScaleSets/virtualMachines PUT": "VirtualMachineScaleSetVM",
    "Microsoft.Compute/virtualMachineScaleSets/extensions PUT": "VirtualMachineScaleSetExtension",
    "Microsoft.Compute/virtualMachineScaleSets/extensions PATCH": "VirtualMachineScaleSetExtensionUpdate",
    "Microsoft.Compute/virtualMachines PUT": "VirtualMachine",
    "Microsoft.Compute/virtualMachines PATCH": "VirtualMachineUpdate",
}
_SCALARS = (str, int, float, bool, bytes, bytearray, decimal.Decimal, _dt.datetime, _dt.date, _dt.time, _dt.timedelta)


def _shape(ann: object, mod: types.ModuleType, base: type, todo: list[str]) -> str:
    if ann is typing.Any or ann is object:
        return "o"
    if isinstance(ann, typing.ForwardRef):
        ann = ann.__forward_arg__
    if isinstance(ann, str):
        target = getattr(mod, ann.strip("'\"").rsplit(".", 1)[-1], None)
        if inspect.isclass(target) and issubclass(target, base):
            todo.append(target.__name__)
            return f"m:{target.__name__}"
        return "s"
    if inspect.isclass(ann):
        if issubclass(ann, base):
            todo.append(ann.__name__)
            return f"m:{ann.__name__}"
        if issubclass(ann, dict):
            return "o"
        return "s"  # scalars and enums
    origin, args = typing.get_origin(ann), typing.get_args(ann)
    if origin in (typing.Union, types.UnionType):
        shapes = {_shape(a, mod, base, todo) for a in args if a is not type(None)}
        return shapes.pop() if len(shapes) == 1 else "o"
    if origin is typing.Literal:
        return "s"
    if origin in (list, collections.abc.Sequence, collections.abc.MutableSequence, tuple):
        return "[" + (_shape(args[0], mod, base, todo) if args else "o")
    if origin in (dict, collections.abc.Mapping, collections.abc.MutableMapping):
        return "{" + (_shape(args[1], mod, base, todo) if len(args) == 2 else "o")
    raise ValueError(f"unhandled annotation {ann!r}")


def _fields(cls: type, mod: types.ModuleType, base: type, todo: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if not (isinstance(klass, type) and issubclass(klass, base)) or klass is base:
            continue
        annotations = klass.__dict__.get("__annotations__", {})
        for attr, rest_field in klass.__dict__.items():
            if attr.startswith("_") or not hasattr(rest_field, "_rest_name_input"):
                continue
            wire = (rest_field._rest_name_input or attr).lower()
            out[wire] = _shape(annotations.get(attr, typing.Any), mod, base, todo)
    return dict(sorted(out.items()))


def main() -> None:
    mod = importlib.import_module(MODULE)
    base = mod._Model
    defs: dict[str, dict[str, str]] = {}
    todo = list(ROOTS.values())
    while todo:
        name = todo.pop()
        if name in defs:
            continue
        defs[name] = {}
        defs[name] = _fields(getattr(mod, name), mod, base, todo)
    document = {"roots": ROOTS, "models": dict(sorted(defs.items()))}
    OUT.write_text(json.dumps(document, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(defs)} models")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Generate the canonical JSON property-name tables used by ``vmss_emulator._utils.casing``.

Sources (wire names are read from the Azure SDK's own generated models, never hand-copied):

* TypeSpec-generated packages (``azure-mgmt-compute`` 39, ``azure-mgmt-network`` 33,
  ``azure-mgmt-resource`` 26 ``resources``): every ``Model`` subclass in ``<pkg>.models._models``; each
  ``_RestField`` descriptor carries the wire name in ``_rest_name_input`` (``rest_field(name=...)``) and
  defaults to the Python attribute name when ``name=`` is omitted (exactly what ``Model.__new__`` does).
  The field's JSON shape comes from the class ``__annotations__``.
* msrest-generated files (``_attribute_map``), parsed with ``ast`` so nothing foreign is imported. By default the
  Azure CLI venv's ``azure-mgmt-resource-deployments`` models are read when present (resource 26 no longer ships
  the deployments models, and ``az vmss create`` / ``az deployment group create`` send deployment bodies).
  Flattened keys (``"properties.template"``) contribute one name per segment.
* A tiny built-in supplement for the deployment body, so the output does not lose those names when the CLI venv
  is absent.

Outputs (all flat JSON objects, keys sorted):

* ``src/vmss_emulator/_utils/wire_names.json``: lower-case wire name -> canonical wire name.
* ``src/vmss_emulator/_utils/wire_freeform.json``: lower-case wire name -> ``"opaque"`` | ``"keys"``.
  ``opaque``: the value is user data; no key below it is ever renamed (``tags``, extension ``settings``,
  ``protectedSettings``, template ``template``/``parameters``/``outputs``). ``keys``: the object's own keys are user
  data (e.g. resource ids in ``userAssignedIdentities``) but each entry's value is a model and is canonicalized.
* ``docs/wire-names.md``: sources, counts, casing conflicts and free-form conflicts with the decision taken.

Run: ``.venv/bin/python scripts/gen_wire_names.py [--msrest-file PATH ...] [--no-default-msrest]``.
"""

from __future__ import annotations

import argparse
import ast
import collections
import datetime as _dt
import decimal
import importlib
import inspect
import json
import re
import sys
import types
import typing
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_NAMES = ROOT / "src" / "vmss_emulator" / "_utils" / "wire_names.json"
OUT_FREEFORM = ROOT / "src" / "vmss_emulator" / "_utils" / "wire_freeform.json"
OUT_DOC = ROOT / "docs" / "wire-names.md"

TYPESPEC_MODULES = [
    "azure.mgmt.compute.models._models",
    "azure.mgmt.network.models._models",
    "azure.mgmt.resource.resources.models._models",
]
DEFAULT_MSREST_FILES = [
    Path("/work/azvenv/az/lib/python3.11/site-packages/azure/mgmt/resource/deployments/models/_models_py3.py"),
]

# Field shapes.
SCALAR = "scalar"  # str/int/bool/enum/...: no keys below it
MODEL = "model"  # object (or list of objects) with known property names: recurse
OPAQUE = "opaque"  # free-form value: keep every key below it verbatim
KEYS = "keys"  # dict[str, Model]: keep the object's own keys, canonicalize each entry's value

# Deployment body names (Microsoft.Resources/deployments), used in addition to any msrest file.
SUPPLEMENT: list[tuple[str, str, str]] = [
    ("Deployment", "properties", MODEL),
    ("Deployment", "location", SCALAR),
    ("Deployment", "tags", OPAQUE),
    ("DeploymentProperties", "template", OPAQUE),
    ("DeploymentProperties", "templateLink", MODEL),
    ("DeploymentProperties", "parameters", OPAQUE),
    ("DeploymentProperties", "parametersLink", MODEL),
    ("DeploymentProperties", "mode", SCALAR),
    ("DeploymentProperties", "debugSetting", MODEL),
    ("DeploymentProperties", "onErrorDeployment", MODEL),
    ("DeploymentProperties", "expressionEvaluationOptions", MODEL),
    ("DeploymentProperties", "validationLevel", SCALAR),
    ("DeploymentPropertiesExtended", "outputs", OPAQUE),
    ("DeploymentPropertiesExtended", "outputResources", MODEL),
    ("DeploymentPropertiesExtended", "correlationId", SCALAR),
]

# Names that are free-form in some models but structured in others. The default for an unlisted conflict is
# "structured" (keys are canonicalized), because renaming a user key is far rarer than missing a real property.
# Listed here: the decision for the names that matter to the emulator, with the reason.
FREEFORM_OVERRIDES: dict[str, tuple[str | None, str]] = {
    "parameters": (
        OPAQUE,
        "deployment/template `parameters` are user data (parameter names and arbitrary values); the structured "
        "users are run-command `parameters` lists of {name,value}, which clients already send in camelCase",
    ),
    "settings": (
        OPAQUE,
        "VM/VMSS extension `settings` are `Any` (publisher-defined JSON); the only structured user is "
        "GalleryApplicationVersionPublishingProfile.settings ({packageFileName, configFileName})",
    ),
    "outputs": (
        OPAQUE,
        "deployment `outputs` are user data; the structured user is Network Watcher ConnectionMonitor `outputs`",
    ),
    "properties": (
        None,
        "GenericResource.properties is `Any`, but every ARM resource's `properties` is the RP's schema: canonicalize",
    ),
    "resources": (None, "only VirtualMachineCaptureResult.resources (a response) is free-form"),
    "details": (None, "ErrorDetail.details is a list of models; GatewayRouteSet.details (response) is free-form"),
    "value": (None, "list results' `value`; deployment parameter `value` is protected by `parameters` being opaque"),
}

_SCALAR_TYPES: tuple[type, ...] = (
    str,
    int,
    float,
    bool,
    bytes,
    bytearray,
    decimal.Decimal,
    _dt.datetime,
    _dt.date,
    _dt.time,
    _dt.timedelta,
)
_MSREST_SCALARS = {
    "str",
    "int",
    "long",
    "float",
    "bool",
    "decimal",
    "iso-8601",
    "rfc-1123",
    "unix-time",
    "duration",
    "date",
    "time",
    "bytearray",
    "base64",
}


@dataclass(frozen=True)
class Field:
    source: str
    model: str
    wire: str
    shape: str


# --------------------------------------------------------------------------- TypeSpec (runtime introspection)


def _combine(shapes: list[str]) -> str:
    for s in (MODEL, KEYS, OPAQUE):
        if s in shapes:
            return s
    return SCALAR


def _classify_annotation(ann: object, mod: types.ModuleType, base: type) -> str:
    if ann is typing.Any or ann is object:
        return OPAQUE
    if isinstance(ann, typing.ForwardRef):
        ann = ann.__forward_arg__
    if isinstance(ann, str):
        target = getattr(mod, ann.rsplit(".", 1)[-1], None)
        return MODEL if inspect.isclass(target) and issubclass(target, base) else SCALAR
    if inspect.isclass(ann):
        if issubclass(ann, base):
            return MODEL
        if issubclass(ann, _SCALAR_TYPES):
            return SCALAR
        if issubclass(ann, dict):
            return OPAQUE
        return SCALAR  # enums
    origin = typing.get_origin(ann)
    args = typing.get_args(ann)
    if origin in (typing.Union, types.UnionType):
        return _combine([_classify_annotation(a, mod, base) for a in args if a is not type(None)])
    if origin is typing.Literal:
        return SCALAR
    if origin in (list, collections.abc.Sequence, collections.abc.MutableSequence, tuple):
        inner = _combine([_classify_annotation(a, mod, base) for a in args]) if args else OPAQUE
        return OPAQUE if inner == KEYS else inner
    if origin in (dict, collections.abc.Mapping, collections.abc.MutableMapping):
        value_shape = _classify_annotation(args[1], mod, base) if len(args) == 2 else OPAQUE
        return KEYS if value_shape in (MODEL, KEYS) else OPAQUE
    raise ValueError(f"unhandled annotation {ann!r} in {mod.__name__}")


def typespec_fields(module_name: str) -> list[Field]:
    mod = importlib.import_module(module_name)
    base = mod._Model
    source = module_name.removesuffix(".models._models")
    out: list[Field] = []
    for cls_name, cls in sorted(vars(mod).items()):
        if not (inspect.isclass(cls) and issubclass(cls, base) and cls is not base and cls.__module__ == module_name):
            continue
        annotations = cls.__dict__.get("__annotations__", {})
        for attr, rf in cls.__dict__.items():
            if attr.startswith("_") or not hasattr(rf, "_rest_name_input"):
                continue
            wire = rf._rest_name_input or attr
            shape = _classify_annotation(annotations.get(attr, typing.Any), mod, base)
            out.extend(_split_flattened(source, cls_name, wire, shape))
    return out


# --------------------------------------------------------------------------- msrest (_attribute_map, via ast)


def _split_flattened(source: str, model: str, key: str, shape: str) -> list[Field]:
    # msrest flattening: "properties.virtualMachineProfile"; "\\." escapes a literal dot ("@odata\\.type").
    parts = [p.replace("\\.", ".") for p in re.split(r"(?<!\\)\.", key)]
    fields = [Field(source, model, p, MODEL) for p in parts[:-1]]
    fields.append(Field(source, model, parts[-1], shape))
    return fields


def _classify_msrest(type_str: str, model_names: set[str]) -> str:
    if type_str.startswith("[") and type_str.endswith("]"):
        inner = _classify_msrest(type_str[1:-1], model_names)
        return OPAQUE if inner == KEYS else inner
    if type_str.startswith("{") and type_str.endswith("}"):
        return KEYS if _classify_msrest(type_str[1:-1], model_names) in (MODEL, KEYS) else OPAQUE
    if type_str == "object":
        return OPAQUE
    if type_str in _MSREST_SCALARS:
        return SCALAR
    return MODEL if type_str in model_names else SCALAR  # enums are "str" in msrest, unknown names: be safe


def msrest_fields(path: Path) -> list[Field]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    model_names = {c.name for c in classes}
    source = f"msrest:{path.parent.parent.name}"
    out: list[Field] = []
    for cls in classes:
        for stmt in cls.body:
            if not (isinstance(stmt, ast.AnnAssign | ast.Assign)):
                continue
            targets = [stmt.target] if isinstance(stmt, ast.AnnAssign) else stmt.targets
            if not any(isinstance(t, ast.Name) and t.id == "_attribute_map" for t in targets):
                continue
            value = ast.literal_eval(stmt.value) if stmt.value is not None else {}
            for spec in value.values():
                out.extend(_split_flattened(source, cls.name, spec["key"], _classify_msrest(spec["type"], model_names)))
    return out


# --------------------------------------------------------------------------- aggregation


def build(fields: list[Field]) -> tuple[dict[str, str], dict[str, str], list[str]]:
    casings: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    examples: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    shapes: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    shape_examples: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    for f in fields:
        low = f.wire.lower()
        casings[low][f.wire] += 1
        examples[(low, f.wire)].append(f"{f.source}:{f.model}")
        shapes[low][f.shape] += 1
        shape_examples[(low, f.shape)].append(f"{f.source}:{f.model}")

    names: dict[str, str] = {}
    doc: list[str] = ["## Casing conflicts (same lower-case name, different casings)", ""]
    doc += ["Chosen: the casing used by most model fields (ties: lexicographically smallest).", ""]
    doc += ["| lower-case | chosen | all casings (field count, e.g.) |", "|---|---|---|"]
    for low in sorted(casings):
        ranked = sorted(casings[low].items(), key=lambda kv: (-kv[1], kv[0]))
        names[low] = ranked[0][0]
        if len(ranked) > 1:
            detail = "; ".join(f"`{w}` ×{n} (e.g. {examples[(low, w)][0]})" for w, n in ranked)
            doc.append(f"| `{low}` | `{ranked[0][0]}` | {detail} |")

    freeform: dict[str, str] = {}
    doc += ["", "## Free-form conflicts (free-form in some models, structured in others)", ""]
    doc += ["Default for an unlisted conflict: structured (keys below it are canonicalized).", ""]
    doc += ["| name | decision | free-form in | structured in (count) | reason |", "|---|---|---|---|---|"]
    for low in sorted(shapes):
        kinds = shapes[low]
        free = [k for k in (OPAQUE, KEYS) if kinds[k]]
        if not free:
            continue
        decided: str | None = OPAQUE if OPAQUE in free else KEYS
        reason = ""
        if kinds[MODEL]:
            decided, reason = FREEFORM_OVERRIDES.get(low, (None, "default: structured"))
            free_in = ", ".join(sorted({e for k in free for e in shape_examples[(low, k)]})[:4])
            structured_in = f"{kinds[MODEL]} (e.g. {shape_examples[(low, MODEL)][0]})"
            doc.append(f"| `{names[low]}` | {decided or 'structured'} | {free_in} | {structured_in} | {reason} |")
        elif low in FREEFORM_OVERRIDES:
            decided = FREEFORM_OVERRIDES[low][0]
        if decided is not None:
            freeform[low] = decided
    doc += ["", "## Free-form names (wire_freeform.json)", ""]
    doc += ["`opaque`: value kept verbatim. `keys`: own keys kept, each entry's value canonicalized.", ""]
    doc += ["| name | kind | e.g. |", "|---|---|---|"]
    for low, kind in sorted(freeform.items()):
        ex = shape_examples.get((low, kind)) or ["(override)"]
        doc.append(f"| `{names[low]}` | {kind} | {ex[0]} |")
    return names, freeform, doc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--msrest-file", action="append", type=Path, default=[], help="extra msrest _models_py3.py")
    ap.add_argument("--no-default-msrest", action="store_true", help="do not read the Azure CLI venv's models")
    ap.add_argument("--check", action="store_true", help="exit 1 if the outputs would change")
    args = ap.parse_args(argv)

    fields: list[Field] = []
    sources: list[str] = []
    for module_name in TYPESPEC_MODULES:
        fs = typespec_fields(module_name)
        dist = module_name.split(".")[2]
        version = importlib.import_module(".".join(module_name.split(".")[:-2]) + "._version").VERSION
        sources.append(f"`{module_name}` (azure-mgmt-{dist} {version}): {len(fs)} fields")
        fields += fs
    msrest = list(args.msrest_file)
    if not args.no_default_msrest:
        msrest += [p for p in DEFAULT_MSREST_FILES if p.exists()]
    for path in msrest:
        fs = msrest_fields(path)
        sources.append(f"`{path}` (msrest `_attribute_map`): {len(fs)} fields")
        fields += fs
    fields += [Field("supplement", m, w, s) for m, w, s in SUPPLEMENT]
    sources.append(f"built-in deployment supplement: {len(SUPPLEMENT)} fields")

    names, freeform, conflict_doc = build(fields)
    names_text = json.dumps(names, indent=0, sort_keys=True, ensure_ascii=False) + "\n"
    freeform_text = json.dumps(freeform, indent=1, sort_keys=True) + "\n"
    doc_text = "\n".join(
        [
            "# Canonical wire names (generated by `scripts/gen_wire_names.py`; do not edit)",
            "",
            "Used by `vmss_emulator._utils.casing`: JSON member names are matched case-insensitively on input and",
            "always emitted in the canonical casing below (arm-reference.md §1.9).",
            "",
            "Sources:",
            "",
            *[f"- {s}" for s in sources],
            "",
            f"Result: {len(names)} distinct names in `wire_names.json`, {len(freeform)} free-form names in "
            "`wire_freeform.json`.",
            "",
            *conflict_doc,
            "",
        ]
    )
    outputs = {OUT_NAMES: names_text, OUT_FREEFORM: freeform_text, OUT_DOC: doc_text}
    if args.check:
        stale = [str(p) for p, t in outputs.items() if not p.exists() or p.read_text(encoding="utf-8") != t]
        print("stale: " + ", ".join(stale) if stale else "up to date")
        return 1 if stale else 0
    for path, text in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    print(f"{len(names)} names, {len(freeform)} free-form names")
    return 0


if __name__ == "__main__":
    sys.exit(main())

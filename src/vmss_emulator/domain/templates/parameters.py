"""Template parameters: bind the supplied values (or defaults) and validate them like Azure does."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from vmss_emulator.domain.errors import InvalidTemplate
from vmss_emulator.domain.templates.expressions import evaluate_json
from vmss_emulator.domain.templates.jsonvalues import json_equals, to_text, type_name
from vmss_emulator.domain.templates.scope import EvaluationScope, ExpressionError

PARAMETER_FILE_HELP = "Please see https://aka.ms/arm-create-parameter-file for usage details."

# Template parameter type (lower case) -> (the name Azure echoes, the JSON type names it accepts).
PARAMETER_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "string": ("String", ("String",)),
    "securestring": ("SecureString", ("String",)),
    "int": ("Int", ("Integer",)),
    "bool": ("Bool", ("Boolean",)),
    "object": ("Object", ("Object",)),
    "secureobject": ("SecureObject", ("Object",)),
    "array": ("Array", ("Array",)),
}

# Locates a template JSON path as " at line 'l' and column 'c'" (empty when the text is unknown).
Locate = Callable[[tuple[str | int, ...]], str]


@dataclass(frozen=True)
class BoundParameter:
    """A parameter's final value; `type` is Azure's echo spelling (`String`, `SecureString`, `Int`...)."""

    name: str
    type: str
    value: Any

    @property
    def is_secure(self) -> bool:
        return self.type.startswith("Secure")


def validation_failed(message: str) -> InvalidTemplate:
    """Azure wraps template validation messages in this sentence."""
    return InvalidTemplate(f"Deployment template validation failed: '{message}'.")


def supplied_values(parameters: Mapping[str, Any]) -> dict[str, Any]:
    """`{"p": {"value": x}}` (the deployment body's form) -> `{"p": x}`; a parameter file's wrapper is accepted."""
    if isinstance(parameters.get("parameters"), dict) and "$schema" in parameters:
        parameters = parameters["parameters"]
    values: dict[str, Any] = {}
    for name, entry in parameters.items():
        if isinstance(entry, dict) and "value" in entry:
            values[name] = entry["value"]
        elif isinstance(entry, dict) and "reference" in entry:
            raise InvalidTemplate(
                f"The value of the template parameter '{name}' is a Key Vault reference, which the emulator does not "
                f"resolve; pass the value itself. {PARAMETER_FILE_HELP}"
            )
        else:
            raise InvalidTemplate(
                f"The value of the template parameter '{name}' must be an object with a 'value' property. "
                f"{PARAMETER_FILE_HELP}"
            )
    return values


def bind_parameters(
    definitions: Mapping[str, Any],
    supplied: Mapping[str, Any],
    scope: EvaluationScope,
    locate: Locate,
) -> dict[str, BoundParameter]:
    """Every declared parameter (keyed by lower-case name) with its validated value.

    `scope` evaluates default values (where `newGuid()`/`utcNow()` are allowed); defaults may use
    other parameters, evaluated on demand with cycle detection.
    """
    declared = {name.lower(): name for name in definitions}
    unknown = [name for name in supplied if name.lower() not in declared]
    if unknown:
        raise InvalidTemplate(
            f"The template parameters '{', '.join(unknown)}' in the parameters file are not valid; they are not "
            "present in the original template and can therefore not be provided at deployment time. The only "
            f"supported parameters for this template are '{', '.join(definitions)}'. "
            "Please see https://aka.ms/arm-pass-parameter-values for usage details."
        )
    given = {name.lower(): value for name, value in supplied.items() if value is not None}
    bound: dict[str, BoundParameter] = {}
    in_progress: set[str] = set()

    def lookup(name: str) -> Any:
        key = name.lower()
        if key not in declared:
            raise ExpressionError(
                f"The template parameter '{name}' is not found. "
                "Please see https://aka.ms/arm-syntax-parameters for usage details."
            )
        if key not in bound:
            if key in in_progress:
                raise validation_failed(
                    f"The template parameter '{declared[key]}' has a circular reference in its default value."
                )
            in_progress.add(key)
            bound[key] = _bind_one(declared[key], definitions[declared[key]], given, default_scope, locate)
            in_progress.discard(key)
        return bound[key].value

    default_scope = replace(scope, parameter=lookup, in_parameter_default=True, location="parameters")
    for name in definitions:
        lookup(name)
    return {key: bound[key] for key in declared}


def _bind_one(
    name: str, definition: Any, given: Mapping[str, Any], scope: EvaluationScope, locate: Locate
) -> BoundParameter:
    path: tuple[str | int, ...] = ("parameters", name)
    if not isinstance(definition, dict) or not isinstance(definition.get("type"), str):
        raise validation_failed(
            f"The template parameter '{name}'{locate(path)} is not valid: the parameter must be an object with a "
            f"'type'. {PARAMETER_FILE_HELP}"
        )
    kind = definition["type"].lower()
    if kind not in PARAMETER_TYPES:
        raise validation_failed(
            f"The template parameter '{name}'{locate(path)} has an invalid type '{definition['type']}'. The supported "
            "types are 'String, SecureString, Int, Bool, Array, Object, SecureObject'. "
            "Please see https://aka.ms/arm-syntax-parameters for usage details."
        )
    if name.lower() in given:
        value = given[name.lower()]
    elif "defaultValue" in definition:
        try:
            value = evaluate_json(definition["defaultValue"], scope)
        except ExpressionError as error:
            raise validation_failed(
                f"The template parameter '{name}'{locate((*path, 'defaultValue'))} is not valid: {error.message}"
            ) from error
    else:
        raise validation_failed(
            f"The value for the template parameter '{name}'{locate(path)} is not provided. {PARAMETER_FILE_HELP}"
        )
    echo_type, accepted = PARAMETER_TYPES[kind]
    invalid = f"The provided value for the template parameter '{name}'{locate(path)} is not valid."
    if type_name(value) not in accepted:
        raise validation_failed(
            f"{invalid} Template parameter JToken type is not valid. Expected '{accepted[0]}'. "
            f"Actual '{type_name(value)}'. {PARAMETER_FILE_HELP}"
        )
    _check_constraints(name, definition, value, invalid, locate)
    return BoundParameter(name, echo_type, value)


def _check_constraints(name: str, definition: dict[str, Any], value: Any, invalid: str, locate: Locate) -> None:
    allowed = definition.get("allowedValues")
    if isinstance(allowed, list):
        # For an array parameter every element must be allowed.
        candidates = value if isinstance(value, list) else [value]
        if not all(any(json_equals(item, option) for option in allowed) for item in candidates):
            shown = "*****" if definition["type"].lower().startswith("secure") else to_text(value)
            raise validation_failed(
                f"The provided value '{shown}' for the template parameter '{name}'{locate(('parameters', name))} "
                f"is not valid. The parameter value is not part of the allowed value(s): "
                f"'{','.join(to_text(option) for option in allowed)}'."
            )
    if isinstance(value, int) and not isinstance(value, bool):
        minimum, maximum = definition.get("minValue"), definition.get("maxValue")
        if isinstance(minimum, int) and value < minimum:
            raise validation_failed(f"{invalid} The value '{value}' is less than the minimum value '{minimum}'.")
        if isinstance(maximum, int) and value > maximum:
            raise validation_failed(f"{invalid} The value '{value}' is greater than the maximum value '{maximum}'.")
    if isinstance(value, str | list):
        min_length, max_length = definition.get("minLength"), definition.get("maxLength")
        if isinstance(min_length, int) and len(value) < min_length:
            raise validation_failed(
                f"{invalid} The length of the value '{len(value)}' is less than the minimum length '{min_length}'."
            )
        if isinstance(max_length, int) and len(value) > max_length:
            raise validation_failed(
                f"{invalid} The length of the value '{len(value)}' is more than the maximum length '{max_length}'."
            )

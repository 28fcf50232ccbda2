"""The template function table and its dispatcher.

`call_function(name, args, scope)` looks `name` up case-insensitively. Besides the built-ins
registered by the `fn_*` modules, any name starting with `list` (listKeys, listSecrets...) is
delegated to the resolver, and `ns.fn(...)` calls a user-defined function of the template.
"""

from __future__ import annotations

from typing import Any

# The fn_* modules register their functions on import.
from vmss_emulator.domain.templates import fn_collection, fn_deployment, fn_logic, fn_string
from vmss_emulator.domain.templates._registry import FUNCTIONS_HELP, REGISTRY, Invocation, check_arity
from vmss_emulator.domain.templates.jsonvalues import type_name
from vmss_emulator.domain.templates.scope import EvaluationScope, ExpressionError

__all__ = ["call_function", "function_names"]

_MODULES = (fn_collection, fn_deployment, fn_logic, fn_string)

# Azure's parameter types as user-defined function signatures declare them, and the values they accept.
_UDF_TYPE_NAMES = {
    "string": ("String",),
    "securestring": ("String",),
    "int": ("Integer",),
    "bool": ("Boolean",),
    "array": ("Array",),
    "object": ("Object",),
    "secureobject": ("Object",),
}


def function_names() -> list[str]:
    """The built-in function names, as Azure spells them."""
    return sorted(spec.name for spec in REGISTRY.values())


def call_function(name: str, args: list[Any], scope: EvaluationScope, namespace: str | None = None) -> Any:
    """Apply the function `name` (or `namespace.name`) to already-evaluated `args`."""
    if namespace is not None:
        return _call_user_function(namespace, name, args, scope)
    spec = REGISTRY.get(name.lower())
    if spec is None:
        if name.lower().startswith("list"):
            return fn_deployment.invoke_list(Invocation(name, args, scope))
        raise ExpressionError(f"The template function '{name}' is not valid. {FUNCTIONS_HELP}")
    check_arity(spec, name, len(args))
    return spec.implementation(Invocation(name, args, scope))


def _call_user_function(namespace: str, name: str, args: list[Any], scope: EvaluationScope) -> Any:
    # Imported late: expressions imports this module.
    from dataclasses import replace

    from vmss_emulator.domain.templates.expressions import evaluate_json

    qualified = f"{namespace}.{name}"
    udf = scope.user_functions.get(qualified.lower())
    if udf is None:
        raise ExpressionError(f"The template function '{qualified}' is not valid. {FUNCTIONS_HELP}")
    if len(args) != len(udf.parameter_names):
        raise ExpressionError(
            f"Unable to evaluate template language function '{qualified}': function requires "
            f"{len(udf.parameter_names)} argument(s) while {len(args)} were provided. {FUNCTIONS_HELP}"
        )
    bound = {param.lower(): value for param, value in zip(udf.parameter_names, args, strict=True)}

    def parameter(param_name: str) -> Any:
        if param_name.lower() not in bound:
            raise ExpressionError(
                f"The template parameter '{param_name}' is not found in the user-defined function '{qualified}'."
            )
        return bound[param_name.lower()]

    def no_variables(variable_name: str) -> Any:
        raise ExpressionError(
            f"The template function 'variables' is not expected in the user-defined function '{qualified}'."
        )

    # A user-defined function sees only its own parameters: no variables, no reference(), no copyIndex().
    inner = replace(scope, parameter=parameter, variable=no_variables, resolver=None, copy_indices={})
    result = evaluate_json(udf.output, inner)
    expected = _UDF_TYPE_NAMES.get(udf.output_type.lower())
    if expected is not None and type_name(result) not in expected:
        raise ExpressionError(
            f"The user-defined function '{qualified}' output is not valid: expected a value of type "
            f"'{expected[0]}' but got '{type_name(result)}'."
        )
    return result

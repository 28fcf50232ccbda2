"""What the apply layer calls while deploying: resource bodies, outputs and the parameters echo."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from vmss_emulator.domain.errors import ArmError, InvalidTemplate
from vmss_emulator.domain.templates.context import Resolver
from vmss_emulator.domain.templates.expressions import copy_count, evaluate_json
from vmss_emulator.domain.templates.jsonvalues import type_name
from vmss_emulator.domain.templates.parameters import PARAMETER_TYPES
from vmss_emulator.domain.templates.resources import TEMPLATE_ONLY_MEMBERS, PlannedResource
from vmss_emulator.domain.templates.scope import EvaluationScope, ExpressionError
from vmss_emulator.domain.templates.template import PreparedDeployment

# Members the body gets from the plan rather than from re-evaluating the declaration.
_PLANNED_MEMBERS = frozenset({"type", "name", "apiversion", "location"})


def _resource_scope(prepared: PreparedDeployment, resource: PlannedResource, resolver: Resolver) -> EvaluationScope:
    # The loop indices captured at planning time (own loop, and a copied parent's for nested children).
    return replace(prepared.scope, resolver=resolver, copy_indices=dict(resource.copy_indices))


def evaluate_resource(prepared: PreparedDeployment, resource: PlannedResource, resolver: Resolver) -> dict[str, Any]:
    """The resource's request body with every expression evaluated (call it once its dependencies exist).

    The body keeps the declaration's members (properties, sku, tags, zones, identity, kind, plan...)
    minus template-only ones (copy, condition, dependsOn, resources, comments, scope...), and carries
    `id`, `type`, `name` (full, e.g. `vnet/subnet1`), `apiVersion` and `location` from the plan.
    """
    scope = _resource_scope(prepared, resource, resolver)
    body: dict[str, Any] = {"id": resource.id, "type": resource.type, "name": resource.name}
    body["apiVersion"] = resource.api_version
    if resource.location is not None:
        body["location"] = resource.location
    try:
        for key, value in resource.raw.items():
            lowered = key.lower()
            if lowered in TEMPLATE_ONLY_MEMBERS or lowered in _PLANNED_MEMBERS:
                continue
            if lowered == "properties" and _is_inner_scoped_deployment(resource, value):
                body[key] = _evaluate_inner_deployment(value, scope)
                continue
            body[key] = evaluate_json(value, scope)
    except ExpressionError as error:
        raise InvalidTemplate(
            f"Unable to process template language expressions for resource '{resource.id}'"
            f"{prepared.locate(resource.path)}. '{error.message}'",
            details=[error.to_error_body()],
        ) from error
    return body


def _is_inner_scoped_deployment(resource: PlannedResource, properties: Any) -> bool:
    if resource.type.lower() != "microsoft.resources/deployments" or not isinstance(properties, dict):
        return False
    options = properties.get("expressionEvaluationOptions")
    return isinstance(options, dict) and str(options.get("scope", "")).lower() == "inner"


def _evaluate_inner_deployment(properties: dict[str, Any], scope: EvaluationScope) -> dict[str, Any]:
    # With inner scope the nested template's expressions belong to the nested deployment (the apply
    # layer prepares it on its own); only the values passed to it are evaluated here.
    return {
        key: value if key.lower() == "template" else evaluate_json(value, scope) for key, value in properties.items()
    }


# Output type (lower case) -> the name Azure returns; secure outputs are never returned.
_OUTPUT_TYPES = {key: echo for key, (echo, _) in PARAMETER_TYPES.items()}


def evaluate_outputs(prepared: PreparedDeployment, resolver: Resolver) -> dict[str, Any]:
    """The deployment's `outputs`: `{"name": {"type": "String", "value": ...}}`, secure ones left out."""
    scope = replace(prepared.scope, resolver=resolver)
    outputs: dict[str, Any] = {}
    for name, definition in prepared.template.get("outputs", {}).items():
        try:
            value = _evaluate_output(name, definition, scope)
        except ArmError as error:  # an expression error, or a provider refusing a reference()/list*() call
            raise InvalidTemplate(
                f"Unable to evaluate template outputs: '{name}'. Please see error details and deployment operations. "
                "Please see https://aka.ms/arm-common-errors for usage details.",
                details=[{**error.to_error_body(), "target": name}],
            ) from error
        if value is _SKIPPED:
            continue
        echo = _OUTPUT_TYPES[definition["type"].lower()]
        if not echo.startswith("Secure"):
            outputs[name] = {"type": echo, "value": value}
    return outputs


_SKIPPED = object()


def _evaluate_output(name: str, definition: Any, scope: EvaluationScope) -> Any:
    if not isinstance(definition, dict) or str(definition.get("type", "")).lower() not in _OUTPUT_TYPES:
        raise ExpressionError(f"The template output '{name}' must have a 'type' among {sorted(_OUTPUT_TYPES)}.")
    condition = evaluate_json(definition.get("condition", True), scope)
    if condition is False:
        return _SKIPPED
    copy = definition.get("copy")
    if isinstance(copy, dict):
        count = copy_count(evaluate_json(copy.get("count"), scope), name, scope.context.max_copy_count)
        value: Any = [evaluate_json(copy.get("input"), scope.with_copy_index(None, i)) for i in range(count)]
    else:
        value = evaluate_json(definition.get("value"), scope)
    expected = PARAMETER_TYPES[definition["type"].lower()][1]
    if type_name(value) not in expected:
        raise ExpressionError(
            f"The template output '{name}' is not valid: Template output JToken type is not valid. "
            f"Expected '{expected[0]}'. Actual '{type_name(value)}'."
        )
    return value


def redacted_parameters(prepared: PreparedDeployment) -> dict[str, Any]:
    """The deployment's `properties.parameters` echo: every parameter with its type; secure values left out."""
    echo: dict[str, Any] = {}
    for parameter in prepared.parameters.values():
        if parameter.is_secure:
            echo[parameter.name] = {"type": parameter.type}
        else:
            echo[parameter.name] = {"type": parameter.type, "value": parameter.value}
    return echo

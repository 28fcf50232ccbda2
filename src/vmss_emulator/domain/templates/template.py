"""`prepare()`: validate a template, bind parameters, evaluate variables, plan resources and their order."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from vmss_emulator.domain.errors import InvalidRequestContent, InvalidTemplate
from vmss_emulator.domain.templates.context import DeploymentContext
from vmss_emulator.domain.templates.expressions import evaluate_json, expand_property_copy
from vmss_emulator.domain.templates.graph import GraphNode, ResourceIndex, plan_batches, resolve_dependencies
from vmss_emulator.domain.templates.hashing import sha1_hex
from vmss_emulator.domain.templates.locator import JsonLocator
from vmss_emulator.domain.templates.parameters import (
    BoundParameter,
    bind_parameters,
    supplied_values,
    validation_failed,
)
from vmss_emulator.domain.templates.resources import JsonPath, PlannedResource, ResourceExpander
from vmss_emulator.domain.templates.scope import DeclaredResource, EvaluationScope, ExpressionError, UserFunction


@dataclass(frozen=True)
class PreparedDeployment:
    """A validated template with everything that can be known before deploying.

    `resources` are in template order (copies expanded, nested children after their parent);
    `batches` are resource ids in deployment order: each batch depends only on earlier batches.
    """

    context: DeploymentContext
    template: Mapping[str, Any]
    parameters: Mapping[str, BoundParameter]  # keyed by lower-case name
    variables: Mapping[str, Any]  # keyed by the declared name
    resources: tuple[PlannedResource, ...]
    batches: tuple[tuple[str, ...], ...]
    template_hash: str
    scope: EvaluationScope = field(repr=False)  # the base scope (no resolver, no copy index)
    locator: JsonLocator | None = field(default=None, repr=False)
    _by_id: dict[str, PlannedResource] = field(default_factory=dict, repr=False)

    def resource(self, resource_id: str) -> PlannedResource:
        """The planned resource with this id (case-insensitive); KeyError when not planned."""
        return self._by_id[resource_id.lower()]

    def locate(self, path: JsonPath) -> str:
        """`" at line 'l' and column 'c'"` for a template path, or `""` when the raw text is unknown."""
        return _locate_with(self.locator)(path)


def _locate_with(locator: JsonLocator | None) -> Callable[[JsonPath], str]:
    def locate(path: JsonPath) -> str:
        position = locator.position(path) if locator is not None else None
        return f" at line '{position[0]}' and column '{position[1]}'" if position else ""

    return locate


def _check_document(template: Any) -> None:
    if not isinstance(template, dict):
        raise InvalidRequestContent("The request content was invalid and could not be deserialized: 'template'.")
    for required in ("$schema", "contentVersion"):
        if not isinstance(template.get(required), str):
            raise InvalidRequestContent(
                "The request content was invalid and could not be deserialized: "
                f"'Required property '{required}' not found in JSON. Path 'properties.template'.'."
            )
    if str(template.get("languageVersion", "1.0")).split("-")[0] not in ("1.0", "1.9"):
        raise InvalidTemplate(
            f"The template language version '{template['languageVersion']}' is not supported by the emulator; "
            "compile Bicep without symbolic names or user-defined types."
        )
    for member, kind in (("parameters", dict), ("variables", dict), ("outputs", dict), ("functions", list)):
        if member in template and not isinstance(template[member], kind):
            expected = "an object" if kind is dict else "an array"
            raise validation_failed(f"The template '{member}' property must be {expected}.")
    if not isinstance(template.get("resources", []), list):
        raise validation_failed("The template 'resources' property must be an array.")


def _user_functions(template: Mapping[str, Any]) -> dict[str, UserFunction]:
    functions: dict[str, UserFunction] = {}
    for group in template.get("functions", []):
        namespace = group.get("namespace") if isinstance(group, dict) else None
        members = group.get("members") if isinstance(group, dict) else None
        if not isinstance(namespace, str) or not isinstance(members, dict):
            raise validation_failed("The template 'functions' entries must have a 'namespace' and 'members'.")
        for name, member in members.items():
            output = member.get("output", {}) if isinstance(member, dict) else {}
            params = [p.get("name", "") for p in member.get("parameters", []) if isinstance(p, dict)]
            functions[f"{namespace}.{name}".lower()] = UserFunction(
                namespace, name, tuple(params), output.get("value"), str(output.get("type", ""))
            )
    return functions


class _Variables:
    """Variables evaluated on first use (they may use each other), with cycle detection."""

    def __init__(self, definitions: Mapping[str, Any], locate: Callable[[JsonPath], str]) -> None:
        self._locate = locate
        self._raw: dict[str, tuple[str, Any, JsonPath]] = {}
        for name, value in definitions.items():
            if name.lower() == "copy" and isinstance(value, list):
                # Variable-level copy: each element defines an array variable named after its loop.
                for index, loop in enumerate(value):
                    loop_name = loop.get("name") if isinstance(loop, dict) else None
                    if not isinstance(loop_name, str):
                        raise validation_failed(
                            f"The template variable copy{locate(('variables', 'copy', index))} must have a 'name'."
                        )
                    self._raw[loop_name.lower()] = (loop_name, {"copy": [loop]}, ("variables", "copy", index))
            else:
                self._raw[name.lower()] = (name, value, ("variables", name))
        self._values: dict[str, Any] = {}
        self._in_progress: set[str] = set()
        self.scope: EvaluationScope | None = None

    def get(self, name: str) -> Any:
        key = name.lower()
        if key in self._values:
            return self._values[key]
        if key not in self._raw:
            raise ExpressionError(
                f"The template variable '{name}' is not found. "
                "Please see https://aka.ms/arm-syntax-variables for usage details."
            )
        declared, raw, path = self._raw[key]
        if key in self._in_progress:
            raise validation_failed(f"The template variable '{declared}' has a circular reference.")
        assert self.scope is not None, "scope is set right after construction"
        self._in_progress.add(key)
        try:
            if path[-2] == "copy":
                value = expand_property_copy(raw["copy"][0], self.scope)[1]
            else:
                value = evaluate_json(raw, self.scope)
        except ExpressionError as error:
            if error.message.startswith("Deployment template validation failed"):
                raise
            raise validation_failed(
                f"The template variable '{declared}'{self._locate(path)} is not valid: {error.message.rstrip('.')}. "
                "Please see https://aka.ms/arm-functions for usage details."
            ) from error
        finally:
            self._in_progress.discard(key)
        self._values[key] = value
        return value

    def evaluate_all(self) -> dict[str, Any]:
        return {declared: self.get(key) for key, (declared, _, _) in self._raw.items()}


def prepare(
    template: Mapping[str, Any],
    parameters: Mapping[str, Any] | None,
    ctx: DeploymentContext,
    template_text: str | None = None,
) -> PreparedDeployment:
    """Validate `template` and plan the deployment; pure, no resource is touched.

    `parameters` is the deployment body's `{"name": {"value": ...}}` map. `template_text`, when
    given, is the raw JSON the template came from and lets errors carry line and column.
    Raises InvalidTemplate (Azure's messages) or InvalidRequestContent for a malformed document.
    """
    _check_document(template)
    locator = JsonLocator(template_text) if template_text is not None else None
    locate = _locate_with(locator)
    summary = {key: template[key] for key in ("$schema", "contentVersion", "metadata") if key in template}
    base = EvaluationScope(context=ctx, user_functions=_user_functions(template), template_summary=summary)

    bound = bind_parameters(template.get("parameters", {}), supplied_values(parameters or {}), base, locate)

    def parameter(name: str) -> Any:
        if name.lower() not in bound:
            raise ExpressionError(
                f"The template parameter '{name}' is not found. "
                "Please see https://aka.ms/arm-syntax-parameters for usage details."
            )
        return bound[name.lower()].value

    variables = _Variables(template.get("variables", {}), locate)
    scope = replace(base, parameter=parameter, variable=variables.get)
    variables.scope = scope
    variable_values = variables.evaluate_all()

    expander = ResourceExpander(scope, locate)
    pairs = list(expander.expand(template.get("resources", []), ("resources",)))
    nodes = [node for _, node in pairs]
    edges = resolve_dependencies(nodes)
    batches = plan_batches([node.id for node in nodes], edges)
    planned = tuple(replace(resource, depends_on=edges[resource.id]) for resource, _ in pairs)
    by_id = {resource.id.lower(): resource for resource in planned}
    scope = replace(scope, declared_resource=_declared_lookup(nodes, by_id))
    return PreparedDeployment(
        context=ctx,
        template=template,
        parameters=bound,
        variables=variable_values,
        resources=planned,
        batches=batches,
        template_hash=sha1_hex(json.dumps(template, sort_keys=True)),
        scope=scope,
        locator=locator,
        _by_id=by_id,
    )


def _declared_lookup(
    nodes: list[GraphNode], by_id: Mapping[str, PlannedResource]
) -> Callable[[str], DeclaredResource | None]:
    index = ResourceIndex(nodes)

    def lookup(name_or_id: str) -> DeclaredResource | None:
        found = index.resolve(name_or_id)
        if len(found) != 1:
            return None
        resource = by_id[found[0].lower()]
        return DeclaredResource(resource.id, resource.api_version)

    return lookup

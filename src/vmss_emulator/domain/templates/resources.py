"""Expanding the template's `resources` (nested children, copy loops) into planned resource instances."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from vmss_emulator.domain.templates.expressions import Call, copy_count, evaluate, evaluate_json, is_expression, parse
from vmss_emulator.domain.templates.expressions import walk as walk_ast
from vmss_emulator.domain.templates.graph import GraphNode
from vmss_emulator.domain.templates.jsonvalues import to_text, type_name
from vmss_emulator.domain.templates.parameters import validation_failed
from vmss_emulator.domain.templates.resource_ids import provider_path
from vmss_emulator.domain.templates.scope import EvaluationScope, ExpressionError

JsonPath = tuple[str | int, ...]

# Members of a template resource that steer the deployment and are not part of the resource's body.
TEMPLATE_ONLY_MEMBERS = frozenset(
    {"copy", "condition", "dependson", "resources", "comments", "scope", "subscriptionid", "resourcegroup"}
)

FUNCTIONS_HELP = "Please see https://aka.ms/arm-functions for usage details."
SYNTAX_HELP = "Please see https://aka.ms/arm-syntax-resources for usage details."


@dataclass(frozen=True)
class PlannedResource:
    """One resource instance the deployment will create (one per copy index).

    `raw` is the declaration as written (without nested `resources`); `evaluate_resource` turns it
    into the request body at apply time. `condition` False means: keep in the graph, do not deploy.
    """

    id: str
    type: str
    name: str
    api_version: str
    condition: bool
    depends_on: tuple[str, ...]
    location: str | None
    raw: Mapping[str, Any]
    path: JsonPath  # where the declaration sits in the template, e.g. ("resources", 2, "resources", 0)
    copy_name: str | None = None
    copy_index: int | None = None
    subscription_id: str | None = None  # set only when the resource names another subscription/group
    resource_group: str | None = None
    # Copy loop indices in effect for this instance (lower-case loop name; None = the resource's own loop).
    copy_indices: tuple[tuple[str | None, int], ...] = ()


@dataclass(frozen=True)
class _Parent:
    type: str
    name: str
    id: str
    scope: EvaluationScope


def _member(declaration: Mapping[str, Any], name: str) -> Any:
    # Template members are matched case-insensitively, as Azure's deserializer does.
    if name in declaration:
        return declaration[name]
    lowered = name.lower()
    return next((value for key, value in declaration.items() if key.lower() == lowered), None)


class ResourceExpander:
    """Walks `resources` depth-first in template order and yields `(PlannedResource, GraphNode)` pairs."""

    def __init__(self, base: EvaluationScope, locate: Callable[[JsonPath], str]) -> None:
        self._base = base
        self._locate = locate
        self._seen_ids: dict[str, JsonPath] = {}
        # Per declaration: the first arguments of its reference()/list*() calls, parsed once for all copies.
        self._reference_args: dict[JsonPath, list[Any]] = {}

    def expand(
        self, resources: Any, path: JsonPath, parent: _Parent | None = None
    ) -> Iterator[tuple[PlannedResource, GraphNode]]:
        if not isinstance(resources, list):
            raise validation_failed(f"The template 'resources' at{self._locate(path) or ' (root)'} must be an array.")
        for index, declaration in enumerate(resources):
            yield from self._expand_declaration(declaration, (*path, index), parent)

    def _expand_declaration(
        self, declaration: Any, path: JsonPath, parent: _Parent | None
    ) -> Iterator[tuple[PlannedResource, GraphNode]]:
        if not isinstance(declaration, dict):
            raise validation_failed(f"The template resource at{self._locate(path)} must be an object.")
        scope = parent.scope if parent else self._base
        copy = _member(declaration, "copy")
        if copy is None:
            instances: list[tuple[EvaluationScope, str | None, int | None, tuple[str, ...]]] = [(scope, None, None, ())]
        else:
            instances = self._copy_instances(declaration, copy, scope, path, parent)
        for instance_scope, copy_name, copy_index, predecessors in instances:
            planned, node = self._plan(declaration, path, instance_scope, parent, copy_name, copy_index, predecessors)
            yield planned, node
            children = _member(declaration, "resources")
            if children is not None:
                child_parent = _Parent(planned.type, planned.name, planned.id, instance_scope)
                yield from self.expand(children, (*path, "resources"), child_parent)

    def _copy_instances(
        self, declaration: dict[str, Any], copy: Any, scope: EvaluationScope, path: JsonPath, parent: _Parent | None
    ) -> list[tuple[EvaluationScope, str | None, int | None, tuple[str, ...]]]:
        where = (*path, "copy")
        if not isinstance(copy, dict) or not isinstance(copy.get("name"), str):
            raise validation_failed(
                f"The template resource copy at{self._locate(where)} is not valid: it must be an object with a "
                "'name' and a 'count'. Please see https://aka.ms/arm-copy for usage details."
            )
        loop = copy["name"]
        try:
            count = copy_count(evaluate_json(copy.get("count"), scope), loop, scope.context.max_copy_count)
        except ExpressionError as error:
            raise self._invalid(declaration, where, error) from error
        serial = str(copy.get("mode", "parallel")).lower() == "serial"
        batch_size = copy.get("batchSize", 1) if serial else 0
        if serial and (not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1):
            raise validation_failed(
                f"The template resource copy '{loop}'{self._locate(where)} has an invalid batch size "
                f"'{batch_size}'. Please see https://aka.ms/arm-copy for usage details."
            )
        out: list[tuple[EvaluationScope, str | None, int | None, tuple[str, ...]]] = []
        ids: list[str] = []
        for index in range(count):
            instance_scope = scope.with_copy_index(None, index).with_copy_index(loop, index)
            # A serial loop deploys in batches: each instance waits for the whole previous batch.
            predecessors: tuple[str, ...] = ()
            if serial:
                batch = index // batch_size
                predecessors = tuple(ids[(batch - 1) * batch_size : batch * batch_size]) if batch else ()
                ids.append(self._peek_id(declaration, path, instance_scope, parent))
            out.append((instance_scope, loop, index, predecessors))
        return out

    def _peek_id(
        self, declaration: dict[str, Any], path: JsonPath, scope: EvaluationScope, parent: _Parent | None
    ) -> str:
        return self._identity(declaration, path, scope, parent)[2]

    def _identity(
        self, declaration: dict[str, Any], path: JsonPath, scope: EvaluationScope, parent: _Parent | None
    ) -> tuple[str, str, str, str | None, str | None]:
        """(full type, full name, id, other subscription, other resource group) of one instance."""
        raw_type, raw_name = _member(declaration, "type"), _member(declaration, "name")
        try:
            resource_type = evaluate(raw_type, scope) if isinstance(raw_type, str) else raw_type
            name = evaluate(raw_name, scope) if isinstance(raw_name, str) else raw_name
            scope_id = evaluate_json(_member(declaration, "scope"), scope)
            subscription_id = evaluate_json(_member(declaration, "subscriptionId"), scope)
            resource_group = evaluate_json(_member(declaration, "resourceGroup"), scope)
        except ExpressionError as error:
            raise self._invalid(declaration, path, error) from error
        if not isinstance(resource_type, str) or not isinstance(name, str) or not resource_type or not name:
            raise validation_failed(
                f"The template resource '{to_text(raw_name)}'{self._locate(path)} is not valid: the 'type' and "
                f"'name' properties must be non-empty strings. {SYNTAX_HELP}"
            )
        # A nested child may spell its type and name relative to the parent ("subnets", "subnet1").
        if parent is not None and "/" not in resource_type:
            resource_type = f"{parent.type}/{resource_type}"
            name = f"{parent.name}/{name}"
        try:
            providers = provider_path(resource_type, name)
        except ExpressionError:
            raise validation_failed(
                f"The template resource '{name}' for type '{resource_type}'{self._locate(path)} has incorrect "
                "segment lengths. A nested resource type must have identical number of segments as its resource "
                "name. A root resource type must have segment length one greater than its resource name. "
                f"{SYNTAX_HELP}"
            ) from None
        context = scope.context
        if isinstance(scope_id, str) and scope_id.startswith("/"):
            return resource_type, name, f"{scope_id.rstrip('/')}/{providers}", None, None
        sub = subscription_id if isinstance(subscription_id, str) and subscription_id else None
        group = resource_group if isinstance(resource_group, str) and resource_group else None
        resource_id = (
            f"/subscriptions/{sub or context.subscription_id}/resourceGroups/"
            f"{group or context.resource_group_name}/{providers}"
        )
        return resource_type, name, resource_id, sub, group

    def _plan(
        self,
        declaration: dict[str, Any],
        path: JsonPath,
        scope: EvaluationScope,
        parent: _Parent | None,
        copy_name: str | None,
        copy_index: int | None,
        predecessors: tuple[str, ...],
    ) -> tuple[PlannedResource, GraphNode]:
        resource_type, name, resource_id, sub, group = self._identity(declaration, path, scope, parent)
        if resource_id.lower() in self._seen_ids:
            raise validation_failed(
                f"The resource '{resource_id}'{self._locate(path)} is defined multiple times in a template. "
                f"{SYNTAX_HELP}"
            )
        self._seen_ids[resource_id.lower()] = path
        try:
            api_version = evaluate_json(_member(declaration, "apiVersion"), scope)
            condition = evaluate_json(_member(declaration, "condition"), scope)
            location = evaluate_json(_member(declaration, "location"), scope)
            depends_on = evaluate_json(_member(declaration, "dependsOn") or [], scope)
            implicit = self._implicit_references(declaration, path, scope)
        except ExpressionError as error:
            raise self._invalid(declaration, path, error) from error
        if not isinstance(api_version, str) or not api_version:
            raise validation_failed(
                f"The template resource '{name}'{self._locate(path)} must have an 'apiVersion'. {SYNTAX_HELP}"
            )
        condition = True if condition is None else condition
        if not isinstance(condition, bool):
            raise validation_failed(
                f"The template resource '{name}'{self._locate(path)} has a condition of type "
                f"'{type_name(condition)}'; it must evaluate to a Boolean. {SYNTAX_HELP}"
            )
        if not isinstance(depends_on, list) or not all(isinstance(entry, str) for entry in depends_on):
            raise validation_failed(
                f"The template resource '{name}'{self._locate(path)} has an invalid 'dependsOn': it must be an array "
                f"of strings. {SYNTAX_HELP}"
            )
        known = (parent.id,) if parent else ()
        planned = PlannedResource(
            id=resource_id,
            type=resource_type,
            name=name,
            api_version=api_version,
            condition=condition,
            depends_on=(),  # filled in once the whole graph is known
            location=location if isinstance(location, str) else None,
            raw={key: value for key, value in declaration.items() if key.lower() != "resources"},
            path=path,
            copy_name=copy_name,
            copy_index=copy_index,
            subscription_id=sub,
            resource_group=group,
            copy_indices=tuple(scope.copy_indices.items()),
        )
        node = GraphNode(
            id=resource_id,
            type=resource_type,
            name=name,
            depends_on=tuple(depends_on),
            implicit=tuple(ref for ref in implicit if ref.lower() not in (name.lower(), resource_id.lower())),
            known_ids=known + predecessors,
            copy_name=copy_name,
            declared_name=to_text(_member(declaration, "name")) if parent else None,
        )
        return planned, node

    def _implicit_references(self, declaration: dict[str, Any], path: JsonPath, scope: EvaluationScope) -> list[str]:
        """The resources this one reads through reference()/list*() in its body: implicit dependencies."""
        if path not in self._reference_args:
            found: list[Any] = []
            for text in _expression_strings(
                {k: v for k, v in declaration.items() if k.lower() not in TEMPLATE_ONLY_MEMBERS}
            ):
                for node in walk_ast(parse(text)):
                    if isinstance(node, Call) and node.namespace is None and node.args:
                        lowered = node.name.lower()
                        if lowered == "reference" or lowered.startswith("list"):
                            found.append(node.args[0])
            self._reference_args[path] = found
        references: list[str] = []
        for argument in self._reference_args[path]:
            try:
                value = evaluate(argument, scope)
            except ExpressionError:
                continue  # Not computable before deployment (e.g. nested reference()): no static dependency.
            if isinstance(value, str):
                references.append(value)
        return references

    def _invalid(self, declaration: dict[str, Any], path: JsonPath, error: ExpressionError) -> ExpressionError:
        name = to_text(_member(declaration, "name"))
        return ExpressionError(
            f"Deployment template validation failed: 'The template resource '{name}'{self._locate(path)} is not "
            f"valid: {error.message.rstrip('.')}. {FUNCTIONS_HELP}'."
        )


def _expression_strings(value: Any) -> Iterator[str]:
    """Every expression string in a JSON value (keys included)."""
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, str):
            if is_expression(current):
                yield current
        elif isinstance(current, list):
            stack.extend(current)
        elif isinstance(current, dict):
            stack.extend(current.values())
            stack.extend(key for key in current if is_expression(key))

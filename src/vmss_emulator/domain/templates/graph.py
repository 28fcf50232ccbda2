"""The deployment's dependency graph: which resource waits for which, and in what batches they deploy.

Nodes are resource ids. A node's edges come from
- its `dependsOn` entries: a resource name (`vnet1`, `vnet1/subnet1`), a copy loop name (all of the
  loop's instances), `type/name` (`Microsoft.Network/virtualNetworks/vnet1`) or a full resource id;
  all matched case-insensitively against the resources declared in the template, and an entry
  that matches none is an error;
- `reference()`/`list*()` targets found in its body (ignored when not declared in the template);
- ids the template layer already knows (the parent of a nested child, the previous batch of a
  serial copy loop).

`plan_batches` returns topological layers: every resource of layer k depends only on resources of
layers < k, so each layer can deploy in parallel. Cycles raise Azure's "Circular dependency" error.
Everything is linear in nodes + edges, so 800-instance copy loops stay cheap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from vmss_emulator.domain.errors import InvalidTemplate

_RESOURCES_HELP = "Please see https://aka.ms/arm-template/#resources for usage details."


@dataclass(frozen=True)
class GraphNode:
    """One resource as the dependency graph sees it."""

    id: str
    type: str  # full type, e.g. Microsoft.Network/virtualNetworks/subnets
    name: str  # full name, e.g. vnet1/subnet1
    depends_on: tuple[str, ...] = ()  # evaluated `dependsOn` entries, as written
    implicit: tuple[str, ...] = ()  # reference()/list*() targets (names or ids)
    known_ids: tuple[str, ...] = ()  # already-resolved ids (nested parent, serial copy predecessors)
    copy_name: str | None = None
    declared_name: str | None = None  # the name as written when nested inside a parent (`subnet1`)


def _type_name_keys(resource_type: str, name: str) -> list[str]:
    """The `type/name` spellings of a resource: interleaved (`ns/t1/n1/t2/n2`) and joined (`ns/t1/t2/n1/n2`)."""
    parts = resource_type.split("/")
    names = name.split("/")
    keys = [f"{resource_type}/{name}".lower()]
    if len(parts) - 1 == len(names):
        interleaved = "/".join(f"{t}/{n}" for t, n in zip(parts[1:], names, strict=True))
        keys.append(f"{parts[0]}/{interleaved}".lower())
    return keys


class ResourceIndex:
    """Finds declared resources by id, `type/name`, name or copy loop name (case-insensitive)."""

    def __init__(self, nodes: Sequence[GraphNode]) -> None:
        self._by_id: dict[str, str] = {}
        self._by_type_name: dict[str, list[str]] = {}
        self._by_name: dict[str, list[str]] = {}
        self._by_declared_name: dict[str, list[str]] = {}
        self._by_copy: dict[str, list[str]] = {}
        for node in nodes:
            self._by_id[node.id.lower()] = node.id
            for key in _type_name_keys(node.type, node.name):
                self._by_type_name.setdefault(key, []).append(node.id)
            self._by_name.setdefault(node.name.lower(), []).append(node.id)
            if node.declared_name:
                self._by_declared_name.setdefault(node.declared_name.lower(), []).append(node.id)
            if node.copy_name:
                self._by_copy.setdefault(node.copy_name.lower(), []).append(node.id)

    def resolve(self, reference: str) -> list[str]:
        """The ids `reference` designates; empty when it designates no declared resource."""
        key = reference.strip().lower()
        if key.startswith("/"):
            return [self._by_id[key]] if key in self._by_id else []
        for table in (self._by_name, self._by_copy, self._by_type_name, self._by_declared_name):
            if key in table:
                return table[key]
        return []


def resolve_dependencies(nodes: Sequence[GraphNode]) -> dict[str, tuple[str, ...]]:
    """Each node's id -> the ids it depends on (deduplicated, in first-seen order).

    Raises InvalidTemplate when an explicit `dependsOn` entry designates no declared resource.
    """
    index = ResourceIndex(nodes)
    edges: dict[str, tuple[str, ...]] = {}
    for node in nodes:
        targets: dict[str, None] = dict.fromkeys(node.known_ids)
        for entry in node.depends_on:
            found = index.resolve(entry)
            if not found:
                raise InvalidTemplate(
                    f"Deployment template validation failed: 'The resource '{entry}' is not defined in the template. "
                    "Please see https://aka.ms/arm-syntax for usage details.'."
                )
            targets.update(dict.fromkeys(found))
        for entry in node.implicit:
            # A reference to a resource outside the template is not a dependency.
            targets.update(dict.fromkeys(index.resolve(entry)))
        edges[node.id] = tuple(targets)
    return edges


def plan_batches(order: Sequence[str], edges: Mapping[str, Iterable[str]]) -> tuple[tuple[str, ...], ...]:
    """Topological layers of `order` (template order is kept inside a layer).

    Raises Azure's circular dependency error, naming a resource that is on the cycle.
    """
    position = {node: i for i, node in enumerate(order)}
    waiting_on = {node: 0 for node in order}
    dependents: dict[str, list[str]] = {node: [] for node in order}
    for node in order:
        for target in set(edges.get(node, ())):
            if target not in position:
                continue
            waiting_on[node] += 1
            dependents[target].append(node)
    layer = [node for node in order if waiting_on[node] == 0]
    batches: list[tuple[str, ...]] = []
    placed = 0
    while layer:
        batches.append(tuple(layer))
        placed += len(layer)
        ready: list[str] = []
        for node in layer:
            for dependent in dependents[node]:
                waiting_on[dependent] -= 1
                if waiting_on[dependent] == 0:
                    ready.append(dependent)
        layer = sorted(ready, key=position.__getitem__)
    if placed != len(order):
        blocked = [node for node in order if waiting_on[node] > 0]
        raise circular_dependency(_node_on_cycle(blocked, edges, position))
    return tuple(batches)


def _node_on_cycle(blocked: list[str], edges: Mapping[str, Iterable[str]], position: Mapping[str, int]) -> str:
    # Every blocked node waits on another blocked node, so walking "waits on" links must revisit one:
    # the first revisited node lies on a cycle.
    blocked_set = set(blocked)
    seen: dict[str, int] = {}
    node = blocked[0]
    while node not in seen:
        seen[node] = len(seen)
        node = min((t for t in edges.get(node, ()) if t in blocked_set), key=position.__getitem__)
    return node


def circular_dependency(resource_id: str) -> InvalidTemplate:
    """Azure's error for a dependency cycle through `resource_id`."""
    return InvalidTemplate(
        "Deployment template validation failed: "
        f"'Circular dependency detected on resource: '{resource_id}'. {_RESOURCES_HELP}'."
    )

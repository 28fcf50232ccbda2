"""The dependency graph: resolution of dependsOn entries, batches, cycles."""

from __future__ import annotations

import pytest
from templates_support import RG_ID, rid

from vmss_emulator.domain.errors import InvalidTemplate
from vmss_emulator.domain.templates import GraphNode, plan_batches, resolve_dependencies

VNET = "Microsoft.Network/virtualNetworks"
SUBNET = "Microsoft.Network/virtualNetworks/subnets"
LB = "Microsoft.Network/loadBalancers"
VMSS = "Microsoft.Compute/virtualMachineScaleSets"


def node(resource_type: str, name: str, *depends_on: str, **extra: object) -> GraphNode:
    return GraphNode(id=rid(resource_type, name), type=resource_type, name=name, depends_on=depends_on, **extra)  # type: ignore[arg-type]


def batches_of(nodes: list[GraphNode]) -> list[list[str]]:
    edges = resolve_dependencies(nodes)
    return [
        [resource_id.rsplit("/", 1)[1] for resource_id in batch] for batch in plan_batches([n.id for n in nodes], edges)
    ]


@pytest.mark.parametrize(
    "entry",
    [
        pytest.param("vnet1", id="name"),
        pytest.param("VNET1", id="name-any-case"),
        pytest.param(f"{VNET}/vnet1", id="type-slash-name"),
        pytest.param(rid(VNET, "vnet1"), id="full-id"),
        pytest.param(rid(VNET, "vnet1").upper(), id="full-id-any-case"),
    ],
)
def test_depends_on_entry_forms_all_resolve_to_the_declared_resource(entry: str) -> None:
    nodes = [node(VMSS, "vmss1", entry), node(VNET, "vnet1")]
    assert resolve_dependencies(nodes)[rid(VMSS, "vmss1")] == (rid(VNET, "vnet1"),)


def test_child_type_name_forms_resolve() -> None:
    nodes = [node(SUBNET, "vnet1/s1"), node(LB, "lb", "vnet1/s1"), node(VMSS, "v", f"{VNET}/vnet1/subnets/s1")]
    edges = resolve_dependencies(nodes)
    assert edges[rid(LB, "lb")] == (rid(SUBNET, "vnet1/s1"),)
    assert edges[rid(VMSS, "v")] == (rid(SUBNET, "vnet1/s1"),)


def test_copy_loop_name_means_every_instance() -> None:
    pips = [node("Microsoft.Network/publicIPAddresses", f"pip{i}", copy_name="pips") for i in range(3)]
    nodes = [*pips, node(LB, "lb", "pips")]
    assert resolve_dependencies(nodes)[rid(LB, "lb")] == tuple(p.id for p in pips)


def test_unknown_depends_on_is_refused_with_azure_message() -> None:
    missing = rid(VNET, "nope")
    with pytest.raises(InvalidTemplate) as caught:
        resolve_dependencies([node(VMSS, "v", missing)])
    assert f"The resource '{missing}' is not defined in the template." in caught.value.message
    assert caught.value.code == "InvalidTemplate"


def test_implicit_references_outside_the_template_are_ignored() -> None:
    outside = f"{RG_ID}/providers/Microsoft.Storage/storageAccounts/elsewhere"
    nodes = [node(VNET, "vnet1"), node(VMSS, "v", implicit=("vnet1", outside))]
    assert resolve_dependencies(nodes)[rid(VMSS, "v")] == (rid(VNET, "vnet1"),)


def test_batches_group_independent_resources_and_keep_template_order() -> None:
    nodes = [
        node(VMSS, "vmss", "lb", "vnet1/subnet1"),
        node(LB, "lb", "pip"),
        node("Microsoft.Network/publicIPAddresses", "pip"),
        node(VNET, "vnet1"),
        node(SUBNET, "vnet1/subnet1", "vnet1"),
        node("Microsoft.Network/networkSecurityGroups", "nsg"),
    ]
    assert batches_of(nodes) == [["pip", "vnet1", "nsg"], ["lb", "subnet1"], ["vmss"]]


def test_duplicate_entries_count_once() -> None:
    nodes = [node(VNET, "vnet1"), node(VMSS, "v", "vnet1", rid(VNET, "vnet1"), f"{VNET}/vnet1")]
    assert resolve_dependencies(nodes)[rid(VMSS, "v")] == (rid(VNET, "vnet1"),)
    assert batches_of(nodes) == [["vnet1"], ["v"]]


@pytest.mark.parametrize(
    ("nodes", "on_cycle"),
    [
        pytest.param([node(VNET, "a", "a")], "a", id="self"),
        pytest.param([node(VNET, "a", "b"), node(VNET, "b", "a")], "a", id="pair"),
        pytest.param(
            [node(VNET, "free"), node(VNET, "x", "free", "z"), node(VNET, "y", "x"), node(VNET, "z", "y")],
            "x",
            id="three-with-a-free-node",
        ),
        pytest.param([node(VNET, "tail", "a"), node(VNET, "a", "b"), node(VNET, "b", "a")], "a", id="tail-into-cycle"),
    ],
)
def test_cycles_are_reported_on_a_resource_of_the_cycle(nodes: list[GraphNode], on_cycle: str) -> None:
    with pytest.raises(InvalidTemplate) as caught:
        batches_of(nodes)
    assert caught.value.message == (
        "Deployment template validation failed: "
        f"'Circular dependency detected on resource: '{rid(VNET, on_cycle)}'. "
        "Please see https://aka.ms/arm-template/#resources for usage details.'."
    )


def test_known_ids_are_dependencies_without_lookup() -> None:
    parent = node(VNET, "vnet1")
    child = node(SUBNET, "vnet1/s1", known_ids=(parent.id,))
    assert batches_of([child, parent]) == [["vnet1"], ["s1"]]


def test_large_copy_loops_plan_into_three_batches() -> None:
    # 1000 pips, 1000 nics each depending on its pip by name and on the vnet by id (timed by bench/bench_planners.py).
    nodes = [node(VNET, "vnet1")]
    nodes += [node("Microsoft.Network/publicIPAddresses", f"pip{i}", copy_name="pips") for i in range(1000)]
    nodes += [
        node("Microsoft.Network/networkInterfaces", f"nic{i}", f"pip{i}", rid(VNET, "vnet1"), copy_name="nics")
        for i in range(1000)
    ]
    nodes.append(node(LB, "lb", "nics"))
    batches = plan_batches([n.id for n in nodes], resolve_dependencies(nodes))
    assert [len(batch) for batch in batches] == [1001, 1000, 1]

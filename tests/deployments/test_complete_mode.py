"""Complete mode deletes what the template does not name: dependents first, each a recorded `Delete` operation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from azure.core.exceptions import ResourceNotFoundError
from tests.deployments.templates import NET, asg, deployment, template
from tests.helpers import raw, sub_path

from vmss_emulator._utils.clock import FakeClock
from vmss_emulator.app import Emulator

API = "2024-11-01"


def network() -> list[dict[str, Any]]:
    """A VNet, a public IP, an NSG and a NIC using all three: the NIC must go before what it references."""
    vnet = {
        "type": "Microsoft.Network/virtualNetworks",
        "apiVersion": NET,
        "name": "vnet",
        "location": "[resourceGroup().location]",
        "properties": {
            "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
            "subnets": [{"name": "default", "properties": {"addressPrefix": "10.0.0.0/24"}}],
        },
    }
    ip = {
        "type": "Microsoft.Network/publicIPAddresses",
        "apiVersion": NET,
        "name": "ip",
        "location": "[resourceGroup().location]",
        "sku": {"name": "Standard"},
        "properties": {"publicIPAllocationMethod": "Static"},
    }
    nsg = {
        "type": "Microsoft.Network/networkSecurityGroups",
        "apiVersion": NET,
        "name": "nsg",
        "location": "[resourceGroup().location]",
    }
    nic = {
        "type": "Microsoft.Network/networkInterfaces",
        "apiVersion": NET,
        # "a" sorts first: store order alone would delete the NIC last, after what it references.
        "name": "a-nic",
        "location": "[resourceGroup().location]",
        "dependsOn": ["vnet", "ip", "nsg"],
        "properties": {
            "networkSecurityGroup": {"id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg')]"},
            "ipConfigurations": [
                {
                    "name": "ipconfig1",
                    "properties": {
                        "subnet": {
                            "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'default')]"
                        },
                        "publicIPAddress": {"id": "[resourceId('Microsoft.Network/publicIPAddresses', 'ip')]"},
                    },
                }
            ],
        },
    }
    return [vnet, ip, nsg, nic]


def test_complete_mode_deletes_dependents_first_and_records_each_delete(
    deployments_client: Any, network_client: Any, rg: str
) -> None:
    created = deployments_client.deployments.begin_create_or_update(rg, "net", deployment(template(network())))
    assert created.result().properties.provisioning_state == "Succeeded"
    tpl = template([asg("kept")])
    poller = deployments_client.deployments.begin_create_or_update(rg, "wipe", deployment(tpl, mode="Complete"))
    result = poller.result()
    assert result.properties.provisioning_state == "Succeeded", result.properties.error
    for getter, name in [
        (network_client.network_interfaces.get, "a-nic"),
        (network_client.virtual_networks.get, "vnet"),
        (network_client.public_ip_addresses.get, "ip"),
        (network_client.network_security_groups.get, "nsg"),
    ]:
        with pytest.raises(ResourceNotFoundError):
            getter(rg, name)
    assert network_client.application_security_groups.get(rg, "kept").name == "kept"
    operations = list(deployments_client.deployment_operations.list(rg, "wipe"))
    by_kind = {
        (o.properties.provisioning_operation, o.properties.target_resource.resource_name): o.properties
        for o in operations
    }
    assert sorted(by_kind) == [
        ("Create", "kept"),
        ("Delete", "a-nic"),
        ("Delete", "ip"),
        ("Delete", "nsg"),
        ("Delete", "vnet"),
    ]
    assert {p.provisioning_state for p in by_kind.values()} == {"Succeeded"}
    nic_delete = by_kind[("Delete", "a-nic")]
    assert nic_delete.target_resource.resource_type == "Microsoft.Network/networkInterfaces"
    assert nic_delete.target_resource.id.endswith("/networkInterfaces/a-nic")


def test_complete_mode_waits_for_each_delete_before_deleting_what_it_referenced(
    make_emulator: Callable[..., Emulator],
) -> None:
    emulator = make_emulator(clock=FakeClock(), lifecycle_profile="realistic")
    group = f"{sub_path(emulator)}/resourcegroups/rg"
    assert raw(emulator, "PUT", f"{group}?api-version={API}", {"location": "westus"}).status == 201
    base = f"{group}/providers/Microsoft.Resources/deployments"
    raw(emulator, "PUT", f"{base}/net?api-version={API}", deployment(template(network())))
    emulator.advance(60)
    assert raw(emulator, "GET", f"{base}/net?api-version={API}").json()["properties"]["provisioningState"] == (
        "Succeeded"
    )
    response = raw(emulator, "PUT", f"{base}/wipe?api-version={API}", deployment(template([]), mode="Complete"))
    status_path = (response.header("Azure-AsyncOperation") or "").split(".local", 1)[1]
    assert raw(emulator, "GET", status_path).json()["status"] == "InProgress"

    def operations() -> dict[str, str]:
        items = raw(emulator, "GET", f"{base}/wipe/operations?api-version={API}").json()["value"]
        assert {o["properties"]["provisioningOperation"] for o in items} <= {"Delete"}
        return {o["properties"]["targetResource"]["resourceName"]: o["properties"]["provisioningState"] for o in items}

    # The NIC is being deleted (its delete takes seconds); nothing it references has been touched yet.
    assert operations() == {"a-nic": "Running"}
    assert raw(
        emulator, "GET", f"{group}/providers/Microsoft.Network/virtualNetworks/vnet?api-version={NET}"
    ).status == (200)
    seen_running: set[str] = set()
    for _ in range(60):
        emulator.advance(1)
        current = operations()
        seen_running |= {name for name, state in current.items() if state == "Running"}
        if current.get("a-nic") == "Running":
            assert set(current) == {"a-nic"}
        if raw(emulator, "GET", status_path).json()["status"] != "InProgress":
            break
    assert raw(emulator, "GET", status_path).json()["status"] == "Succeeded"
    assert operations() == {"a-nic": "Succeeded", "vnet": "Succeeded", "ip": "Succeeded", "nsg": "Succeeded"}
    # The three referenced resources were deleted together once the NIC was gone.
    assert seen_running >= {"vnet", "ip", "nsg"}
    listed = raw(emulator, "GET", f"{group}/resources?api-version={API}").json()["value"]
    assert listed == []


def test_the_delete_order_comes_from_references_in_stored_documents(
    deployments_client: Any, rg: str, emulator: Emulator
) -> None:
    from vmss_emulator.domain.deployments.complete import plan_deletes
    from vmss_emulator.domain.deployments.plan import DeploymentRequest, prepare_deployment
    from vmss_emulator.domain.ids import ResourceId

    deployments_client.deployments.begin_create_or_update(rg, "net", deployment(template(network()))).result()
    ctx = emulator.ctx
    rid = ResourceId.resource(ctx.settings.subscription_id, rg, "Microsoft.Resources/deployments", "wipe")
    prepared = prepare_deployment(ctx, rid, DeploymentRequest(template([]), {}, "Complete"), ctx.now())
    plan = plan_deletes(ctx, str(rid), prepared)
    refs = {item["id"].rsplit("/", 1)[1]: sorted(r.rsplit("/", 1)[1] for r in item["refs"]) for item in plan.values()}
    # The public IP's stored `ipConfiguration` back-reference to the NIC does not make it wait for the NIC.
    assert refs == {"a-nic": ["ip", "nsg", "vnet"], "ip": [], "nsg": [], "vnet": []}

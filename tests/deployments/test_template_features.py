"""Template features through the real SDK: list*() against real state, property copy loops, several failures,
parameter constraints, secure objects, cancel, a bad apiVersion."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from tests.deployments.templates import NET, asg, deployment, template
from tests.helpers import raw, sub_path

from vmss_emulator._utils.clock import FakeClock
from vmss_emulator.app import Emulator
from vmss_emulator.testing.plugin import EmulatorCredential, client_kwargs

VNET = "Microsoft.Network/virtualNetworks"


def deploy(client: Any, rg: str, name: str, tpl: Any, parameters: Any = None) -> Any:
    return client.deployments.begin_create_or_update(rg, name, deployment(tpl, parameters)).result()


def refused(action: Callable[[], Any]) -> HttpResponseError:
    with pytest.raises(HttpResponseError) as caught:
        action()
    return caught.value


def vnet(name: str, subnet_prefix: str) -> dict[str, Any]:
    return {
        "type": VNET,
        "apiVersion": NET,
        "name": name,
        "location": "[resourceGroup().location]",
        "properties": {
            "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
            "subnets": [{"name": "s", "properties": {"addressPrefix": subnet_prefix}}],
        },
    }


def test_list_function_on_a_real_resource_answers_the_providers_refusal(
    deployments_client: Any, rg: str, emulator: Emulator
) -> None:
    # No resource type the emulator models has a POST list* action (grep post_action: none starts with
    # "list"), so listKeys on a real NSG reaches its provider through StoreResolver.invoke_list and gets
    # exactly the refusal a REST POST .../listKeys gets; the output fails with
    # DeploymentOutputEvaluationFailed naming the output and carrying that refusal.
    nsg = {
        "type": "Microsoft.Network/networkSecurityGroups",
        "apiVersion": NET,
        "name": "nsg1",
        "location": "[resourceGroup().location]",
    }
    tpl = template([nsg], outputs={"keys": {"type": "object", "value": f"[listKeys('nsg1', '{NET}')]"}})
    error = refused(lambda: deploy(deployments_client, rg, "lister", tpl))
    assert error.error.code == "DeploymentOutputEvaluationFailed"
    assert "Unable to evaluate template outputs: 'keys'" in error.error.message
    doc = deployments_client.deployments.get(rg, "lister").properties
    assert doc.provisioning_state == "Failed"
    (detail,) = doc.error.details
    nsg_path = f"{sub_path(emulator)}/resourceGroups/{rg}/providers/Microsoft.Network/networkSecurityGroups/nsg1"
    over_rest = raw(emulator, "POST", f"{nsg_path}/listKeys?api-version={NET}")
    assert over_rest.status == 404
    assert (detail.code, detail.message, detail.target) == (
        over_rest.error_code,
        over_rest.json()["error"]["message"],
        "keys",
    )
    # The resource itself was deployed: only the output failed.
    operations = list(deployments_client.deployment_operations.list(rg, "lister"))
    assert [o.properties.provisioning_state for o in operations] == ["Succeeded"]


def test_a_property_copy_loop_builds_subnets(deployments_client: Any, network_client: Any, rg: str) -> None:
    looped = {
        "type": VNET,
        "apiVersion": NET,
        "name": "vnet1",
        "location": "[resourceGroup().location]",
        "properties": {
            "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
            "copy": [
                {
                    "name": "subnets",
                    "count": "[parameters('count')]",
                    "input": {
                        "name": "[concat('subnet', copyIndex('subnets', 1))]",
                        "properties": {"addressPrefix": "[concat('10.0.', copyIndex('subnets'), '.0/24')]"},
                    },
                }
            ],
        },
    }
    tpl = template([looped], parameters={"count": {"type": "int", "defaultValue": 1}})
    result = deploy(deployments_client, rg, "subnets", tpl, {"count": {"value": 3}})
    assert result.properties.provisioning_state == "Succeeded", result.properties.error
    subnets = network_client.virtual_networks.get(rg, "vnet1").subnets
    assert [(s.name, s.address_prefix) for s in subnets] == [
        ("subnet1", "10.0.0.0/24"),
        ("subnet2", "10.0.1.0/24"),
        ("subnet3", "10.0.2.0/24"),
    ]


def test_deployment_failed_names_each_failed_resource(
    deployments_client: Any, network_client: Any, rg: str, subscription_id: str
) -> None:
    tpl = template([vnet("vnet1", "10.9.0.0/24"), asg("fine"), vnet("vnet2", "10.8.0.0/24")])
    error = refused(lambda: deploy(deployments_client, rg, "two", tpl))
    assert error.error.code == "DeploymentFailed"
    group = f"/subscriptions/{subscription_id}/resourceGroups/{rg}/providers"
    details = deployments_client.deployments.get(rg, "two").properties.error.details
    assert sorted((d.target, d.code) for d in details) == [
        (f"{group}/Microsoft.Network/virtualNetworks/vnet1", "NetcfgSubnetRangeOutsideVnet"),
        (f"{group}/Microsoft.Network/virtualNetworks/vnet2", "NetcfgSubnetRangeOutsideVnet"),
    ]
    assert all("outside" in d.message or "range" in d.message for d in details)
    assert network_client.application_security_groups.get(rg, "fine").name == "fine"


@pytest.mark.parametrize(
    ("definition", "value", "reason"),
    [
        ({"type": "string", "minLength": 3}, "ab", "less than the minimum length '3'"),
        ({"type": "array", "minLength": 2}, ["a"], "less than the minimum length '2'"),
        ({"type": "array", "maxLength": 2}, ["a", "b", "c"], "more than the maximum length '2'"),
    ],
)
def test_length_constraints_refuse_the_deployment(
    deployments_client: Any, rg: str, definition: dict[str, Any], value: Any, reason: str
) -> None:
    tpl = template([asg("a1")], parameters={"p": definition})
    error = refused(lambda: deploy(deployments_client, rg, "len", tpl, {"p": {"value": value}}))
    assert (error.status_code, error.error.code) == (400, "InvalidTemplate")
    assert "template parameter 'p'" in error.error.message and reason in error.error.message


def test_length_constraints_accept_values_at_the_bounds(deployments_client: Any, rg: str) -> None:
    parameters = {
        "s": {"type": "string", "minLength": 2, "maxLength": 2},
        "a": {"type": "array", "minLength": 1, "maxLength": 1},
    }
    tpl = template([asg("a1")], parameters=parameters)
    result = deploy(deployments_client, rg, "ok", tpl, {"s": {"value": "ab"}, "a": {"value": ["x"]}})
    assert result.properties.provisioning_state == "Succeeded"


def test_secure_objects_are_never_echoed(deployments_client: Any, network_client: Any, rg: str) -> None:
    tpl = template(
        [asg("a1", tags={"owner": "[parameters('settings').owner]"})],
        parameters={"settings": {"type": "secureObject"}},
    )
    secret = {"owner": "me", "password": "Obj-s3cret!"}
    result = deploy(deployments_client, rg, "secobj", tpl, {"settings": {"value": secret}})
    assert result.properties.parameters == {"settings": {"type": "SecureObject"}}
    assert network_client.application_security_groups.get(rg, "a1").tags == {"owner": "me"}
    for shown in (
        deployments_client.deployments.get(rg, "secobj").as_dict(),
        [d.as_dict() for d in deployments_client.deployments.list_by_resource_group(rg)],
        [o.as_dict() for o in deployments_client.deployment_operations.list(rg, "secobj")],
    ):
        assert "Obj-s3cret!" not in str(shown)


def test_a_bad_api_version_is_invalid_template_deployment(
    deployments_client: Any, network_client: Any, rg: str
) -> None:
    tpl = template([asg("a1", apiVersion="2001-01-01")])
    error = refused(lambda: deploy(deployments_client, rg, "apiv", tpl))
    assert (error.status_code, error.error.code) == (400, "InvalidTemplateDeployment")
    (detail,) = error.error.details
    assert detail.code == "NoRegisteredProviderFound" and "2001-01-01" in detail.message
    assert list(network_client.application_security_groups.list(rg)) == []


def test_cancel_through_the_sdk(make_emulator: Callable[..., Emulator]) -> None:
    from azure.mgmt.resource.deployments import DeploymentsMgmtClient

    emulator = make_emulator(clock=FakeClock(), lifecycle_profile="realistic")
    client = DeploymentsMgmtClient(
        EmulatorCredential(emulator), emulator.ctx.settings.subscription_id, **client_kwargs(emulator)
    )
    group = f"{sub_path(emulator)}/resourcegroups/rg?api-version=2024-11-01"
    assert raw(emulator, "PUT", group, {"location": "westus"}).status == 201
    tpl = template([asg("first"), asg("second", dependsOn=["first"])])
    client.deployments.begin_create_or_update("rg", "c", deployment(tpl), polling=False)
    assert client.deployments.get("rg", "c").properties.provisioning_state in ("Accepted", "Running")
    client.deployments.cancel("rg", "c")
    emulator.advance(30)
    assert client.deployments.get("rg", "c").properties.provisioning_state == "Canceled"
    names = [o.properties.target_resource.resource_name for o in client.deployment_operations.list("rg", "c")]
    assert "second" not in names
    error = refused(lambda: client.deployments.cancel("rg", "c"))
    assert (error.status_code, error.error.code) == (409, "DeploymentCannotBeCancelled")

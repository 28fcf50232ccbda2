"""Template deployments through the real azure-mgmt-resource-deployments client."""

from __future__ import annotations

from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from tests.deployments.templates import NET, asg, deployment, template

VNET = "Microsoft.Network/virtualNetworks"


def vnet(name: str, prefix: str = "10.0.0.0/16", subnets: list[dict[str, Any]] | None = None, **extra: Any) -> Any:
    return {
        "type": VNET,
        "apiVersion": NET,
        "name": name,
        "location": "[resourceGroup().location]",
        "properties": {"addressSpace": {"addressPrefixes": [prefix]}, "subnets": subnets or []},
        **extra,
    }


def pip(name: str, **extra: Any) -> Any:
    return {
        "type": "Microsoft.Network/publicIPAddresses",
        "apiVersion": NET,
        "name": name,
        "location": "[resourceGroup().location]",
        "sku": {"name": "Standard"},
        "properties": {"publicIPAllocationMethod": "Static"},
        **extra,
    }


def deploy(client: Any, rg: str, name: str, tpl: Any, parameters: Any = None, mode: str = "Incremental") -> Any:
    return client.deployments.begin_create_or_update(rg, name, deployment(tpl, parameters, mode)).result()


def refused(action: Any) -> HttpResponseError:
    with pytest.raises(HttpResponseError) as caught:
        action()
    return caught.value


def test_depends_on_orders_resources_and_reference_feeds_properties_and_outputs(
    deployments_client: Any, network_client: Any, rg: str
) -> None:
    nsg = {
        "type": "Microsoft.Network/networkSecurityGroups",
        "apiVersion": NET,
        "name": "nsg1",
        "location": "[resourceGroup().location]",
    }
    subnet = {
        "name": "default",
        "properties": {
            "addressPrefix": "10.0.0.0/24",
            "networkSecurityGroup": {"id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg1')]"},
        },
    }
    net = vnet("vnet1", subnets=[subnet], dependsOn=["nsg1"], tags={"pipAddress": "[reference('ip1').ipAddress]"})
    net["dependsOn"].append("[resourceId('Microsoft.Network/publicIPAddresses', 'ip1')]")
    tpl = template(
        [net, nsg, pip("ip1")],
        outputs={
            "address": {"type": "string", "value": "[reference('ip1').ipAddress]"},
            "vnet": {"type": "object", "value": "[reference('vnet1', '2024-05-01', 'Full')]"},
        },
    )
    result = deploy(deployments_client, rg, "net", tpl)
    props = result.properties
    assert props.provisioning_state == "Succeeded", props.error
    ip = network_client.public_ip_addresses.get(rg, "ip1").ip_address
    assert ip and props.outputs["address"] == {"type": "String", "value": ip}
    made = network_client.virtual_networks.get(rg, "vnet1")
    assert made.tags == {"pipAddress": ip}
    assert made.subnets[0].network_security_group.id.endswith("/networkSecurityGroups/nsg1")
    assert props.outputs["vnet"]["value"]["id"] == made.id
    assert sorted(r.id.rsplit("/", 1)[1] for r in props.output_resources) == ["ip1", "nsg1", "vnet1"]
    (dependency,) = props.dependencies
    assert dependency.resource_name == "vnet1"
    assert sorted(d.resource_name for d in dependency.depends_on) == ["ip1", "nsg1"]
    operations = list(deployments_client.deployment_operations.list(rg, "net"))
    assert sorted(o.properties.target_resource.resource_name for o in operations) == ["ip1", "nsg1", "vnet1"]
    assert {o.properties.provisioning_state for o in operations} == {"Succeeded"}
    assert {o.properties.provisioning_operation for o in operations} == {"Create"}


def test_copy_loops_and_conditions(deployments_client: Any, network_client: Any, rg: str) -> None:
    looped = asg("[concat('asg', copyIndex(1))]", copy={"name": "asgs", "count": "[parameters('count')]"})
    skipped = asg("never", condition="[equals(parameters('count'), 99)]")
    tpl = template(
        [looped, skipped],
        parameters={"count": {"type": "int", "defaultValue": 1}},
        outputs={"names": {"type": "array", "copy": {"count": 3, "input": "[concat('asg', copyIndex(1))]"}}},
    )
    result = deploy(deployments_client, rg, "loop", tpl, {"count": {"value": 3}})
    assert result.properties.provisioning_state == "Succeeded"
    names = sorted(a.name for a in network_client.application_security_groups.list(rg))
    assert names == ["asg1", "asg2", "asg3"]
    assert result.properties.outputs["names"]["value"] == ["asg1", "asg2", "asg3"]
    assert result.properties.parameters["count"] == {"type": "Int", "value": 3}


def test_template_strings_are_coerced_like_azure_does(
    deployments_client: Any, network_client: Any, rg: str, subscription_id: str
) -> None:
    lb_id = f"/subscriptions/{subscription_id}/resourceGroups/{rg}/providers/Microsoft.Network/loadBalancers/lb"
    lb = {
        "type": "Microsoft.Network/loadBalancers",
        "apiVersion": "2022-01-01",
        "name": "lb",
        "location": "[resourceGroup().location]",
        "sku": {"name": "Standard"},
        "dependsOn": ["lbip"],
        "properties": {
            "frontendIPConfigurations": [
                {
                    "name": "fe",
                    "properties": {
                        "publicIPAddress": {"id": "[resourceId('Microsoft.Network/publicIPAddresses', 'lbip')]"}
                    },
                }
            ],
            "backendAddressPools": [{"name": "pool"}],
            "loadBalancingRules": [
                {
                    "name": "rule",
                    "properties": {
                        "frontendIPConfiguration": {"id": f"{lb_id}/frontendIPConfigurations/fe"},
                        "backendAddressPool": {"id": f"{lb_id}/backendAddressPools/pool"},
                        "protocol": "tcp",
                        "frontendPort": "80",
                        "backendPort": "80",
                        "enableFloatingIP": "false",
                        "idleTimeoutInMinutes": None,
                    },
                }
            ],
        },
    }
    result = deploy(deployments_client, rg, "lb", template([pip("lbip"), lb]))
    assert result.properties.provisioning_state == "Succeeded", result.properties.error
    rule = network_client.load_balancers.get(rg, "lb").load_balancing_rules[0]
    assert (rule.frontend_port, rule.backend_port, rule.enable_floating_ip) == (80, 80, False)


def test_secure_parameters_are_never_echoed(deployments_client: Any, rg: str) -> None:
    tpl = template(
        [asg("a1", tags={"owner": "[parameters('owner')]"})],
        parameters={"secret": {"type": "securestring"}, "owner": {"type": "string"}},
    )
    params = {"secret": {"value": "Sup3r-secret!"}, "owner": {"value": "me"}}
    result = deploy(deployments_client, rg, "sec", tpl, params)
    assert result.properties.parameters == {
        "secret": {"type": "SecureString"},
        "owner": {"type": "String", "value": "me"},
    }
    fetched = deployments_client.deployments.get(rg, "sec")
    assert "Sup3r-secret!" not in str(fetched.as_dict())
    listed = list(deployments_client.deployments.list_by_resource_group(rg))
    assert "Sup3r-secret!" not in str([d.as_dict() for d in listed])


def test_a_bad_template_is_refused_synchronously_and_stores_nothing(deployments_client: Any, rg: str) -> None:
    bad = template([asg("[concat('a', parameters('missing'))]")])
    error = refused(lambda: deploy(deployments_client, rg, "bad", bad))
    assert (error.status_code, error.error.code) == (400, "InvalidTemplate")
    with pytest.raises(ResourceNotFoundError) as caught:
        deployments_client.deployments.get(rg, "bad")
    assert caught.value.error.code == "DeploymentNotFound"


def test_a_dependency_cycle_is_an_invalid_template(deployments_client: Any, network_client: Any, rg: str) -> None:
    tpl = template([asg("a", dependsOn=["b"]), asg("b", dependsOn=["a"])])
    error = refused(lambda: deploy(deployments_client, rg, "cycle", tpl))
    assert (error.status_code, error.error.code) == (400, "InvalidTemplate")
    assert "ircular" in error.error.message
    assert list(network_client.application_security_groups.list(rg)) == []


def test_a_missing_parameter_value_is_an_invalid_template(deployments_client: Any, rg: str) -> None:
    tpl = template([asg("[parameters('name')]")], parameters={"name": {"type": "string"}})
    error = refused(lambda: deploy(deployments_client, rg, "noparam", tpl))
    assert (error.status_code, error.error.code) == (400, "InvalidTemplate")


def test_an_unmodelled_resource_type_fails_preflight(deployments_client: Any, rg: str) -> None:
    storage = {
        "type": "Microsoft.Storage/storageAccounts",
        "apiVersion": "2023-01-01",
        "name": "st",
        "location": "westus",
    }
    error = refused(lambda: deploy(deployments_client, rg, "st", template([storage])))
    assert (error.status_code, error.error.code) == (400, "InvalidTemplateDeployment")
    assert error.error.details[0].code == "InvalidResourceType"


def test_a_resource_refused_by_its_provider_fails_the_deployment_and_keeps_what_succeeded(
    deployments_client: Any, network_client: Any, rg: str
) -> None:
    outside = vnet("vnet1", subnets=[{"name": "s", "properties": {"addressPrefix": "10.9.0.0/24"}}], dependsOn=["a1"])
    error = refused(lambda: deploy(deployments_client, rg, "refused", template([asg("a1"), outside])))
    assert error.error.code == "DeploymentFailed"
    assert "At least one resource deployment operation failed" in error.error.message
    deployment_doc = deployments_client.deployments.get(rg, "refused")
    assert deployment_doc.properties.provisioning_state == "Failed"
    assert deployment_doc.properties.error.code == "DeploymentFailed"
    assert deployment_doc.properties.error.details[0].code == "NetcfgSubnetRangeOutsideVnet"
    assert network_client.application_security_groups.get(rg, "a1").name == "a1"
    with pytest.raises(ResourceNotFoundError):
        network_client.virtual_networks.get(rg, "vnet1")
    operations = {
        o.properties.target_resource.resource_name: o
        for o in deployments_client.deployment_operations.list(rg, "refused")
    }
    assert operations["a1"].properties.provisioning_state == "Succeeded"
    failed = operations["vnet1"].properties
    assert (failed.provisioning_state, failed.status_code) == ("Failed", "BadRequest")
    assert failed.status_message["error"]["code"] == "NetcfgSubnetRangeOutsideVnet"


def test_a_reference_to_a_missing_resource_fails_the_deployment(
    deployments_client: Any, network_client: Any, rg: str
) -> None:
    tpl = template(
        [
            asg(
                "a1",
                tags={"x": "[reference(resourceId('Microsoft.Network/publicIPAddresses', 'nope'), '2024-05-01').id]"},
            )
        ]
    )
    error = refused(lambda: deploy(deployments_client, rg, "ref", tpl))
    assert error.error.code == "DeploymentFailed"
    doc = deployments_client.deployments.get(rg, "ref")
    assert doc.properties.error.details, doc.properties.error
    assert list(network_client.application_security_groups.list(rg)) == []


def test_complete_mode_deletes_what_the_template_does_not_name(
    deployments_client: Any, network_client: Any, rg: str
) -> None:
    deploy(deployments_client, rg, "first", template([asg("keep"), asg("drop")]))
    result = deploy(deployments_client, rg, "second", template([asg("keep"), asg("new")]), mode="Complete")
    assert result.properties.mode == "Complete"
    assert sorted(a.name for a in network_client.application_security_groups.list(rg)) == ["keep", "new"]
    # Deployments themselves are not resources of the group: both are still listed.
    assert sorted(d.name for d in deployments_client.deployments.list_by_resource_group(rg)) == ["first", "second"]


def test_validate_answers_the_deployment_with_validated_resources_and_creates_nothing(
    deployments_client: Any, network_client: Any, rg: str
) -> None:
    tpl = template([asg("a1"), asg("a2")])
    result = deployments_client.deployments.begin_validate(rg, "v", deployment(tpl)).result()
    assert sorted(r.id.rsplit("/", 1)[1] for r in result.properties.validated_resources) == ["a1", "a2"]
    assert list(network_client.application_security_groups.list(rg)) == []
    with pytest.raises(ResourceNotFoundError):
        deployments_client.deployments.get(rg, "v")


def test_export_template_list_and_delete(deployments_client: Any, network_client: Any, rg: str) -> None:
    tpl = template([asg("a1")])
    deploy(deployments_client, rg, "d1", tpl)
    exported = deployments_client.deployments.export_template(rg, "d1")
    assert exported.template == tpl
    deployments_client.deployments.begin_delete(rg, "d1").result()
    assert list(deployments_client.deployments.list_by_resource_group(rg)) == []
    # Deleting a deployment leaves its resources.
    assert network_client.application_security_groups.get(rg, "a1").name == "a1"


def test_what_if_reports_creates_modifies_and_unnamed_resources(
    deployments_client: Any, network_client: Any, rg: str
) -> None:
    deploy(deployments_client, rg, "base", template([asg("same"), asg("tagged", tags={"v": "1"}), asg("other")]))
    tpl = template([asg("same"), asg("tagged", tags={"v": "2"}), asg("fresh")])

    def changes(mode: str) -> dict[str, Any]:
        body = deployment(tpl, mode=mode)
        result = deployments_client.deployments.begin_what_if(rg, "wi", body).result()
        assert result.status == "Succeeded"
        return {c.resource_id.rsplit("/", 1)[1]: c for c in result.changes}

    incremental = changes("Incremental")
    assert {k: v.change_type for k, v in incremental.items()} == {
        "same": "NoChange",
        "tagged": "Modify",
        "fresh": "Create",
        "other": "Ignore",
    }
    (delta,) = incremental["tagged"].delta
    assert (delta.path, delta.property_change_type, delta.before, delta.after) == ("tags.v", "Modify", "1", "2")
    assert changes("Complete")["other"].change_type == "Delete"
    assert sorted(a.name for a in network_client.application_security_groups.list(rg)) == ["other", "same", "tagged"]


def test_after_a_refusal_independent_resources_still_deploy_and_dependents_never_start(
    deployments_client: Any, network_client: Any, rg: str
) -> None:
    outside = vnet("vnet1", subnets=[{"name": "s", "properties": {"addressPrefix": "10.9.0.0/24"}}])
    tpl = template([asg("a1"), outside, asg("a2", dependsOn=["vnet1"]), asg("a3", dependsOn=["a1"])])
    error = refused(lambda: deploy(deployments_client, rg, "partial", tpl))
    assert error.error.code == "DeploymentFailed"
    assert sorted(a.name for a in network_client.application_security_groups.list(rg)) == ["a1", "a3"]
    operations = deployments_client.deployment_operations.list(rg, "partial")
    assert sorted(o.properties.target_resource.resource_name for o in operations) == ["a1", "a3", "vnet1"]


def test_an_output_that_cannot_be_evaluated_fails_with_deployment_output_evaluation_failed(
    deployments_client: Any, network_client: Any, rg: str
) -> None:
    tpl = template([asg("a1")], outputs={"bad": {"type": "string", "value": "[reference('a1').noSuchProperty]"}})
    error = refused(lambda: deploy(deployments_client, rg, "out", tpl))
    assert error.error.code == "DeploymentOutputEvaluationFailed"
    assert "Unable to evaluate template outputs: 'bad'" in error.error.message
    assert network_client.application_security_groups.get(rg, "a1").name == "a1"

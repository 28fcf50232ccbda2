"""Nested deployments (`Microsoft.Resources/deployments` inside a template) run as deployments of their own."""

from __future__ import annotations

from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from tests.deployments.templates import asg, deployment, template


def test_an_inner_scoped_nested_deployment_deploys_and_returns_outputs(
    deployments_client: Any, network_client: Any, rg: str
) -> None:
    inner = template(
        [asg("[parameters('name')]")],
        parameters={"name": {"type": "string"}},
        outputs={"guid": {"type": "string", "value": "[reference(parameters('name')).resourceGuid]"}},
    )
    nested = {
        "type": "Microsoft.Resources/deployments",
        "apiVersion": "2022-09-01",
        "name": "inner",
        "properties": {
            "mode": "Incremental",
            "expressionEvaluationOptions": {"scope": "inner"},
            "template": inner,
            "parameters": {"name": {"value": "[concat(parameters('prefix'), '-asg')]"}},
        },
    }
    outer = template(
        [nested, asg("after", dependsOn=["inner"])],
        parameters={"prefix": {"type": "string"}},
        outputs={"innerGuid": {"type": "string", "value": "[reference('inner').outputs.guid.value]"}},
    )
    body = deployment(outer, {"prefix": {"value": "app"}})
    result = deployments_client.deployments.begin_create_or_update(rg, "outer", body).result()
    assert result.properties.provisioning_state == "Succeeded", result.properties.error
    guid = network_client.application_security_groups.get(rg, "app-asg").resource_guid
    assert result.properties.outputs["innerGuid"]["value"] == guid
    inner_doc = deployments_client.deployments.get(rg, "inner")
    assert inner_doc.properties.provisioning_state == "Succeeded"
    assert sorted(d.name for d in deployments_client.deployments.list_by_resource_group(rg)) == ["inner", "outer"]
    assert network_client.application_security_groups.get(rg, "after").name == "after"


def test_an_outer_scoped_nested_template_sees_the_parent_parameters(
    deployments_client: Any, network_client: Any, rg: str
) -> None:
    nested = {
        "type": "Microsoft.Resources/deployments",
        "apiVersion": "2021-04-01",
        "name": "outerScoped",
        "properties": {"mode": "Incremental", "template": template([asg("[concat(parameters('prefix'), '-x')]")])},
    }
    outer = template([nested], parameters={"prefix": {"type": "string"}})
    body = deployment(outer, {"prefix": {"value": "p"}})
    result = deployments_client.deployments.begin_create_or_update(rg, "outer2", body).result()
    assert result.properties.provisioning_state == "Succeeded", result.properties.error
    assert network_client.application_security_groups.get(rg, "p-x").name == "p-x"


def test_a_failing_nested_deployment_fails_its_parent(deployments_client: Any, network_client: Any, rg: str) -> None:
    nested = {
        "type": "Microsoft.Resources/deployments",
        "apiVersion": "2021-04-01",
        "name": "broken",
        "properties": {
            "mode": "Incremental",
            "expressionEvaluationOptions": {"scope": "inner"},
            "template": template([asg("a", location="nowhere")]),
        },
    }
    body = deployment(template([nested]))
    poller = deployments_client.deployments.begin_create_or_update(rg, "parent", body)
    with pytest.raises(HttpResponseError) as caught:
        poller.result()
    assert caught.value.error.code == "DeploymentFailed"
    parent = deployments_client.deployments.get(rg, "parent").properties
    assert parent.provisioning_state == "Failed"
    (detail,) = parent.error.details
    assert detail.code == "ResourceDeploymentFailure"
    assert detail.details[0].code == "DeploymentFailed"
    assert deployments_client.deployments.get(rg, "broken").properties.provisioning_state == "Failed"

"""Azure's documented wording of deployment errors, through the SDK: what a client can parse out of them."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.deployments.templates import asg, template
from tests.deployments.test_deploy import deploy, refused


def test_an_invalid_template_names_the_resource_with_its_line_and_column(deployments_client: Any, rg: str) -> None:
    tpl = template([asg("fine"), asg("[concat('a', parameters('missing'))]")])
    error = refused(lambda: deploy(deployments_client, rg, "bad", tpl))
    assert (error.status_code, error.error.code) == (400, "InvalidTemplate")
    found = re.search(
        r"The template resource '(.+)' at line '(\d+)' and column '(\d+)' is not valid", error.error.message
    )
    assert found, error.error.message
    assert found.group(1) == "[concat('a', parameters('missing'))]"
    # The position is that of the second resource in the template as the SDK serialised it (one line).
    text = json.dumps(tpl)
    line, column = int(found.group(2)), int(found.group(3))
    assert line == 1
    second = text.index("{", text.index("}", text.index('"resources"')))
    assert abs(column - second) <= 1
    assert error.error.message.startswith("Deployment template validation failed: '")
    assert "The template parameter 'missing' is not found." in error.error.message


def test_a_cycle_names_the_full_resource_id(deployments_client: Any, rg: str) -> None:
    tpl = template([asg("a", dependsOn=["b"]), asg("b", dependsOn=["a"])])
    error = refused(lambda: deploy(deployments_client, rg, "cycle", tpl))
    found = re.search(r"Circular dependency detected on resource: '([^']+)'", error.error.message)
    assert found, error.error.message
    assert re.fullmatch(r"/subscriptions/[^/]+/resourceGroups/rg-deploy/providers/Microsoft\.Network/"
                        r"applicationSecurityGroups/[ab]", found.group(1))  # fmt: skip


def test_a_missing_reference_is_the_resource_not_found_of_arm_in_the_failed_operation(
    deployments_client: Any, rg: str
) -> None:
    ref = "[reference(resourceId('Microsoft.Network/publicIPAddresses', 'nope'), '2024-05-01').id]"
    error = refused(lambda: deploy(deployments_client, rg, "ref", template([asg("a1", tags={"x": ref})])))
    assert error.error.code == "DeploymentFailed"
    assert error.error.target.endswith("/providers/Microsoft.Resources/deployments/ref")
    (detail,) = error.error.details
    assert detail.code == "ResourceNotFound"
    assert "'Microsoft.Network/publicIPAddresses/nope' under resource group 'rg-deploy' was not found" in detail.message
    (operation,) = deployments_client.deployment_operations.list(rg, "ref")
    props = operation.properties
    assert (props.provisioning_state, props.status_code) == ("Failed", "NotFound")
    assert props.status_message["error"]["code"] == "ResourceNotFound"

"""`az deployment group create / what-if / operation list` (azure-cli 2.91) against the HTTPS emulator."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Az
from tests.deployments.templates import asg, template


def test_az_deployment_group_create_what_if_and_operations(az: Az, tmp_path: Path) -> None:
    az("group", "create", "-n", "az-deploy", "-l", "westus")
    tpl = template(
        [asg("[parameters('name')]"), asg("second", dependsOn=["[parameters('name')]"])],
        parameters={"name": {"type": "string"}, "secret": {"type": "securestring", "defaultValue": "hidden-value"}},
        outputs={
            "ASGId": {
                "type": "string",
                "value": "[resourceId('Microsoft.Network/applicationSecurityGroups', parameters('name'))]",
            }
        },
    )
    path = tmp_path / "asgs.json"
    path.write_text(json.dumps(tpl))
    preview = az("deployment", "group", "what-if", "-g", "az-deploy", "--template-file", str(path),
                 "--parameters", "name=first", "--no-pretty-print")  # fmt: skip
    assert sorted(c["changeType"] for c in preview["changes"]) == ["Create", "Create"]
    created = az("deployment", "group", "create", "-g", "az-deploy", "--template-file", str(path),
                 "--parameters", "name=first")  # fmt: skip
    assert created["name"] == "asgs"
    assert created["properties"]["provisioningState"] == "Succeeded"
    assert created["properties"]["outputs"]["asgId"]["value"].endswith("/applicationSecurityGroups/first")
    assert "hidden-value" not in json.dumps(created)
    assert sorted(a["name"] for a in az("network", "asg", "list", "-g", "az-deploy")) == ["first", "second"]
    operations = az("deployment", "operation", "group", "list", "-g", "az-deploy", "-n", "asgs")
    assert sorted(o["properties"]["targetResource"]["resourceName"] for o in operations) == ["first", "second"]
    assert az("deployment", "group", "show", "-g", "az-deploy", "-n", "asgs")["properties"]["mode"] == "Incremental"

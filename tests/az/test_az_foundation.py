"""The real Azure CLI against a real HTTPS emulator, logged in with `vmss-emulator az-login`."""

from __future__ import annotations

from tests.conftest import Az


def test_az_account_show_reports_the_emulator_subscription(az: Az) -> None:
    account = az("account", "show")
    cloud = az.server.settings.cloud
    assert account["id"] == cloud.subscription_id
    assert account["tenantId"] == cloud.tenant_id
    assert account["user"] == {"name": cloud.client_id, "type": "servicePrincipal"}
    assert account["environmentName"] == "VmssEmulator"


def test_az_group_create_show_list_delete(az: Az) -> None:
    created = az("group", "create", "-n", "az-rg", "-l", "westus2", "--tags", "team=infra")
    assert created["name"] == "az-rg"
    assert created["location"] == "westus2"
    assert created["tags"] == {"team": "infra"}
    assert az("group", "show", "-n", "az-rg")["properties"]["provisioningState"] == "Succeeded"
    assert "az-rg" in [g["name"] for g in az("group", "list")]
    assert az.run("group", "exists", "-n", "az-rg").stdout.strip() == "true"
    az.run("group", "delete", "-n", "az-rg", "--yes")
    assert az.run("group", "exists", "-n", "az-rg").stdout.strip() == "false"
    missing = az.run("group", "show", "-n", "az-rg", check=False)
    assert missing.returncode == 3
    assert "(ResourceGroupNotFound) Resource group 'az-rg' could not be found." in missing.stderr


def test_az_rest_against_a_resource_group(az: Az) -> None:
    az("group", "create", "-n", "az-rest", "-l", "eastus")
    body = az("rest", "--url", "/subscriptions/{subscriptionId}/resourceGroups/az-rest?api-version=2024-11-01")
    assert body["name"] == "az-rest"
    patched = az(
        "rest",
        "--method",
        "patch",
        "--url",
        "/subscriptions/{subscriptionId}/resourceGroups/az-rest?api-version=2024-11-01",
        "--body",
        '{"tags": {"via": "rest"}}',
    )
    assert patched["tags"] == {"via": "rest"}
    bad = az.run("rest", "--url", "/subscriptions/{subscriptionId}/resourceGroups/az-rest", check=False)
    assert bad.returncode != 0
    assert "MissingApiVersionParameter" in bad.stderr

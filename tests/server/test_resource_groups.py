"""Resource groups through the real azure-mgmt-resource client."""

from __future__ import annotations

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from tests.helpers import raw, sub_path

from vmss_emulator.app import Emulator


def test_create_get_list_update_and_check_existence(resource_client) -> None:  # type: ignore[no-untyped-def]
    created = resource_client.resource_groups.create_or_update("rg-a", {"location": "West Europe", "tags": {"k": "v"}})
    assert created.location == "westeurope"
    assert created.properties.provisioning_state == "Succeeded"
    assert created.id.endswith("/resourceGroups/rg-a")
    assert resource_client.resource_groups.check_existence("rg-a") is True
    assert resource_client.resource_groups.check_existence("rg-b") is False
    resource_client.resource_groups.create_or_update("rg-b", {"location": "eastus"})
    assert sorted(g.name for g in resource_client.resource_groups.list()) == ["rg-a", "rg-b"]
    patched = resource_client.resource_groups.update("rg-a", {"tags": {"new": "tag"}})
    assert patched.tags == {"new": "tag"}
    assert resource_client.resource_groups.get("RG-A").tags == {"new": "tag"}


def test_get_missing_group_raises_resource_not_found_with_arm_code(resource_client) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ResourceNotFoundError) as caught:
        resource_client.resource_groups.get("missing")
    assert caught.value.error.code == "ResourceGroupNotFound"
    assert caught.value.error.message == "Resource group 'missing' could not be found."


def test_moving_a_group_to_another_location_is_refused(resource_client) -> None:  # type: ignore[no-untyped-def]
    resource_client.resource_groups.create_or_update("rg", {"location": "eastus"})
    with pytest.raises(HttpResponseError) as caught:
        resource_client.resource_groups.create_or_update("rg", {"location": "westus"})
    assert caught.value.status_code == 409
    assert caught.value.error.code == "InvalidResourceGroupLocation"


def test_delete_is_a_long_running_operation_that_deletes_everything_inside(
    emulator: Emulator,
    resource_client,
    network_client,  # type: ignore[no-untyped-def]
) -> None:
    resource_client.resource_groups.create_or_update("doomed", {"location": "eastus"})
    resource_client.resource_groups.create_or_update("kept", {"location": "eastus"})
    for rg in ("doomed", "kept"):
        network_client.application_security_groups.begin_create_or_update(rg, "asg", {"location": "eastus"}).result()
    resource_client.resource_groups.begin_delete("doomed").result()
    assert resource_client.resource_groups.check_existence("doomed") is False
    with pytest.raises(ResourceNotFoundError):
        network_client.application_security_groups.get("doomed", "asg")
    assert network_client.application_security_groups.get("kept", "asg").name == "asg"
    # A re-created group of the same name starts empty.
    resource_client.resource_groups.create_or_update("doomed", {"location": "eastus"})
    assert list(network_client.application_security_groups.list("doomed")) == []


def test_writes_into_a_group_being_deleted_are_refused(make_emulator) -> None:  # type: ignore[no-untyped-def]
    from vmss_emulator._utils.clock import FakeClock

    emulator = make_emulator(clock=FakeClock())
    rg = f"{sub_path(emulator)}/resourcegroups/rg?api-version=2024-11-01"
    raw(emulator, "PUT", rg, {"location": "eastus"})
    # Deleting starts the operation; until it runs, the group is Deleting.
    deleting = raw(emulator, "DELETE", rg)
    assert deleting.status == 202
    assert raw(emulator, "GET", rg).json()["properties"]["provisioningState"] == "Deleting"
    asg = f"{sub_path(emulator)}/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups/a"
    asg += "?api-version=2024-05-01"
    refused = raw(emulator, "PUT", asg, {"location": "eastus"})
    assert refused.status == 409
    assert refused.error_code == "ResourceGroupBeingDeleted"
    emulator.settle()
    assert raw(emulator, "GET", rg).status == 404


def test_resources_of_a_group_are_listed(resource_client, network_client) -> None:  # type: ignore[no-untyped-def]
    resource_client.resource_groups.create_or_update("rg", {"location": "eastus"})
    network_client.application_security_groups.begin_create_or_update("rg", "asg1", {"location": "eastus"}).result()
    listed = list(resource_client.resources.list_by_resource_group("rg"))
    assert [(r.name, r.type) for r in listed] == [("asg1", "Microsoft.Network/applicationSecurityGroups")]


def test_subscription_tenant_and_provider_endpoints(emulator: Emulator, resource_client) -> None:  # type: ignore[no-untyped-def]
    subs = raw(emulator, "GET", "/subscriptions?api-version=2022-12-01").json()["value"]
    assert subs[0]["subscriptionId"] == emulator.ctx.settings.subscription_id
    assert subs[0]["tenantId"] == emulator.ctx.settings.tenant_id
    tenants = raw(emulator, "GET", "/tenants?api-version=2022-12-01").json()["value"]
    assert tenants[0]["tenantId"] == emulator.ctx.settings.tenant_id
    network = resource_client.providers.get("Microsoft.Network")
    assert network.registration_state == "Registered"
    types = {t.resource_type: t for t in network.resource_types}
    assert "2026-03-01" in types["applicationSecurityGroups"].api_versions
    registered = resource_client.providers.register("microsoft.network")
    assert registered.namespace == "Microsoft.Network"
    locations = raw(emulator, "GET", f"{sub_path(emulator)}/locations?api-version=2022-12-01").json()["value"]
    assert {"eastus", "westus", "westeurope"} <= {loc["name"] for loc in locations}


def test_resources_list_honours_the_filter_az_uses_to_find_existing_resources(  # type: ignore[no-untyped-def]
    resource_client, network_client
) -> None:
    from azure.core.exceptions import HttpResponseError

    for group in ("rg", "rg2"):
        resource_client.resource_groups.create_or_update(group, {"location": "eastus"})
        network_client.application_security_groups.begin_create_or_update(
            group, "asg1", {"location": "eastus", "tags": {"env": group}}
        ).result()
    network_client.network_security_groups.begin_create_or_update("rg", "nsg1", {"location": "eastus"}).result()
    found = list(
        resource_client.resources.list(
            filter="resourceGroup eq 'rg' and name eq 'asg1' and "
            "resourceType eq 'Microsoft.Network/applicationSecurityGroups'"
        )
    )
    assert [r.id.split("/")[4] for r in found] == ["rg"]
    by_type = resource_client.resources.list(filter="resourceType eq 'Microsoft.Network/applicationSecurityGroups'")
    assert sorted(r.id.split("/")[4] for r in by_type) == ["rg", "rg2"]
    tagged = list(resource_client.resources.list(filter="tagName eq 'env' and tagValue eq 'rg2'"))
    assert [r.id.split("/")[4] for r in tagged] == ["rg2"]
    in_group = resource_client.resources.list_by_resource_group("rg", filter="substringof('nsg', name)")
    assert [r.name for r in in_group] == ["nsg1"]
    try:
        list(resource_client.resources.list(filter="startswith(name, 'a')"))
    except HttpResponseError as error:
        assert error.status_code == 400 and error.error is not None
        assert error.error.code == "InvalidFilterInQueryString"
    else:
        raise AssertionError("an unsupported $filter was accepted")

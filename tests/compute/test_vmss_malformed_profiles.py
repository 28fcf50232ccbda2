"""Malformed scale-set profiles are refused with 400 InvalidParameter and nothing is stored (issue 3: "every bad
input ... malformed profile answered with Azure's error, nothing stored changed")."""

from __future__ import annotations

from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from compute_helpers import PROBE, RG, error_of, raw, vmss_body, vmss_path

EXTENSION = {
    "name": "script",
    "properties": {"publisher": "Microsoft.Azure.Extensions", "type": "CustomScript", "typeHandlerVersion": "2.1"},
}


def create(client: Any, body: dict[str, Any]) -> Any:
    return client.virtual_machine_scale_sets.begin_create_or_update(RG, "vmss1", body).result()


def patch(client: Any, body: dict[str, Any]) -> Any:
    return client.virtual_machine_scale_sets.begin_update(RG, "vmss1", body).result()


def refused_patch(client: Any, body: dict[str, Any]) -> tuple[int, str, str | None]:
    """PATCH the existing scale set with `body`; returns the error and checks nothing was stored."""
    before = raw(client, "GET", vmss_path()).json()
    with pytest.raises(HttpResponseError) as excinfo:
        patch(client, body)
    assert raw(client, "GET", vmss_path()).json() == before
    return error_of(excinfo)


def profile(**members: Any) -> dict[str, Any]:
    return {"properties": {"virtualMachineProfile": members}}


@pytest.mark.parametrize("member", ["publisher", "type", "typeHandlerVersion"])
def test_an_extension_without_a_required_member_is_refused(compute_client: Any, rg: str, member: str) -> None:
    create(compute_client, vmss_body(1))
    extension = {"name": "script", "properties": dict(EXTENSION["properties"])}
    del extension["properties"][member]
    body = profile(extensionProfile={"extensions": [extension]})
    assert refused_patch(compute_client, body) == (400, "InvalidParameter", member)
    patch(compute_client, profile(extensionProfile={"extensions": [EXTENSION]}))
    assert [e.name for e in compute_client.virtual_machine_scale_set_extensions.list(RG, "vmss1")] == ["script"]


def test_a_data_disk_without_a_lun_or_with_a_duplicate_lun_is_refused(compute_client: Any, rg: str) -> None:
    create(compute_client, vmss_body(1))
    storage = vmss_body()["properties"]["virtualMachineProfile"]["storageProfile"]
    no_lun = dict(storage, dataDisks=[{"createOption": "Empty", "diskSizeGB": 8}])
    status, code, target = refused_patch(compute_client, profile(storageProfile=no_lun))
    assert (status, code, target) == (400, "InvalidParameter", "dataDisk.lun")
    twice = dict(storage, dataDisks=[{"lun": 1, "createOption": "Empty", "diskSizeGB": 8}] * 2)
    assert refused_patch(compute_client, profile(storageProfile=twice)) == (400, "InvalidParameter", "dataDisks")
    too_high = dict(storage, dataDisks=[{"lun": 64, "createOption": "Empty", "diskSizeGB": 8}])
    with pytest.raises(HttpResponseError) as excinfo:
        patch(compute_client, profile(storageProfile=too_high))
    assert excinfo.value.error.message == (
        "The value '64' of parameter 'dataDisk.lun' is out of range. Value '64' must be between '0' and '63' inclusive."
    )
    ok = dict(storage, dataDisks=[{"lun": 0, "createOption": "Empty", "diskSizeGB": 8}])
    patch(compute_client, profile(storageProfile=ok))
    vm = compute_client.virtual_machine_scale_set_vms.get(RG, "vmss1", "0")
    assert vm.latest_model_applied is False


@pytest.mark.parametrize(
    ("member", "value"),
    [
        ("maxBatchInstancePercent", 500),
        ("maxBatchInstancePercent", 4),
        ("maxUnhealthyInstancePercent", 101),
        ("maxUnhealthyInstancePercent", 0),
        ("maxUnhealthyUpgradedInstancePercent", -1),
        ("maxUnhealthyUpgradedInstancePercent", 101),
        ("pauseTimeBetweenBatches", "5 seconds"),
        ("pauseTimeBetweenBatches", "P1M"),
    ],
)
def test_a_rolling_upgrade_policy_outside_azures_ranges_is_refused(
    compute_client: Any, rg: str, member: str, value: Any
) -> None:
    body = vmss_body(2)
    body["properties"]["virtualMachineProfile"]["networkProfile"]["healthProbe"] = {"id": PROBE}
    create(compute_client, body)
    policy = {"upgradePolicy": {"mode": "Rolling", "rollingUpgradePolicy": {member: value}}}
    status, code, target = refused_patch(compute_client, {"properties": policy})
    assert (status, code, target) == (400, "InvalidParameter", f"rollingUpgradePolicy.{member}")


def test_the_edges_of_the_rolling_ranges_are_accepted_and_a_refused_create_stores_nothing(
    compute_client: Any, rg: str
) -> None:
    body = vmss_body(2)
    body["properties"]["virtualMachineProfile"]["networkProfile"]["healthProbe"] = {"id": PROBE}
    body["properties"]["upgradePolicy"] = {
        "mode": "Rolling",
        "rollingUpgradePolicy": {"maxBatchInstancePercent": 500},
    }
    with pytest.raises(HttpResponseError) as excinfo:
        create(compute_client, body)
    assert error_of(excinfo) == (400, "InvalidParameter", "rollingUpgradePolicy.maxBatchInstancePercent")
    assert excinfo.value.error.message == (
        "The value 500 of parameter 'rollingUpgradePolicy.maxBatchInstancePercent' is out of range. The value must "
        "be between 5 and 100, inclusive."
    )
    assert raw(compute_client, "GET", vmss_path()).status_code == 404
    body["properties"]["upgradePolicy"]["rollingUpgradePolicy"] = {
        "maxBatchInstancePercent": 5,
        "maxUnhealthyInstancePercent": 100,
        "maxUnhealthyUpgradedInstancePercent": 0,
        "pauseTimeBetweenBatches": "PT1H30M",
    }
    policy = create(compute_client, body).upgrade_policy.rolling_upgrade_policy
    assert (policy.max_batch_instance_percent, policy.max_unhealthy_upgraded_instance_percent) == (5, 0)
    assert policy.pause_time_between_batches == "PT1H30M"


def test_an_extension_put_without_a_type_handler_version_is_refused(compute_client: Any, rg: str) -> None:
    create(compute_client, vmss_body(1))
    extensions = compute_client.virtual_machine_scale_set_extensions
    body = {"properties": {"publisher": "Microsoft.Azure.Extensions", "type": "CustomScript"}}
    with pytest.raises(HttpResponseError) as excinfo:
        extensions.begin_create_or_update(RG, "vmss1", "script", body).result()
    assert error_of(excinfo) == (400, "InvalidParameter", "typeHandlerVersion")
    assert list(extensions.list(RG, "vmss1")) == []

"""OS profile changes are possible only with api-version 2017-12-01 or later (seed: "これらのプロパティは、バージョン
2017-12-01 以降の API でのみ変更できます"); older versions are refused (409 PropertyChangeNotAllowed,
UNVERIFIED code)."""

from __future__ import annotations

from typing import Any

import pytest
from compute_helpers import RG, raw, vmss_body, vmss_path

OLD = "2017-03-30"


def create(client: Any) -> None:
    client.virtual_machine_scale_sets.begin_create_or_update(RG, "vmss1", vmss_body(2)).result()


@pytest.mark.parametrize(
    "os_profile",
    [{"adminUsername": "newadmin"}, {"customData": "ZWNobyBoaQ=="}, {"adminPassword": "N3w-P@ssw0rd!"}],
)
def test_an_os_profile_change_before_2017_12_01_is_refused_and_nothing_changes(
    compute_client: Any, rg: str, os_profile: dict[str, Any]
) -> None:
    create(compute_client)
    before = raw(compute_client, "GET", vmss_path()).json()
    body = {"properties": {"virtualMachineProfile": {"osProfile": os_profile}}}
    response = raw(compute_client, "PATCH", vmss_path(), body, api_version=OLD)
    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "PropertyChangeNotAllowed",
        "message": "Changing property 'osProfile' is not allowed.",
        "target": "osProfile",
    }
    assert raw(compute_client, "GET", vmss_path()).json() == before
    # The same change from 2017-12-01 on is accepted (and reaches only new or reimaged VMs).
    assert raw(compute_client, "PATCH", vmss_path(), body, api_version="2017-12-01").status_code == 200
    assert raw(compute_client, "GET", vmss_path()).json()["etag"] != before["etag"]


def test_other_changes_and_an_unchanged_os_profile_are_accepted_before_2017_12_01(compute_client: Any, rg: str) -> None:
    create(compute_client)
    shown = raw(compute_client, "GET", vmss_path(), api_version=OLD).json()
    shown["sku"]["capacity"] = 3
    assert raw(compute_client, "PUT", vmss_path(), shown, api_version=OLD).status_code == 200
    assert len(list(compute_client.virtual_machine_scale_set_vms.list(RG, "vmss1"))) == 3
    tags = {"tags": {"env": "test"}}
    assert raw(compute_client, "PATCH", vmss_path(), tags, api_version=OLD).status_code == 200
    vm = compute_client.virtual_machine_scale_set_vms.get(RG, "vmss1", "2")
    assert vm.os_profile.admin_username == "azureuser"

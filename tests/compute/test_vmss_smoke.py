from __future__ import annotations

from typing import Any

from compute_helpers import RG, vmss_body


def test_a_scale_set_is_created_with_its_vms(compute_client: Any, rg: str) -> None:
    poller = compute_client.virtual_machine_scale_sets.begin_create_or_update(RG, "vmss1", vmss_body(3))
    vmss = poller.result()
    assert vmss.provisioning_state == "Succeeded"
    vms = list(compute_client.virtual_machine_scale_set_vms.list(RG, "vmss1"))
    assert [vm.instance_id for vm in vms] == ["0", "1", "2"]
    view = compute_client.virtual_machine_scale_sets.get_instance_view(RG, "vmss1")
    print(view.as_dict())
    print(vms[0].as_dict())

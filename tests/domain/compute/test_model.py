"""Pure rules of the scale-set model: essence hash, coercion of template input, secrets, restrictions."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from vmss_emulator.domain.compute import model
from vmss_emulator.domain.compute.instances import base36
from vmss_emulator.domain.errors import InvalidParameter, OperationNotAllowed, PropertyChangeNotAllowed


def doc() -> dict[str, Any]:
    return {
        "name": "ss",
        "sku": {"name": "Standard_DS1_v2", "capacity": 2},
        "properties": {
            "virtualMachineProfile": {
                "osProfile": {"adminUsername": "a", "adminPassword": "secret", "customData": "x"},
                "storageProfile": {
                    "imageReference": {
                        "publisher": "Canonical",
                        "offer": "UbuntuServer",
                        "sku": "18.04-LTS",
                        "version": "latest",
                    }
                },
                "extensionProfile": {
                    "extensions": [{"name": "e", "properties": {"type": "CustomScript", "protectedSettings": {"k": 1}}}]
                },
            }
        },
    }


def test_the_essence_hash_ignores_the_os_profile() -> None:
    before, after = doc(), doc()
    after["properties"]["virtualMachineProfile"]["osProfile"]["adminUsername"] = "b"
    assert model.essence_hash(before) == model.essence_hash(after)


def test_the_essence_hash_changes_with_the_vm_size_image_and_extension_settings() -> None:
    base = model.essence_hash(doc())
    for path, value in (
        (("sku", "name"), "Standard_DS2_v2"),
        (("properties", "virtualMachineProfile", "storageProfile", "imageReference", "sku"), "16.04-LTS"),
    ):
        changed = doc()
        target = changed
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        assert model.essence_hash(changed) != base
    changed = doc()
    changed["properties"]["virtualMachineProfile"]["extensionProfile"]["extensions"][0]["properties"][
        "forceUpdateTag"
    ] = "2"
    assert model.essence_hash(changed) != base


def test_secrets_move_out_of_the_document() -> None:
    d, secrets = doc(), {}  # type: ignore[var-annotated]
    model.extract_secrets(d, secrets)
    assert secrets == {"adminPassword": "secret", "customData": "x", "protectedSettings": {"e": {"k": 1}}}
    assert "adminPassword" not in str(d) and "protectedSettings" not in str(d)


def test_template_strings_and_lower_case_enums_are_coerced() -> None:
    d = doc()
    d["sku"]["capacity"] = "3"
    d["properties"]["singlePlacementGroup"] = None
    d["properties"]["overprovision"] = "false"
    d["properties"]["upgradePolicy"] = {"mode": "rolling"}
    model.coerce(d)
    assert d["sku"]["capacity"] == 3
    assert "singlePlacementGroup" not in d["properties"]
    assert d["properties"]["overprovision"] is False
    assert d["properties"]["upgradePolicy"]["mode"] == "Rolling"


def test_an_unknown_upgrade_mode_is_refused() -> None:
    d = doc()
    d["properties"]["upgradePolicy"] = {"mode": "sometimes"}
    with pytest.raises(InvalidParameter) as excinfo:
        model.coerce(d)
    assert excinfo.value.target == "upgradePolicy.mode"


def test_restrictions_name_the_property_path() -> None:
    before = doc()
    after = copy.deepcopy(before)
    after["properties"]["virtualMachineProfile"]["storageProfile"]["imageReference"]["publisher"] = "Other"
    with pytest.raises(PropertyChangeNotAllowed) as excinfo:
        model.check_restrictions(before, after, all_deallocated=False)
    assert excinfo.value.message == "Changing property 'imageReference.publisher' is not allowed."
    after = copy.deepcopy(before)
    after["sku"]["name"] = "Standard_D2s_v5"
    with pytest.raises(OperationNotAllowed) as excinfo2:
        model.check_restrictions(before, after, all_deallocated=False)
    assert excinfo2.value.target == "vmSize"
    model.check_restrictions(before, after, all_deallocated=True)


def test_computer_name_suffixes_are_six_base36_characters() -> None:
    assert [base36(n) for n in (0, 1, 35, 36, 1295)] == ["000000", "000001", "00000z", "000010", "0000zz"]

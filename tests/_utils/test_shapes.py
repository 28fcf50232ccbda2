"""The JSON-kind check of request bodies against the SDK's models, as a table of cases."""

from __future__ import annotations

from typing import Any

import pytest

from vmss_emulator._utils.shapes import misfit, root_model

VMSS = "m:VirtualMachineScaleSet"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"location": "eastus", "properties": {"upgradePolicy": {"mode": "Manual"}}}, None),
        ({"properties": None, "tags": None}, None),
        ({"unknownMember": {"anything": [1]}}, None),
        ({"properties": {"singlePlacementGroup": "true", "overprovision": 1}}, None),  # scalars convert
        ({"PROPERTIES": {"UpgradePolicy": 5}}, ("PROPERTIES.UpgradePolicy", "UpgradePolicy")),
        ({"properties": {"upgradePolicy": {"mode": {}}}}, ("properties.upgradePolicy.mode", "a value")),
        ({"zones": "1"}, ("zones", "array of a value")),
        ({"tags": {"a": ["b"]}}, ("tags.a", "a value")),
        (
            {"properties": {"virtualMachineProfile": {"networkProfile": {"networkInterfaceConfigurations": [None]}}}},
            (
                "properties.virtualMachineProfile.networkProfile.networkInterfaceConfigurations[0]",
                "VirtualMachineScaleSetNetworkConfiguration",
            ),
        ),
        ({"properties": {"virtualMachineProfile": {"extensionProfile": {"extensions": [
            {"name": "x", "properties": {"settings": {"free": ["form", 1, {"x": None}]}}}]}}}}, None),
        ([], ("", "VirtualMachineScaleSet")),
    ],
)  # fmt: skip
def test_misfit_finds_the_first_wrong_kind(body: Any, expected: tuple[str, str] | None) -> None:
    assert misfit(body, VMSS) == expected


def test_roots_are_matched_by_type_and_method_ignoring_case() -> None:
    assert root_model("microsoft.compute/VIRTUALMACHINESCALESETS", "put") == "VirtualMachineScaleSet"
    assert root_model("Microsoft.Compute/virtualMachineScaleSets", "PATCH") == "VirtualMachineScaleSetUpdate"
    assert root_model("Microsoft.Network/virtualNetworks", "PUT") is None

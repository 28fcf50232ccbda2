"""Tables for vmss_emulator._utils.casing: canonical names in, free-form values untouched, merge semantics."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from vmss_emulator._utils.casing import (
    canonical_name,
    canonicalize,
    deep_merge_put,
    default_freeform,
    get_ci,
    merge_patch,
    wire_names,
)

# --------------------------------------------------------------------------- the generated tables


def test_tables_are_well_formed() -> None:
    names = wire_names()
    assert len(names) > 2000
    for low, canon in names.items():
        assert low == low.lower() == canon.lower()
    for low, kind in default_freeform().items():
        assert low == low.lower() and low in names and kind in ("opaque", "keys")


@pytest.mark.parametrize(
    ("sent", "canonical"),
    [
        # casings from the networking seed / DOC-NET request templates
        ("ApplicationGatewayBackendAddressPools", "applicationGatewayBackendAddressPools"),
        ("publicIPAddressconfiguration", "publicIPAddressConfiguration"),
        ("publicipaddressconfiguration", "publicIPAddressConfiguration"),
        ("publicIpAddressConfiguration", "publicIPAddressConfiguration"),
        ("ipconfigurations", "ipConfigurations"),
        ("IPConfigurations", "ipConfigurations"),
        ("LoadBalancerBackendAddressPools", "loadBalancerBackendAddressPools"),
        ("loadBalancerInboundNatPools", "loadBalancerInboundNatPools"),
        ("NetworkInterfaceConfigurations", "networkInterfaceConfigurations"),
        ("enableacceleratednetworking", "enableAcceleratedNetworking"),
        ("enableIpForwarding", "enableIPForwarding"),
        ("DNSSETTINGS", "dnsSettings"),
        ("domainnamelabel", "domainNameLabel"),
        ("privateIpAddress", "privateIPAddress"),
        ("frontendIpConfigurations", "frontendIPConfigurations"),
        ("Location", "location"),
        ("SKU", "sku"),
        ("Capacity", "capacity"),
        ("upgradepolicy", "upgradePolicy"),
        ("OrchestrationMode", "orchestrationMode"),
        ("singlePlacementGroup", "singlePlacementGroup"),
        ("PROVISIONINGSTATE", "provisioningState"),
        ("typeHandlerVersion", "typeHandlerVersion"),
        ("protectedsettings", "protectedSettings"),
        ("addressprefixes", "addressPrefixes"),
        ("templatelink", "templateLink"),
        ("not-a-wire-name", "not-a-wire-name"),
        ("SomethingUnknown", "SomethingUnknown"),
    ],
)
def test_canonical_name(sent: str, canonical: str) -> None:
    assert canonical_name(sent) == canonical
    assert canonicalize({sent: 1}) == {canonical: 1}


# --------------------------------------------------------------------------- canonicalize

SEED_NIC = {
    "Name": "nic1",
    "Properties": {
        "Primary": True,
        "enableacceleratednetworking": False,
        "networkSecurityGroup": {"ID": "/subscriptions/s/nsg"},
        "IPConfigurations": [
            {
                "name": "ipc1",
                "properties": {
                    "Subnet": {"id": "/subscriptions/s/subnet"},
                    "ApplicationGatewayBackendAddressPools": [{"Id": "/subscriptions/s/agw/pool"}],
                    "publicIPAddressconfiguration": {
                        "name": "pip",
                        "properties": {"idleTimeoutInMinutes": 15, "DnsSettings": {"DomainNameLabel": "vm"}},
                    },
                },
            },
            {"name": "ipc2", "properties": {"publicipaddressconfiguration": {"name": "pip2"}}},
        ],
    },
}
SEED_NIC_CANONICAL = {
    "name": "nic1",
    "properties": {
        "primary": True,
        "enableAcceleratedNetworking": False,
        "networkSecurityGroup": {"id": "/subscriptions/s/nsg"},
        "ipConfigurations": [
            {
                "name": "ipc1",
                "properties": {
                    "subnet": {"id": "/subscriptions/s/subnet"},
                    "applicationGatewayBackendAddressPools": [{"id": "/subscriptions/s/agw/pool"}],
                    "publicIPAddressConfiguration": {
                        "name": "pip",
                        "properties": {"idleTimeoutInMinutes": 15, "dnsSettings": {"domainNameLabel": "vm"}},
                    },
                },
            },
            {"name": "ipc2", "properties": {"publicIPAddressConfiguration": {"name": "pip2"}}},
        ],
    },
}

CASES: list[tuple[str, Any, Any]] = [
    ("scalar", 5, 5),
    ("string value is never touched", "Location", "Location"),
    ("null", None, None),
    ("list of scalars", ["1", "2"], ["1", "2"]),
    ("empty", {}, {}),
    ("seed NIC config", SEED_NIC, SEED_NIC_CANONICAL),
    ("array of objects at top level", [{"Name": "a"}, {"NAME": "b"}], [{"name": "a"}, {"name": "b"}]),
    ("nested arrays", {"value": [[{"ID": "x"}]]}, {"value": [[{"id": "x"}]]}),
    ("unknown keys kept as sent", {"FooBar": {"Location": 1}}, {"FooBar": {"location": 1}}),
    (
        "values are not renamed",
        {"Sku": {"Name": "Standard_LRS", "Tier": "Standard"}},
        {"sku": {"name": "Standard_LRS", "tier": "Standard"}},
    ),
    (
        "tags: keys and values kept",
        {"Tags": {"Name": "web", "Location": "EAST", "ipconfigurations": "x"}, "LOCATION": "eastus"},
        {"tags": {"Name": "web", "Location": "EAST", "ipconfigurations": "x"}, "location": "eastus"},
    ),
    (
        "extension settings / protectedSettings are opaque",
        {
            "Name": "ext",
            "Properties": {
                "Publisher": "Microsoft.Azure.Extensions",
                "TypeHandlerVersion": "2.1",
                "Settings": {"commandToExecute": "x", "FileUris": ["a"], "Properties": {"Name": 1}},
                "protectedSettings": {"StorageAccountKey": "k", "Name": "n"},
            },
        },
        {
            "name": "ext",
            "properties": {
                "publisher": "Microsoft.Azure.Extensions",
                "typeHandlerVersion": "2.1",
                "settings": {"commandToExecute": "x", "FileUris": ["a"], "Properties": {"Name": 1}},
                "protectedSettings": {"StorageAccountKey": "k", "Name": "n"},
            },
        },
    ),
    (
        "userAssignedIdentities: resource-id keys kept, entry values canonicalized",
        {"Identity": {"Type": "UserAssigned", "UserAssignedIdentities": {"/Subs/X/Name": {"PrincipalId": "p"}}}},
        {"identity": {"type": "UserAssigned", "userAssignedIdentities": {"/Subs/X/Name": {"principalId": "p"}}}},
    ),
    (
        "deployment: template / parameters opaque, the rest canonical",
        {
            "Properties": {
                "Mode": "Incremental",
                "Template": {"Resources": [{"Type": "Microsoft.Compute/virtualMachineScaleSets", "Properties": {}}]},
                "Parameters": {"Location": {"Value": "eastus"}, "adminUsername": {"value": {"Name": 1}}},
                "TemplateLink": {"URI": "https://x"},
            }
        },
        {
            "properties": {
                "mode": "Incremental",
                "template": {"Resources": [{"Type": "Microsoft.Compute/virtualMachineScaleSets", "Properties": {}}]},
                "parameters": {"Location": {"Value": "eastus"}, "adminUsername": {"value": {"Name": 1}}},
                "templateLink": {"uri": "https://x"},
            }
        },
    ),
    ("duplicate spellings: the later wins", {"location": "a", "Location": "b"}, {"location": "b"}),
]


@pytest.mark.parametrize(("label", "body", "expected"), CASES, ids=[c[0] for c in CASES])
def test_canonicalize(label: str, body: Any, expected: Any) -> None:
    before = copy.deepcopy(body)
    assert canonicalize(body) == expected
    assert body == before, "input must not be modified"


def test_canonicalize_is_idempotent() -> None:
    once = canonicalize(SEED_NIC)
    assert canonicalize(once) == once


def test_canonicalize_returns_a_copy_including_opaque_values() -> None:
    body = {"tags": {"a": "b"}, "properties": {"settings": {"x": [1]}}}
    out = canonicalize(body)
    out["tags"]["a"] = "changed"
    out["properties"]["settings"]["x"].append(2)
    assert body == {"tags": {"a": "b"}, "properties": {"settings": {"x": [1]}}}


def test_custom_freeform_table() -> None:
    body = {"Tags": {"Name": "x"}, "Sku": {"Name": "y"}}
    assert canonicalize(body, freeform={"SKU": "opaque"}) == {"tags": {"name": "x"}, "sku": {"Name": "y"}}
    extended = {**default_freeform(), "sku": "opaque"}
    assert canonicalize(body, freeform=extended) == {"tags": {"Name": "x"}, "sku": {"Name": "y"}}
    assert canonicalize(body, freeform={"sku": "keys"}) == {"tags": {"name": "x"}, "sku": {"Name": "y"}}


# --------------------------------------------------------------------------- get_ci


@pytest.mark.parametrize(
    ("mapping", "key", "expected"),
    [
        ({"location": 1}, "location", 1),
        ({"Location": 1}, "location", 1),
        ({"location": 1}, "LOCATION", 1),
        ({"location": 1, "Location": 2}, "Location", 2),  # exact match preferred
        ({"a": 1}, "b", None),
        ({}, "a", None),
        (None, "a", None),
        ({"a": None}, "A", None),
    ],
)
def test_get_ci(mapping: Any, key: str, expected: Any) -> None:
    assert get_ci(mapping, key) == expected


def test_get_ci_default() -> None:
    assert get_ci({"a": 1}, "b", "dflt") == "dflt"
    assert get_ci({"A": 0}, "a", "dflt") == 0


# --------------------------------------------------------------------------- merge_patch (RFC 7396 appendix A)


@pytest.mark.parametrize(
    ("target", "patch", "expected"),
    [
        ({"a": "b"}, {"a": "c"}, {"a": "c"}),
        ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
        ({"a": "b"}, {"a": None}, {}),
        ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
        ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
        ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
        ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
        ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
        (["a", "b"], ["c", "d"], ["c", "d"]),
        ({"a": "b"}, ["c"], ["c"]),
        ({"a": "foo"}, None, None),
        ({"a": "foo"}, "bar", "bar"),
        ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
        ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
        ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
        # ARM usage: PATCH tags replaces individual tags, null deletes one
        ({"tags": {"a": "1", "b": "2"}}, {"tags": {"b": None, "c": "3"}}, {"tags": {"a": "1", "c": "3"}}),
    ],
)
def test_merge_patch(target: Any, patch: Any, expected: Any) -> None:
    before = copy.deepcopy((target, patch))
    assert merge_patch(target, patch) == expected
    assert (target, patch) == before


# --------------------------------------------------------------------------- deep_merge_put

VMSS = {
    "location": "eastus",
    "tags": {"env": "dev", "team": "a"},
    "sku": {"name": "Standard_DS1_v2", "tier": "Standard", "capacity": 2},
    "properties": {
        "upgradePolicy": {"mode": "Manual"},
        "virtualMachineProfile": {
            "osProfile": {"computerNamePrefix": "vm", "adminUsername": "azureuser"},
            "extensionProfile": {
                "extensions": [{"name": "e1", "properties": {"settings": {"a": 1, "b": 2}}}],
            },
        },
    },
}


@pytest.mark.parametrize(
    ("incoming", "expected_changes"),
    [
        # az vmss scale: PUT {location, sku} only -> everything else survives
        (
            {"location": "eastus", "sku": {"name": "Standard_DS1_v2", "tier": "Standard", "capacity": 5}},
            {("sku", "capacity"): 5},
        ),
        # objects merge: a sibling not sent keeps its value
        ({"sku": {"capacity": 0}}, {("sku", "capacity"): 0}),
        (
            {"properties": {"upgradePolicy": {"mode": "Automatic"}}},
            {("properties", "upgradePolicy", "mode"): "Automatic"},
        ),
        # arrays replace (no element-wise merge)
        (
            {"properties": {"virtualMachineProfile": {"extensionProfile": {"extensions": []}}}},
            {("properties", "virtualMachineProfile", "extensionProfile", "extensions"): []},
        ),
        # free-form values replace whole: a tag can be removed by PUT
        ({"tags": {"env": "prod"}}, {("tags",): {"env": "prod"}}),
        ({"tags": {}}, {("tags",): {}}),
        # explicit null replaces (stored as null)
        ({"properties": {"upgradePolicy": None}}, {("properties", "upgradePolicy"): None}),
        # new members are added
        ({"zones": ["1", "2"]}, {("zones",): ["1", "2"]}),
        # object over scalar and scalar over object replace
        ({"location": {"x": 1}}, {("location",): {"x": 1}}),
        ({"sku": "small"}, {("sku",): "small"}),
    ],
)
def test_deep_merge_put(incoming: dict[str, Any], expected_changes: dict[tuple[str, ...], Any]) -> None:
    before = copy.deepcopy((VMSS, incoming))
    expected = copy.deepcopy(VMSS)
    for path, value in expected_changes.items():
        node: Any = expected
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
    assert deep_merge_put(VMSS, incoming) == expected
    assert (VMSS, incoming) == before


def test_deep_merge_put_extension_settings_replace_whole() -> None:
    existing = {"properties": {"settings": {"a": 1, "b": 2}, "publisher": "p"}}
    incoming = {"properties": {"settings": {"a": 9}}}
    assert deep_merge_put(existing, incoming) == {"properties": {"settings": {"a": 9}, "publisher": "p"}}
    # with a custom table where settings is not free-form, objects merge
    merged = deep_merge_put(existing, incoming, freeform={"tags": "opaque"})
    assert merged == {"properties": {"settings": {"a": 9, "b": 2}, "publisher": "p"}}


def test_deep_merge_put_non_object_roots() -> None:
    assert deep_merge_put({"a": 1}, [1]) == [1]
    assert deep_merge_put(None, {"a": 1}) == {"a": 1}
    assert deep_merge_put([1], {"a": 1}) == {"a": 1}


def test_deep_merge_put_result_does_not_alias_inputs() -> None:
    out = deep_merge_put(VMSS, {"zones": ["1"]})
    out["properties"]["upgradePolicy"]["mode"] = "Rolling"
    out["zones"].append("2")
    assert VMSS["properties"]["upgradePolicy"] == {"mode": "Manual"}  # type: ignore[index]

"""The `$filter` subset of ARM's generic resource list, as a table of cases."""

from __future__ import annotations

from typing import Any

import pytest

from vmss_emulator.domain.errors import InvalidFilterInQueryString
from vmss_emulator.domain.resourcefilter import ResourceFilter, parse_resource_filter

VNET = {"name": "myVNET", "type": "Microsoft.Network/virtualNetworks", "location": "eastus", "tags": {"env": "dev"}}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, ResourceFilter()),
        ("  ", ResourceFilter()),
        (
            "resourceType eq 'Microsoft.Network/virtualNetworks'",
            ResourceFilter(resource_type="Microsoft.Network/virtualNetworks"),
        ),
        (
            "resourceGroup eq 'rg' and name eq 'myVNET' and resourceType eq 'Microsoft.Network/virtualNetworks'",
            ResourceFilter(resource_group="rg", name="myVNET", resource_type="Microsoft.Network/virtualNetworks"),
        ),
        ("tagName eq 'env' and tagValue eq 'dev'", ResourceFilter(tag_name="env", tag_value="dev")),
        ("substringof('VN', name)", ResourceFilter(name_contains="VN")),
        ("name EQ 'it''s'", ResourceFilter(name="it's")),
        ("location eq 'eastus' AND resourceType eq 'x/y'", ResourceFilter(location="eastus", resource_type="x/y")),
    ],
)
def test_filters_parse_to_data(text: str | None, expected: ResourceFilter) -> None:
    assert parse_resource_filter(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "startswith(resourceType, 'Microsoft.Storage')",
        "type eq 'Microsoft.Network/virtualNetworks'",
        "name eq myVNET",
        "tagValue eq 'dev'",
        "name eq 'a' and name eq 'b'",
        "name eq 'a' or name eq 'b'",
    ],
)
def test_unsupported_filters_are_refused_as_azure_does(text: str) -> None:
    with pytest.raises(InvalidFilterInQueryString) as raised:
        parse_resource_filter(text)
    assert raised.value.message == f"Invalid $filter '{text}' specified in the query string."
    assert raised.value.status == 400


@pytest.mark.parametrize(
    ("text", "group", "matches"),
    [
        ("name eq 'myvnet'", "rg", True),
        ("name eq 'other'", "rg", False),
        ("resourceGroup eq 'RG'", "rg", True),
        ("resourceGroup eq 'rg2'", "rg", False),
        ("resourceType eq 'microsoft.network/VIRTUALNETWORKS'", "rg", True),
        ("tagName eq 'ENV' and tagValue eq 'dev'", "rg", True),
        ("tagName eq 'env' and tagValue eq 'prod'", "rg", False),
        ("tagName eq 'owner'", "rg", False),
        ("substringof('vne', name)", "rg", True),
        ("location eq 'westus'", "rg", False),
    ],
)
def test_matching_ignores_case_like_arm(text: str, group: str, matches: Any) -> None:
    assert parse_resource_filter(text).matches(VNET, group) is matches

"""ARM's generic resource list (`GET .../resources?$filter=...`): the `$filter`, parsed into data, and the list.

ARM accepts a small OData subset there: `field eq 'value'` for resourceType, name, resourceGroup,
location, tagName and tagValue, and `substringof('text', name)`, joined by `and`. Anything else is
refused with `InvalidFilterInQueryString`, as Azure does. az uses it to check whether a resource
exists before `vmss create` / `application-gateway create` decide to create it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from vmss_emulator.domain.context import Context
from vmss_emulator.domain.errors import InvalidFilterInQueryString
from vmss_emulator.domain.ids import ResourceId

_FIELDS = {
    "resourcetype": "resource_type",
    "name": "name",
    "resourcegroup": "resource_group",
    "location": "location",
    "tagname": "tag_name",
    "tagvalue": "tag_value",
}
_EQ = re.compile(r"^\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*$", re.IGNORECASE)
_SUBSTRINGOF = re.compile(r"^\s*substringof\(\s*'((?:[^']|'')*)'\s*,\s*name\s*\)\s*$", re.IGNORECASE)
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


@dataclass(frozen=True)
class ResourceFilter:
    resource_type: str | None = None
    name: str | None = None
    resource_group: str | None = None
    location: str | None = None
    tag_name: str | None = None
    tag_value: str | None = None
    name_contains: str | None = None

    def matches(self, resource: dict[str, Any], resource_group: str | None) -> bool:
        """Whether a resource document (with its group's name) passes; comparisons ignore case as ARM's do."""

        def same(expected: str | None, actual: Any) -> bool:
            return expected is None or (isinstance(actual, str) and actual.lower() == expected.lower())

        if not (
            same(self.resource_type, resource.get("type"))
            and same(self.name, resource.get("name"))
            and same(self.resource_group, resource_group)
            and same(self.location, resource.get("location"))
        ):
            return False
        if self.name_contains is not None and self.name_contains.lower() not in str(resource.get("name", "")).lower():
            return False
        if self.tag_name is not None:
            tags = {str(k).lower(): v for k, v in (resource.get("tags") or {}).items()}
            if self.tag_name.lower() not in tags:
                return False
            if self.tag_value is not None and str(tags[self.tag_name.lower()]) != self.tag_value:
                return False
        return True


def parse_resource_filter(text: str | None) -> ResourceFilter:
    """The filter for a `$filter` value (None or blank: everything)."""
    if text is None or not text.strip():
        return ResourceFilter()
    values: dict[str, str] = {}
    for clause in _AND.split(text.strip()):
        eq = _EQ.match(clause)
        substring = _SUBSTRINGOF.match(clause)
        if eq and eq.group(1).lower() in _FIELDS and _FIELDS[eq.group(1).lower()] not in values:
            values[_FIELDS[eq.group(1).lower()]] = eq.group(2).replace("''", "'")
        elif substring and "name_contains" not in values:
            values["name_contains"] = substring.group(1).replace("''", "'")
        else:
            raise InvalidFilterInQueryString(f"Invalid $filter '{text}' specified in the query string.")
    if "tag_value" in values and "tag_name" not in values:
        raise InvalidFilterInQueryString(f"Invalid $filter '{text}' specified in the query string.")
    return ResourceFilter(**values)


_LISTED = ("id", "name", "type", "location", "sku", "kind", "tags", "zones")


def list_resources(ctx: Context, scope: ResourceId, wanted: ResourceFilter) -> list[dict[str, Any]]:
    """Top-level resources of a group (or subscription) that pass the filter, as ARM's generic list shows them."""
    registry = ctx.types()
    group = scope.resource_group or wanted.resource_group
    type_key = wanted.resource_type.lower() if wanted.resource_type else None
    # Read through the narrowest index the filter allows: the group, then the type.
    if group is not None:
        records = ctx.store.list_in_scope(ResourceId(scope.subscription_id, group).key, type_key)
    elif type_key is not None:
        records = ctx.store.list_in_subscription(scope.key, type_key)
    else:
        records = []
        for resource_type in registry.all():
            if "/" not in resource_type.full_type.split("/", 1)[1]:
                records.extend(ctx.store.list_in_subscription(scope.key, resource_type.full_type))
    items: list[dict[str, Any]] = []
    for record in records:
        # Only top-level types: a Flexible scale set's VMs are top-level although the store links them
        # to their scale set, while Uniform instances and subnets are children. Resource groups and
        # deployments are not resources in this sense (as in Azure), nor are the store's internal
        # records (network back-reference links), whose types no provider registers.
        if record.type_key.count("/") != 1 or record.type_key.startswith("microsoft.resources/"):
            continue
        if registry.lookup(record.type) is None:
            continue
        body = record.body
        if wanted.matches(body, ResourceId.parse(str(body["id"])).resource_group):
            items.append({key: body[key] for key in _LISTED if key in body})
    return items

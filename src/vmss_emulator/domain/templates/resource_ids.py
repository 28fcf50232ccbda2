"""Building ARM resource ids from a type (`Microsoft.Network/virtualNetworks/subnets`) and a name (`vnet/s1`)."""

from __future__ import annotations

from vmss_emulator.domain.templates.scope import ExpressionError


def type_segments(resource_type: str) -> tuple[str, list[str]]:
    """`Microsoft.Network/virtualNetworks/subnets` -> ("Microsoft.Network", ["virtualNetworks", "subnets"])."""
    parts = [part for part in resource_type.split("/")]
    if len(parts) < 2 or not all(parts):
        raise ExpressionError(f"The resource type '{resource_type}' is not valid.")
    return parts[0], parts[1:]


def name_segments(name: str) -> list[str]:
    return name.split("/")


def provider_path(resource_type: str, name: str) -> str:
    """`providers/{ns}/{type1}/{name1}/{type2}/{name2}` (no leading slash).

    Raises ExpressionError when the number of names does not match the number of types.
    """
    namespace, types = type_segments(resource_type)
    names = name_segments(name)
    if len(names) != len(types):
        raise ExpressionError(
            f"The resource type '{resource_type}' requires '{len(types)}' resource name segment(s) "
            f"but the name '{name}' has '{len(names)}'."
        )
    pairs = "/".join(f"{t}/{n}" for t, n in zip(types, names, strict=True))
    return f"providers/{namespace}/{pairs}"


def resource_group_resource_id(subscription_id: str, resource_group: str, resource_type: str, name: str) -> str:
    """The full id of a resource-group-scoped resource."""
    path = provider_path(resource_type, name)
    return f"/subscriptions/{subscription_id}/resourceGroups/{resource_group}/{path}"


def is_resource_id(text: str) -> bool:
    """True for absolute ids (`/subscriptions/...`, `/providers/...`), false for names and `type/name` forms."""
    return text.startswith("/")

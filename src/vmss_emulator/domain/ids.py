"""ARM resource ids: parsing, formatting, case-insensitive identity.

An id is `/subscriptions/{sub}[/resourceGroups/{rg}][/providers/{ns}/{type}/{name}[/{type}/{name}...]]`.
Ids compare case-insensitively (`key`); `str(rid)` keeps the casing the resource was created with.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from vmss_emulator.domain.errors import InvalidResourceName, InvalidResourceReference, LinkedInvalidPropertyId

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def is_guid(text: str) -> bool:
    return bool(_GUID.match(text))


def new_guid() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class ResourceId:
    subscription_id: str
    resource_group: str | None = None
    namespace: str | None = None
    types: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    _key: str = field(default="", compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_key", str(self).lower())

    # -- identity ---------------------------------------------------------------------------------

    @property
    def key(self) -> str:
        return self._key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ResourceId) and other._key == self._key

    def __hash__(self) -> int:
        return hash(self._key)

    def __str__(self) -> str:
        parts = [f"/subscriptions/{self.subscription_id}"]
        if self.resource_group is not None:
            parts.append(f"/resourceGroups/{self.resource_group}")
        if self.namespace is not None:
            parts.append(f"/providers/{self.namespace}")
            for type_name, name in zip(self.types, self.names, strict=False):
                parts.append(f"/{type_name}/{name}")
        return "".join(parts)

    # -- parts ------------------------------------------------------------------------------------

    @property
    def name(self) -> str:
        if self.names:
            return self.names[-1]
        if self.resource_group is not None:
            return self.resource_group
        return self.subscription_id

    @property
    def full_type(self) -> str:
        """`Microsoft.Compute/virtualMachineScaleSets/virtualMachines` style type."""
        if self.namespace is None:
            return "Microsoft.Resources/resourceGroups" if self.resource_group else "Microsoft.Resources/subscriptions"
        return "/".join((self.namespace, *self.types))

    @property
    def type_key(self) -> str:
        return self.full_type.lower()

    @property
    def scope_key(self) -> str:
        """The key of the resource group (or subscription) that holds this resource."""
        scope = f"/subscriptions/{self.subscription_id}"
        if self.resource_group is not None:
            scope += f"/resourceGroups/{self.resource_group}"
        return scope.lower()

    @property
    def resource_group_id(self) -> ResourceId:
        return ResourceId(self.subscription_id, self.resource_group)

    @property
    def parent(self) -> ResourceId | None:
        if len(self.types) > 1:
            return ResourceId(
                self.subscription_id, self.resource_group, self.namespace, self.types[:-1], self.names[:-1]
            )
        return None

    @property
    def top(self) -> ResourceId:
        """The top-level tracked resource this id belongs to."""
        return ResourceId(self.subscription_id, self.resource_group, self.namespace, self.types[:1], self.names[:1])

    def child(self, type_name: str, name: str) -> ResourceId:
        return ResourceId(
            self.subscription_id, self.resource_group, self.namespace, (*self.types, type_name), (*self.names, name)
        )

    def with_names(self, names: tuple[str, ...]) -> ResourceId:
        return ResourceId(self.subscription_id, self.resource_group, self.namespace, self.types, names)

    # -- construction -----------------------------------------------------------------------------

    @classmethod
    def resource(cls, subscription_id: str, resource_group: str, full_type: str, *names: str) -> ResourceId:
        namespace, *types = full_type.split("/")
        if len(types) != len(names):
            raise ValueError(f"{full_type} needs {len(types)} names, got {names}")
        return cls(subscription_id, resource_group, namespace, tuple(types), tuple(names))

    @classmethod
    def parse(cls, text: str) -> ResourceId:
        """Parse a full resource id (as found in bodies); raise ValueError if it is not one."""
        segments = [s for s in text.strip().split("/") if s]
        if len(segments) < 2 or segments[0].lower() != "subscriptions":
            raise ValueError(text)
        sub = segments[1]
        rest = segments[2:]
        rg: str | None = None
        if rest and rest[0].lower() == "resourcegroups":
            if len(rest) < 2:
                raise ValueError(text)
            rg = rest[1]
            rest = rest[2:]
        if not rest:
            return cls(sub, rg)
        if rest[0].lower() != "providers" or len(rest) < 4 or len(rest) % 2 != 0:
            raise ValueError(text)
        namespace = rest[1]
        pairs = rest[2:]
        return cls(sub, rg, namespace, tuple(pairs[0::2]), tuple(pairs[1::2]))


def parse_reference(text: object, *, target: str, expected_type: str | None = None) -> ResourceId:
    """Parse an `{"id": ...}` reference found in a request body, with ARM's error when it is malformed."""
    if not isinstance(text, str):
        raise LinkedInvalidPropertyId(f"Property id '{text}' at path '{target}' is invalid.", target=target)
    try:
        rid = ResourceId.parse(text)
    except ValueError:
        raise LinkedInvalidPropertyId(
            f"Property id '{text}' at path '{target}' is invalid. Expect fully qualified resource Id that start with "
            "'/subscriptions/{subscriptionId}' or '/providers/{resourceProviderNamespace}/'.",
            target=target,
        ) from None
    if expected_type is not None and rid.type_key != expected_type.lower():
        raise InvalidResourceReference(
            f"Resource {text} referenced by resource {target} was not found. Please make sure that the referenced "
            "resource exists, and that both resources are in the same region.",
            target=target,
        )
    return rid


_FORBIDDEN_NAME_CHARS = set("<>%&:\\?/")


def check_resource_name(name: str, full_type: str) -> None:
    """ARM's generic name rule; resource providers add their own stricter rules on top."""
    if not name or len(name) > 260 or any(c in _FORBIDDEN_NAME_CHARS or ord(c) < 32 for c in name):
        raise InvalidResourceName(
            f"Resource name {name} is invalid. The name can be up to 80 characters long. It must begin with a word "
            "character, and it must end with a word character or with '_'. The name may contain word characters or "
            "'.', '-', '_'.",
            target=full_type,
        )

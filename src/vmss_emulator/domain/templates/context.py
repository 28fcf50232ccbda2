"""What a template sees of the world: the deployment's context and the apply layer's resolver."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

# Azure refuses resource, variable, property and output copy counts above this.
MAX_COPY_COUNT = 800


@dataclass(frozen=True)
class DeploymentContext:
    """The facts a template reads through `subscription()`, `resourceGroup()`, `deployment()`, `utcNow()`...

    `now` is seconds since the epoch, taken from the emulator's clock so tests are deterministic.
    """

    subscription_id: str
    tenant_id: str
    resource_group_name: str
    resource_group_location: str
    deployment_name: str
    now: float
    resource_group_tags: Mapping[str, str] = field(default_factory=dict)
    subscription_display_name: str = "Emulated subscription"
    environment_name: str = "AzureCloud"
    deployment_mode: str = "Incremental"
    # Azure's limit is 800; raising it only makes sense in stress tests.
    max_copy_count: int = MAX_COPY_COUNT
    # What `providers()` reads: lower-case namespace -> lower-case type -> {namespace, resourceType,
    # locations, apiVersions}. Given as data so the template layer stays pure.
    providers: Mapping[str, Mapping[str, Mapping[str, Any]]] = field(default_factory=dict)

    @property
    def subscription_resource_id(self) -> str:
        return f"/subscriptions/{self.subscription_id}"

    @property
    def resource_group_id(self) -> str:
        return f"/subscriptions/{self.subscription_id}/resourceGroups/{self.resource_group_name}"


class Resolver(Protocol):
    """The apply layer's window onto the emulator's real state, used by `reference()` and `list*()`.

    Both are called only at apply time (from `evaluate_resource` / `evaluate_outputs`), after the
    dependencies of the resource being evaluated are deployed.
    """

    def reference(self, resource_id: str, api_version: str | None, full: bool) -> dict[str, Any]:
        """ARM's `reference()`: the resource's `properties` object, or the whole resource document when `full`.

        `api_version` is None when the template omitted it and the resource is not declared in the template.
        Raise a domain error (e.g. `ResourceNotFound`) when the resource does not exist.
        """
        ...

    def invoke_list(
        self, resource_id: str, function_name: str, api_version: str, body: Any | None = None
    ) -> dict[str, Any]:
        """ARM's `listKeys()`, `listSecrets()`, ...: POST `{resource_id}/{function_name}` and return the result."""
        ...

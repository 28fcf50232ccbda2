"""What every domain call needs: the store, the clock, the emulated cloud's settings and the services."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from vmss_emulator._utils.clock import Clock, SystemClock
from vmss_emulator.store import SQLiteStore

if TYPE_CHECKING:
    from vmss_emulator.domain.operations import OperationService
    from vmss_emulator.domain.registry import Registry

# The regions the emulated cloud offers (ARM's `name` form).
LOCATIONS: tuple[str, ...] = (
    "eastus",
    "eastus2",
    "westus",
    "westus2",
    "westus3",
    "centralus",
    "northcentralus",
    "southcentralus",
    "westcentralus",
    "canadacentral",
    "brazilsouth",
    "northeurope",
    "westeurope",
    "uksouth",
    "ukwest",
    "francecentral",
    "germanywestcentral",
    "swedencentral",
    "switzerlandnorth",
    "norwayeast",
    "eastasia",
    "southeastasia",
    "japaneast",
    "japanwest",
    "koreacentral",
    "centralindia",
    "australiaeast",
    "southafricanorth",
    "uaenorth",
)

DISPLAY_NAMES: dict[str, str] = {
    "eastus": "East US",
    "eastus2": "East US 2",
    "westus": "West US",
    "westus2": "West US 2",
    "westus3": "West US 3",
    "centralus": "Central US",
    "northcentralus": "North Central US",
    "southcentralus": "South Central US",
    "westcentralus": "West Central US",
    "canadacentral": "Canada Central",
    "brazilsouth": "Brazil South",
    "northeurope": "North Europe",
    "westeurope": "West Europe",
    "uksouth": "UK South",
    "ukwest": "UK West",
    "francecentral": "France Central",
    "germanywestcentral": "Germany West Central",
    "swedencentral": "Sweden Central",
    "switzerlandnorth": "Switzerland North",
    "norwayeast": "Norway East",
    "eastasia": "East Asia",
    "southeastasia": "Southeast Asia",
    "japaneast": "Japan East",
    "japanwest": "Japan West",
    "koreacentral": "Korea Central",
    "centralindia": "Central India",
    "australiaeast": "Australia East",
    "southafricanorth": "South Africa North",
    "uaenorth": "UAE North",
}


def normalize_location(location: str) -> str:
    """ARM accepts 'East US' and 'eastus' alike and stores the short form."""
    return location.replace(" ", "").lower()


@dataclass(frozen=True)
class CloudSettings:
    """The identity of the emulated cloud: who may call it and which subscriptions exist."""

    tenant_id: str = "ee000000-0000-4000-8000-00000000000a"
    subscription_id: str = "00000000-0000-0000-0000-000000000001"
    subscription_name: str = "vmss-emulator"
    client_id: str = "11111111-1111-1111-1111-111111111111"
    client_secret: str = "emulator-secret"
    lifecycle_profile: str = "instant"
    time_scale: float = 1.0


@dataclass
class Context:
    store: SQLiteStore
    settings: CloudSettings = field(default_factory=CloudSettings)
    clock: Clock = field(default_factory=SystemClock)
    registry: Registry | None = None
    operations: OperationService | None = None
    # The base URL clients reach us at (for LRO and nextLink URLs); set per request by the server.
    base_url: str = "https://127.0.0.1:8443"
    services: dict[str, Any] = field(default_factory=dict)

    def now(self) -> float:
        return self.clock.now()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.store.transaction():
            yield

    def ops(self) -> OperationService:
        assert self.operations is not None, "composition root must attach the operation service"
        return self.operations

    def types(self) -> Registry:
        assert self.registry is not None, "composition root must attach the registry"
        return self.registry

    def service(self, name: str) -> Any:
        return self.services[name]

    def delay(self, transition: str, seed: int = 0) -> float:
        """Seconds a lifecycle transition takes under the configured profile (0 when instant)."""
        delay_of = self.services.get("delay")
        if delay_of is None:
            return 0.0
        return float(delay_of(transition, seed))


class CaseInsensitiveDict(dict[str, str]):
    """Query strings and headers: ARM treats their names case-insensitively."""

    def __init__(self, items: Mapping[str, str] | None = None) -> None:
        super().__init__()
        for key, value in (items or {}).items():
            self[key.lower()] = value

    def get_ci(self, key: str, default: str | None = None) -> str | None:
        return self.get(key.lower(), default)

"""pytest fixtures for testing infrastructure code against vmss-emulator (entry point `pytest11`).

- `emulator`: a fresh in-memory emulator per test (instant lifecycle).
- `make_emulator(clock=...)`: build more, e.g. with a `FakeClock` to step time.
- `azure_credential`, `resource_client`, `compute_client`, `network_client`: real Azure SDK clients
  wired to `emulator` through an in-process azure-core transport (no sockets, no TLS).
- `emulator_server`: a real HTTPS emulator on a free port, for az and azure-identity.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from azure.core.credentials import AccessToken

from vmss_emulator._utils.clock import Clock
from vmss_emulator.app import Emulator, create_emulator
from vmss_emulator.settings import Settings
from vmss_emulator.testing.server import RunningServer, start_server
from vmss_emulator.testing.transport import InProcessTransport

IN_PROCESS_BASE_URL = "https://management.emulator.local"


class EmulatorCredential:
    """A TokenCredential that gets real signed tokens from an in-process emulator's identity service."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        reply = self.emulator.issuer.issue(scopes[0] if scopes else IN_PROCESS_BASE_URL + "/.default")
        return AccessToken(reply["access_token"], int(time.time()) + 3000)

    def close(self) -> None:
        pass


def client_kwargs(emulator: Emulator) -> dict[str, Any]:
    return {
        "base_url": IN_PROCESS_BASE_URL,
        "credential_scopes": [IN_PROCESS_BASE_URL + "/.default"],
        "transport": InProcessTransport(emulator.dispatcher),
        "polling_interval": 0.01,
    }


@pytest.fixture(scope="session")
def _emulator_key_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("vmss-emulator")


@pytest.fixture
def make_emulator(_emulator_key_dir: Path) -> Iterator[Callable[..., Emulator]]:
    made: list[Emulator] = []

    def make(*, clock: Clock | None = None, **cloud: Any) -> Emulator:
        settings = Settings(data_dir=_emulator_key_dir, in_memory=True)
        if cloud:
            from dataclasses import replace

            settings.cloud = replace(settings.cloud, **cloud)
        emulator = create_emulator(settings, clock=clock)
        made.append(emulator)
        return emulator

    yield make
    for emulator in made:
        emulator.close()


@pytest.fixture
def emulator(make_emulator: Callable[..., Emulator]) -> Emulator:
    return make_emulator()


@pytest.fixture
def azure_credential(emulator: Emulator) -> EmulatorCredential:
    return EmulatorCredential(emulator)


@pytest.fixture
def subscription_id(emulator: Emulator) -> str:
    return emulator.ctx.settings.subscription_id


@pytest.fixture
def resource_client(emulator: Emulator, azure_credential: EmulatorCredential) -> Any:
    from azure.mgmt.resource.resources import ResourceManagementClient

    return ResourceManagementClient(azure_credential, emulator.ctx.settings.subscription_id, **client_kwargs(emulator))


@pytest.fixture
def compute_client(emulator: Emulator, azure_credential: EmulatorCredential) -> Any:
    from azure.mgmt.compute import ComputeManagementClient

    return ComputeManagementClient(azure_credential, emulator.ctx.settings.subscription_id, **client_kwargs(emulator))


@pytest.fixture
def network_client(emulator: Emulator, azure_credential: EmulatorCredential) -> Any:
    from azure.mgmt.network import NetworkManagementClient

    return NetworkManagementClient(azure_credential, emulator.ctx.settings.subscription_id, **client_kwargs(emulator))


@pytest.fixture
def emulator_server(tmp_path: Path) -> Iterator[RunningServer]:
    server = start_server(tmp_path / "emulator")
    yield server
    server.stop()

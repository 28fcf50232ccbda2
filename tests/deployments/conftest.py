"""Fixtures for deployment tests: the real azure-mgmt-resource-deployments client, in process."""

from __future__ import annotations

from typing import Any

import pytest

from vmss_emulator.app import Emulator
from vmss_emulator.testing.plugin import EmulatorCredential, client_kwargs

RG = "rg-deploy"


@pytest.fixture
def deployments_client(emulator: Emulator, azure_credential: EmulatorCredential) -> Any:
    from azure.mgmt.resource.deployments import DeploymentsMgmtClient

    return DeploymentsMgmtClient(azure_credential, emulator.ctx.settings.subscription_id, **client_kwargs(emulator))


@pytest.fixture
def rg(resource_client: Any) -> str:
    resource_client.resource_groups.create_or_update(RG, {"location": "westus"})
    return RG

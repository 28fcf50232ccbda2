"""azure-identity against the emulator's own Entra ID, and SDK clients over real HTTPS with its tokens."""

from __future__ import annotations

import pytest
from azure.core.exceptions import ClientAuthenticationError
from azure.identity import ClientSecretCredential, DefaultAzureCredential
from azure.mgmt.resource.resources import ResourceManagementClient

from vmss_emulator.testing.server import RunningServer


def _client(server: RunningServer, credential: object) -> ResourceManagementClient:
    return ResourceManagementClient(
        credential,  # type: ignore[arg-type]
        server.settings.cloud.subscription_id,
        base_url=server.base_url,
        credential_scopes=[server.base_url + "/.default"],
        connection_verify=str(server.certs.ca),
    )


def test_client_secret_credential_gets_a_token_that_arm_accepts(emulator_server: RunningServer) -> None:
    cloud = emulator_server.settings.cloud
    credential = ClientSecretCredential(
        cloud.tenant_id,
        cloud.client_id,
        cloud.client_secret,
        authority=emulator_server.base_url,
        disable_instance_discovery=True,
        connection_verify=str(emulator_server.certs.ca),
    )
    token = credential.get_token(emulator_server.base_url + "/.default")
    assert token.token.count(".") == 2
    client = _client(emulator_server, credential)
    client.resource_groups.create_or_update("rg-identity", {"location": "eastus"})
    assert client.resource_groups.get("rg-identity").name == "rg-identity"


def test_wrong_client_secret_gets_the_aad_error(emulator_server: RunningServer) -> None:
    cloud = emulator_server.settings.cloud
    credential = ClientSecretCredential(
        cloud.tenant_id,
        cloud.client_id,
        "not-the-secret",
        authority=emulator_server.base_url,
        disable_instance_discovery=True,
        connection_verify=str(emulator_server.certs.ca),
    )
    with pytest.raises(ClientAuthenticationError) as caught:
        credential.get_token(emulator_server.base_url + "/.default")
    assert "AADSTS7000215" in str(caught.value)


def test_unknown_client_id_gets_the_aad_error(emulator_server: RunningServer) -> None:
    cloud = emulator_server.settings.cloud
    credential = ClientSecretCredential(
        cloud.tenant_id,
        "99999999-9999-9999-9999-999999999999",
        cloud.client_secret,
        authority=emulator_server.base_url,
        disable_instance_discovery=True,
        connection_verify=str(emulator_server.certs.ca),
    )
    with pytest.raises(ClientAuthenticationError) as caught:
        credential.get_token(emulator_server.base_url + "/.default")
    assert "AADSTS700016" in str(caught.value)


def test_default_azure_credential_works_from_the_environment_vmss_emulator_env_prints(
    emulator_server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in emulator_server.env().items():
        monkeypatch.setenv(name, value)
    credential = DefaultAzureCredential(disable_instance_discovery=True)
    client = _client(emulator_server, credential)
    client.resource_groups.create_or_update("rg-default", {"location": "eastus"})
    assert [g.name for g in client.resource_groups.list()] == ["rg-default"]

"""ARM protocol rules every route follows (arm-reference.md §1), checked on the wire."""

from __future__ import annotations

import re

import pytest
from tests.helpers import raw, sub_path

from vmss_emulator.app import Emulator

ASG_API = "2024-05-01"


def _rg(emulator: Emulator, name: str = "rg") -> str:
    response = raw(
        emulator, "PUT", f"{sub_path(emulator)}/resourcegroups/{name}?api-version=2024-11-01", {"location": "eastus"}
    )
    assert response.status in (200, 201)
    return f"{sub_path(emulator)}/resourceGroups/{name}"


def _asg_path(emulator: Emulator, name: str = "asg1", rg: str = "rg") -> str:
    return f"{sub_path(emulator)}/resourceGroups/{rg}/providers/Microsoft.Network/applicationSecurityGroups/{name}"


def test_missing_api_version_is_refused_with_arm_code(emulator: Emulator) -> None:
    response = raw(emulator, "GET", f"{sub_path(emulator)}/resourcegroups")
    assert response.status == 400
    assert response.json() == {
        "error": {
            "code": "MissingApiVersionParameter",
            "message": "The api-version query parameter (?api-version=) is required for all requests.",
        }
    }


def test_unsupported_api_version_on_arm_endpoint_lists_supported_versions(emulator: Emulator) -> None:
    response = raw(emulator, "GET", f"{sub_path(emulator)}/resourcegroups?api-version=1999-01-01")
    assert response.status == 400
    assert response.error_code == "InvalidApiVersionParameter"
    assert (
        "The api-version '1999-01-01' is invalid. The supported versions are '" in response.json()["error"]["message"]
    )
    assert "2024-11-01" in response.json()["error"]["message"]


def test_unsupported_api_version_on_provider_type_is_no_registered_provider(emulator: Emulator) -> None:
    _rg(emulator)
    response = raw(emulator, "GET", _asg_path(emulator) + "?api-version=1999-01-01")
    assert response.status == 400
    assert response.error_code == "NoRegisteredProviderFound"
    message = response.json()["error"]["message"]
    assert message.startswith(
        "No registered resource provider found for location 'eastus' and API version '1999-01-01' for type "
        "'applicationSecurityGroups'. The supported api-versions are '"
    )
    assert "2026-03-01" in message


def test_unknown_resource_type_in_known_namespace_is_invalid_resource_type(emulator: Emulator) -> None:
    _rg(emulator)
    path = f"{sub_path(emulator)}/resourceGroups/rg/providers/Microsoft.Network/flyingCarpets/c1?api-version={ASG_API}"
    response = raw(emulator, "PUT", path, {"location": "eastus"})
    assert response.status == 400
    assert response.error_code == "InvalidResourceType"
    assert "flyingCarpets" in response.json()["error"]["message"]


def test_unmodelled_namespace_is_an_unknown_resource_type_and_stores_nothing(emulator: Emulator) -> None:
    _rg(emulator)
    path = (
        f"{sub_path(emulator)}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa1?api-version=2023-01-01"
    )
    response = raw(emulator, "PUT", path, {"location": "eastus"})
    assert response.status == 400
    assert response.json()["error"] == {
        "code": "InvalidResourceType",
        "message": "The resource type 'storageAccounts' could not be found in the namespace 'Microsoft.Storage' for "
        "api version '2023-01-01'.",
    }
    assert raw(emulator, "GET", path).status == 400
    listed = raw(emulator, "GET", f"{sub_path(emulator)}/resourceGroups/rg/resources?api-version=2024-11-01")
    assert listed.json() == {"value": []}


def test_paths_are_case_insensitive_and_ids_keep_canonical_casing(emulator: Emulator) -> None:
    _rg(emulator, "MyGroup")
    created = raw(
        emulator, "PUT", _asg_path(emulator, "Asg1", "MyGroup") + f"?api-version={ASG_API}", {"location": "eastus"}
    )
    assert created.status == 201
    lower = f"{sub_path(emulator)}/RESOURCEGROUPS/mygroup/PROVIDERS/microsoft.network/APPLICATIONSECURITYGROUPS/asg1"
    fetched = raw(emulator, "GET", lower + f"?API-VERSION={ASG_API}")
    assert fetched.status == 200
    assert fetched.json()["id"] == _asg_path(emulator, "Asg1", "MyGroup")
    assert fetched.json()["type"] == "Microsoft.Network/applicationSecurityGroups"
    assert fetched.json()["name"] == "Asg1"


def test_json_property_names_are_accepted_in_any_case(emulator: Emulator) -> None:
    _rg(emulator)
    body = {"LOCATION": "eastus", "Tags": {"Env": "Dev"}}
    created = raw(emulator, "PUT", _asg_path(emulator) + f"?api-version={ASG_API}", body)
    assert created.status == 201
    assert created.json()["location"] == "eastus"
    # Tag names are the user's data: their casing is kept.
    assert created.json()["tags"] == {"Env": "Dev"}


def test_every_response_carries_request_ids(emulator: Emulator) -> None:
    response = raw(
        emulator,
        "GET",
        f"{sub_path(emulator)}/resourcegroups?api-version=2024-11-01",
        headers={"x-ms-client-request-id": "abc-123", "x-ms-correlation-request-id": "corr-1"},
    )
    assert re.fullmatch(r"[0-9a-f-]{36}", response.header("x-ms-request-id") or "")
    assert response.header("x-ms-correlation-request-id") == "corr-1"
    assert response.header("x-ms-client-request-id") == "abc-123"
    error = raw(emulator, "GET", f"{sub_path(emulator)}/resourcegroups/nope?api-version=2024-11-01")
    assert error.header("x-ms-request-id")
    assert error.header("content-type") == "application/json; charset=utf-8"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        pytest.param(b"{not json", "could not be deserialized", id="malformed"),
        pytest.param(b'{"location": "eastus",', "could not be deserialized", id="truncated"),
    ],
)
def test_malformed_json_is_invalid_request_content(emulator: Emulator, content: bytes, fragment: str) -> None:
    _rg(emulator)
    response = raw(emulator, "PUT", _asg_path(emulator) + f"?api-version={ASG_API}", content=content)
    assert response.status == 400
    assert response.error_code == "InvalidRequestContent"
    assert fragment in response.json()["error"]["message"]
    assert raw(emulator, "GET", _asg_path(emulator) + f"?api-version={ASG_API}").status == 404


def test_wrong_json_types_are_refused_without_writing(emulator: Emulator) -> None:
    _rg(emulator)
    response = raw(emulator, "PUT", _asg_path(emulator) + f"?api-version={ASG_API}", {"location": 42})
    assert response.status == 400
    assert response.error_code == "InvalidRequestContent"
    rg = raw(
        emulator,
        "PUT",
        f"{sub_path(emulator)}/resourcegroups/rg2?api-version=2024-11-01",
        {"location": "eastus", "tags": "x"},
    )
    assert rg.status == 400
    assert rg.error_code == "InvalidRequestContent"
    assert raw(emulator, "HEAD", f"{sub_path(emulator)}/resourcegroups/rg2?api-version=2024-11-01").status == 404


@pytest.mark.parametrize(
    ("name", "code"),
    [
        pytest.param("bad*name", "InvalidResourceGroup", id="star"),
        pytest.param("ends-with-dot.", "InvalidResourceGroup", id="trailing-dot"),
        pytest.param("x" * 91, "InvalidResourceGroup", id="too-long"),
    ],
)
def test_resource_group_names_azure_forbids_are_refused(emulator: Emulator, name: str, code: str) -> None:
    response = raw(
        emulator, "PUT", f"{sub_path(emulator)}/resourcegroups/{name}?api-version=2024-11-01", {"location": "eastus"}
    )
    assert response.status == 400
    assert response.error_code == code


def test_resource_names_azure_forbids_are_refused(emulator: Emulator) -> None:
    _rg(emulator)
    response = raw(emulator, "PUT", _asg_path(emulator, "a:b") + f"?api-version={ASG_API}", {"location": "eastus"})
    assert response.status == 400
    assert response.error_code == "InvalidResourceName"


def test_missing_resource_group_is_resource_group_not_found(emulator: Emulator) -> None:
    response = raw(emulator, "PUT", _asg_path(emulator, rg="ghost") + f"?api-version={ASG_API}", {"location": "eastus"})
    assert response.status == 404
    assert response.json()["error"] == {
        "code": "ResourceGroupNotFound",
        "message": "Resource group 'ghost' could not be found.",
    }


def test_unknown_location_is_refused(emulator: Emulator) -> None:
    response = raw(
        emulator, "PUT", f"{sub_path(emulator)}/resourcegroups/rg?api-version=2024-11-01", {"location": "moon"}
    )
    assert response.status == 400
    assert response.error_code == "LocationNotAvailableForResourceGroup"
    missing = raw(emulator, "PUT", f"{sub_path(emulator)}/resourcegroups/rg?api-version=2024-11-01", {})
    assert missing.status == 400
    assert missing.error_code == "LocationRequired"


def test_unknown_and_malformed_subscriptions(emulator: Emulator) -> None:
    other = raw(
        emulator, "GET", "/subscriptions/11111111-2222-3333-4444-555555555555/resourcegroups?api-version=2024-11-01"
    )
    assert other.status == 404
    assert other.json()["error"] == {
        "code": "SubscriptionNotFound",
        "message": "The subscription '11111111-2222-3333-4444-555555555555' could not be found.",
    }
    malformed = raw(emulator, "GET", "/subscriptions/not-a-guid/resourcegroups?api-version=2024-11-01")
    assert malformed.status == 400
    assert malformed.error_code == "InvalidSubscriptionId"


def test_requests_without_a_token_get_401_with_arm_envelope(emulator: Emulator) -> None:
    response = raw(emulator, "GET", f"{sub_path(emulator)}/resourcegroups?api-version=2024-11-01", token=False)
    assert response.status == 401
    assert response.json()["error"]["code"] == "AuthenticationFailed"
    assert "Authorization' header is missing" in response.json()["error"]["message"]
    assert (response.header("WWW-Authenticate") or "").startswith("Bearer")


@pytest.mark.parametrize(
    ("header", "code"),
    [
        pytest.param("Basic abc", "AuthenticationFailed", id="wrong-scheme"),
        pytest.param("Bearer not.a.jwt", "InvalidAuthenticationToken", id="garbage"),
        pytest.param(
            "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "InvalidAuthenticationToken", id="foreign-key"
        ),
    ],
)
def test_invalid_tokens_get_401(emulator: Emulator, header: str, code: str) -> None:
    response = raw(
        emulator,
        "GET",
        f"{sub_path(emulator)}/resourcegroups?api-version=2024-11-01",
        headers={"Authorization": header},
    )
    assert response.status == 401
    assert response.error_code == code


def test_expired_token_gets_expired_authentication_token(make_emulator) -> None:  # type: ignore[no-untyped-def]
    from vmss_emulator._utils.clock import FakeClock

    clock = FakeClock()
    emulator = make_emulator()
    emulator.issuer.clock = clock  # the issuer's own clock (real time by default)
    token = emulator.issuer.issue("https://x/.default")["access_token"]
    clock.advance(4000)
    response = raw(
        emulator,
        "GET",
        f"{sub_path(emulator)}/resourcegroups?api-version=2024-11-01",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status == 401
    assert response.error_code == "ExpiredAuthenticationToken"


def test_put_create_is_201_with_azure_async_operation_and_integer_retry_after(emulator: Emulator) -> None:
    _rg(emulator)
    response = raw(emulator, "PUT", _asg_path(emulator) + f"?api-version={ASG_API}", {"location": "eastus"})
    assert response.status == 201
    status_url = response.header("Azure-AsyncOperation")
    assert status_url and status_url.startswith("https://management.emulator.local/subscriptions/")
    assert f"api-version={ASG_API}" in status_url
    assert (response.header("Retry-After") or "").isdigit() and int(response.header("Retry-After") or 0) >= 1
    poll = raw(emulator, "GET", status_url.removeprefix("https://management.emulator.local"))
    assert poll.status == 200
    assert poll.json()["status"] == "Succeeded"
    again = raw(emulator, "PUT", _asg_path(emulator) + f"?api-version={ASG_API}", {"location": "eastus"})
    assert again.status == 200


def test_delete_is_202_with_location_that_answers_when_done_and_204_when_absent(emulator: Emulator) -> None:
    _rg(emulator)
    raw(emulator, "PUT", _asg_path(emulator) + f"?api-version={ASG_API}", {"location": "eastus"})
    response = raw(emulator, "DELETE", _asg_path(emulator) + f"?api-version={ASG_API}")
    assert response.status == 202
    location = response.header("Location")
    assert location and "api-version=" in location
    done = raw(emulator, "GET", location.removeprefix("https://management.emulator.local"))
    assert done.status in (200, 204)
    assert raw(emulator, "DELETE", _asg_path(emulator) + f"?api-version={ASG_API}").status == 204


def test_operation_status_of_unknown_operation_is_404(emulator: Emulator) -> None:
    op_id = "00000000-0000-0000-0000-00000000beef"
    path = f"{sub_path(emulator)}/providers/Microsoft.Network/locations/eastus/operations/{op_id}"
    response = raw(emulator, "GET", path + "?api-version=2024-05-01")
    assert response.status == 404


def test_if_match_and_if_none_match_follow_the_rpc_matrix(emulator: Emulator) -> None:
    _rg(emulator)
    path = _asg_path(emulator) + f"?api-version={ASG_API}"
    absent_star = raw(emulator, "PUT", path, {"location": "eastus"}, headers={"If-Match": "*"})
    assert absent_star.status == 412
    assert absent_star.error_code == "PreconditionFailed"
    created = raw(emulator, "PUT", path, {"location": "eastus"}, headers={"If-None-Match": "*"})
    assert created.status == 201
    etag = created.header("ETag")
    assert etag and etag.startswith('W/"')
    assert created.json()["etag"] == etag
    assert raw(emulator, "PUT", path, {"location": "eastus"}, headers={"If-None-Match": "*"}).status == 412
    stale = raw(emulator, "PUT", path, {"location": "eastus"}, headers={"If-Match": 'W/"stale"'})
    assert stale.status == 412
    updated = raw(emulator, "PUT", path, {"location": "eastus", "tags": {"a": "b"}}, headers={"If-Match": etag})
    assert updated.status == 200
    assert updated.header("ETag") != etag
    assert raw(emulator, "DELETE", path, headers={"If-Match": etag}).status == 412
    assert raw(emulator, "GET", path).json()["tags"] == {"a": "b"}


def test_list_pages_follow_next_link_with_api_version(emulator: Emulator, network_client) -> None:  # type: ignore[no-untyped-def]
    _rg(emulator)
    for i in range(5):
        raw(emulator, "PUT", _asg_path(emulator, f"asg{i}") + f"?api-version={ASG_API}", {"location": "eastus"})
    emulator.ctx.services["page_size"] = 2
    first = raw(
        emulator,
        "GET",
        f"{sub_path(emulator)}/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups?api-version={ASG_API}",
    )
    body = first.json()
    assert len(body["value"]) == 2
    assert f"api-version={ASG_API}" in body["nextLink"]
    names = [a.name for a in network_client.application_security_groups.list("rg")]
    assert names == [f"asg{i}" for i in range(5)]
    names_all = [a.name for a in network_client.application_security_groups.list_all()]
    assert names_all == names


def test_unknown_route_and_method_get_arm_errors_not_500(emulator: Emulator) -> None:
    _rg(emulator)
    assert raw(emulator, "GET", "/nothing-here").status == 404
    patch_list = raw(
        emulator,
        "PATCH",
        f"{sub_path(emulator)}/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups?api-version={ASG_API}",
        {},
    )
    assert patch_list.status == 405
    assert patch_list.error_code == "MethodNotAllowed"


def test_the_image_alias_doc_az_downloads_names_catalogue_images(emulator: Emulator) -> None:
    metadata = raw(emulator, "GET", "/metadata/endpoints?api-version=2022-09-01").json()
    alias_path = metadata["vmImageAliasDoc"].split("://", 1)[1].split("/", 1)[1]
    doc = raw(emulator, "GET", "/" + alias_path).json()
    aliases = doc["outputs"]["aliases"]["value"]
    assert aliases["Linux"]["Ubuntu2204"] == {
        "publisher": "Canonical",
        "offer": "0001-com-ubuntu-server-jammy",
        "sku": "22_04-lts-gen2",
        "version": "latest",
        "architecture": "x64",
    }
    assert aliases["Windows"]["Win2022Datacenter"]["sku"] == "2022-datacenter-g2"
    assert aliases["Linux"]["AzureLinux4Arm64"]["architecture"] == "Arm64"


def test_a_fake_clock_stepped_hours_ahead_does_not_expire_the_clients_token(make_emulator) -> None:  # type: ignore[no-untyped-def]
    from azure.mgmt.resource.resources import ResourceManagementClient

    from vmss_emulator._utils.clock import FakeClock
    from vmss_emulator.testing.plugin import EmulatorCredential, client_kwargs

    emulator = make_emulator(clock=FakeClock())
    client = ResourceManagementClient(
        EmulatorCredential(emulator), emulator.ctx.settings.subscription_id, **client_kwargs(emulator)
    )
    client.resource_groups.create_or_update("rg", {"location": "eastus"})
    emulator.advance(6 * 3600)
    assert client.resource_groups.get("rg").name == "rg"

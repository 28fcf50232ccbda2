"""Entra ID (AAD) endpoints on the emulator's own host, and the cloud metadata `az cloud register` reads."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from vmss_emulator._utils.clock import iso_z
from vmss_emulator.domain.errors import ResourceNotFound
from vmss_emulator.domain.identity import AadError, TokenIssuer
from vmss_emulator.domain.ids import new_guid
from vmss_emulator.server.http import HttpRequest, HttpResponse

# Tenants MSAL may name in an authority besides the emulator's own tenant id.
_TENANT_ALIASES = {"organizations", "common", "consumers", "vmssemulator.onmicrosoft.com"}


def cloud_metadata(request: HttpRequest) -> HttpResponse:
    """`GET /metadata/endpoints`: the custom-cloud description az builds its cloud from."""
    base = request.base_url
    body: dict[str, Any] = {
        "name": "VmssEmulator",
        "portal": base,
        "resourceManager": f"{base}/",
        "authentication": {
            "loginEndpoint": base,
            "audiences": [f"{base}/", f"{base}"],
            "tenant": "common",
            "identityProvider": "AAD",
        },
        "media": base,
        "graphAudience": base,
        "graph": base,
        "batch": base,
        "microsoftGraphResourceId": f"{base}/",
        "vmImageAliasDoc": f"{base}/metadata/vm-image-aliases",
        "suffixes": {
            "azureDataLakeStoreFileSystem": "azuredatalakestore.net",
            "acrLoginServer": "azurecr.io",
            "sqlServerHostname": "database.windows.net",
            "azureDataLakeAnalyticsCatalogAndJob": "azuredatalakeanalytics.net",
            "keyVaultDns": "vault.azure.net",
            "storage": "core.windows.net",
            "azureFrontDoorEndpointSuffix": "azurefd.net",
        },
        "sqlManagement": base,
        "gallery": base,
    }
    return HttpResponse.json(200, body)


def _openid_configuration(base: str, tenant: str, version: str) -> dict[str, Any]:
    root = f"{base}/{tenant}"
    if version == "v2.0":
        return {
            "token_endpoint": f"{root}/oauth2/v2.0/token",
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
            "jwks_uri": f"{root}/discovery/v2.0/keys",
            "response_modes_supported": ["query", "fragment", "form_post"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "issuer": f"{base}/{tenant}/v2.0",
            "request_uri_parameter_supported": False,
            "authorization_endpoint": f"{root}/oauth2/v2.0/authorize",
            "device_authorization_endpoint": f"{root}/oauth2/v2.0/devicecode",
            "end_session_endpoint": f"{root}/oauth2/v2.0/logout",
            "tenant_region_scope": "NA",
            "cloud_instance_name": "vmss-emulator",
        }
    return {
        "token_endpoint": f"{root}/oauth2/token",
        "jwks_uri": f"{root}/discovery/keys",
        "issuer": f"https://sts.windows.net/{tenant}/",
        "authorization_endpoint": f"{root}/oauth2/authorize",
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "token id_token", "token"],
    }


def route(issuer: TokenIssuer, request: HttpRequest, segments: list[str]) -> HttpResponse:
    lowered = [s.lower() for s in segments]
    tenant = segments[0]
    known = tenant.lower() == issuer.settings.tenant_id.lower() or tenant.lower() in _TENANT_ALIASES
    rest = lowered[1:]
    if rest in (["v2.0", ".well-known", "openid-configuration"], [".well-known", "openid-configuration"]):
        if not known:
            return _aad_error(
                issuer, AadError(400, "invalid_tenant", f"AADSTS90002: Tenant '{tenant}' not found.", [90002])
            )
        version = "v2.0" if rest[0] == "v2.0" else "v1.0"
        return HttpResponse.json(200, _openid_configuration(request.base_url, tenant, version))
    if rest in (["discovery", "v2.0", "keys"], ["discovery", "keys"]):
        return HttpResponse.json(200, issuer.jwks())
    if rest in (["oauth2", "v2.0", "token"], ["oauth2", "token"]) and request.method == "POST":
        if not known:
            return _aad_error(
                issuer, AadError(400, "invalid_tenant", f"AADSTS90002: Tenant '{tenant}' not found.", [90002])
            )
        return _token(issuer, request, v1=rest == ["oauth2", "token"])
    raise ResourceNotFound("The requested resource was not found.", code="NotFound")


def _token(issuer: TokenIssuer, request: HttpRequest, *, v1: bool) -> HttpResponse:
    form = dict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
    try:
        grant = form.get("grant_type", "")
        if grant != "client_credentials":
            raise AadError(
                400,
                "unsupported_grant_type",
                f"AADSTS70003: The app requested an unsupported grant type '{grant}'. The emulator supports "
                "client_credentials for its service principal.",
                [70003],
            )
        if "client_assertion" in form:
            raise AadError(400, "invalid_client", "AADSTS700024: Client assertion is not supported.", [700024])
        issuer.check_client(form.get("client_id", ""), form.get("client_secret"))
        scope = form.get("scope") or (form.get("resource", "") + "/.default")
        reply = issuer.issue(scope)
        if v1:
            reply["resource"] = form.get("resource", "")
        return HttpResponse.json(200, reply, {"Cache-Control": "no-store", "Pragma": "no-cache"})
    except AadError as error:
        return _aad_error(issuer, error)


def _aad_error(issuer: TokenIssuer, error: AadError) -> HttpResponse:
    trace_id = new_guid()
    return HttpResponse.json(error.status, error.body(iso_z(issuer.clock.now()), trace_id))

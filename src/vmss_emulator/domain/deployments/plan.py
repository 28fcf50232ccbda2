"""From a deployment request body to a prepared template, and the deployment document ARM shows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from vmss_emulator._utils.clock import iso_z
from vmss_emulator.domain import resourcegroups
from vmss_emulator.domain.context import Context
from vmss_emulator.domain.deployments.apply import check_api_version, resolve
from vmss_emulator.domain.deployments.common import FULL_TYPE, target_of
from vmss_emulator.domain.errors import ArmError, InvalidRequestContent, InvalidTemplateDeployment
from vmss_emulator.domain.ids import ResourceId
from vmss_emulator.domain.providers import provider_catalog
from vmss_emulator.domain.templates import DeploymentContext, PreparedDeployment, prepare, redacted_parameters

_MODES = {"incremental": "Incremental", "complete": "Complete"}


@dataclass(frozen=True)
class DeploymentRequest:
    template: dict[str, Any]
    parameters: dict[str, Any]
    mode: str


def parse_request(body: Any) -> DeploymentRequest:
    """Validate the `{"properties": {"template", "parameters", "mode"}}` body a client sends."""
    properties = body.get("properties") if isinstance(body, dict) else None
    if not isinstance(properties, dict):
        raise InvalidRequestContent(
            "The request content was invalid and could not be deserialized: 'Required property 'properties' not "
            "found in JSON. Path '', line 1, position 1.'."
        )
    if properties.get("templateLink") is not None or properties.get("parametersLink") is not None:
        raise InvalidRequestContent(
            "The emulator deploys inline templates only: send 'properties.template' and 'properties.parameters' "
            "instead of 'templateLink' / 'parametersLink'."
        )
    template = properties.get("template")
    if not isinstance(template, dict):
        raise InvalidRequestContent(
            "The request content was invalid and could not be deserialized: 'Required property 'template' not found "
            "in JSON. Path 'properties'.'."
        )
    parameters = properties.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise InvalidRequestContent(
            "The request content was invalid and could not be deserialized: 'Error converting value to type "
            "'Newtonsoft.Json.Linq.JObject'. Path 'properties.parameters'.'."
        )
    mode = str(properties.get("mode") or "Incremental")
    if mode.lower() not in _MODES:
        raise InvalidRequestContent(
            f'The request content was invalid and could not be deserialized: \'Error converting value "{mode}" to '
            "type 'DeploymentMode'. Path 'properties.mode'.'."
        )
    return DeploymentRequest(template=template, parameters=parameters, mode=_MODES[mode.lower()])


def prepare_deployment(ctx: Context, rid: ResourceId, request: DeploymentRequest, now: float) -> PreparedDeployment:
    """Validate the template and pre-flight its resources (types and api-versions); raises ARM's 400s."""
    group = resourcegroups.require(ctx, rid)
    context = DeploymentContext(
        subscription_id=rid.subscription_id,
        tenant_id=ctx.settings.tenant_id,
        resource_group_name=str(group.body["name"]),
        resource_group_location=str(group.body["location"]),
        deployment_name=rid.name,
        now=now,
        resource_group_tags=dict(group.body.get("tags") or {}),
        subscription_display_name=ctx.settings.subscription_name,
        deployment_mode=request.mode,
        providers=provider_catalog(ctx),
    )
    # The raw request text is not kept past the wire; the template re-serialised as the SDK and az send it
    # (json.dumps defaults, one line) lets errors carry Azure's "at line 'l' and column 'c'".
    prepared = prepare(request.template, request.parameters, context, template_text=json.dumps(request.template))
    problems: list[dict[str, Any]] = []
    for planned in prepared.resources:
        try:
            resource_type, _ = resolve(ctx, planned.id)
            check_api_version(resource_type, planned.api_version, planned.location or context.resource_group_location)
        except ArmError as error:
            problems.append(error.to_error_body())
    if problems:
        raise InvalidTemplateDeployment(
            f"The template deployment '{rid.name}' is not valid according to the validation procedure. The tracking "
            f"id is '{ctx.settings.tenant_id}'. See inner errors for details.",
            details=problems,
        )
    return prepared


def dependencies(prepared: PreparedDeployment) -> list[dict[str, Any]]:
    """`properties.dependencies`: one entry per resource that depends on others."""
    entries: list[dict[str, Any]] = []
    for planned in prepared.resources:
        if planned.depends_on:
            entries.append({"dependsOn": [target_of(dep) for dep in planned.depends_on], **target_of(planned.id)})
    return entries


def providers(prepared: PreparedDeployment) -> list[dict[str, Any]]:
    """`properties.providers`: namespaces, types and locations the template deploys."""
    grouped: dict[str, dict[str, list[str]]] = {}
    for planned in prepared.resources:
        namespace, _, short_type = planned.type.partition("/")
        location = planned.location or prepared.context.resource_group_location
        locations = grouped.setdefault(namespace, {}).setdefault(short_type, [])
        if location not in locations:
            locations.append(location)
    return [
        {"namespace": ns, "resourceTypes": [{"resourceType": t, "locations": locs} for t, locs in types.items()]}
        for ns, types in grouped.items()
    ]


def document(
    rid: ResourceId,
    prepared: PreparedDeployment,
    request: DeploymentRequest,
    *,
    state: str,
    now: float,
    correlation_id: str,
) -> dict[str, Any]:
    """The deployment resource as ARM shows it when accepted (or validated)."""
    return {
        "id": str(rid),
        "name": rid.name,
        "type": FULL_TYPE,
        "properties": {
            "templateHash": prepared.template_hash,
            "parameters": redacted_parameters(prepared),
            "mode": request.mode,
            "provisioningState": state,
            "timestamp": iso_z(now),
            "duration": "PT0S",
            "correlationId": correlation_id,
            "providers": providers(prepared),
            "dependencies": dependencies(prepared),
        },
    }


def validated_resources(prepared: PreparedDeployment) -> list[dict[str, Any]]:
    return [{"id": planned.id} for planned in prepared.resources if planned.condition]

"""Shared pieces of Microsoft.Resources/deployments: names, errors, ids, durations."""

from __future__ import annotations

import random
from typing import Any

from vmss_emulator.domain.errors import ArmError, Conflict, DeploymentNotFound
from vmss_emulator.domain.ids import ResourceId

FULL_TYPE = "Microsoft.Resources/deployments"
NAMESPACE = "Microsoft.Resources"
RUN_KIND = "deployments.run"
DELETE_KIND = "deployments.delete"
WHATIF_KIND = "deployments.whatIf"

ACCEPTED = "Accepted"
RUNNING = "Running"
SUCCEEDED = "Succeeded"
FAILED = "Failed"
CANCELED = "Canceled"
ACTIVE = frozenset({ACCEPTED, RUNNING})

DEPLOYMENT_FAILED_MESSAGE = (
    "At least one resource deployment operation failed. Please list deployment operations for details. "
    "Please see https://aka.ms/arm-deployment-operations for usage details."
)


class DeploymentActive(Conflict):
    pass


class DeploymentCannotBeCancelled(Conflict):
    pass


def not_found(name: str) -> DeploymentNotFound:
    return DeploymentNotFound(f"Deployment '{name}' could not be found.")


def operation_id() -> str:
    """ARM's deployment operation ids: 20 decimal digits."""
    return "08585" + "".join(random.choices("0123456789", k=15))


def duration(seconds: float) -> str:
    """ISO 8601 duration as ARM writes it (`PT20.5246779S`)."""
    seconds = max(seconds, 0.0)
    minutes, rest = divmod(seconds, 60.0)
    hours, minutes = divmod(int(minutes), 60)
    text = "PT"
    if hours:
        text += f"{hours}H"
    if minutes:
        text += f"{minutes}M"
    return text + f"{rest:.7f}".rstrip("0").rstrip(".") + "S"


def target_of(resource_id: str) -> dict[str, str]:
    """`{id, resourceType, resourceName}` as deployments name a resource (`vnet/subnet1` for children)."""
    rid = ResourceId.parse(resource_id)
    return {"id": str(rid), "resourceType": rid.full_type, "resourceName": "/".join(rid.names)}


def failure_detail(resource_id: str, error: dict[str, Any], status: int) -> dict[str, Any]:
    """One entry of `DeploymentFailed.details`: the failed resource's own error, targeted at that resource.

    Azure's details name the failed resource in `target` (its id), so with several failures each says
    which resource it was. A provider error that already targets something else (a property) is kept
    whole as the inner detail; 409 refusals are wrapped as `Conflict`, as ARM reports them.
    """
    code = error.get("code", "")
    own_target = error.get("target")
    if status == 409 and code != "Conflict":
        return {"code": "Conflict", "target": resource_id, "message": error.get("message", ""), "details": [error]}
    if own_target is None or str(own_target).lower() == resource_id.lower():
        return {"code": code, "target": resource_id, **{k: v for k, v in error.items() if k not in ("code", "target")}}
    return {"code": code, "target": resource_id, "message": error.get("message", ""), "details": [error]}


def status_text(status: int) -> str:
    return {
        200: "OK",
        201: "Created",
        202: "Accepted",
        400: "BadRequest",
        404: "NotFound",
        409: "Conflict",
        204: "NoContent",
        412: "PreconditionFailed",
    }.get(status, "InternalServerError")


def error_status(error: ArmError) -> int:
    return int(error.status)


def camel_case(name: str) -> str:
    """Output names as ARM's serializer writes them (Newtonsoft camel case: `VMSS` -> `vmss`, `VMName` -> `vmName`)."""
    chars = list(name)
    for i, char in enumerate(chars):
        if i == 1 and not char.isupper():
            break
        if i > 0 and i + 1 < len(chars) and not chars[i + 1].isupper():
            if chars[i + 1] == " ":
                chars[i] = char.lower()
            break
        chars[i] = char.lower()
    return "".join(chars)

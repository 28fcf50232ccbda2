"""Template builders for the deployment tests."""

from __future__ import annotations

from typing import Any

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
NET = "2024-05-01"


def template(
    resources: list[dict[str, Any]],
    *,
    parameters: dict[str, Any] | None = None,
    outputs: dict[str, Any] | None = None,
    variables: dict[str, Any] | None = None,
) -> dict[str, Any]:
    doc: dict[str, Any] = {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": resources}
    if parameters:
        doc["parameters"] = parameters
    if variables:
        doc["variables"] = variables
    if outputs:
        doc["outputs"] = outputs
    return doc


def asg(name: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "Microsoft.Network/applicationSecurityGroups",
        "apiVersion": NET,
        "name": name,
        "location": "[resourceGroup().location]",
        **extra,
    }


def deployment(tpl: dict[str, Any], parameters: dict[str, Any] | None = None, mode: str = "Incremental") -> Any:
    return {"properties": {"template": tpl, "parameters": parameters or {}, "mode": mode}}

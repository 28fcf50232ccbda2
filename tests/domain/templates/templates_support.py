"""Shared builders for the template tests (imported by module name; tests dirs have no packages)."""

from __future__ import annotations

import json
from typing import Any

from vmss_emulator.domain.templates import DeploymentContext, EvaluationScope, PreparedDeployment, prepare

SUB = "00000000-0000-0000-0000-000000000001"
TENANT = "11111111-1111-1111-1111-111111111111"
RG = "rg1"
RG_ID = f"/subscriptions/{SUB}/resourceGroups/{RG}"
SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
NOW = 1_767_225_600.0  # 2026-01-01T00:00:00Z


def context(**overrides: Any) -> DeploymentContext:
    values: dict[str, Any] = {
        "subscription_id": SUB,
        "tenant_id": TENANT,
        "resource_group_name": RG,
        "resource_group_location": "westeurope",
        "deployment_name": "dep1",
        "now": NOW,
    }
    values.update(overrides)
    return DeploymentContext(**values)


def scope(**overrides: Any) -> EvaluationScope:
    return EvaluationScope(context=context(), **overrides)


def template(**members: Any) -> dict[str, Any]:
    return {"$schema": SCHEMA, "contentVersion": "1.0.0.0", **members}


def prepare_text(doc: dict[str, Any], parameters: dict[str, Any] | None = None, **ctx: Any) -> PreparedDeployment:
    """prepare() with the template's raw text (indent 2), so errors carry line and column."""
    return prepare(doc, parameters, context(**ctx), template_text=json.dumps(doc, indent=2))


def values(**params: Any) -> dict[str, Any]:
    return {name: {"value": value} for name, value in params.items()}


def rid(resource_type: str, name: str) -> str:
    namespace, *types = resource_type.split("/")
    pairs = "/".join(f"{t}/{n}" for t, n in zip(types, name.split("/"), strict=True))
    return f"{RG_ID}/providers/{namespace}/{pairs}"


class FakeResolver:
    """Records reference()/list*() calls and answers from a dict of resource id -> resource document."""

    def __init__(self, documents: dict[str, dict[str, Any]] | None = None) -> None:
        self.documents = {key.lower(): value for key, value in (documents or {}).items()}
        self.calls: list[tuple[Any, ...]] = []

    def reference(self, resource_id: str, api_version: str | None, full: bool) -> dict[str, Any]:
        self.calls.append(("reference", resource_id, api_version, full))
        document = self.documents.get(resource_id.lower(), {"id": resource_id, "properties": {}})
        return document if full else document.get("properties", {})

    def invoke_list(
        self, resource_id: str, function_name: str, api_version: str, body: Any | None = None
    ) -> dict[str, Any]:
        self.calls.append(("list", resource_id, function_name, api_version, body))
        return {"keys": [{"keyName": "key1", "value": "secret"}]}

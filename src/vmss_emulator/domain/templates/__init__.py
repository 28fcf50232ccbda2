"""The ARM template language, pure: parse, validate, plan and evaluate templates (no store, no I/O).

Apply layer usage::

    from vmss_emulator.domain.templates import DeploymentContext, prepare, evaluate_resource, evaluate_outputs

    ctx = DeploymentContext(subscription_id=..., tenant_id=..., resource_group_name="rg",
                            resource_group_location="westus", deployment_name="dep", now=clock.now())
    prepared = prepare(template, body["properties"].get("parameters"), ctx, template_text=raw_json)
    echo = redacted_parameters(prepared)            # properties.parameters of the deployment
    for batch in prepared.batches:                  # ids; each batch only depends on earlier ones
        for resource_id in batch:                   # (resources of one batch may deploy in parallel)
            planned = prepared.resource(resource_id)
            if not planned.condition:
                continue                            # condition false: skipped, dependents still proceed
            body = evaluate_resource(prepared, planned, resolver)   # after its dependencies exist
            ...  # PUT body at planned.id with planned.api_version through the domain services
    outputs = evaluate_outputs(prepared, resolver)  # {"name": {"type": "String", "value": ...}}

`resolver` implements `Resolver` (`reference(resource_id, api_version, full)` and
`invoke_list(resource_id, function_name, api_version, body)`), so `reference()` and `listKeys()`
read the emulator's real state. Every error is an `ArmError` from `vmss_emulator.domain.errors`
with Azure's wording: `InvalidTemplate` (validation, expressions, cycles, unknown dependsOn,
parameter values; with "at line 'l' and column 'c'" when `template_text` was given) or
`InvalidRequestContent` (no `$schema`/`contentVersion`).

Modules: `expressions` (parser + evaluator), `functions` + `fn_*` (the function table),
`graph` (dependsOn DAG and batches), `parameters`, `resources` (copy loops, nested children, ids),
`template` (`prepare`), `runtime` (apply-time evaluation), `locator` (JSON line/column),
`hashing` (uniqueString/guid exactly as Azure computes them).

Not supported: languageVersion 2.0 (symbolic resource names, user-defined types), nested
deployments' inner templates (the apply layer can call `prepare` again for them), Key Vault
parameter references, `reference()` in conditions, names, dependsOn or variables (Azure refuses
most of these too), management-group/tenant deployment scopes.
"""

from vmss_emulator.domain.templates.context import MAX_COPY_COUNT, DeploymentContext, Resolver
from vmss_emulator.domain.templates.expressions import evaluate, evaluate_json, is_expression, parse
from vmss_emulator.domain.templates.functions import call_function, function_names
from vmss_emulator.domain.templates.graph import GraphNode, plan_batches, resolve_dependencies
from vmss_emulator.domain.templates.hashing import deterministic_guid, unique_string
from vmss_emulator.domain.templates.locator import JsonLocator
from vmss_emulator.domain.templates.parameters import BoundParameter
from vmss_emulator.domain.templates.resources import PlannedResource
from vmss_emulator.domain.templates.runtime import evaluate_outputs, evaluate_resource, redacted_parameters
from vmss_emulator.domain.templates.scope import EvaluationScope, ExpressionError
from vmss_emulator.domain.templates.template import PreparedDeployment, prepare

__all__ = [
    "MAX_COPY_COUNT",
    "BoundParameter",
    "DeploymentContext",
    "EvaluationScope",
    "ExpressionError",
    "GraphNode",
    "JsonLocator",
    "PlannedResource",
    "PreparedDeployment",
    "Resolver",
    "call_function",
    "deterministic_guid",
    "evaluate",
    "evaluate_json",
    "evaluate_outputs",
    "evaluate_resource",
    "function_names",
    "is_expression",
    "parse",
    "plan_batches",
    "prepare",
    "redacted_parameters",
    "resolve_dependencies",
    "unique_string",
]

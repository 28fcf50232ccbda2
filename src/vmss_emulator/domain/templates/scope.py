"""The evaluation scope: everything a template function may read while an expression is evaluated.

A scope is immutable; entering a copy loop makes a new scope with one more loop index
(`with_copy_index`). Which functions are allowed where is decided by what the scope carries:
`reference()`/`list*()` need a `resolver`, `copyIndex()` needs a loop index, `newGuid()`/`utcNow()`
need `in_parameter_default`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from vmss_emulator.domain.errors import InvalidTemplate
from vmss_emulator.domain.templates.context import DeploymentContext, Resolver


class ExpressionError(InvalidTemplate):
    """A template expression failed to parse or evaluate (Azure's code is `InvalidTemplate`).

    The template layer catches these to add where in the template the expression sits.
    """

    code = "InvalidTemplate"


@dataclass(frozen=True)
class DeclaredResource:
    """What `reference('name')` needs to know about a resource declared in the same template."""

    id: str
    api_version: str


def _not_here(function_name: str) -> ExpressionError:
    return ExpressionError(
        f"The template function '{function_name}' is not expected at this location. "
        "Please see https://aka.ms/arm-functions for usage details."
    )


def _no_parameters(name: str) -> Any:
    raise _not_here("parameters")


def _no_variables(name: str) -> Any:
    raise _not_here("variables")


def _no_resources(name_or_id: str) -> DeclaredResource | None:
    return None


@dataclass(frozen=True)
class UserFunction:
    """A template's user-defined function (`functions[].members.<name>`)."""

    namespace: str
    name: str
    parameter_names: tuple[str, ...]
    output: Any  # the raw `output.value` JSON
    output_type: str


@dataclass(frozen=True)
class EvaluationScope:
    """Inputs of template functions. Build one with `template.prepare`; tests may build one directly."""

    context: DeploymentContext
    # parameters('x') and variables('x'); names are already matched case-insensitively by the callee.
    parameter: Callable[[str], Any] = field(default=_no_parameters)
    variable: Callable[[str], Any] = field(default=_no_variables)
    # Loop name (lower case) -> current index; the key None is the enclosing resource/output loop.
    copy_indices: Mapping[str | None, int] = field(default_factory=dict)
    resolver: Resolver | None = None
    # Resolves a resource name or id to a resource declared in the template (for reference('name')).
    declared_resource: Callable[[str], DeclaredResource | None] = field(default=_no_resources)
    in_parameter_default: bool = False
    # Lower-cased "namespace.name" -> user-defined function.
    user_functions: Mapping[str, UserFunction] = field(default_factory=dict)
    # What deployment() returns for `properties.template` (contentVersion, metadata).
    template_summary: Mapping[str, Any] = field(default_factory=dict)
    # Where the expression sits, for error messages ("resource 'x'", "variable 'y'").
    location: str = ""

    def with_copy_index(self, loop_name: str | None, index: int) -> EvaluationScope:
        """A scope inside one more copy loop; `None` names the resource/output loop."""
        indices = dict(self.copy_indices)
        indices[loop_name.lower() if loop_name is not None else None] = index
        return replace(self, copy_indices=indices)

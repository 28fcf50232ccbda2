"""The function table: `@function("concat", min_args=1)` registers an implementation.

Implementations take one `Invocation` (the name as written, the evaluated arguments and the scope)
and use its typed accessors (`inv.string(0)`, `inv.integer(1)`...), which raise Azure-like errors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from vmss_emulator.domain.templates.jsonvalues import type_name
from vmss_emulator.domain.templates.scope import EvaluationScope, ExpressionError

FUNCTIONS_HELP = "Please see https://aka.ms/arm-functions for usage details."

_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")


@dataclass(frozen=True, slots=True)
class Invocation:
    """One call of a template function."""

    name: str
    args: list[Any]
    scope: EvaluationScope

    def fail(self, detail: str) -> ExpressionError:
        """An error about this call, worded like Azure's."""
        return ExpressionError(
            f"Unable to evaluate template language function '{self.name}': {detail}. {FUNCTIONS_HELP}"
        )

    def wrong_type(self, index: int, expected: str) -> ExpressionError:
        ordinal = _ORDINALS[index] if index < len(_ORDINALS) else f"#{index + 1}"
        return ExpressionError(
            f"The template language function '{self.name}' expects its {ordinal} parameter to be of type "
            f"'{expected}'. The provided value is of type '{type_name(self.args[index])}'. {FUNCTIONS_HELP}"
        )

    def string(self, index: int) -> str:
        value = self.args[index]
        if not isinstance(value, str):
            raise self.wrong_type(index, "String")
        return value

    def integer(self, index: int) -> int:
        value = self.args[index]
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.wrong_type(index, "Integer")
        return value

    def boolean(self, index: int) -> bool:
        value = self.args[index]
        if not isinstance(value, bool):
            raise self.wrong_type(index, "Boolean")
        return value

    def array(self, index: int) -> list[Any]:
        value = self.args[index]
        if not isinstance(value, list):
            raise self.wrong_type(index, "Array")
        return value

    def object(self, index: int) -> dict[str, Any]:
        value = self.args[index]
        if not isinstance(value, dict):
            raise self.wrong_type(index, "Object")
        return value

    def optional(self, index: int, default: Any = None) -> Any:
        return self.args[index] if index < len(self.args) else default


Implementation = Callable[[Invocation], Any]


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    name: str
    implementation: Implementation
    min_args: int
    max_args: int | None  # None: any number


REGISTRY: dict[str, FunctionSpec] = {}


def function(name: str, min_args: int = 0, max_args: int | None = -1) -> Callable[[Implementation], Implementation]:
    """Register `name` (case-insensitive). `max_args=-1` means exactly `min_args`; None means unbounded."""

    def register(implementation: Implementation) -> Implementation:
        upper = min_args if max_args == -1 else max_args
        REGISTRY[name.lower()] = FunctionSpec(name, implementation, min_args, upper)
        return implementation

    return register


def check_arity(spec: FunctionSpec, name: str, count: int) -> None:
    """Raise Azure's arity error when `count` arguments do not fit `spec`."""
    if count >= spec.min_args and (spec.max_args is None or count <= spec.max_args):
        return
    if spec.max_args is None:
        expected = f"at least {spec.min_args}"
    elif spec.min_args == spec.max_args:
        expected = f"{spec.min_args}"
    else:
        expected = f"between {spec.min_args} and {spec.max_args}"
    raise ExpressionError(
        f"Unable to evaluate template language function '{name}': function requires {expected} argument(s) "
        f"while {count} were provided. Please see https://aka.ms/arm-functions#{spec.name.lower()} for usage details."
    )


def require_parameter_default(inv: Invocation) -> None:
    """newGuid() and utcNow() would make a deployment non-repeatable anywhere but in a parameter default."""
    if not inv.scope.in_parameter_default:
        raise ExpressionError(
            f"The template function '{inv.name}' is not expected at this location. "
            "The function can only be used with parameter default value expressions. "
            "Please see https://aka.ms/arm-functions for usage details."
        )

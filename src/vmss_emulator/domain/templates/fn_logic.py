"""Logical, comparison, conversion and numeric functions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import isodate

from vmss_emulator.domain.templates._registry import Invocation, function, require_parameter_default
from vmss_emulator.domain.templates.jsonvalues import json_equals

# -- logic -----------------------------------------------------------------------------------------


@function("true", 0)
def true(inv: Invocation) -> Any:
    return True


@function("false", 0)
def false(inv: Invocation) -> Any:
    return False


@function("null", 0)
def null(inv: Invocation) -> Any:
    return None


@function("if", 3)
def if_(inv: Invocation) -> Any:
    # Only reached when called with already-evaluated arguments; the evaluator short-circuits if().
    return inv.args[1] if inv.boolean(0) else inv.args[2]


@function("not", 1)
def not_(inv: Invocation) -> Any:
    return not inv.boolean(0)


@function("and", 2, None)
def and_(inv: Invocation) -> Any:
    return all([inv.boolean(i) for i in range(len(inv.args))])


@function("or", 2, None)
def or_(inv: Invocation) -> Any:
    return any([inv.boolean(i) for i in range(len(inv.args))])


@function("equals", 2)
def equals(inv: Invocation) -> Any:
    return json_equals(inv.args[0], inv.args[1])


def _comparable(inv: Invocation) -> tuple[Any, Any]:
    left, right = inv.args
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (left, right))
    if numbers or (isinstance(left, str) and isinstance(right, str)):
        return left, right
    raise inv.fail("the parameters must both be integers or both be strings")


@function("greater", 2)
def greater(inv: Invocation) -> Any:
    left, right = _comparable(inv)
    return bool(left > right)


@function("greaterOrEquals", 2)
def greater_or_equals(inv: Invocation) -> Any:
    left, right = _comparable(inv)
    return bool(left >= right)


@function("less", 2)
def less(inv: Invocation) -> Any:
    left, right = _comparable(inv)
    return bool(left < right)


@function("lessOrEquals", 2)
def less_or_equals(inv: Invocation) -> Any:
    left, right = _comparable(inv)
    return bool(left <= right)


# -- conversion ------------------------------------------------------------------------------------


@function("bool", 1)
def bool_(inv: Invocation) -> Any:
    value = inv.args[0]
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise inv.fail(f"the value '{value}' cannot be converted to a boolean")


@function("int", 1)
def int_(inv: Invocation) -> Any:
    value = inv.args[0]
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise inv.fail(f"the value '{value}' cannot be converted to an integer")


@function("float", 1)
def float_(inv: Invocation) -> Any:
    value = inv.args[0]
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        try:
            return float(value)
        except ValueError:
            pass
    raise inv.fail(f"the value '{value}' cannot be converted to a float")


# -- numeric ---------------------------------------------------------------------------------------


@function("add", 2)
def add(inv: Invocation) -> Any:
    return inv.integer(0) + inv.integer(1)


@function("sub", 2)
def sub(inv: Invocation) -> Any:
    return inv.integer(0) - inv.integer(1)


@function("mul", 2)
def mul(inv: Invocation) -> Any:
    return inv.integer(0) * inv.integer(1)


def _divisor(inv: Invocation) -> int:
    divisor = inv.integer(1)
    if divisor == 0:
        raise inv.fail("attempted to divide by zero")
    return divisor


def _truncating_div(left: int, right: int) -> int:
    # .NET integer division truncates toward zero; Python's // floors.
    quotient = abs(left) // abs(right)
    return quotient if (left >= 0) == (right > 0) else -quotient


@function("div", 2)
def div(inv: Invocation) -> Any:
    return _truncating_div(inv.integer(0), _divisor(inv))


@function("mod", 2)
def mod(inv: Invocation) -> Any:
    left, right = inv.integer(0), _divisor(inv)
    # The .NET remainder takes the dividend's sign.
    return left - right * _truncating_div(left, right)


def _numbers(inv: Invocation) -> list[int]:
    values = inv.args[0] if len(inv.args) == 1 and isinstance(inv.args[0], list) else inv.args
    if not values:
        raise inv.fail("the array must not be empty")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise inv.fail("the parameters must be integers or an array of integers")
    return list(values)


@function("min", 1, None)
def min_(inv: Invocation) -> Any:
    return min(_numbers(inv))


@function("max", 1, None)
def max_(inv: Invocation) -> Any:
    return max(_numbers(inv))


# -- date ------------------------------------------------------------------------------------------

# The .NET custom format tokens templates use, longest first.
_DOTNET_DATE_TOKENS = (
    ("yyyy", "%Y"),
    ("MM", "%m"),
    ("dd", "%d"),
    ("HH", "%H"),
    ("mm", "%M"),
    ("ss", "%S"),
    ("yy", "%y"),
    ("fffffff", "%f0"),
    ("ffffff", "%f"),
)


def format_datetime(moment: datetime, spec: str) -> str:
    """Format `moment` with a .NET date format (`u`, `s`, `o` or custom like `yyyyMMddTHHmmssZ`)."""
    standard = {"u": "%Y-%m-%d %H:%M:%SZ", "s": "%Y-%m-%dT%H:%M:%S", "o": "%Y-%m-%dT%H:%M:%S.%f0Z"}
    if spec in standard:
        return moment.strftime(standard[spec])
    out: list[str] = []
    i = 0
    while i < len(spec):
        for token, replacement in _DOTNET_DATE_TOKENS:
            if spec.startswith(token, i):
                out.append(moment.strftime(replacement))
                i += len(token)
                break
        else:
            out.append(spec[i].replace("%", "%%"))
            i += 1
    return "".join(out)


@function("utcNow", 0, 1)
def utc_now(inv: Invocation) -> Any:
    require_parameter_default(inv)
    spec = inv.string(0) if inv.args else "yyyyMMddTHHmmssZ"
    return format_datetime(datetime.fromtimestamp(inv.scope.context.now, tz=UTC), spec)


@function("dateTimeAdd", 2, 3)
def date_time_add(inv: Invocation) -> Any:
    try:
        base = isodate.parse_datetime(inv.string(0))
        duration = isodate.parse_duration(inv.string(1))
    except (isodate.ISO8601Error, ValueError) as error:
        raise inv.fail(f"the value is not a valid ISO 8601 date/time or duration: {error}") from error
    if base.tzinfo is None:
        base = base.replace(tzinfo=UTC)
    moment = base + duration
    if len(inv.args) > 2:
        return format_datetime(moment, inv.string(2))
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

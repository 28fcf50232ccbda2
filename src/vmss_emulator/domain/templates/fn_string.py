"""String functions: concat, format, replace, split, substring, base64, uri, uniqueString, guid..."""

from __future__ import annotations

import base64
import json
import re
import urllib.parse
import uuid
from typing import Any

from vmss_emulator.domain.templates._registry import Invocation, function, require_parameter_default
from vmss_emulator.domain.templates.hashing import deterministic_guid, unique_string
from vmss_emulator.domain.templates.jsonvalues import json_equals, to_text


@function("concat", 1, None)
def concat(inv: Invocation) -> Any:
    # All arrays: array concatenation (nulls skipped); otherwise the text of every argument.
    if all(isinstance(arg, list) or arg is None for arg in inv.args) and any(isinstance(a, list) for a in inv.args):
        return [item for arg in inv.args if arg is not None for item in arg]
    for index, arg in enumerate(inv.args):
        if isinstance(arg, list | dict):
            raise inv.wrong_type(index, "String")
    return "".join(to_text(arg) for arg in inv.args)


_FORMAT_ITEM = re.compile(r"\{\{|\}\}|\{(\d+)(?:,(-?\d+))?(?::([^}]*))?\}")


def _format_number(value: Any, spec: str) -> str:
    """The subset of .NET numeric format strings templates use: D, N, F, X, P and `0`-padding patterns."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return to_text(value)
    kind, digits = spec[:1], spec[1:]
    precision = int(digits) if digits.isdigit() else None
    upper = kind.upper()
    if upper == "D" and isinstance(value, int):
        text = str(abs(value)).rjust(precision or 0, "0")
        return ("-" if value < 0 else "") + text
    if upper == "X" and isinstance(value, int):
        text = format(value & 0xFFFFFFFF if value < 0 else value, "X" if kind == "X" else "x")
        return text.rjust(precision or 0, "0")
    if upper == "N":
        return f"{value:,.{2 if precision is None else precision}f}"
    if upper == "F":
        return f"{value:.{2 if precision is None else precision}f}"
    if upper == "P":
        return f"{value * 100:,.{2 if precision is None else precision}f} %"
    if spec and set(spec) == {"0"} and isinstance(value, int):
        return str(value).rjust(len(spec), "0")
    return to_text(value)


@function("format", 1, None)
def format_(inv: Invocation) -> Any:
    template = inv.string(0)
    values = inv.args[1:]

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        position = int(match.group(1))
        if position >= len(values):
            raise inv.fail(
                "Index (zero based) must be greater than or equal to zero and less than the size of the argument list"
            )
        value = values[position]
        text = _format_number(value, match.group(3)) if match.group(3) else to_text(value)
        if match.group(2):
            width = int(match.group(2))
            text = text.ljust(-width) if width < 0 else text.rjust(width)
        return text

    return _FORMAT_ITEM.sub(replace, template)


@function("toLower", 1)
def to_lower(inv: Invocation) -> Any:
    return inv.string(0).lower()


@function("toUpper", 1)
def to_upper(inv: Invocation) -> Any:
    return inv.string(0).upper()


@function("trim", 1)
def trim(inv: Invocation) -> Any:
    return inv.string(0).strip()


@function("replace", 3)
def replace_(inv: Invocation) -> Any:
    old = inv.string(1)
    if not old:
        raise inv.fail("the old value cannot be empty")
    return inv.string(0).replace(old, inv.string(2))


@function("split", 2)
def split(inv: Invocation) -> Any:
    text = inv.string(0)
    delimiters = inv.args[1]
    if isinstance(delimiters, str):
        return text.split(delimiters) if delimiters else [text]
    if isinstance(delimiters, list) and all(isinstance(d, str) for d in delimiters):
        usable = [d for d in delimiters if d]
        if not usable:
            return [text]
        # Longer delimiters first, like .NET's String.Split(string[]) picks the first matching one.
        pattern = "|".join(re.escape(d) for d in usable)
        return re.split(pattern, text)
    raise inv.wrong_type(1, "String")


@function("substring", 1, 3)
def substring(inv: Invocation) -> Any:
    text = inv.string(0)
    start = inv.integer(1) if len(inv.args) > 1 else 0
    length = inv.integer(2) if len(inv.args) > 2 else len(text) - start
    if start < 0 or length < 0 or start + length > len(text):
        raise inv.fail(
            "The index and length parameters must refer to a location within the string. "
            f"The index parameter: '{start}', the length parameter: '{length}', "
            f"the length of the string parameter: '{len(text)}'"
        )
    return text[start : start + length]


def _array_positions(inv: Invocation) -> list[int]:
    return [i for i, element in enumerate(inv.array(0)) if json_equals(element, inv.args[1])]


@function("indexOf", 2)
def index_of(inv: Invocation) -> Any:
    if isinstance(inv.args[0], list):
        return next(iter(_array_positions(inv)), -1)
    # ARM's indexOf/lastIndexOf/startsWith/endsWith on strings ignore case.
    return inv.string(0).lower().find(inv.string(1).lower())


@function("lastIndexOf", 2)
def last_index_of(inv: Invocation) -> Any:
    if isinstance(inv.args[0], list):
        return ([-1, *_array_positions(inv)])[-1]
    return inv.string(0).lower().rfind(inv.string(1).lower())


@function("startsWith", 2)
def starts_with(inv: Invocation) -> Any:
    return inv.string(0).lower().startswith(inv.string(1).lower())


@function("endsWith", 2)
def ends_with(inv: Invocation) -> Any:
    return inv.string(0).lower().endswith(inv.string(1).lower())


@function("padLeft", 2, 3)
def pad_left(inv: Invocation) -> Any:
    value = inv.args[0]
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise inv.wrong_type(0, "String")
    pad = inv.optional(2, " ")
    if not isinstance(pad, str) or len(pad) != 1:
        raise inv.fail("the padding character must be a single character")
    return to_text(value).rjust(inv.integer(1), pad)


@function("string", 1)
def string(inv: Invocation) -> Any:
    return to_text(inv.args[0])


@function("uniqueString", 1, None)
def unique_string_(inv: Invocation) -> Any:
    return unique_string(*(inv.string(i) for i in range(len(inv.args))))


@function("guid", 1, None)
def guid(inv: Invocation) -> Any:
    return deterministic_guid(*(inv.string(i) for i in range(len(inv.args))))


@function("newGuid", 0)
def new_guid(inv: Invocation) -> Any:
    require_parameter_default(inv)
    return str(uuid.uuid4())


@function("base64", 1)
def base64_(inv: Invocation) -> Any:
    return base64.b64encode(inv.string(0).encode("utf-8")).decode("ascii")


def _b64decode(inv: Invocation) -> str:
    try:
        return base64.b64decode(inv.string(0), validate=True).decode("utf-8")
    except ValueError as error:
        raise inv.fail("the input is not a valid Base-64 string") from error


@function("base64ToString", 1)
def base64_to_string(inv: Invocation) -> Any:
    return _b64decode(inv)


@function("base64ToJson", 1)
def base64_to_json(inv: Invocation) -> Any:
    try:
        return json.loads(_b64decode(inv))
    except json.JSONDecodeError as error:
        raise inv.fail("the decoded value is not valid JSON") from error


@function("uri", 2)
def uri(inv: Invocation) -> Any:
    return urllib.parse.urljoin(inv.string(0), inv.string(1))


@function("uriComponent", 1)
def uri_component(inv: Invocation) -> Any:
    return urllib.parse.quote(inv.string(0), safe="-_.~")


@function("uriComponentToString", 1)
def uri_component_to_string(inv: Invocation) -> Any:
    return urllib.parse.unquote(inv.string(0))


@function("dataUri", 1)
def data_uri(inv: Invocation) -> Any:
    encoded = base64.b64encode(to_text(inv.args[0]).encode("utf-8")).decode("ascii")
    return f"data:text/plain;charset=utf8;base64,{encoded}"


@function("dataUriToString", 1)
def data_uri_to_string(inv: Invocation) -> Any:
    header, _, data = inv.string(0).partition(",")
    if not header.startswith("data:"):
        raise inv.fail("the value is not a valid data URI")
    if header.endswith(";base64"):
        return base64.b64decode(data).decode("utf-8")
    return urllib.parse.unquote(data)

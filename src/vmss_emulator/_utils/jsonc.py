"""The lenient JSON that ARM's front door (Newtonsoft) accepts: comments, unquoted names, trailing commas.

az sends deployment bodies as `{"properties": {...}, template:{<the template file verbatim>}}` (its
JsonCTemplatePolicy), and template files may carry `//` and `/* */` comments. `loads` rewrites such a
text into strict JSON and parses it; strings are copied untouched.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

_NAME = re.compile(rb"[A-Za-z_$][A-Za-z0-9_$]*")
_NUMBER = re.compile(rb"-?[0-9][0-9.eE+-]*")
_LITERALS = frozenset({b"true", b"false", b"null"})


def loads(raw: bytes) -> Any:
    """Parse lenient JSON; raises orjson.JSONDecodeError (or ValueError) when it is not even that."""
    return orjson.loads(to_strict(raw))


def to_strict(raw: bytes) -> bytes:
    out = bytearray()
    i, n = 0, len(raw)
    while i < n:
        c = raw[i : i + 1]
        if c == b'"':
            end = _string_end(raw, i)
            out += raw[i:end]
            i = end
        elif raw.startswith(b"//", i):
            newline = raw.find(b"\n", i)
            i = n if newline < 0 else newline
        elif raw.startswith(b"/*", i):
            close = raw.find(b"*/", i + 2)
            if close < 0:
                raise ValueError("unterminated comment")
            i = close + 2
        elif c in (b"}", b"]"):
            _drop_trailing_comma(out)
            out += c
            i += 1
        elif (number := _NUMBER.match(raw, i)) is not None:
            out += number.group(0)
            i = number.end()
        elif (match := _NAME.match(raw, i)) is not None:
            word = match.group(0)
            out += word if word in _LITERALS else b'"' + word + b'"'
            i = match.end()
        else:
            out += c
            i += 1
    return bytes(out)


def _string_end(raw: bytes, start: int) -> int:
    i = start + 1
    while i < len(raw):
        if raw[i] == 0x5C:  # backslash
            i += 2
            continue
        if raw[i] == 0x22:
            return i + 1
        i += 1
    raise ValueError("unterminated string")


def _drop_trailing_comma(out: bytearray) -> None:
    j = len(out) - 1
    while j >= 0 and out[j] in b" \t\r\n":
        j -= 1
    if j >= 0 and out[j] == 0x2C:
        del out[j]

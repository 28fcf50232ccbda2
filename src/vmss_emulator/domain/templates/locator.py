"""Where a JSON node sits in the raw template text, so errors can say "at line '5' and column '20'".

`JsonLocator(text).position(("parameters", "adminPassword"))` -> (line, column), both 1-based,
pointing at the first character of the node's value (for an object, its `{`), which is also
where Newtonsoft's line info puts an object. The scanner accepts the `//` and `/* */` comments ARM
allows in templates. It never raises: on malformed text it keeps what it found so far.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

JsonPath = tuple[str | int, ...]


class JsonLocator:
    """Positions of every value in a JSON text, keyed by path (object keys and array indices)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._positions: dict[JsonPath, int] = {}
        self._line_starts = [0]
        for index, char in enumerate(text):
            if char == "\n":
                self._line_starts.append(index + 1)
        # Malformed text: keep the positions found before the error.
        with contextlib.suppress(IndexError, ValueError):
            self._scan_value(self._skip(0), ())

    def position(self, path: Sequence[str | int]) -> tuple[int, int] | None:
        """(line, column) of the value at `path`, or of its nearest located ancestor; None if nothing is known."""
        key = tuple(path)
        while key not in self._positions:
            if not key:
                return None
            key = key[:-1]
        return self._line_column(self._positions[key])

    def _line_column(self, offset: int) -> tuple[int, int]:
        # Binary search for the line that contains `offset`.
        low, high = 0, len(self._line_starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self._line_starts[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        return low + 1, offset - self._line_starts[low] + 1

    def _skip(self, at: int) -> int:
        text = self._text
        while at < len(text):
            char = text[at]
            if char in " \t\r\n\ufeff":
                at += 1
            elif text.startswith("//", at):
                end = text.find("\n", at)
                at = len(text) if end < 0 else end + 1
            elif text.startswith("/*", at):
                end = text.find("*/", at + 2)
                at = len(text) if end < 0 else end + 2
            else:
                break
        return at

    def _scan_string(self, at: int) -> tuple[str, int]:
        # `at` is on the opening quote; returns the decoded string and the offset after the closing quote.
        text = self._text
        parts: list[str] = []
        at += 1
        while True:
            char = text[at]
            if char == '"':
                return "".join(parts), at + 1
            if char == "\\":
                escape = text[at + 1]
                if escape == "u":
                    parts.append(chr(int(text[at + 2 : at + 6], 16)))
                    at += 6
                    continue
                parts.append({"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}.get(escape, escape))
                at += 2
                continue
            parts.append(char)
            at += 1

    def _scan_value(self, at: int, path: JsonPath) -> int:
        self._positions[path] = at
        char = self._text[at]
        if char == "{":
            return self._scan_object(at, path)
        if char == "[":
            return self._scan_array(at, path)
        if char == '"':
            return self._scan_string(at)[1]
        # Numbers, true, false, null: up to the next delimiter.
        while at < len(self._text) and self._text[at] not in ",]}/ \t\r\n":
            at += 1
        return at

    def _scan_object(self, at: int, path: JsonPath) -> int:
        at = self._skip(at + 1)
        if self._text[at] == "}":
            return at + 1
        while True:
            key, at = self._scan_string(at)
            at = self._skip(at)
            if self._text[at] != ":":
                raise ValueError("expected ':'")
            at = self._scan_value(self._skip(at + 1), (*path, key))
            at = self._skip(at)
            if self._text[at] == "}":
                return at + 1
            if self._text[at] != ",":
                raise ValueError("expected ',' or '}'")
            at = self._skip(at + 1)

    def _scan_array(self, at: int, path: JsonPath) -> int:
        at = self._skip(at + 1)
        if self._text[at] == "]":
            return at + 1
        index = 0
        while True:
            at = self._skip(self._scan_value(at, (*path, index)))
            index += 1
            if self._text[at] == "]":
                return at + 1
            if self._text[at] != ",":
                raise ValueError("expected ',' or ']'")
            at = self._skip(at + 1)

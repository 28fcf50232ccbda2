"""ARM template expressions: `"[concat('a', parameters('p'))]"` -> AST -> value.

A JSON string is an expression when it starts with `[` and ends with `]`; a leading `[[` escapes
the bracket and the string is the literal text minus the first `[`. Inside the brackets:

    expression := primary postfix*
    primary    := STRING | INTEGER | call
    call       := IDENT ['.' IDENT] '(' [expression (',' expression)*] ')'
    postfix    := '.' IDENT | '[' expression ']'
    STRING     := "'" ("''" | any char but "'")* "'"      ('' is one quote)
    INTEGER    := ['-'] digits

`true`, `false` and `null` are functions (`true()`), as in ARM. Function names are
case-insensitive; `ns.fn(...)` calls a user-defined function. Property access is case-insensitive
like ARM's.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from vmss_emulator.domain.templates.functions import call_function
from vmss_emulator.domain.templates.jsonvalues import type_name
from vmss_emulator.domain.templates.scope import EvaluationScope, ExpressionError


@dataclass(frozen=True, slots=True)
class Literal:
    value: str | int


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    args: tuple[Node, ...]
    namespace: str | None = None


@dataclass(frozen=True, slots=True)
class Property:
    target: Node
    name: str


@dataclass(frozen=True, slots=True)
class Index:
    target: Node
    index: Node


Node = Literal | Call | Property | Index


def is_expression(text: Any) -> bool:
    """True if `text` is a JSON string that ARM evaluates (`[...]` but not `[[...`)."""
    return isinstance(text, str) and len(text) >= 2 and text[0] == "[" and text[-1] == "]" and not text.startswith("[[")


def unescape_literal(text: str) -> str:
    """The literal value of a non-expression template string (`[[x]` means `[x]`)."""
    if text.startswith("[[") and text.endswith("]"):
        return text[1:]
    return text


# -- tokenizer -------------------------------------------------------------------------------------

_PUNCTUATION = {
    "(": "LeftParenthesis",
    ")": "RightParenthesis",
    "[": "LeftSquareBracket",
    "]": "RightSquareBracket",
    ",": "Comma",
    ".": "Dot",
}


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # a _PUNCTUATION value, "String", "Integer", "Identifier" or "EndOfData"
    value: str | int
    position: int


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif char in _PUNCTUATION:
            tokens.append(_Token(_PUNCTUATION[char], char, i))
            i += 1
        elif char == "'":
            start, i, parts = i, i + 1, []
            while True:
                end = text.find("'", i)
                if end < 0:
                    raise _parse_error(text, f"the string literal starting at position '{start}' is not terminated")
                parts.append(text[i:end])
                # '' inside a string literal is one quote character.
                if end + 1 < n and text[end + 1] == "'":
                    parts.append("'")
                    i = end + 2
                    continue
                i = end + 1
                break
            tokens.append(_Token("String", "".join(parts), start))
        elif char.isdigit() or (char == "-" and i + 1 < n and text[i + 1].isdigit()):
            start = i
            i += 1
            while i < n and text[i].isdigit():
                i += 1
            if i < n and text[i] == "." and i + 1 < n and text[i + 1].isdigit():
                raise _parse_error(text, f"the character '.' at position '{i}' is not expected")
            tokens.append(_Token("Integer", int(text[start:i]), start))
        elif char.isalpha() or char in "_$":
            start = i
            while i < n and (text[i].isalnum() or text[i] in "_$"):
                i += 1
            tokens.append(_Token("Identifier", text[start:i], start))
        else:
            raise _parse_error(text, f"the character '{char}' at position '{i}' is not expected")
    tokens.append(_Token("EndOfData", "", n))
    return tokens


def _parse_error(text: str, detail: str) -> ExpressionError:
    return ExpressionError(f"Unable to parse language expression '{text}': {detail}.")


# -- parser ----------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.at = 0

    def peek(self, offset: int = 0) -> _Token:
        return self.tokens[min(self.at + offset, len(self.tokens) - 1)]

    def take(self, kind: str) -> _Token:
        token = self.peek()
        if token.kind != kind:
            raise _parse_error(self.text, f"expected token '{kind}' and actual '{token.kind}'")
        self.at += 1
        return token

    def parse(self) -> Node:
        node = self.expression()
        self.take("EndOfData")
        return node

    def expression(self) -> Node:
        node = self.primary()
        while True:
            kind = self.peek().kind
            if kind == "Dot":
                self.at += 1
                node = Property(node, str(self.take("Identifier").value))
            elif kind == "LeftSquareBracket":
                self.at += 1
                index = self.expression()
                self.take("RightSquareBracket")
                node = Index(node, index)
            else:
                return node

    def primary(self) -> Node:
        token = self.peek()
        if token.kind in ("String", "Integer"):
            self.at += 1
            return Literal(token.value)
        if token.kind != "Identifier":
            raise _parse_error(self.text, f"expected token 'Identifier' and actual '{token.kind}'")
        self.at += 1
        namespace: str | None = None
        name = str(token.value)
        if self.peek().kind == "Dot":
            self.at += 1
            namespace, name = name, str(self.take("Identifier").value)
        self.take("LeftParenthesis")
        args: list[Node] = []
        if self.peek().kind != "RightParenthesis":
            args.append(self.expression())
            while self.peek().kind == "Comma":
                self.at += 1
                args.append(self.expression())
        self.take("RightParenthesis")
        return Call(name, tuple(args), namespace)


@functools.lru_cache(maxsize=4096)
def parse(text: str) -> Node:
    """Parse an expression string, with or without its enclosing `[` `]`. Cached: copy loops repeat them."""
    inner = text[1:-1] if is_expression(text) else text
    if not inner.strip():
        raise _parse_error(text, "the expression is empty")
    return _Parser(inner).parse()


def walk(node: Node) -> list[Node]:
    """Every node of an expression tree, parents before children."""
    out: list[Node] = []
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        out.append(current)
        if isinstance(current, Call):
            stack.extend(reversed(current.args))
        elif isinstance(current, Property):
            stack.append(current.target)
        elif isinstance(current, Index):
            stack.extend((current.index, current.target))
    return out


# -- evaluation ------------------------------------------------------------------------------------


def evaluate(expression: Node | str, scope: EvaluationScope) -> Any:
    """Evaluate an AST, or a template string (literal strings are returned unescaped)."""
    if isinstance(expression, str):
        if not is_expression(expression):
            return unescape_literal(expression)
        expression = parse(expression)
    return _evaluate(expression, scope)


def _evaluate(node: Node, scope: EvaluationScope) -> Any:
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Call):
        # if() evaluates only the branch it takes, so a branch may be invalid when not taken.
        if node.namespace is None and node.name.lower() == "if" and len(node.args) == 3:
            condition = _evaluate(node.args[0], scope)
            if not isinstance(condition, bool):
                raise ExpressionError(
                    "The template language function 'if' expects its first parameter to be of type 'Boolean'. "
                    f"The provided value is of type '{type_name(condition)}'."
                )
            return _evaluate(node.args[1] if condition else node.args[2], scope)
        args = [_evaluate(arg, scope) for arg in node.args]
        return call_function(node.name, args, scope, namespace=node.namespace)
    if isinstance(node, Property):
        return get_property(_evaluate(node.target, scope), node.name)
    index = _evaluate(node.index, scope)
    target = _evaluate(node.target, scope)
    if isinstance(index, str):
        return get_property(target, index)
    return get_index(target, index)


def get_property(target: Any, name: str) -> Any:
    """`target.name` with ARM's case-insensitive property lookup."""
    if not isinstance(target, dict):
        raise ExpressionError(
            f"The language expression property '{name}' can't be evaluated, "
            f"property name must be a string and the target must be an object, not '{type_name(target)}'."
        )
    if name in target:
        return target[name]
    lowered = name.lower()
    for key, value in target.items():
        if key.lower() == lowered:
            return value
    available = ", ".join(target)
    raise ExpressionError(
        f"The language expression property '{name}' doesn't exist, available properties are '{available}'."
    )


def get_index(target: Any, index: Any) -> Any:
    """`target[index]` on an array."""
    if not isinstance(target, list) or not isinstance(index, int) or isinstance(index, bool):
        raise ExpressionError(
            f"The language expression property array index '{index}' can't be evaluated on a value of type "
            f"'{type_name(target)}'."
        )
    if not 0 <= index < len(target):
        raise ExpressionError(f"The language expression property array index '{index}' is out of bounds.")
    return target[index]


def evaluate_json(value: Any, scope: EvaluationScope) -> Any:
    """Evaluate every expression inside a JSON value, expanding property `copy` arrays.

    An object whose `copy` member is an array gets one array property per element, with `count`
    evaluations of `input` (`copyIndex('<name>')` is the position), merged with its other members.
    """
    if isinstance(value, str):
        return evaluate(value, scope)
    if isinstance(value, list):
        return [evaluate_json(item, scope) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, member in value.items():
        if key.lower() == "copy" and isinstance(member, list):
            for loop in member:
                name, items = expand_property_copy(loop, scope)
                out[name] = items
        else:
            out[evaluate(key, scope) if is_expression(key) else unescape_literal(key)] = evaluate_json(member, scope)
    return out


def expand_property_copy(loop: Any, scope: EvaluationScope) -> tuple[str, list[Any]]:
    """One property/variable `copy` element -> (property name, evaluated items)."""
    if not isinstance(loop, dict) or not isinstance(loop.get("name"), str) or "input" not in loop:
        raise ExpressionError(
            "The template 'copy' property is not valid: each copy element must have a 'name', a 'count' and an "
            "'input'. Please see https://aka.ms/arm-copy for usage details."
        )
    name = loop["name"]
    count = copy_count(evaluate_json(loop.get("count"), scope), name, scope.context.max_copy_count)
    return name, [evaluate_json(loop["input"], scope.with_copy_index(name, index)) for index in range(count)]


def copy_count(count: Any, loop_name: str, maximum: int) -> int:
    """Validate an evaluated copy `count` the way Azure does."""
    if isinstance(count, bool) or not isinstance(count, int) or count < 0 or count > maximum:
        raise ExpressionError(
            f"The copy count of '{loop_name}' is not valid: the copy count must be a non-negative integer value "
            f"and cannot exceed '{maximum}'. Please see https://aka.ms/arm-copy for usage details."
        )
    return count

"""The expression language: escaping, literals, nesting, property/index access, parse errors."""

from __future__ import annotations

from typing import Any

import pytest
from templates_support import scope

from vmss_emulator.domain.errors import InvalidTemplate
from vmss_emulator.domain.templates import evaluate, evaluate_json, is_expression, parse
from vmss_emulator.domain.templates.expressions import Call, Index, Literal, Property


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("[concat('a')]", True, id="call"),
        pytest.param("[[concat('a')]", False, id="escaped-bracket"),
        pytest.param("plain", False, id="plain-text"),
        pytest.param("[", False, id="lone-bracket"),
        pytest.param("[]", True, id="empty-brackets-are-an-expression"),
        pytest.param("[a] b", False, id="bracket-not-at-end"),
        pytest.param(5, False, id="not-a-string"),
    ],
)
def test_is_expression_recognises_bracketed_strings(text: Any, expected: bool) -> None:
    assert is_expression(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("[concat('a', 'b')]", Call("concat", (Literal("a"), Literal("b"))), id="call-with-strings"),
        pytest.param("[add(1, -2)]", Call("add", (Literal(1), Literal(-2))), id="integers-and-negative"),
        pytest.param("['it''s']", Literal("it's"), id="doubled-quote-is-one-quote"),
        pytest.param("[f().a]", Property(Call("f", ()), "a"), id="dot-property"),
        pytest.param("[f()['a b']]", Index(Call("f", ()), Literal("a b")), id="bracket-property"),
        pytest.param("[f()[0]]", Index(Call("f", ()), Literal(0)), id="index"),
        pytest.param("[ns.fn(1)]", Call("fn", (Literal(1),), "ns"), id="user-function"),
        pytest.param("[  f ( )  ]", Call("f", ()), id="whitespace"),
    ],
)
def test_parse_builds_the_expected_tree(text: str, expected: Any) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        pytest.param("[concat('a']", "expected token 'RightParenthesis' and actual 'EndOfData'", id="unclosed-call"),
        pytest.param("[concat('a)]", "is not terminated", id="unterminated-string"),
        pytest.param("[f() g()]", "expected token 'EndOfData' and actual 'Identifier'", id="two-expressions"),
        pytest.param("[f(1,)]", "expected token 'Identifier' and actual 'RightParenthesis'", id="trailing-comma"),
        pytest.param("[1.5]", "the character '.' at position '1' is not expected", id="float-literal"),
        pytest.param("[f() # 1]", "the character '#' at position '4' is not expected", id="bad-character"),
        pytest.param("[]", "the expression is empty", id="empty"),
        pytest.param("[f().]", "expected token 'Identifier' and actual 'EndOfData'", id="dangling-dot"),
    ],
)
def test_parse_errors_are_invalid_template_with_azure_wording(text: str, fragment: str) -> None:
    with pytest.raises(InvalidTemplate) as caught:
        parse(text)
    assert caught.value.code == "InvalidTemplate"
    assert "Unable to parse language expression" in caught.value.message
    assert fragment in caught.value.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("[[notAnExpression]", "[notAnExpression]", id="escaped-literal"),
        pytest.param("plain text", "plain text", id="plain"),
        pytest.param("[concat('a', concat('b', 'c'))]", "abc", id="nested-calls"),
        pytest.param("[createObject('a', createObject('B', 5)).a.b]", 5, id="properties-are-case-insensitive"),
        pytest.param("[createArray(10, 20, 30)[2]]", 30, id="index"),
        pytest.param("[createObject('k', 'v')['K']]", "v", id="bracket-property"),
        pytest.param("[createObject('k', 'v')[toLower('K')]]", "v", id="computed-property"),
        pytest.param('[json(\'{"a":[{"b":1}]}\').a[0].b]', 1, id="chained-access"),
        pytest.param("[if(true(), 'yes', fail())]", "yes", id="if-skips-the-branch-not-taken"),
        pytest.param("[if(false(), fail(), 'no')]", "no", id="if-false-branch"),
        pytest.param("[TOLOWER('ABC')]", "abc", id="function-names-case-insensitive"),
        pytest.param("[null()]", None, id="null-function"),
    ],
)
def test_evaluate_returns_json_values(text: str, expected: Any) -> None:
    assert evaluate(text, scope()) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        pytest.param(
            "[foo()]", "The template function 'foo' is not valid. Please see https://aka.ms/arm-functions", id="unknown"
        ),
        pytest.param("[length()]", "function requires 1 argument(s) while 0 were provided", id="too-few"),
        pytest.param("[toLower('a', 'b')]", "function requires 1 argument(s) while 2 were provided", id="too-many"),
        pytest.param("[concat()]", "requires at least 1 argument(s)", id="variadic-minimum"),
        pytest.param("[substring('abc', 1, 2, 3)]", "between 1 and 3", id="range-arity"),
        pytest.param(
            "[createObject('a', 1).b]",
            "property 'b' doesn't exist, available properties are 'a'",
            id="missing-property",
        ),
        pytest.param("[createArray(1)[3]]", "array index '3' is out of bounds", id="index-out-of-range"),
        pytest.param("['abc'.x]", "can't be evaluated", id="property-of-string"),
        pytest.param("[toLower(1)]", "expects its first parameter to be of type 'String'", id="wrong-type"),
        pytest.param(
            "[if('yes', 1, 2)]", "'if' expects its first parameter to be of type 'Boolean'", id="if-non-boolean"
        ),
        pytest.param(
            "[parameters('p')]", "'parameters' is not expected at this location", id="parameters-without-template"
        ),
        pytest.param(
            "[reference('x')]", "'reference' is not expected at this location", id="reference-without-resolver"
        ),
        pytest.param("[copyIndex()]", "'copyIndex' is not expected at this location", id="copyindex-outside-loop"),
        pytest.param("[newGuid()]", "only be used with parameter default value", id="newguid-outside-default"),
        pytest.param("[utcNow()]", "only be used with parameter default value", id="utcnow-outside-default"),
        pytest.param("[ns.f()]", "The template function 'ns.f' is not valid", id="unknown-user-function"),
    ],
)
def test_evaluation_errors_name_the_problem(text: str, fragment: str) -> None:
    with pytest.raises(InvalidTemplate) as caught:
        evaluate(text, scope())
    assert fragment in caught.value.message


def test_evaluate_json_walks_objects_arrays_and_keys() -> None:
    value = {"[concat('k', '1')]": ["[add(1, 1)]", {"x": "[[raw]"}], "n": 3, "b": True}
    assert evaluate_json(value, scope()) == {"k1": [2, {"x": "[raw]"}], "n": 3, "b": True}


def test_property_copy_expands_into_an_array_beside_other_members() -> None:
    value = {
        "other": "[toUpper('x')]",
        "copy": [
            {
                "name": "disks",
                "count": 3,
                "input": {"lun": "[copyIndex('disks')]", "size": "[mul(copyIndex('disks', 1), 10)]"},
            }
        ],
    }
    assert evaluate_json(value, scope()) == {
        "other": "X",
        "disks": [{"lun": 0, "size": 10}, {"lun": 1, "size": 20}, {"lun": 2, "size": 30}],
    }


def test_property_copy_with_zero_count_gives_an_empty_array() -> None:
    assert evaluate_json({"copy": [{"name": "xs", "count": 0, "input": "[copyIndex('xs')]"}]}, scope()) == {"xs": []}


def test_property_copy_with_a_negative_count_is_refused() -> None:
    with pytest.raises(InvalidTemplate, match="copy count of 'xs' is not valid"):
        evaluate_json({"copy": [{"name": "xs", "count": -1, "input": 1}]}, scope())


def test_parse_is_cached_so_copy_loops_reuse_the_tree() -> None:
    assert parse("[concat('cache', 'me')]") is parse("[concat('cache', 'me')]")

"""The function table, one row per behaviour."""

from __future__ import annotations

import base64
import re
import uuid
from dataclasses import replace
from typing import Any

import pytest
from templates_support import RG_ID, SUB, TENANT, FakeResolver, scope

from vmss_emulator.domain.errors import InvalidTemplate
from vmss_emulator.domain.templates import deterministic_guid, evaluate, function_names, unique_string
from vmss_emulator.domain.templates.scope import DeclaredResource

VNET_ID = f"{RG_ID}/providers/Microsoft.Network/virtualNetworks/vnet1"

CASES = [
    # string
    ("[concat('a', 'b', 'c')]", "abc", "concat-strings"),
    ("[concat('n', 1, true())]", "n1True", "concat-stringifies-scalars"),
    ("[concat(createArray(1, 2), createArray(3))]", [1, 2, 3], "concat-arrays"),
    ("[format('{0}-{1}', 'a', 2)]", "a-2", "format-positional"),
    ("[format('{0:D3}', 7)]", "007", "format-d3"),
    ("[format('{0:N2}', 1234)]", "1,234.00", "format-n2"),
    ("[format('{0:X}', 255)]", "FF", "format-hex"),
    ("[format('{{{0}}}', 'x')]", "{x}", "format-escaped-braces"),
    ("[format('{0,4}|', 'a')]", "   a|", "format-alignment"),
    ("[toLower('AbC')]", "abc", "toLower"),
    ("[toUpper('AbC')]", "ABC", "toUpper"),
    ("[trim('  x  ')]", "x", "trim"),
    ("[replace('a-b-c', '-', '.')]", "a.b.c", "replace"),
    ("[split('a,b,c', ',')]", ["a", "b", "c"], "split-string"),
    ("[split('a,b;c', createArray(',', ';'))]", ["a", "b", "c"], "split-array-of-delimiters"),
    ("[substring('hello', 1, 3)]", "ell", "substring"),
    ("[substring('hello', 2)]", "llo", "substring-to-end"),
    ("[indexOf('Hello', 'L')]", 2, "indexOf-ignores-case"),
    ("[lastIndexOf('hello', 'l')]", 3, "lastIndexOf"),
    ("[indexOf('abc', 'z')]", -1, "indexOf-missing"),
    ("[indexOf(createArray('a', 'b'), 'b')]", 1, "indexOf-array"),
    ("[startsWith('Hello', 'he')]", True, "startsWith-ignores-case"),
    ("[endsWith('Hello', 'LO')]", True, "endsWith"),
    ("[padLeft('7', 3, '0')]", "007", "padLeft"),
    ("[padLeft(42, 5)]", "   42", "padLeft-int-default-space"),
    ("[string(createObject('a', 1, 'b', true()))]", '{"a":1,"b":true}', "string-object-compact-json"),
    ("[string(true())]", "True", "string-bool"),
    ("[string(5)]", "5", "string-int"),
    ("[base64('hello')]", "aGVsbG8=", "base64"),
    ("[base64ToString('aGVsbG8=')]", "hello", "base64ToString"),
    ("[base64ToJson('eyJhIjoxfQ==')]", {"a": 1}, "base64ToJson"),
    ("[uri('http://contoso.com/a/', 'b.json')]", "http://contoso.com/a/b.json", "uri"),
    ("[uriComponent('a b&c')]", "a%20b%26c", "uriComponent"),
    ("[uriComponentToString('a%20b')]", "a b", "uriComponentToString"),
    ("[dataUri('Hello')]", "data:text/plain;charset=utf8;base64,SGVsbG8=", "dataUri"),
    ("[dataUriToString('data:;base64,SGVsbG8=')]", "Hello", "dataUriToString"),
    ("[uniqueString('test')]", "rbgf3xv4ufgzg", "uniqueString-matches-azure"),
    ("[uniqueString('hello', 'world')]", "a7wkljktk6wne", "uniqueString-joins-with-dash"),
    # logic and comparison
    ("[equals('a', 'a')]", True, "equals"),
    ("[equals('a', 'A')]", False, "equals-is-case-sensitive"),
    ("[equals(createObject('a', createArray(1)), json('{\"a\":[1]}'))]", True, "equals-deep"),
    ("[equals(1, true())]", False, "equals-int-is-not-bool"),
    ("[not(false())]", True, "not"),
    ("[and(true(), true(), false())]", False, "and"),
    ("[or(false(), true())]", True, "or"),
    ("[greater(2, 1)]", True, "greater"),
    ("[greaterOrEquals(1, 1)]", True, "greaterOrEquals"),
    ("[less('a', 'b')]", True, "less-strings"),
    ("[lessOrEquals(3, 2)]", False, "lessOrEquals"),
    ("[if(equals(1, 1), 'y', 'n')]", "y", "if"),
    ("[coalesce(null(), null(), 'x')]", "x", "coalesce"),
    ("[coalesce(null())]", None, "coalesce-all-null"),
    ("[true()]", True, "true"),
    ("[false()]", False, "false"),
    # conversion
    ("[bool('TRUE')]", True, "bool-string"),
    ("[bool(0)]", False, "bool-int"),
    ("[int('42')]", 42, "int-string"),
    ("[float('1.5')]", 1.5, "float"),
    ("[json('null')]", None, "json-null"),
    ("[json('[1,2]')]", [1, 2], "json-array"),
    ("[array('a')]", ["a"], "array-wraps"),
    ("[array(createArray(1))]", [1], "array-keeps-arrays"),
    # numeric
    ("[add(2, 3)]", 5, "add"),
    ("[sub(2, 3)]", -1, "sub"),
    ("[mul(4, 3)]", 12, "mul"),
    ("[div(7, 2)]", 3, "div"),
    ("[div(-7, 2)]", -3, "div-truncates-toward-zero"),
    ("[mod(7, 3)]", 1, "mod"),
    ("[mod(-7, 3)]", -1, "mod-takes-dividend-sign"),
    ("[min(3, 1, 2)]", 1, "min"),
    ("[max(createArray(3, 9, 2))]", 9, "max-array"),
    ("[range(5, 3)]", [5, 6, 7], "range"),
    # arrays and objects
    ("[length('abc')]", 3, "length-string"),
    ("[length(createArray(1, 2))]", 2, "length-array"),
    ("[length(createObject('a', 1))]", 1, "length-object"),
    ("[empty('')]", True, "empty-string"),
    ("[empty(createArray())]", True, "empty-array"),
    ("[empty(createObject('a', 1))]", False, "empty-object"),
    ("[empty(null())]", True, "empty-null"),
    ("[contains('OneTwo', 'Two')]", True, "contains-string"),
    ("[contains('OneTwo', 'two')]", False, "contains-string-case-sensitive"),
    ("[contains(createObject('Key', 1), 'key')]", True, "contains-object-key-ignores-case"),
    ("[contains(createArray(1, 2), 2)]", True, "contains-array"),
    ("[union(createArray(1, 2), createArray(2, 3))]", [1, 2, 3], "union-arrays"),
    (
        '[union(json(\'{"a":{"x":1},"b":1}\'), json(\'{"a":{"y":2},"b":2}\'))]',
        {"a": {"x": 1, "y": 2}, "b": 2},
        "union-objects-deep",
    ),
    ("[intersection(createArray(1, 2, 3), createArray(2, 3, 4))]", [2, 3], "intersection-arrays"),
    (
        "[intersection(createObject('a', 1, 'b', 2), createObject('a', 1, 'b', 3))]",
        {"a": 1},
        "intersection-objects",
    ),
    ("[take(createArray(1, 2, 3), 2)]", [1, 2], "take-array"),
    ("[take('abc', 10)]", "abc", "take-clamps"),
    ("[skip('abc', 1)]", "bc", "skip-string"),
    ("[skip(createArray(1, 2), 5)]", [], "skip-clamps"),
    ("[first(createArray(7, 8))]", 7, "first"),
    ("[first('xyz')]", "x", "first-string"),
    ("[last(createArray(7, 8))]", 8, "last"),
    ("[first(createArray())]", None, "first-empty"),
    ("[createArray()]", [], "createArray-empty"),
    ("[createObject('a', 1, 'b', 'x')]", {"a": 1, "b": "x"}, "createObject"),
    ("[items(createObject('b', 2, 'a', 1))]", [{"key": "a", "value": 1}, {"key": "b", "value": 2}], "items-sorted"),
    ("[objectKeys(createObject('b', 2, 'a', 1))]", ["b", "a"], "objectKeys"),
    # deployment
    ("[resourceGroup().name]", "rg1", "resourceGroup-name"),
    ("[resourceGroup().location]", "westeurope", "resourceGroup-location"),
    ("[resourceGroup().id]", RG_ID, "resourceGroup-id"),
    ("[subscription().subscriptionId]", SUB, "subscription-id"),
    ("[subscription().tenantId]", TENANT, "subscription-tenant"),
    ("[tenant().tenantId]", TENANT, "tenant"),
    ("[deployment().name]", "dep1", "deployment-name"),
    ("[environment().name]", "AzureCloud", "environment-name"),
    ("[environment().suffixes.storage]", "core.windows.net", "environment-suffix"),
    ("[resourceId('Microsoft.Network/virtualNetworks', 'vnet1')]", VNET_ID, "resourceId"),
    (
        "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet1', 's1')]",
        f"{VNET_ID}/subnets/s1",
        "resourceId-child",
    ),
    (
        "[resourceId('otherRg', 'Microsoft.Network/virtualNetworks', 'v')]",
        f"/subscriptions/{SUB}/resourceGroups/otherRg/providers/Microsoft.Network/virtualNetworks/v",
        "resourceId-other-group",
    ),
    (
        "[resourceId('s2', 'g2', 'Microsoft.Network/virtualNetworks', 'v')]",
        "/subscriptions/s2/resourceGroups/g2/providers/Microsoft.Network/virtualNetworks/v",
        "resourceId-other-subscription",
    ),
    (
        "[subscriptionResourceId('Microsoft.Resources/resourceGroups', 'g')]",
        f"/subscriptions/{SUB}/providers/Microsoft.Resources/resourceGroups/g",
        "subscriptionResourceId",
    ),
    (
        "[tenantResourceId('Microsoft.Management/managementGroups', 'mg')]",
        "/providers/Microsoft.Management/managementGroups/mg",
        "tenantResourceId",
    ),
    (
        "[extensionResourceId(resourceGroup().id, 'Microsoft.Authorization/locks', 'l')]",
        f"{RG_ID}/providers/Microsoft.Authorization/locks/l",
        "extensionResourceId",
    ),
]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=i) for t, e, i in CASES])
def test_function_returns_what_azure_returns(text: str, expected: Any) -> None:
    assert evaluate(text, scope()) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        pytest.param("[substring('abc', 2, 5)]", "must refer to a location within the string", id="substring-range"),
        pytest.param("[div(1, 0)]", "divide by zero", id="div-by-zero"),
        pytest.param("[mod(1, 0)]", "divide by zero", id="mod-by-zero"),
        pytest.param("[int('x')]", "cannot be converted to an integer", id="int-bad"),
        pytest.param("[bool('maybe')]", "cannot be converted to a boolean", id="bool-bad"),
        pytest.param("[json('{')]", "not valid JSON", id="json-bad"),
        pytest.param("[createObject('a')]", "even number of parameters", id="createObject-odd"),
        pytest.param("[union(createArray(), createObject())]", "all be arrays or all be objects", id="union-mixed"),
        pytest.param("[greater('a', 1)]", "both be integers or both be strings", id="compare-mixed"),
        pytest.param(
            "[resourceId('rg', 'vnet1')]", "resource type and at least one resource name", id="resourceId-no-type"
        ),
        pytest.param(
            "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet1')]",
            "requires '2' resource name segment(s)",
            id="resourceId-name-count",
        ),
        pytest.param("[length(1)]", "expects its first parameter", id="length-int"),
        pytest.param("[format('{1}', 'a')]", "Index (zero based)", id="format-missing-arg"),
        pytest.param("[base64ToString('!!')]", "not a valid Base-64 string", id="base64-bad"),
        pytest.param("[listKeys('x')]", "function requires 2 or 3 argument(s)", id="list-arity"),
    ],
)
def test_function_errors_are_invalid_template(text: str, fragment: str) -> None:
    with pytest.raises(InvalidTemplate) as caught:
        evaluate(text, scope())
    assert fragment in caught.value.message


def test_guid_is_a_deterministic_version_5_uuid() -> None:
    value = evaluate("[guid('a', 'b')]", scope())
    assert value == deterministic_guid("a", "b") == evaluate("[guid('a', 'b')]", scope())
    assert uuid.UUID(value).version == 5
    assert value != evaluate("[guid('a-b', 'c')]", scope())


def test_unique_string_is_13_lowercase_base32_characters() -> None:
    for seed in ("", "x", "a much longer input string with spaces", RG_ID):
        assert re.fullmatch(r"[a-z2-7]{13}", unique_string(seed))


def test_uniquestring_of_a_resource_group_id_matches_azure() -> None:
    rg_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-rg"
    assert unique_string(rg_id) == "bmg7c6xu4tw46"


def test_new_guid_and_utc_now_work_in_parameter_defaults() -> None:
    default_scope = scope(in_parameter_default=True)
    assert uuid.UUID(evaluate("[newGuid()]", default_scope)).version == 4
    assert evaluate("[utcNow()]", default_scope) == "20260101T000000Z"
    assert evaluate("[utcNow('u')]", default_scope) == "2026-01-01 00:00:00Z"
    assert evaluate("[utcNow('yyyy-MM-dd')]", default_scope) == "2026-01-01"


def test_date_time_add_adds_an_iso_duration() -> None:
    assert evaluate("[dateTimeAdd('2026-01-01T00:00:00Z', 'PT1H')]", scope()) == "2026-01-01T01:00:00Z"


def test_copy_index_reads_the_named_or_current_loop_with_offset() -> None:
    loop_scope = scope().with_copy_index(None, 4).with_copy_index("disks", 2)
    assert evaluate("[copyIndex()]", loop_scope) == 4
    assert evaluate("[copyIndex(1)]", loop_scope) == 5
    assert evaluate("[copyIndex('Disks')]", loop_scope) == 2
    assert evaluate("[copyIndex('disks', 10)]", loop_scope) == 12
    with pytest.raises(InvalidTemplate, match="invalid loop name 'nics'"):
        evaluate("[copyIndex('nics')]", loop_scope)


def test_reference_is_delegated_to_the_resolver_with_api_version_and_full_flag() -> None:
    resolver = FakeResolver({VNET_ID: {"id": VNET_ID, "properties": {"provisioningState": "Succeeded"}}})
    declared = {"vnet1": DeclaredResource(VNET_ID, "2023-04-01")}
    apply_scope = scope(resolver=resolver, declared_resource=lambda name: declared.get(name.lower()))
    assert evaluate("[reference('vnet1').provisioningState]", apply_scope) == "Succeeded"
    assert evaluate(f"[reference('{VNET_ID}', '2022-01-01', 'Full').id]", apply_scope) == VNET_ID
    assert resolver.calls == [
        ("reference", VNET_ID, "2023-04-01", False),
        ("reference", VNET_ID, "2022-01-01", True),
    ]


def test_reference_to_an_unknown_name_is_refused() -> None:
    apply_scope = scope(resolver=FakeResolver())
    with pytest.raises(InvalidTemplate, match="could not find template resource or resource copy with this name"):
        evaluate("[reference('nope')]", apply_scope)


def test_list_functions_are_delegated_by_name() -> None:
    resolver = FakeResolver()
    apply_scope = scope(resolver=resolver)
    account = f"{RG_ID}/providers/Microsoft.Storage/storageAccounts/sa"
    keys = evaluate(f"[listKeys('{account}', '2023-01-01').keys[0].value]", apply_scope)
    assert keys == "secret"
    assert resolver.calls == [("list", account, "listKeys", "2023-01-01", None)]


def test_user_defined_functions_see_only_their_parameters() -> None:
    from vmss_emulator.domain.templates.scope import UserFunction

    udf = UserFunction("contoso", "prefixed", ("name",), "[concat('ct-', parameters('name'))]", "string")
    udf_scope = scope(user_functions={"contoso.prefixed": udf})
    assert evaluate("[contoso.prefixed('web')]", udf_scope) == "ct-web"
    with pytest.raises(InvalidTemplate, match="requires 1 argument"):
        evaluate("[contoso.prefixed()]", udf_scope)


def test_every_required_function_is_registered() -> None:
    required = [
        "concat",
        "format",
        "resourceId",
        "subscriptionResourceId",
        "resourceGroup",
        "subscription",
        "deployment",
        "tenant",
        "environment",
        "parameters",
        "variables",
        "reference",
        "if",
        "equals",
        "not",
        "and",
        "or",
        "greater",
        "greaterOrEquals",
        "less",
        "lessOrEquals",
        "length",
        "empty",
        "contains",
        "union",
        "intersection",
        "coalesce",
        "toLower",
        "toUpper",
        "replace",
        "split",
        "substring",
        "take",
        "skip",
        "first",
        "last",
        "indexOf",
        "lastIndexOf",
        "startsWith",
        "endsWith",
        "trim",
        "padLeft",
        "createArray",
        "array",
        "createObject",
        "json",
        "string",
        "int",
        "bool",
        "float",
        "uniqueString",
        "guid",
        "newGuid",
        "base64",
        "base64ToString",
        "uri",
        "copyIndex",
        "range",
        "min",
        "max",
        "add",
        "sub",
        "mul",
        "div",
        "mod",
        "utcNow",
        "dataUri",
        "items",
        "objectKeys",
        "true",
        "false",
        "null",
    ]
    registered = {name.lower() for name in function_names()}
    assert [name for name in required if name.lower() not in registered] == []


def test_base64_round_trips_unicode() -> None:
    encoded = evaluate("[base64('héllo')]", scope())
    assert base64.b64decode(encoded).decode() == "héllo"
    assert evaluate(f"[base64ToString('{encoded}')]", scope()) == "héllo"


def test_deployment_reports_the_template_summary() -> None:
    summary_scope = replace(scope(), template_summary={"contentVersion": "1.0.0.0"})
    assert evaluate("[deployment().properties.template.contentVersion]", summary_scope) == "1.0.0.0"


def test_list_functions_pass_function_values_as_the_body() -> None:
    resolver = FakeResolver()
    evaluate(
        "[listSecrets('/subscriptions/s/x/providers/A.B/c/d', '2023-01-01', createObject('k', 1))]",
        scope(resolver=resolver),
    )
    assert resolver.calls == [("list", "/subscriptions/s/x/providers/A.B/c/d", "listSecrets", "2023-01-01", {"k": 1})]


def test_contains_compares_scalars_by_their_text() -> None:
    assert evaluate("[contains('abc1', 1)]", scope()) is True


_PROVIDERS = {
    "microsoft.compute": {
        "virtualmachinescalesets": {
            "namespace": "Microsoft.Compute",
            "resourceType": "virtualMachineScaleSets",
            "locations": ["East US"],
            "apiVersions": ["2024-11-01", "2024-07-01"],
        }
    }
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[providers('Microsoft.Compute', 'virtualMachineScaleSets').apiVersions[0]]", "2024-11-01"),
        ("[providers('microsoft.compute', 'VIRTUALMACHINESCALESETS').resourceType]", "virtualMachineScaleSets"),
        ("[providers('Microsoft.Compute').namespace]", "Microsoft.Compute"),
        ("[length(providers('Microsoft.Compute').resourceTypes)]", 1),
    ],
)
def test_providers_reads_the_registered_types(text: str, expected: Any) -> None:
    local = replace(scope(), context=replace(scope().context, providers=_PROVIDERS))
    assert evaluate(text, local) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[providers('Microsoft.Nothing', 'things')]", "'Microsoft.Nothing' is not registered"),
        ("[providers('Microsoft.Compute', 'disks')]", "'Microsoft.Compute/disks' is not registered"),
    ],
)
def test_providers_refuses_unknown_namespaces_and_types(text: str, fragment: str) -> None:
    local = replace(scope(), context=replace(scope().context, providers=_PROVIDERS))
    with pytest.raises(InvalidTemplate, match=re.escape(fragment)):
        evaluate(text, local)

"""prepare(): document checks, parameters, variables, copy loops, conditions, nested children, outputs."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from templates_support import RG_ID, SUB, FakeResolver, context, prepare_text, rid, template, values

from vmss_emulator.domain.errors import InvalidRequestContent, InvalidTemplate
from vmss_emulator.domain.templates import (
    JsonLocator,
    evaluate_outputs,
    evaluate_resource,
    prepare,
    redacted_parameters,
)

PIP = "Microsoft.Network/publicIPAddresses"
VNET = "Microsoft.Network/virtualNetworks"


def pip(name: str, **members: Any) -> dict[str, Any]:
    return {"type": PIP, "apiVersion": "2023-04-01", "name": name, "location": "westeurope", **members}


# -- document --------------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["$schema", "contentVersion"])
def test_schema_and_content_version_are_required(missing: str) -> None:
    doc = template(resources=[])
    del doc[missing]
    with pytest.raises(InvalidRequestContent, match=re.escape(f"Required property '{missing}' not found in JSON")):
        prepare(doc, {}, context())


def test_language_version_2_is_refused_clearly() -> None:
    with pytest.raises(InvalidTemplate, match="language version '2.0' is not supported"):
        prepare(template(languageVersion="2.0", resources={}), {}, context())


def test_an_empty_template_plans_nothing() -> None:
    prepared = prepare(template(), None, context())
    assert prepared.resources == ()
    assert prepared.batches == ()


# -- parameters ------------------------------------------------------------------------------------

PARAMS_DOC = template(
    parameters={
        "adminPassword": {"type": "securestring"},
        "sku": {"type": "string", "defaultValue": "Standard", "allowedValues": ["Basic", "Standard"]},
        "count": {"type": "int", "defaultValue": 2, "minValue": 1, "maxValue": 5},
        "prefix": {"type": "string", "defaultValue": "[concat('p-', parameters('sku'))]", "maxLength": 12},
        "enabled": {"type": "bool", "defaultValue": True},
        "tags": {"type": "object", "defaultValue": {}},
        "zones": {"type": "array", "defaultValue": ["1"], "allowedValues": ["1", "2", "3"]},
    },
    resources=[],
)


def test_missing_required_parameter_names_line_and_column() -> None:
    with pytest.raises(InvalidTemplate) as caught:
        prepare_text(PARAMS_DOC, {})
    # json.dumps(indent=2): "adminPassword" is on line 5; its object starts at column 22.
    assert caught.value.message == (
        "Deployment template validation failed: 'The value for the template parameter 'adminPassword' at line '5' "
        "and column '22' is not provided. Please see https://aka.ms/arm-create-parameter-file for usage details.'."
    )


def test_missing_required_parameter_without_text_has_no_position() -> None:
    with pytest.raises(InvalidTemplate, match="The value for the template parameter 'adminPassword' is not provided"):
        prepare(PARAMS_DOC, {}, context())


def test_defaults_apply_and_may_use_other_parameters() -> None:
    prepared = prepare_text(PARAMS_DOC, values(adminPassword="s3cret!"))
    assert {name: bound.value for name, bound in prepared.parameters.items()} == {
        "adminpassword": "s3cret!",
        "sku": "Standard",
        "count": 2,
        "prefix": "p-Standard",
        "enabled": True,
        "tags": {},
        "zones": ["1"],
    }


@pytest.mark.parametrize(
    ("supplied", "fragment"),
    [
        pytest.param({"sku": "Premium"}, "The provided value 'Premium' for the template parameter 'sku'", id="allowed"),
        pytest.param({"zones": ["1", "4"]}, "is not part of the allowed value(s): '1,2,3'", id="allowed-array-items"),
        pytest.param({"count": 0}, "The value '0' is less than the minimum value '1'", id="min-value"),
        pytest.param({"count": 6}, "greater than the maximum value '5'", id="max-value"),
        pytest.param({"prefix": "x" * 13}, "more than the maximum length '12'", id="max-length"),
        pytest.param({"count": "2"}, "Expected 'Integer'. Actual 'String'", id="int-given-string"),
        pytest.param({"enabled": "true"}, "Expected 'Boolean'. Actual 'String'", id="bool-given-string"),
        pytest.param({"tags": []}, "Expected 'Object'. Actual 'Array'", id="object-given-array"),
        pytest.param({"zones": "1"}, "Expected 'Array'. Actual 'String'", id="array-given-string"),
    ],
)
def test_bad_parameter_values_are_refused(supplied: dict[str, Any], fragment: str) -> None:
    with pytest.raises(InvalidTemplate) as caught:
        prepare_text(PARAMS_DOC, values(adminPassword="pw", **supplied))
    assert fragment in caught.value.message
    assert caught.value.message.startswith("Deployment template validation failed: '")
    name = next(iter(supplied))
    assert f"parameter '{name}' at line '" in caught.value.message


def test_type_errors_say_the_provided_value_is_not_valid() -> None:
    with pytest.raises(InvalidTemplate) as caught:
        prepare(PARAMS_DOC, values(adminPassword="pw", count="2"), context())
    assert "The provided value for the template parameter 'count' is not valid." in caught.value.message


def test_unknown_parameters_are_refused() -> None:
    with pytest.raises(InvalidTemplate, match="The template parameters 'bogus' in the parameters file are not valid"):
        prepare(PARAMS_DOC, values(adminPassword="pw", bogus=1), context())


def test_parameter_names_are_case_insensitive_and_file_wrapper_is_accepted() -> None:
    parameters_file = {"$schema": "x", "contentVersion": "1.0.0.0", "parameters": values(ADMINPASSWORD="pw")}
    prepared = prepare(PARAMS_DOC, parameters_file, context())
    assert prepared.parameters["adminpassword"].value == "pw"


def test_parameter_entries_must_carry_a_value() -> None:
    with pytest.raises(InvalidTemplate, match="must be an object with a 'value' property"):
        prepare(PARAMS_DOC, {"adminPassword": "pw"}, context())


def test_invalid_parameter_type_is_refused() -> None:
    doc = template(parameters={"p": {"type": "float"}})
    with pytest.raises(InvalidTemplate, match="has an invalid type 'float'"):
        prepare(doc, values(p=1), context())


def test_new_guid_and_utc_now_defaults() -> None:
    doc = template(
        parameters={
            "id": {"type": "string", "defaultValue": "[newGuid()]"},
            "stamp": {"type": "string", "defaultValue": "[utcNow('yyyyMMdd')]"},
        }
    )
    prepared = prepare(doc, {}, context())
    assert len(prepared.parameters["id"].value) == 36
    assert prepared.parameters["stamp"].value == "20260101"


def test_redacted_parameters_never_echo_secure_values() -> None:
    prepared = prepare(PARAMS_DOC, values(adminPassword="s3cret!"), context())
    echo = redacted_parameters(prepared)
    assert echo["adminPassword"] == {"type": "SecureString"}
    assert echo["sku"] == {"type": "String", "value": "Standard"}
    assert echo["count"] == {"type": "Int", "value": 2}
    assert echo["enabled"] == {"type": "Bool", "value": True}
    assert echo["tags"] == {"type": "Object", "value": {}}
    assert echo["zones"] == {"type": "Array", "value": ["1"]}
    assert "s3cret!" not in json.dumps(echo)


# -- variables -------------------------------------------------------------------------------------


def test_variables_may_use_each_other_in_any_order_and_copy_arrays() -> None:
    doc = template(
        parameters={"n": {"type": "int", "defaultValue": 3}},
        variables={
            "full": "[concat(variables('base'), '-', string(length(variables('disks'))))]",
            "base": "[toLower('VNET')]",
            "copy": [{"name": "disks", "count": "[parameters('n')]", "input": {"lun": "[copyIndex('disks')]"}}],
            "nested": {"copy": [{"name": "names", "count": 2, "input": "[concat('n', copyIndex('names'))]"}]},
        },
    )
    prepared = prepare(doc, {}, context())
    assert prepared.variables == {
        "full": "vnet-3",
        "base": "vnet",
        "disks": [{"lun": 0}, {"lun": 1}, {"lun": 2}],
        "nested": {"names": ["n0", "n1"]},
    }


def test_variable_cycles_and_unknown_variables_are_refused() -> None:
    with pytest.raises(InvalidTemplate, match="circular reference"):
        prepare(template(variables={"a": "[variables('b')]", "b": "[variables('a')]"}), {}, context())
    with pytest.raises(InvalidTemplate, match="The template variable 'nope' is not found"):
        prepare(template(variables={"a": "[variables('nope')]"}), {}, context())


def test_reference_in_a_variable_is_refused() -> None:
    with pytest.raises(InvalidTemplate, match="'reference' is not expected at this location"):
        prepare(template(variables={"a": "[reference('x')]"}), {}, context())


# -- resources, copy, conditions -------------------------------------------------------------------


def test_resource_copy_loop_expands_names_and_ids() -> None:
    doc = template(
        resources=[pip("[concat('pip', copyIndex(1))]", copy={"name": "pips", "count": 3})],
    )
    prepared = prepare(doc, {}, context())
    assert [r.name for r in prepared.resources] == ["pip1", "pip2", "pip3"]
    assert [r.copy_index for r in prepared.resources] == [0, 1, 2]
    assert prepared.resources[0].id == f"{RG_ID}/providers/{PIP}/pip1"
    assert prepared.batches == (tuple(r.id for r in prepared.resources),)


def test_serial_copy_with_batch_size_waits_for_the_previous_batch() -> None:
    doc = template(
        resources=[
            pip("[concat('pip', copyIndex())]", copy={"name": "pips", "count": 5, "mode": "serial", "batchSize": 2})
        ]
    )
    prepared = prepare(doc, {}, context())
    names = [[resource_id.rsplit("/", 1)[1] for resource_id in batch] for batch in prepared.batches]
    assert names == [["pip0", "pip1"], ["pip2", "pip3"], ["pip4"]]


def test_copy_count_zero_and_over_the_limit() -> None:
    zero = prepare(
        template(resources=[pip("[concat('p', copyIndex())]", copy={"name": "l", "count": 0})]), {}, context()
    )
    assert zero.resources == ()
    with pytest.raises(InvalidTemplate, match="cannot exceed '800'"):
        prepare(
            template(resources=[pip("[concat('p', copyIndex())]", copy={"name": "l", "count": 801})]), {}, context()
        )


def test_conditions_are_evaluated_and_kept_in_the_plan() -> None:
    doc = template(
        parameters={"withPip": {"type": "bool", "defaultValue": False}},
        resources=[pip("a", condition="[parameters('withPip')]"), pip("b", dependsOn=["a"])],
    )
    prepared = prepare(doc, {}, context())
    assert [(r.name, r.condition) for r in prepared.resources] == [("a", False), ("b", True)]
    assert prepared.resource(rid(PIP, "b")).depends_on == (rid(PIP, "a"),)


def test_non_boolean_condition_is_refused() -> None:
    with pytest.raises(InvalidTemplate, match="condition of type 'String'"):
        prepare(template(resources=[pip("a", condition="yes")]), {}, context())


def test_nested_children_get_full_type_name_and_depend_on_their_parent() -> None:
    doc = template(
        resources=[
            {
                "type": VNET,
                "apiVersion": "2023-04-01",
                "name": "vnet1",
                "location": "westeurope",
                "properties": {},
                "resources": [
                    {"type": "subnets", "apiVersion": "2023-04-01", "name": "s1", "properties": {}},
                    {"type": f"{VNET}/subnets", "apiVersion": "2023-04-01", "name": "vnet1/s2", "properties": {}},
                ],
            }
        ]
    )
    prepared = prepare(doc, {}, context())
    s1, s2 = prepared.resources[1:]
    assert (s1.type, s1.name, s1.id) == (f"{VNET}/subnets", "vnet1/s1", f"{rid(VNET, 'vnet1')}/subnets/s1")
    assert s2.id == f"{rid(VNET, 'vnet1')}/subnets/s2"
    assert s1.depends_on == s2.depends_on == (rid(VNET, "vnet1"),)
    assert len(prepared.batches) == 2


@pytest.mark.parametrize(
    ("resource", "fragment"),
    [
        pytest.param(pip("a/b"), "has incorrect segment lengths", id="segments"),
        pytest.param({"type": PIP, "name": "a"}, "must have an 'apiVersion'", id="api-version"),
        pytest.param(pip("[foo()]"), "The template function 'foo' is not valid", id="bad-function-in-name"),
        pytest.param(pip("a", dependsOn="b"), "invalid 'dependsOn'", id="depends-on-not-array"),
        pytest.param(
            pip("a", dependsOn=["missing"]), "The resource 'missing' is not defined in the template", id="unknown"
        ),
    ],
)
def test_invalid_resources_are_refused(resource: dict[str, Any], fragment: str) -> None:
    with pytest.raises(InvalidTemplate) as caught:
        prepare_text(template(resources=[resource]))
    assert fragment in caught.value.message


def test_resource_errors_carry_the_declaration_position() -> None:
    with pytest.raises(InvalidTemplate) as caught:
        prepare_text(template(resources=[pip("[foo()]")]))
    assert caught.value.message.startswith(
        "Deployment template validation failed: "
        "'The template resource '[foo()]' at line '5' and column '5' is not valid"
    )


def test_duplicate_resources_are_refused() -> None:
    with pytest.raises(InvalidTemplate, match="is defined multiple times in a template"):
        prepare(template(resources=[pip("a"), pip("A")]), {}, context())


def test_implicit_dependency_from_reference_in_properties() -> None:
    doc = template(
        resources=[
            pip(
                "consumer",
                properties={"x": "[reference(resourceId('Microsoft.Network/publicIPAddresses', 'source')).ipAddress]"},
            ),
            pip("source"),
            pip("other", properties={"y": "[reference('source', '2023-04-01').ipAddress]"}),
        ]
    )
    prepared = prepare(doc, {}, context())
    assert prepared.resource(rid(PIP, "consumer")).depends_on == (rid(PIP, "source"),)
    assert prepared.resource(rid(PIP, "other")).depends_on == (rid(PIP, "source"),)
    assert [len(batch) for batch in prepared.batches] == [1, 2]


def test_scope_and_cross_group_ids() -> None:
    doc = template(
        resources=[
            pip("a", resourceGroup="other"),
            {
                "type": "Microsoft.Authorization/locks",
                "apiVersion": "2020-05-01",
                "name": "lock",
                "scope": f"[resourceId('{PIP}', 'b')]",
            },
            pip("b"),
        ]
    )
    prepared = prepare(doc, {}, context())
    assert prepared.resources[0].id == f"/subscriptions/{SUB}/resourceGroups/other/providers/{PIP}/a"
    assert prepared.resources[0].resource_group == "other"
    assert prepared.resources[1].id == f"{rid(PIP, 'b')}/providers/Microsoft.Authorization/locks/lock"


def test_large_copy_loops_prepare_into_two_batches() -> None:
    doc = template(
        resources=[
            pip("[concat('pip', copyIndex())]", copy={"name": "pips", "count": 1000}),
            {
                "type": "Microsoft.Network/networkInterfaces",
                "apiVersion": "2023-04-01",
                "name": "[concat('nic', copyIndex())]",
                "copy": {"name": "nics", "count": 1000},
                "dependsOn": ["[resourceId('Microsoft.Network/publicIPAddresses', concat('pip', copyIndex()))]"],
                "properties": {"pip": "[reference(concat('pip', copyIndex())).ipAddress]"},
            },
        ]
    )
    prepared = prepare(doc, {}, context(max_copy_count=1000), template_text=json.dumps(doc))
    assert len(prepared.resources) == 2000
    assert [len(batch) for batch in prepared.batches] == [1000, 1000]


# -- apply-time evaluation -------------------------------------------------------------------------


def test_evaluate_resource_evaluates_the_whole_body_with_the_instance_copy_index() -> None:
    doc = template(
        parameters={"env": {"type": "string", "defaultValue": "dev"}},
        resources=[
            pip(
                "[concat('pip', copyIndex())]",
                copy={"name": "pips", "count": 2},
                sku={"name": "Standard"},
                zones=["[string(add(copyIndex(), 1))]"],
                tags={"env": "[parameters('env')]"},
                properties={
                    "dnsSettings": {"domainNameLabel": "[concat('dns', copyIndex())]"},
                    "copy": [{"name": "ipTags", "count": 2, "input": {"tag": "[copyIndex('ipTags')]"}}],
                },
                comments="not part of the body",
            )
        ],
    )
    prepared = prepare(doc, {}, context())
    body = evaluate_resource(prepared, prepared.resources[1], FakeResolver())
    assert body == {
        "id": rid(PIP, "pip1"),
        "type": PIP,
        "name": "pip1",
        "apiVersion": "2023-04-01",
        "location": "westeurope",
        "sku": {"name": "Standard"},
        "zones": ["2"],
        "tags": {"env": "dev"},
        "properties": {"dnsSettings": {"domainNameLabel": "dns1"}, "ipTags": [{"tag": 0}, {"tag": 1}]},
    }


def test_evaluate_resource_reads_references_through_the_resolver() -> None:
    doc = template(
        resources=[
            pip("source"),
            pip("consumer", properties={"ip": "[reference('source').ipAddress]"}),
        ]
    )
    prepared = prepare(doc, {}, context())
    resolver = FakeResolver({rid(PIP, "source"): {"properties": {"ipAddress": "20.1.2.3"}}})
    body = evaluate_resource(prepared, prepared.resource(rid(PIP, "consumer")), resolver)
    assert body["properties"] == {"ip": "20.1.2.3"}
    assert resolver.calls == [("reference", rid(PIP, "source"), "2023-04-01", False)]


def test_evaluate_resource_errors_name_the_resource() -> None:
    doc = template(resources=[pip("a", properties={"x": "[createObject('k', 1).missing]"})])
    prepared = prepare_text(doc)
    with pytest.raises(InvalidTemplate) as caught:
        evaluate_resource(prepared, prepared.resources[0], FakeResolver())
    assert caught.value.message.startswith(
        f"Unable to process template language expressions for resource '{rid(PIP, 'a')}' at line '5' and column '5'."
    )
    assert "property 'missing' doesn't exist" in caught.value.message


def test_outputs_have_azure_type_names_and_skip_secure_and_false_conditions() -> None:
    doc = template(
        parameters={"pw": {"type": "securestring", "defaultValue": "x"}},
        resources=[pip("source")],
        outputs={
            "s": {"type": "string", "value": "[concat('a', 'b')]"},
            "i": {"type": "int", "value": 3},
            "b": {"type": "bool", "value": "[true()]"},
            "a": {"type": "array", "copy": {"count": 2, "input": "[copyIndex()]"}},
            "o": {"type": "object", "value": "[reference('source', '2023-04-01', 'Full')]"},
            "secret": {"type": "securestring", "value": "[parameters('pw')]"},
            "skipped": {"type": "string", "condition": "[false()]", "value": "[fail()]"},
        },
    )
    prepared = prepare(doc, {}, context())
    outputs = evaluate_outputs(prepared, FakeResolver({rid(PIP, "source"): {"id": rid(PIP, "source")}}))
    assert outputs == {
        "s": {"type": "String", "value": "ab"},
        "i": {"type": "Int", "value": 3},
        "b": {"type": "Bool", "value": True},
        "a": {"type": "Array", "value": [0, 1]},
        "o": {"type": "Object", "value": {"id": rid(PIP, "source")}},
    }


def test_output_of_the_wrong_type_is_refused() -> None:
    prepared = prepare(template(outputs={"n": {"type": "int", "value": "three"}}), {}, context())
    with pytest.raises(InvalidTemplate) as caught:
        evaluate_outputs(prepared, FakeResolver())
    assert caught.value.message.startswith("Unable to evaluate template outputs: 'n'.")
    assert caught.value.details is not None
    assert "Expected 'Integer'. Actual 'String'" in caught.value.details[0]["message"]


# -- locator ---------------------------------------------------------------------------------------


def test_locator_finds_nested_paths_and_tolerates_comments() -> None:
    text = '{\n  // comment\n  "a": [1, {"b": "x\\"y"}],\n  /* block */ "c": {}\n}'
    locator = JsonLocator(text)
    assert locator.position(()) == (1, 1)
    assert locator.position(("a",)) == (3, 8)
    assert locator.position(("a", 1, "b")) == (3, 18)
    assert locator.position(("c",)) == (4, 20)
    assert locator.position(("a", 1, "missing")) == (3, 12)  # nearest located ancestor


def test_nested_deployment_with_inner_scope_keeps_its_template_unevaluated() -> None:
    inner = template(parameters={"n": {"type": "string"}}, resources=[pip("[parameters('n')]")], outputs={})
    doc = template(
        resources=[
            {
                "type": "Microsoft.Resources/deployments",
                "apiVersion": "2022-09-01",
                "name": "nested",
                "properties": {
                    "mode": "Incremental",
                    "expressionEvaluationOptions": {"scope": "inner"},
                    "parameters": {"n": {"value": "[concat('pip', '-inner')]"}},
                    "template": inner,
                },
            }
        ]
    )
    prepared = prepare(doc, {}, context())
    body = evaluate_resource(prepared, prepared.resources[0], FakeResolver())
    assert body["properties"]["template"] == inner
    assert body["properties"]["parameters"] == {"n": {"value": "pip-inner"}}
    nested = prepare(body["properties"]["template"], body["properties"]["parameters"], context())
    assert nested.resources[0].name == "pip-inner"

"""Whole templates built around the fragments of the VMSS networking seed (docs: "Networking for Azure VMSS")."""

from __future__ import annotations

from typing import Any

import pytest
from templates_support import RG_ID, SUB, FakeResolver, prepare_text, rid, template, values

from vmss_emulator.domain.errors import InvalidTemplate
from vmss_emulator.domain.templates import evaluate, evaluate_outputs, evaluate_resource, redacted_parameters
from vmss_emulator.domain.templates.template import PreparedDeployment

# The two fragments, verbatim from the seed's "configurable virtual machine domain names" example.
SUBNET_ID_FRAGMENT = (
    "[concat('/subscriptions/', subscription().subscriptionId,'/resourceGroups/', resourceGroup().name, "
    "'/providers/Microsoft.Network/virtualNetworks/', variables('vnetName'), '/subnets/subnet1')]"
)
DNS_FRAGMENT = "[parameters('vmssDnsName')]"

VNET = "Microsoft.Network/virtualNetworks"
SUBNET = "Microsoft.Network/virtualNetworks/subnets"
PIP = "Microsoft.Network/publicIPAddresses"
LB = "Microsoft.Network/loadBalancers"
VMSS = "Microsoft.Compute/virtualMachineScaleSets"


def vmss_template() -> dict[str, Any]:
    return template(
        parameters={
            "vmssName": {"type": "string", "defaultValue": "myScaleSet", "maxLength": 61},
            "vmssDnsName": {"type": "string"},
            "instanceCount": {"type": "int", "defaultValue": 2, "minValue": 1, "maxValue": 100},
            "adminUsername": {"type": "string", "defaultValue": "azureuser"},
            "adminPassword": {"type": "securestring"},
            "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
        },
        variables={
            "vnetName": "[concat(parameters('vmssName'), 'vnet')]",
            "publicIPAddressName": "[concat(parameters('vmssName'), 'pip')]",
            "loadBalancerName": "[concat(parameters('vmssName'), 'lb')]",
            "lbID": "[resourceId('Microsoft.Network/loadBalancers', variables('loadBalancerName'))]",
            "bePoolName": "[concat(parameters('vmssName'), 'bepool')]",
            "natPoolName": "[concat(parameters('vmssName'), 'natpool')]",
            "frontEndIPConfigID": "[concat(variables('lbID'), '/frontendIPConfigurations/loadBalancerFrontEnd')]",
        },
        resources=[
            {
                "type": VMSS,
                "apiVersion": "2023-09-01",
                "name": "[parameters('vmssName')]",
                "location": "[parameters('location')]",
                "dependsOn": [
                    "[resourceId('Microsoft.Network/loadBalancers', variables('loadBalancerName'))]",
                    "[resourceId('Microsoft.Network/virtualNetworks/subnets', variables('vnetName'), 'subnet1')]",
                ],
                "sku": {"name": "Standard_DS1_v2", "tier": "Standard", "capacity": "[parameters('instanceCount')]"},
                "properties": {
                    "overprovision": True,
                    "upgradePolicy": {"mode": "Manual"},
                    "virtualMachineProfile": {
                        "osProfile": {
                            "computerNamePrefix": "[parameters('vmssName')]",
                            "adminUsername": "[parameters('adminUsername')]",
                            "adminPassword": "[parameters('adminPassword')]",
                        },
                        "networkProfile": {
                            "networkInterfaceConfigurations": [
                                {
                                    "name": "nic1",
                                    "properties": {
                                        "primary": True,
                                        "ipConfigurations": [
                                            {
                                                "name": "ip1",
                                                "properties": {
                                                    "subnet": {"id": SUBNET_ID_FRAGMENT},
                                                    "loadBalancerBackendAddressPools": [
                                                        {
                                                            "id": "[concat(variables('lbID'), "
                                                            "'/backendAddressPools/', variables('bePoolName'))]"
                                                        }
                                                    ],
                                                    "publicIPAddressconfiguration": {
                                                        "name": "publicip",
                                                        "properties": {
                                                            "idleTimeoutInMinutes": 10,
                                                            "dnsSettings": {"domainNameLabel": DNS_FRAGMENT},
                                                        },
                                                    },
                                                },
                                            }
                                        ],
                                    },
                                }
                            ]
                        },
                    },
                },
            },
            {
                "type": LB,
                "apiVersion": "2023-04-01",
                "name": "[variables('loadBalancerName')]",
                "location": "[parameters('location')]",
                "dependsOn": ["[variables('publicIPAddressName')]"],
                "properties": {
                    "frontendIPConfigurations": [
                        {
                            "name": "LoadBalancerFrontEnd",
                            "properties": {
                                "publicIPAddress": {
                                    "id": "[resourceId('Microsoft.Network/publicIPAddresses', "
                                    "variables('publicIPAddressName'))]"
                                }
                            },
                        }
                    ],
                    "backendAddressPools": [{"name": "[variables('bePoolName')]"}],
                    "inboundNatPools": [
                        {
                            "name": "[variables('natPoolName')]",
                            "properties": {
                                "frontendIPConfiguration": {"id": "[variables('frontEndIPConfigID')]"},
                                "protocol": "Tcp",
                                "frontendPortRangeStart": 50000,
                                "frontendPortRangeEnd": 50119,
                                "backendPort": 22,
                            },
                        }
                    ],
                },
            },
            {
                "type": PIP,
                "apiVersion": "2023-04-01",
                "name": "[variables('publicIPAddressName')]",
                "location": "[parameters('location')]",
                "properties": {
                    "publicIPAllocationMethod": "Static",
                    "dnsSettings": {"domainNameLabel": "[concat(parameters('vmssDnsName'), '-lb')]"},
                },
            },
            {
                "type": VNET,
                "apiVersion": "2023-04-01",
                "name": "[variables('vnetName')]",
                "location": "[parameters('location')]",
                "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}},
                "resources": [
                    {
                        "type": "subnets",
                        "apiVersion": "2023-04-01",
                        "name": "subnet1",
                        "dependsOn": ["[variables('vnetName')]"],
                        "properties": {"addressPrefix": "10.0.0.0/24"},
                    }
                ],
            },
        ],
        outputs={
            "fqdn": {"type": "string", "value": "[reference(variables('publicIPAddressName')).dnsSettings.fqdn]"},
            "subnetId": {"type": "string", "value": SUBNET_ID_FRAGMENT},
        },
    )


def prepared_vmss(**params: Any) -> PreparedDeployment:
    return prepare_text(vmss_template(), values(vmssDnsName="mydns", adminPassword="P@ssw0rd!", **params))


def short_names(prepared: PreparedDeployment) -> list[list[str]]:
    return [[prepared.resource(i).name for i in batch] for batch in prepared.batches]


def test_seed_fragments_evaluate_in_a_deployment_scope() -> None:
    prepared = prepared_vmss()
    subnet_id = evaluate(SUBNET_ID_FRAGMENT, prepared.scope)
    assert subnet_id == f"/subscriptions/{SUB}/resourceGroups/rg1/providers/{VNET}/myScaleSetvnet/subnets/subnet1"
    assert evaluate(DNS_FRAGMENT, prepared.scope) == "mydns"


def test_vmss_template_deploys_networking_before_the_scale_set() -> None:
    prepared = prepared_vmss()
    assert short_names(prepared) == [
        ["myScaleSetpip", "myScaleSetvnet"],
        ["myScaleSetlb", "myScaleSetvnet/subnet1"],
        ["myScaleSet"],
    ]
    vmss = prepared.resource(rid(VMSS, "myScaleSet"))
    assert set(vmss.depends_on) == {rid(LB, "myScaleSetlb"), rid(SUBNET, "myScaleSetvnet/subnet1")}
    assert vmss.location == "westeurope"
    assert vmss.api_version == "2023-09-01"


def test_vmss_body_carries_the_evaluated_seed_fragments() -> None:
    prepared = prepared_vmss(instanceCount=3)
    body = evaluate_resource(prepared, prepared.resource(rid(VMSS, "myScaleSet")), FakeResolver())
    assert body["sku"] == {"name": "Standard_DS1_v2", "tier": "Standard", "capacity": 3}
    profile = body["properties"]["virtualMachineProfile"]
    ip_config = profile["networkProfile"]["networkInterfaceConfigurations"][0]["properties"]["ipConfigurations"][0]
    assert ip_config["properties"]["subnet"]["id"] == rid(SUBNET, "myScaleSetvnet/subnet1")
    assert ip_config["properties"]["publicIPAddressconfiguration"]["properties"]["dnsSettings"] == {
        "domainNameLabel": "mydns"
    }
    assert ip_config["properties"]["loadBalancerBackendAddressPools"] == [
        {"id": f"{rid(LB, 'myScaleSetlb')}/backendAddressPools/myScaleSetbepool"}
    ]
    assert profile["osProfile"]["adminPassword"] == "P@ssw0rd!"


def test_load_balancer_body_points_at_the_public_ip() -> None:
    prepared = prepared_vmss()
    body = evaluate_resource(prepared, prepared.resource(rid(LB, "myScaleSetlb")), FakeResolver())
    frontend = body["properties"]["frontendIPConfigurations"][0]
    assert frontend["properties"]["publicIPAddress"]["id"] == rid(PIP, "myScaleSetpip")
    nat_pool = body["properties"]["inboundNatPools"][0]["properties"]
    assert (
        nat_pool["frontendIPConfiguration"]["id"]
        == f"{RG_ID}/providers/{LB}/myScaleSetlb/frontendIPConfigurations/loadBalancerFrontEnd"
    )


def test_outputs_read_the_deployed_public_ip() -> None:
    prepared = prepared_vmss()
    resolver = FakeResolver(
        {rid(PIP, "myScaleSetpip"): {"properties": {"dnsSettings": {"fqdn": "mydns-lb.westeurope.cloudapp.azure.com"}}}}
    )
    assert evaluate_outputs(prepared, resolver) == {
        "fqdn": {"type": "String", "value": "mydns-lb.westeurope.cloudapp.azure.com"},
        "subnetId": {"type": "String", "value": rid(SUBNET, "myScaleSetvnet/subnet1")},
    }


def test_the_password_is_never_echoed() -> None:
    echo = redacted_parameters(prepared_vmss())
    assert echo["adminPassword"] == {"type": "SecureString"}
    assert echo["vmssDnsName"] == {"type": "String", "value": "mydns"}
    assert echo["location"] == {"type": "String", "value": "westeurope"}


def test_missing_dns_name_is_reported_at_its_declaration() -> None:
    with pytest.raises(InvalidTemplate) as caught:
        prepare_text(vmss_template(), values(adminPassword="pw"))
    # Line 10 of json.dumps(indent=2) (after vmssName's four lines): the "vmssDnsName" object, at column 20.
    assert "The value for the template parameter 'vmssDnsName' at line '10' and column '20' is not provided." in (
        caught.value.message
    )


def test_a_cycle_through_the_scale_set_is_detected() -> None:
    doc = vmss_template()
    doc["resources"][2]["dependsOn"] = ["[parameters('vmssName')]"]  # pip -> vmss -> lb -> pip
    with pytest.raises(InvalidTemplate, match="Circular dependency detected on resource: "):
        prepare_text(doc, values(vmssDnsName="d", adminPassword="pw"))

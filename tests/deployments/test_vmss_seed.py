"""A scale set deployed from a template built on the VMSS networking seed's fragments, as az vmss create does."""

from __future__ import annotations

from typing import Any

from tests.deployments.templates import deployment, template

SUBNET_ID_FRAGMENT = (
    "[concat('/subscriptions/', subscription().subscriptionId,'/resourceGroups/', resourceGroup().name, "
    "'/providers/Microsoft.Network/virtualNetworks/', variables('vnetName'), '/subnets/subnet1')]"
)


def seed_template() -> dict[str, Any]:
    # Strings where az's template builder writes them ("true", "2"), lower-case enums, explicit nulls.
    nic = {
        "name": "nic1",
        "properties": {
            "primary": "true",
            "ipConfigurations": [
                {
                    "name": "ip1",
                    "properties": {
                        "subnet": {"id": SUBNET_ID_FRAGMENT},
                        "loadBalancerBackendAddressPools": [
                            {"id": "[concat(variables('lbID'), '/backendAddressPools/', variables('bePoolName'))]"}
                        ],
                        "loadBalancerInboundNatPools": [
                            {"id": "[concat(variables('lbID'), '/inboundNatPools/', variables('natPoolName'))]"}
                        ],
                    },
                }
            ],
        },
    }
    vmss = {
        "type": "Microsoft.Compute/virtualMachineScaleSets",
        "apiVersion": "2023-09-01",
        "name": "[parameters('vmssName')]",
        "location": "[resourceGroup().location]",
        "dependsOn": [
            "[resourceId('Microsoft.Network/loadBalancers', variables('loadBalancerName'))]",
            "[resourceId('Microsoft.Network/virtualNetworks/subnets', variables('vnetName'), 'subnet1')]",
        ],
        "sku": {"name": "Standard_DS1_v2", "tier": "Standard", "capacity": "[string(parameters('instanceCount'))]"},
        "properties": {
            "overprovision": "false",
            "singlePlacementGroup": None,
            "upgradePolicy": {"mode": "manual"},
            "virtualMachineProfile": {
                "osProfile": {
                    "computerNamePrefix": "[parameters('vmssName')]",
                    "adminUsername": "azureuser",
                    "adminPassword": "[parameters('adminPassword')]",
                },
                "storageProfile": {
                    "imageReference": {
                        "publisher": "Canonical",
                        "offer": "UbuntuServer",
                        "sku": "18.04-LTS",
                        "version": "latest",
                    },
                    "osDisk": {
                        "createOption": "FromImage",
                        "caching": "ReadWrite",
                        "managedDisk": {"storageAccountType": None},
                    },
                },
                "networkProfile": {"networkInterfaceConfigurations": [nic]},
            },
        },
    }
    lb = {
        "type": "Microsoft.Network/loadBalancers",
        "apiVersion": "2022-01-01",
        "name": "[variables('loadBalancerName')]",
        "location": "[resourceGroup().location]",
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
                        "protocol": "tcp",
                        "frontendPortRangeStart": "50000",
                        "frontendPortRangeEnd": "50119",
                        "backendPort": "22",
                    },
                }
            ],
        },
    }
    pip = {
        "type": "Microsoft.Network/publicIPAddresses",
        "apiVersion": "2015-06-15",
        "name": "[variables('publicIPAddressName')]",
        "location": "[resourceGroup().location]",
        "properties": {
            "publicIPAllocationMethod": "Dynamic",
            "dnsSettings": {"domainNameLabel": "[concat(parameters('vmssDnsName'), '-lb')]"},
        },
    }
    vnet = {
        "type": "Microsoft.Network/virtualNetworks",
        "apiVersion": "2015-06-15",
        "name": "[variables('vnetName')]",
        "location": "[resourceGroup().location]",
        "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}},
        "resources": [
            {
                "type": "subnets",
                "apiVersion": "2015-06-15",
                "name": "subnet1",
                "dependsOn": ["[variables('vnetName')]"],
                "properties": {"addressPrefix": "10.0.0.0/24"},
            }
        ],
    }
    return template(
        [vmss, lb, pip, vnet],
        parameters={
            "vmssName": {"type": "string", "defaultValue": "myScaleSet"},
            "vmssDnsName": {"type": "string"},
            "instanceCount": {"type": "int", "defaultValue": 2},
            "adminPassword": {"type": "securestring"},
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
        outputs={
            "VMSS": {
                "type": "object",
                "value": "[reference(resourceId('Microsoft.Compute/virtualMachineScaleSets', parameters('vmssName')))]",
            },
            "fqdn": {"type": "string", "value": "[reference(variables('publicIPAddressName')).dnsSettings.fqdn]"},
        },
    )


def test_the_seed_scale_set_deploys_with_its_network(
    deployments_client: Any, compute_client: Any, network_client: Any, rg: str
) -> None:
    params = {"vmssDnsName": {"value": "mydns"}, "adminPassword": {"value": "P@ssw0rd1234!"}}
    body = deployment(seed_template(), params)
    poller = deployments_client.deployments.begin_create_or_update(rg, "vmss_deploy_seed", body)
    result = poller.result()
    props = result.properties
    assert props.provisioning_state == "Succeeded", props.error
    vmss = compute_client.virtual_machine_scale_sets.get(rg, "myScaleSet")
    assert vmss.sku.capacity == 2 and vmss.overprovision is False
    assert vmss.upgrade_policy.mode == "Manual"
    nic = vmss.virtual_machine_profile.network_profile.network_interface_configurations[0]
    assert nic.primary is True
    assert len(list(compute_client.virtual_machine_scale_set_vms.list(rg, "myScaleSet"))) == 2
    lb = network_client.load_balancers.get(rg, "myScaleSetlb")
    assert (lb.inbound_nat_pools[0].frontend_port_range_start, lb.inbound_nat_pools[0].backend_port) == (50000, 22)
    # reference() returns the properties object (no id / sku), as az prints it.
    assert (
        "virtualMachineProfile" in props.outputs["vmss"]["value"]
        or "virtualMachineProfile" in props.outputs["VMSS"]["value"]
    )
    assert props.outputs["fqdn"]["value"].startswith("mydns-lb.")
    assert props.parameters["adminPassword"] == {"type": "SecureString"}
    names = [
        o.properties.target_resource.resource_name
        for o in deployments_client.deployment_operations.list(rg, "vmss_deploy_seed")
    ]
    assert names.index("myScaleSet") > names.index("myScaleSetlb") > names.index("myScaleSetpip")
    assert names.index("myScaleSet") > names.index("myScaleSetvnet/subnet1")

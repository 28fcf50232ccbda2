"""`az deployment group create --template-file` with full templates around each networking seed fragment.

Each test wraps one fragment of the VMSS networking seed (public IP per VM, DNS settings, VM domain names,
multiple NICs and public IPs, NSG and ASG, application gateway pool) in a complete template, deploys it with
the real az, and checks the result through az; the last one previews a changed template with what-if.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import Az
from tests.deployments.templates import template

pytestmark = pytest.mark.az

NET = "2024-05-01"
COMPUTE = "2024-07-01"
PREFIX = "[concat('/subscriptions/', subscription().subscriptionId,'/resourceGroups/', resourceGroup().name, "
SUBNET_ID = PREFIX + "'/providers/Microsoft.Network/virtualNetworks/', variables('vnetName'), '/subnets/subnet1')]"
LB_POOL = (
    PREFIX + "'/providers/Microsoft.Network/loadBalancers/', variables('lbName'), '/backendAddressPools/addressPool1')]"
)
LB_NAT = PREFIX + "'/providers/Microsoft.Network/loadBalancers/', variables('lbName'), '/inboundNatPools/natPool1')]"
NSG_ID = PREFIX + "'/providers/Microsoft.Network/networkSecurityGroups/', variables('nsgName'))]"
ASG_ID = PREFIX + "'/providers/Microsoft.Network/applicationSecurityGroups/', variables('asgName'))]"
VARIABLES = {"vnetName": "seedvnet", "lbName": "seedlb", "nsgName": "seednsg", "asgName": "seedasg"}
LOCATION = "[resourceGroup().location]"


def vnet() -> dict[str, Any]:
    subnets = [
        {"name": "subnet1", "properties": {"addressPrefix": "10.0.0.0/24"}},
        {"name": "gateway", "properties": {"addressPrefix": "10.0.1.0/24"}},
    ]
    return {
        "type": "Microsoft.Network/virtualNetworks", "apiVersion": NET, "name": "[variables('vnetName')]",
        "location": LOCATION,
        "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": subnets},
    }  # fmt: skip


def load_balancer() -> dict[str, Any]:
    frontend = (
        "[concat(resourceId('Microsoft.Network/loadBalancers', variables('lbName')), '/frontendIPConfigurations/fe')]"
    )
    return {
        "type": "Microsoft.Network/loadBalancers", "apiVersion": NET, "name": "[variables('lbName')]",
        "location": LOCATION, "sku": {"name": "Standard"},
        "dependsOn": ["[resourceId('Microsoft.Network/publicIPAddresses', 'lbpip')]"],
        "properties": {
            "frontendIPConfigurations": [{"name": "fe", "properties": {
                "publicIPAddress": {"id": "[resourceId('Microsoft.Network/publicIPAddresses', 'lbpip')]"}}}],
            "backendAddressPools": [{"name": "addressPool1"}],
            "inboundNatPools": [{"name": "natPool1", "properties": {
                "frontendIPConfiguration": {"id": frontend}, "protocol": "Tcp",
                "frontendPortRangeStart": 50000, "frontendPortRangeEnd": 50119, "backendPort": 22}}],
        },
    }  # fmt: skip


def lb_public_ip() -> dict[str, Any]:
    return {
        "type": "Microsoft.Network/publicIPAddresses", "apiVersion": NET, "name": "lbpip", "location": LOCATION,
        "sku": {"name": "Standard"}, "properties": {"publicIPAllocationMethod": "Static"},
    }  # fmt: skip


def scale_set(nics: list[dict[str, Any]], depends: list[str], capacity: int = 2) -> dict[str, Any]:
    return {
        "type": "Microsoft.Compute/virtualMachineScaleSets", "apiVersion": COMPUTE, "name": "seedvmss",
        "location": LOCATION, "dependsOn": ["[variables('vnetName')]", *depends],
        "sku": {"name": "Standard_D2s_v3", "tier": "Standard", "capacity": capacity},
        "properties": {
            "orchestrationMode": "Uniform", "overprovision": False, "upgradePolicy": {"mode": "Manual"},
            "virtualMachineProfile": {
                "osProfile": {"computerNamePrefix": "seed", "adminUsername": "azureuser",
                              "adminPassword": "[parameters('adminPassword')]"},
                "storageProfile": {
                    "imageReference": {"publisher": "Canonical", "offer": "0001-com-ubuntu-server-jammy",
                                       "sku": "22_04-lts-gen2", "version": "latest"},
                    "osDisk": {"createOption": "FromImage", "caching": "ReadWrite"},
                },
                "networkProfile": {"networkInterfaceConfigurations": nics},
            },
        },
    }  # fmt: skip


def nic(name: str, ipconfig: dict[str, Any], primary: bool = True, **extra: Any) -> dict[str, Any]:
    ip = {"name": "ip1", "properties": {"subnet": {"id": SUBNET_ID}, **ipconfig}}
    return {"name": name, "properties": {"primary": primary, "ipConfigurations": [ip], **extra}}


def deploy(az: Az, tmp_path: Path, stem: str, resources: list[dict[str, Any]], **params: str) -> tuple[str, Any]:
    rg = f"{stem}-{uuid.uuid4().hex[:8]}"
    az("group", "create", "-n", rg, "-l", "eastus")
    tpl = template(
        resources,
        parameters={"adminPassword": {"type": "securestring"}, "vmssDnsName": {"type": "string", "defaultValue": ""}},
        variables=VARIABLES,
    )
    path = tmp_path / f"{stem}.json"
    path.write_text(json.dumps(tpl, indent=2))
    values = [f"{k}={v}" for k, v in {"adminPassword": "Seed-Pa55word!", **params}.items()]
    out = az("deployment", "group", "create", "-g", rg, "--template-file", str(path), "--parameters", *values)
    assert out["properties"]["provisioningState"] == "Succeeded"
    return rg, tpl


def instance_nics(az: Az, rg: str) -> list[Any]:
    return az("vmss", "nic", "list", "-g", rg, "--vmss-name", "seedvmss")  # type: ignore[no-any-return]


def test_public_ip_per_vm_with_a_standard_sku_and_idle_timeout(az: Az, tmp_path: Path) -> None:
    pub = {"publicIpAddressConfiguration": {"name": "pub1", "sku": {"name": "Standard"},
                                            "properties": {"idleTimeoutInMinutes": 15}}}  # fmt: skip
    rg, _ = deploy(az, tmp_path, "seed-pip", [vnet(), scale_set([nic("nic1", pub)], [])])
    ips = az("vmss", "list-instance-public-ips", "-g", rg, "-n", "seedvmss")
    assert [(i["name"], i["sku"]["name"], i["idleTimeoutInMinutes"]) for i in ips] == [("pub1", "Standard", 15)] * 2
    assert all("/virtualMachines/" in i["ipConfiguration"]["id"] for i in ips)


def test_dns_servers_on_the_nic_configuration(az: Az, tmp_path: Path) -> None:
    config = nic("nic1", {}, dnsSettings={"dnsServers": ["10.0.0.6", "10.0.0.5"]})
    rg, _ = deploy(az, tmp_path, "seed-dns", [vnet(), scale_set([config], [])])
    assert [n["dnsSettings"]["dnsServers"] for n in instance_nics(az, rg)] == [["10.0.0.6", "10.0.0.5"]] * 2


def test_vm_domain_name_from_a_parameter_and_a_concat_subnet_id(az: Az, tmp_path: Path) -> None:
    label = f"seed{uuid.uuid4().hex[:8]}"
    pub = {"publicIPAddressconfiguration": {"name": "publicip", "properties": {
        "idleTimeoutInMinutes": 10, "dnsSettings": {"domainNameLabel": "[parameters('vmssDnsName')]"}}}}  # fmt: skip
    rg, _ = deploy(az, tmp_path, "seed-dn", [vnet(), scale_set([nic("nic1", pub)], [])], vmssDnsName=label)
    ips = az("vmss", "list-instance-public-ips", "-g", rg, "-n", "seedvmss")
    assert sorted(i["dnsSettings"]["fqdn"] for i in ips) == [
        f"vm0.{label}.eastus.cloudapp.azure.com",
        f"vm1.{label}.eastus.cloudapp.azure.com",
    ]
    assert {i["idleTimeoutInMinutes"] for i in ips} == {10}
    subnet = az("network", "vnet", "subnet", "show", "-g", rg, "--vnet-name", "seedvnet", "-n", "subnet1")
    assert len(subnet["ipConfigurations"]) == 2


def test_multiple_nics_each_with_a_public_ip_a_nat_pool_and_a_backend_pool(az: Az, tmp_path: Path) -> None:
    ipconfig = {
        "publicipaddressconfiguration": {"name": "pub1", "properties": {"idleTimeoutInMinutes": 15}},
        "loadBalancerInboundNatPools": [{"id": LB_NAT}],
        "loadBalancerBackendAddressPools": [{"id": LB_POOL}],
    }
    nics = [nic("nic1", ipconfig), nic("nic2", ipconfig, primary=False)]
    lb_id = "[resourceId('Microsoft.Network/loadBalancers', variables('lbName'))]"
    resources = [vnet(), lb_public_ip(), load_balancer(), scale_set(nics, [lb_id])]
    rg, _ = deploy(az, tmp_path, "seed-nics", resources)
    by_vm: dict[str, list[str]] = {}
    for n in instance_nics(az, rg):
        by_vm.setdefault(n["virtualMachine"]["id"], []).append(n["name"])
    assert sorted(sorted(v) for v in by_vm.values()) == [["nic1", "nic2"], ["nic1", "nic2"]]
    ips = az("vmss", "list-instance-public-ips", "-g", rg, "-n", "seedvmss")
    assert len(ips) == 4 and len({i["ipAddress"] for i in ips}) == 4
    assert {i["sku"]["name"] for i in ips} == {"Standard"}  # the load balancer's SKU
    lb = az("network", "lb", "show", "-g", rg, "-n", "seedlb")
    assert len(lb["backendAddressPools"][0]["backendIPConfigurations"]) == 4
    ports = sorted(r["frontendPort"] for r in lb["inboundNatRules"])
    assert ports == [50000, 50001, 50002, 50003]


def test_nsg_on_the_nic_and_asg_on_the_ip_configuration(az: Az, tmp_path: Path) -> None:
    nsg = {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": NET, "name": "[variables('nsgName')]",
           "location": LOCATION, "properties": {"securityRules": []}}  # fmt: skip
    asg = {"type": "Microsoft.Network/applicationSecurityGroups", "apiVersion": NET,
           "name": "[variables('asgName')]", "location": LOCATION}  # fmt: skip
    config = nic("nic1", {"applicationSecurityGroups": [{"id": ASG_ID}]}, networkSecurityGroup={"id": NSG_ID})
    depends = ["[variables('nsgName')]", "[variables('asgName')]"]
    rg, _ = deploy(az, tmp_path, "seed-nsg", [vnet(), nsg, asg, scale_set([config], depends)])
    query = "virtualMachineProfile.networkProfile.networkInterfaceConfigurations[].networkSecurityGroup"
    shown = az("vmss", "show", "-g", rg, "-n", "seedvmss", "--query", query)
    assert [s["id"].rsplit("/", 1)[1] for s in shown] == ["seednsg"]
    for instance_nic in instance_nics(az, rg):
        assert instance_nic["networkSecurityGroup"]["id"].endswith("/networkSecurityGroups/seednsg")
        asgs = instance_nic["ipConfigurations"][0]["applicationSecurityGroups"]
        assert [a["id"].rsplit("/", 1)[1] for a in asgs] == ["seedasg"]
    assert len(az("network", "nsg", "show", "-g", rg, "-n", "seednsg")["networkInterfaces"]) == 2


def test_application_gateway_backend_pool_from_the_ip_configuration(az: Az, tmp_path: Path) -> None:
    gw_id = "[resourceId('Microsoft.Network/applicationGateways', 'seedgw')]"
    gateway_subnet = "[resourceId('Microsoft.Network/virtualNetworks/subnets', variables('vnetName'), 'gateway')]"
    gateway = {
        "type": "Microsoft.Network/applicationGateways", "apiVersion": NET, "name": "seedgw", "location": LOCATION,
        "dependsOn": ["[variables('vnetName')]"],
        "properties": {
            "sku": {"name": "Standard_v2", "tier": "Standard_v2", "capacity": 1},
            "gatewayIPConfigurations": [{"name": "gwip", "properties": {"subnet": {
                "id": gateway_subnet}}}],
            "frontendIPConfigurations": [{"name": "fe", "properties": {"privateIPAllocationMethod": "Dynamic",
                "subnet": {"id": gateway_subnet}}}],
            "frontendPorts": [{"name": "p80", "properties": {"port": 80}}],
            "backendAddressPools": [{"name": "pool"}],
            "backendHttpSettingsCollection": [{"name": "http", "properties": {"port": 80, "protocol": "Http"}}],
            "httpListeners": [{"name": "listener", "properties": {
                "frontendIPConfiguration": {"id": f"[concat({gw_id[1:-1]}, '/frontendIPConfigurations/fe')]"},
                "frontendPort": {"id": f"[concat({gw_id[1:-1]}, '/frontendPorts/p80')]"}, "protocol": "Http"}}],
            "requestRoutingRules": [{"name": "rule", "properties": {"ruleType": "Basic", "priority": 100,
                "httpListener": {"id": f"[concat({gw_id[1:-1]}, '/httpListeners/listener')]"},
                "backendAddressPool": {"id": f"[concat({gw_id[1:-1]}, '/backendAddressPools/pool')]"},
                "backendHttpSettings": {"id": f"[concat({gw_id[1:-1]}, '/backendHttpSettingsCollection/http')]"}}}],
        },
    }  # fmt: skip
    # The seed writes the property with a capital A; ARM property names are case-insensitive.
    pool_ref = {
        "ApplicationGatewayBackendAddressPools": [{"id": f"[concat({gw_id[1:-1]}, '/backendAddressPools/pool')]"}]
    }
    rg, _ = deploy(az, tmp_path, "seed-agw", [vnet(), gateway, scale_set([nic("nic1", pool_ref)], [gw_id])])
    shown = az("network", "application-gateway", "address-pool", "show", "-g", rg, "--gateway-name", "seedgw",
               "-n", "pool")  # fmt: skip
    assert len(shown["backendIPConfigurations"]) == 2
    assert all("/virtualMachineScaleSets/seedvmss/" in c["id"] for c in shown["backendIPConfigurations"])


def test_what_if_on_a_changed_seed_template(az: Az, tmp_path: Path) -> None:
    config = nic("nic1", {}, dnsSettings={"dnsServers": ["10.0.0.6"]})
    rg, tpl = deploy(az, tmp_path, "seed-whatif", [vnet(), scale_set([config], [])])
    changed = json.loads(json.dumps(tpl))
    changed["resources"][1]["sku"]["capacity"] = 3
    changed["resources"].append({"type": "Microsoft.Network/applicationSecurityGroups", "apiVersion": NET,
                                 "name": "newasg", "location": LOCATION})  # fmt: skip
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(changed))
    preview = az("deployment", "group", "what-if", "-g", rg, "--template-file", str(path),
                 "--parameters", "adminPassword=Seed-Pa55word!", "--no-pretty-print")  # fmt: skip
    kinds = {c["resourceId"].rsplit("/", 1)[1]: c["changeType"] for c in preview["changes"]}
    assert kinds["newasg"] == "Create"
    assert kinds["seedvmss"] == "Modify"
    assert kinds["seedvnet"] in ("NoChange", "Modify")
    (vmss,) = [c for c in preview["changes"] if c["resourceId"].endswith("/seedvmss")]
    assert {"path": "sku.capacity", "before": 2, "after": 3} in [
        {k: d.get(k) for k in ("path", "before", "after")} for d in vmss["delta"]
    ]
    # what-if changes nothing.
    assert az("vmss", "show", "-g", rg, "-n", "seedvmss")["sku"]["capacity"] == 2
    assert "newasg" not in {r["name"] for r in az("resource", "list", "-g", rg)}

"""`az vmss create` (azure-cli 2.91) as users type it: az builds an ARM template and deploys it.

Every test uses its own resource group: the az emulator is shared by the session.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from tests.conftest import Az

pytestmark = pytest.mark.az

SSH = ("--admin-username", "azureuser", "--generate-ssh-keys")
UBUNTU = ("--image", "Ubuntu2204")


def group(az: Az, stem: str) -> str:
    name = f"{stem}-{uuid.uuid4().hex[:8]}"
    az("group", "create", "-n", name, "-l", "eastus")
    return name


def create(az: Az, rg: str, name: str, *args: str) -> Any:
    return az("vmss", "create", "-g", rg, "-n", name, *args)


def uniform(az: Az, rg: str, name: str, *args: str) -> Any:
    return create(az, rg, name, *UBUNTU, "--orchestration-mode", "Uniform", *SSH, *args)


def resources(az: Az, rg: str) -> dict[str, str]:
    return {r["name"]: r["type"] for r in az("resource", "list", "-g", rg)}


def nic_config(az: Az, rg: str, name: str) -> Any:
    vmss = az("vmss", "show", "-g", rg, "-n", name)
    return vmss["virtualMachineProfile"]["networkProfile"]["networkInterfaceConfigurations"][0]


def test_uniform_defaults_are_a_vnet_a_standard_lb_with_a_nat_rule_a_public_ip_and_an_nsg(az: Az) -> None:
    rg = group(az, "vmss-uniform")
    out = uniform(az, rg, "web")
    assert out["vmss"]["provisioningState"] == "Succeeded"
    assert out["vmss"]["orchestrationMode"] == "Uniform"
    assert resources(az, rg) == {
        "webVNET": "Microsoft.Network/virtualNetworks",
        "webLB": "Microsoft.Network/loadBalancers",
        "webLBPublicIP": "Microsoft.Network/publicIPAddresses",
        "webNSG": "Microsoft.Network/networkSecurityGroups",
        "web": "Microsoft.Compute/virtualMachineScaleSets",
    }
    vmss = az("vmss", "show", "-g", rg, "-n", "web")
    assert (vmss["sku"]["capacity"], vmss["upgradePolicy"]["mode"]) == (2, "Manual")
    subnets = az("network", "vnet", "show", "-g", rg, "-n", "webVNET")["subnets"]
    assert [(s["name"], s["addressPrefix"]) for s in subnets] == [("webSubnet", "10.0.0.0/24")]
    lb = az("network", "lb", "show", "-g", rg, "-n", "webLB")
    assert lb["sku"]["name"] == "Standard"
    assert [p["name"] for p in lb["backendAddressPools"]] == ["webLBBEPool"]
    # az 2.91 puts a NAT rule V2 (a port range over the backend pool) where older az put a NAT pool.
    (rule,) = lb["inboundNatRules"]
    assert (rule["frontendPortRangeStart"], rule["frontendPortRangeEnd"], rule["backendPort"]) == (50000, 50119, 22)
    assert rule["backendAddressPool"]["id"].endswith("/backendAddressPools/webLBBEPool")
    pip = az("network", "public-ip", "show", "-g", rg, "-n", "webLBPublicIP")
    assert (pip["sku"]["name"], pip["publicIPAllocationMethod"]) == ("Standard", "Static")
    assert pip["ipConfiguration"]["id"].endswith("/loadBalancers/webLB/frontendIPConfigurations/loadBalancerFrontEnd")
    nsg = az("network", "nsg", "show", "-g", rg, "-n", "webNSG")
    assert [(r["name"], r["destinationPortRange"]) for r in nsg["securityRules"]] == [("default-allow-ssh", "22")]
    nic = nic_config(az, rg, "web")
    assert nic["networkSecurityGroup"]["id"].endswith("/networkSecurityGroups/webNSG")
    assert nic["ipConfigurations"][0]["subnet"]["id"].endswith("/virtualNetworks/webVNET/subnets/webSubnet")
    assert len(az("vmss", "list-instances", "-g", rg, "-n", "web")) == 2
    frontend = pip["ipAddress"]
    assert sorted(az("vmss", "list-instance-connection-info", "-g", rg, "-n", "web").values()) == [
        f"{frontend}:50000",
        f"{frontend}:50001",
    ]
    deployments = az("deployment", "group", "list", "-g", rg)
    assert [d["properties"]["provisioningState"] for d in deployments] == ["Succeeded"]


def test_flexible_is_the_default_and_its_vms_and_nics_are_resources_of_the_group(az: Az) -> None:
    rg = group(az, "vmss-flex")
    create(az, rg, "flex", *UBUNTU, *SSH)
    vmss = az("vmss", "show", "-g", rg, "-n", "flex")
    assert (vmss["orchestrationMode"], vmss["platformFaultDomainCount"], vmss["sku"]["capacity"]) == ("Flexible", 1, 2)
    assert vmss["virtualMachineProfile"]["networkProfile"]["networkApiVersion"]
    types = sorted(resources(az, rg).values())
    assert types.count("Microsoft.Compute/virtualMachines") == 2
    assert types.count("Microsoft.Network/networkInterfaces") == 2
    assert {"Microsoft.Network/loadBalancers", "Microsoft.Network/virtualNetworks"} <= set(types)


def test_instance_count_and_automatic_upgrade_policy(az: Az) -> None:
    rg = group(az, "vmss-count")
    uniform(az, rg, "three", "--instance-count", "3", "--upgrade-policy-mode", "Automatic")
    vmss = az("vmss", "show", "-g", rg, "-n", "three")
    assert (vmss["sku"]["capacity"], vmss["upgradePolicy"]["mode"]) == (3, "Automatic")
    assert sorted(i["instanceId"] for i in az("vmss", "list-instances", "-g", rg, "-n", "three")) == ["0", "1", "2"]


def test_rolling_upgrade_policy_gets_the_application_health_extension_az_adds(az: Az) -> None:
    rg = group(az, "vmss-rolling")
    uniform(az, rg, "roll", "--upgrade-policy-mode", "Rolling")
    vmss = az("vmss", "show", "-g", rg, "-n", "roll")
    policy = vmss["upgradePolicy"]
    assert policy["mode"] == "Rolling"
    assert policy["rollingUpgradePolicy"]["maxBatchInstancePercent"] == 20
    # Without a load balancer probe, az gives the scale set the Application Health extension as health signal.
    extensions = vmss["virtualMachineProfile"]["extensionProfile"]["extensions"]
    assert [(e["type"], e["settings"]["port"]) for e in extensions] == [("ApplicationHealthLinux", 80)]


def test_lb_existing_new_name_and_none(az: Az) -> None:
    rg = group(az, "vmss-lb")
    az("network", "lb", "create", "-g", rg, "-n", "mylb", "--sku", "Standard",
       "--backend-pool-name", "mypool", "--public-ip-address", "mylbpip")  # fmt: skip
    uniform(az, rg, "onexisting", "--lb", "mylb")
    uniform(az, rg, "onnew", "--lb", "newlb")
    uniform(az, rg, "nolb", "--lb", "")
    names = resources(az, rg)
    assert "newlb" in names and "newlbPublicIP" in names
    assert not {"onexistingLB", "nolbLB", "onnewLB"} & set(names)
    existing = nic_config(az, rg, "onexisting")["ipConfigurations"][0]
    assert existing["loadBalancerBackendAddressPools"][0]["id"].endswith(
        "/loadBalancers/mylb/backendAddressPools/mypool"
    )
    fresh = nic_config(az, rg, "onnew")["ipConfigurations"][0]
    assert fresh["loadBalancerBackendAddressPools"][0]["id"].endswith(
        "/loadBalancers/newlb/backendAddressPools/newlbBEPool"
    )
    assert "loadBalancerBackendAddressPools" not in nic_config(az, rg, "nolb")["ipConfigurations"][0]
    pool = az("network", "lb", "address-pool", "show", "-g", rg, "--lb-name", "mylb", "-n", "mypool")
    assert len(pool["backendIPConfigurations"]) == 2


def test_app_gateway_is_created_with_its_own_subnet_and_the_scale_set_in_its_pool(az: Az) -> None:
    rg = group(az, "vmss-agw")
    uniform(az, rg, "agw", "--app-gateway", "myagw")
    assert resources(az, rg)["myagw"] == "Microsoft.Network/applicationGateways"
    gateway = az("network", "application-gateway", "show", "-g", rg, "-n", "myagw")
    (pool,) = gateway["backendAddressPools"]
    assert len(pool["backendIPConfigurations"]) == 2
    subnets = {s["name"] for s in az("network", "vnet", "show", "-g", rg, "-n", "agwVNET")["subnets"]}
    assert subnets == {"agwSubnet", "appGwSubnet"}
    assert gateway["gatewayIPConfigurations"][0]["subnet"]["id"].endswith("/subnets/appGwSubnet")
    ipconfig = nic_config(az, rg, "agw")["ipConfigurations"][0]
    assert ipconfig["applicationGatewayBackendAddressPools"][0]["id"] == pool["id"]
    assert "loadBalancerBackendAddressPools" not in ipconfig


def test_public_ip_per_vm_with_a_vm_domain_name(az: Az) -> None:
    rg = group(az, "vmss-pip")
    label = f"dom{uuid.uuid4().hex[:8]}"
    uniform(az, rg, "pip", "--public-ip-per-vm", "--vm-domain-name", label)
    config = nic_config(az, rg, "pip")["ipConfigurations"][0]["publicIPAddressConfiguration"]
    assert config["dnsSettings"]["domainNameLabel"] == label
    ips = az("vmss", "list-instance-public-ips", "-g", rg, "-n", "pip")
    assert sorted(i["dnsSettings"]["fqdn"] for i in ips) == [
        f"vm0.{label}.eastus.cloudapp.azure.com",
        f"vm1.{label}.eastus.cloudapp.azure.com",
    ]
    assert len({i["ipAddress"] for i in ips}) == 2


def test_dns_servers_reach_the_model_and_the_instance_nics(az: Az) -> None:
    rg = group(az, "vmss-dns")
    uniform(az, rg, "dns", "--dns-servers", "10.0.0.6", "10.0.0.5")
    assert nic_config(az, rg, "dns")["dnsSettings"]["dnsServers"] == ["10.0.0.6", "10.0.0.5"]
    nics = az("vmss", "nic", "list", "-g", rg, "--vmss-name", "dns")
    assert [n["dnsSettings"]["dnsServers"] for n in nics] == [["10.0.0.6", "10.0.0.5"]] * 2


def test_accelerated_networking_on_a_size_that_supports_it(az: Az) -> None:
    rg = group(az, "vmss-accel")
    uniform(az, rg, "accel", "--vm-sku", "Standard_D4s_v3", "--accelerated-networking", "true")
    assert az("vmss", "show", "-g", rg, "-n", "accel")["sku"]["name"] == "Standard_D4s_v3"
    assert nic_config(az, rg, "accel")["enableAcceleratedNetworking"] is True
    nics = az("vmss", "nic", "list", "-g", rg, "--vmss-name", "accel")
    assert [n["enableAcceleratedNetworking"] for n in nics] == [True, True]


def test_existing_nsg_and_asgs(az: Az) -> None:
    rg = group(az, "vmss-nsg")
    az("network", "nsg", "create", "-g", rg, "-n", "mynsg")
    for name in ("asg1", "asg2"):
        az("network", "asg", "create", "-g", rg, "-n", name)
    uniform(az, rg, "sec", "--nsg", "mynsg", "--asgs", "asg1", "asg2")
    assert "secNSG" not in resources(az, rg)
    nic = nic_config(az, rg, "sec")
    assert nic["networkSecurityGroup"]["id"].endswith("/networkSecurityGroups/mynsg")
    asgs = [a["id"].rsplit("/", 1)[1] for a in nic["ipConfigurations"][0]["applicationSecurityGroups"]]
    assert asgs == ["asg1", "asg2"]
    nics = az("network", "nsg", "show", "-g", rg, "-n", "mynsg").get("networkInterfaces", [])
    assert len(nics) == 2


def test_zones_spread_the_instances(az: Az) -> None:
    rg = group(az, "vmss-zones")
    uniform(az, rg, "zoned", "--zones", "1", "2", "3", "--instance-count", "3")
    vmss = az("vmss", "show", "-g", rg, "-n", "zoned")
    assert vmss["zones"] == ["1", "2", "3"]
    assert vmss["singlePlacementGroup"] is False
    zones = sorted(i["zones"][0] for i in az("vmss", "list-instances", "-g", rg, "-n", "zoned"))
    assert zones == ["1", "2", "3"]


def test_image_aliases_and_urn(az: Az) -> None:
    rg = group(az, "vmss-images")
    create(az, rg, "win", "--image", "Win2022Datacenter", "--orchestration-mode", "Uniform",
           "--admin-username", "azureuser", "--admin-password", "Em-ul4tor-Pa55!")  # fmt: skip
    uniform(az, rg, "ubuntu")
    urn = "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest"
    create(az, rg, "urn", "--image", urn, "--orchestration-mode", "Uniform", *SSH)

    def image(name: str) -> tuple[str, str, str, str]:
        vmss = az("vmss", "show", "-g", rg, "-n", name)
        ref = vmss["virtualMachineProfile"]["storageProfile"]["imageReference"]
        return ref["publisher"], ref["offer"], ref["sku"], ref["version"]

    win = az("vmss", "show", "-g", rg, "-n", "win")
    assert image("win")[:2] == ("MicrosoftWindowsServer", "WindowsServer")
    assert image("win")[2].startswith("2022-datacenter")
    os_profile = win["virtualMachineProfile"]["osProfile"]
    assert "windowsConfiguration" in os_profile and os_profile.get("adminPassword") is None
    assert "Em-ul4tor-Pa55!" not in str(win)
    assert image("ubuntu") == image("urn") == ("Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts-gen2", "latest")
    assert "linuxConfiguration" in az("vmss", "show", "-g", rg, "-n", "urn")["virtualMachineProfile"]["osProfile"]
    # az knows the alias is Windows: the NAT rule forwards to RDP. (Its NSG rule stays SSH: az 2.91's builder
    # compares the 'rdp' it is given to 'RDP'.)
    assert [r["backendPort"] for r in az("network", "lb", "show", "-g", rg, "-n", "winLB")["inboundNatRules"]] == [3389]
    assert [r["backendPort"] for r in az("network", "lb", "show", "-g", rg, "-n", "urnLB")["inboundNatRules"]] == [22]


def test_running_az_vmss_create_again_with_one_change_updates_the_scale_set(az: Az) -> None:
    """The modify seed: run the same `az vmss create` again, changing only the property to update."""
    rg = group(az, "vmss-again")
    uniform(az, rg, "again")
    first = az("vmss", "show", "-g", rg, "-n", "again")
    before = resources(az, rg)
    uniform(az, rg, "again", "--instance-count", "4")
    second = az("vmss", "show", "-g", rg, "-n", "again")
    assert second["sku"]["capacity"] == 4
    assert second["uniqueId"] == first["uniqueId"]
    assert resources(az, rg) == before
    assert sorted(i["instanceId"] for i in az("vmss", "list-instances", "-g", rg, "-n", "again")) == list("0123")
    # The LB came back from the template without its NAT rule and got it again: every instance keeps a port.
    ports = sorted(
        v.rsplit(":", 1)[1] for v in az("vmss", "list-instance-connection-info", "-g", rg, "-n", "again").values()
    )
    assert ports == ["50000", "50001", "50002", "50003"]
    uniform(az, rg, "again", "--instance-count", "4", "--upgrade-policy-mode", "Automatic")
    assert az("vmss", "show", "-g", rg, "-n", "again")["upgradePolicy"]["mode"] == "Automatic"
    states = [d["properties"]["provisioningState"] for d in az("deployment", "group", "list", "-g", rg)]
    assert states == ["Succeeded"] * 3

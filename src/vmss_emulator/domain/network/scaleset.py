"""The `ScaleSetNetwork` service: what Microsoft.Network does for a scale set's VMs (see contracts.py).

Uniform VMs get NICs at `.../virtualMachineScaleSets/{vmss}/virtualMachines/{i}/networkInterfaces/{cfg}`
(child records of the VM) and public IPs under their ipconfigs; Flexible VMs get ordinary top-level
NICs and public IPs named `{configName}-{8 hex}`. Every NIC is indexed under its VM ("vmNics") and its
scale set ("vmssNics") so that detaching and the scale-set listings never scan. Re-attaching (model
upgrade, per-VM PUT) keeps the VM's addresses, ports and MACs where the configuration still asks for
the same subnet / pool / public IP.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from vmss_emulator.domain.catalog.vm_sizes import get_vm_size
from vmss_emulator.domain.context import Context
from vmss_emulator.domain.errors import BadRequest, InvalidParameter
from vmss_emulator.domain.ids import ResourceId, new_guid
from vmss_emulator.domain.network import appgw, binding, ipam, lb_limits, links, nic, vnet
from vmss_emulator.domain.network.common import (
    child_id,
    load_child,
    load_referenced,
    missing_reference,
    ref,
    ref_list,
    require_dict,
    require_list,
)
from vmss_emulator.domain.network.loadbalancer import HEALTH_PROBE_USERS, LB_TYPE
from vmss_emulator.domain.network.publicip import PREFIX_TYPE
from vmss_emulator.store import Record

NESTED_NIC_TYPE = "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/networkInterfaces"
VM_NICS = "vmNics"
VMSS_NICS = "vmssNics"
_MAC_COUNTER = "network.macCounter"


class VMSizeIsNotPermittedToEnableAcceleratedNetworkingForVmss(BadRequest):
    pass


class VMScaleSetCannotBeUpdatedToReferenceSubnetsFromDifferentVirtualNetworks(BadRequest):
    pass


class NetworkInterfaceCountExceeded(BadRequest):
    pass


class NicsOfVmMustBelongToSameVnet(BadRequest):
    code = "VMScaleSetNicsMustBelongToSameVirtualNetwork"


class ApplicationGatewaySubnetCannotBeUsedByOtherResources(BadRequest):
    pass


class ApplicationGatewayMustBeInTheScaleSetVirtualNetwork(BadRequest):
    code = "ApplicationGatewayBackendAddressPoolNotInSameVirtualNetwork"


class SkuCannotBeUpdatedOnVMSSPublicIpAddresses(BadRequest):
    pass


def _configs(profile: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not profile:
        return []
    return [
        c
        for c in require_list(profile.get("networkInterfaceConfigurations"), "networkInterfaceConfigurations")
        if isinstance(c, dict)
    ]


def _ipconfigs(config: dict[str, Any]) -> list[dict[str, Any]]:
    props = require_dict(config.get("properties"), "networkInterfaceConfigurations.properties")
    return [c for c in require_list(props.get("ipConfigurations"), "ipConfigurations") if isinstance(c, dict)]


def _pip_skus(configs: list[dict[str, Any]]) -> dict[tuple[str, str], str | None]:
    """The explicit per-VM public IP SKU of each (NIC config, ipconfig) that asks for one."""
    out: dict[tuple[str, str], str | None] = {}
    for config in configs:
        for ipconfig in _ipconfigs(config):
            pip = (ipconfig.get("properties") or {}).get("publicIPAddressConfiguration")
            if isinstance(pip, dict):
                name = (pip.get("sku") or {}).get("name")
                key = (str(config.get("name", "")).lower(), str(ipconfig.get("name", "")).lower())
                out[key] = None if name is None else ("Standard" if str(name).lower() == "standard" else "Basic")
    return out


def _vnets(ctx: Context, configs: list[dict[str, Any]], by: str, *, check: bool) -> set[str]:
    found: set[str] = set()
    for config in configs:
        for ipconfig in _ipconfigs(config):
            subnet_id = ref(require_dict(ipconfig.get("properties"), "ipConfigurations.properties").get("subnet"))
            if subnet_id is None:
                continue
            if check:
                record, _ = vnet.load_subnet(ctx, subnet_id, by, "subnet")
                found.add(record.id.lower())
            else:
                found.add(subnet_id.rpartition("/subnets/")[0].lower())
    return found


def _refuse_nat_pools(by: str, config: dict[str, Any]) -> None:
    """Flexible scale sets cannot use inbound NAT pools (NAT rule V1); Azure points them to NAT rules V2."""
    for ipconfig in _ipconfigs(config):
        props = ipconfig.get("properties") or {}
        if ref_list(props.get("loadBalancerInboundNatPools"), "loadBalancerInboundNatPools"):
            raise InvalidParameter(
                f"Virtual Machine Scale Set {by} with Flexible orchestration mode does not support inbound NAT pools "
                f"(ipConfiguration {ipconfig.get('name')}). Use inbound NAT rules on the load balancer's backend "
                "pool instead.",
                target="loadBalancerInboundNatPools",
            )


def check_nic_shape(ctx: Context, by: str, vm_size: str, configs: list[dict[str, Any]]) -> set[str]:
    """The rules on one VM's NIC set, for the scale-set model and a per-instance PUT alike: NIC count for the
    size, one primary NIC, one primary ipconfig per NIC, accelerated networking allowed by the size, all NICs in
    one virtual network. Returns that virtual network (lower-cased id) as a one-element set."""
    size = get_vm_size(vm_size) if vm_size else None
    if size is not None and len(configs) > size.max_nics:
        raise NetworkInterfaceCountExceeded(
            f"The number of network interfaces for virtual machine scale set {by} exceeds the maximum allowed "
            f"for the virtual machine size {vm_size}. The number of network interfaces is {len(configs)} and the "
            f"maximum allowed is {size.max_nics}.",
            details=[],
        )
    if len(configs) > 1 and sum(1 for c in configs if (c.get("properties") or {}).get("primary")) != 1:
        raise InvalidParameter(
            f"Virtual Machine Scale Set {by} must have exactly one primary network interface configuration.",
            target="networkInterfaceConfigurations",
        )
    for config in configs:
        props = require_dict(config.get("properties"), "networkInterfaceConfigurations.properties")
        if props.get("enableAcceleratedNetworking") and size is not None and not size.accelerated_networking:
            raise VMSizeIsNotPermittedToEnableAcceleratedNetworkingForVmss(
                f"Virtual machine at index 0 of VM scale set {by} has size {vm_size}, which is not compatible with "
                "enabling accelerated networking in the network profile on the scale set.",
                details=[],
            )
        ipconfigs = _ipconfigs(config)
        if len(ipconfigs) > 1 and sum(1 for c in ipconfigs if (c.get("properties") or {}).get("primary")) != 1:
            raise InvalidParameter(
                f"Network interface configuration {config.get('name')} of {by} must have exactly one primary IP "
                "configuration.",
                target="ipConfigurations",
            )
    vnets = _vnets(ctx, configs, by, check=True)
    if len(vnets) > 1:
        raise NicsOfVmMustBelongToSameVnet(
            f"All network interfaces of virtual machine scale set {by} must be in the same virtual network; "
            f"found subnets of {', '.join(sorted(vnets))}.",
            details=[],
        )
    return vnets


def _refuse_vm_move(by: str, nics: Iterable[Record], vnets: set[str]) -> None:
    """A VM (like its scale set) stays in its virtual network; read from its current NICs' bound subnets."""
    before = {
        str(state.get("subnet", "")).rpartition("/subnets/")[0].lower()
        for record in nics
        for state in record.state.get("ipconfigs", {}).values()
    }
    before.discard("")
    if before and vnets and before != vnets:
        raise VMScaleSetCannotBeUpdatedToReferenceSubnetsFromDifferentVirtualNetworks(
            f"VM scale set {by} cannot be updated to reference subnets from different virtual networks. Existing "
            f"virtual network: {next(iter(before))}. New virtual network: {next(iter(vnets))}.",
            details=[],
        )


class ScaleSetNetworkService:
    """Registered as `ctx.services["scale_set_network"]`."""

    def validate_profile(
        self,
        ctx: Context,
        *,
        scale_set_id: ResourceId,
        location: str,
        vm_size: str,
        orchestration_mode: str,
        network_profile: dict[str, Any],
        previous_profile: dict[str, Any] | None,
        single_placement_group: bool,
    ) -> None:
        by = str(scale_set_id)
        configs = _configs(network_profile)
        vnets = check_nic_shape(ctx, by, vm_size, configs)
        before = _vnets(ctx, _configs(previous_profile), by, check=False)
        if before and vnets and before != vnets:
            raise VMScaleSetCannotBeUpdatedToReferenceSubnetsFromDifferentVirtualNetworks(
                f"VM scale set {by} cannot be updated to reference subnets from different virtual networks. Existing "
                f"virtual network: {next(iter(before))}. New virtual network: {next(iter(vnets))}.",
                details=[],
            )
        flexible = orchestration_mode.lower() == "flexible"
        for config in configs:
            if flexible:
                _refuse_nat_pools(by, config)
            self._validate_config(ctx, by, config)
        lb_limits.check(ctx, by, configs)
        probe_id = ref(network_profile.get("healthProbe"))
        if probe_id:
            lb, probe = load_child(ctx, probe_id, LB_TYPE, "probes", by, "healthProbe")
            # The LB refuses to drop a rule that uses this probe while the scale set still names it.
            links.add_member(ctx, child(lb.id, "probes", probe["name"]), HEALTH_PROBE_USERS, by, scale_set_id.scope_key)
        before_skus = _pip_skus(_configs(previous_profile))
        for key, sku in _pip_skus(configs).items():
            old = before_skus.get(key)
            if old and sku and old != sku:
                raise SkuCannotBeUpdatedOnVMSSPublicIpAddresses(
                    "Sku property for public IP addresses on VMSS is set at creation time and cannot be changed from "
                    f"{old} to {sku}.",
                    details=[],
                )

    def _validate_config(self, ctx: Context, by: str, config: dict[str, Any]) -> None:
        props = require_dict(config.get("properties"), "networkInterfaceConfigurations.properties")
        nsg_id = ref(props.get("networkSecurityGroup"))
        if nsg_id:
            load_referenced(ctx, nsg_id, nic.NSG_TYPE, by, "networkSecurityGroup")
        for ipconfig in _ipconfigs(config):
            p = require_dict(ipconfig.get("properties"), "ipConfigurations.properties")
            subnet_id = ref(p.get("subnet"))
            if subnet_id is None:
                raise missing_reference("(subnet)", by)
            lb_skus: dict[str, str] = {}
            for pool in ref_list(p.get("loadBalancerBackendAddressPools"), "loadBalancerBackendAddressPools"):
                lb, _ = load_child(ctx, pool, LB_TYPE, "backendAddressPools", by, "loadBalancerBackendAddressPools")
                lb_skus[lb.id] = lb.body["sku"]["name"]
            for pool in ref_list(p.get("loadBalancerInboundNatPools"), "loadBalancerInboundNatPools"):
                lb, _ = load_child(ctx, pool, LB_TYPE, "inboundNatPools", by, "loadBalancerInboundNatPools")
                lb_skus[lb.id] = lb.body["sku"]["name"]
            for pool in ref_list(
                p.get("applicationGatewayBackendAddressPools"), "applicationGatewayBackendAddressPools"
            ):
                gw, _ = load_child(
                    ctx, pool, binding.APPGW_TYPE, "backendAddressPools", by, "applicationGatewayBackendAddressPools"
                )
                if any(s.lower() == subnet_id.lower() for s in appgw.gateway_subnets(gw)):
                    raise ApplicationGatewaySubnetCannotBeUsedByOtherResources(
                        f"Subnet {subnet_id} is the subnet of application gateway {gw.id} and cannot be used by "
                        f"{by}. The application gateway must be in the same virtual network but a different subnet.",
                        details=[],
                    )
                vnet_of = subnet_id.rpartition("/subnets/")[0].lower()
                if any(s.rpartition("/subnets/")[0].lower() != vnet_of for s in appgw.gateway_subnets(gw)):
                    raise ApplicationGatewayMustBeInTheScaleSetVirtualNetwork(
                        f"Application gateway {gw.id} referenced by {by} must be in the same virtual network as "
                        f"subnet {subnet_id}.",
                        details=[],
                    )
            for asg in ref_list(p.get("applicationSecurityGroups"), "applicationSecurityGroups"):
                load_referenced(ctx, asg, binding.ASG_TYPE, by, "applicationSecurityGroups")
            pip = p.get("publicIPAddressConfiguration")
            if isinstance(pip, dict):
                binding.instance_ip_sku(pip, lb_skus, by)
                prefix = ref((pip.get("properties") or {}).get("publicIPPrefix"))
                if prefix:
                    load_referenced(ctx, prefix, PREFIX_TYPE, by, "publicIPAddressConfiguration.publicIPPrefix")

    # -- per-VM -----------------------------------------------------------------------------------

    def attach_vm(
        self,
        ctx: Context,
        *,
        scale_set_id: ResourceId,
        vm_id: ResourceId,
        instance_id: str,
        location: str,
        zones: list[str] | None,
        orchestration_mode: str,
        network_interface_configurations: list[dict[str, Any]],
        vm_size: str | None = None,
    ) -> list[dict[str, Any]]:
        uniform = orchestration_mode.lower() != "flexible"
        # A per-instance PUT brings its own NIC configurations, which the scale-set model checks never saw:
        # the same shape rules apply (cheap: O(this VM's configurations)).
        vnets = check_nic_shape(ctx, str(vm_id), vm_size or "", network_interface_configurations)
        current = {r.key: r for r in ctx.store.get_many(links.member_ids(ctx, str(vm_id), VM_NICS))}
        _refuse_vm_move(str(vm_id), current.values(), vnets)
        previous: dict[str, Record] = {}
        for record in current.values():
            nic.release_nic(ctx, record)
            previous[record.key] = record
        wanted: list[str] = []
        result = []
        for config in network_interface_configurations:
            name = str(config["name"])
            props = config.get("properties") or {}
            nic_id = self._nic_id(vm_id, scale_set_id, name, uniform)
            wanted.append(nic_id.lower())
            record = self._build_nic(
                ctx,
                scale_set_id,
                vm_id,
                instance_id,
                location,
                uniform,
                nic_id,
                name,
                props,
                previous.get(nic_id.lower()),
            )
            result.append(
                {
                    "id": record.id,
                    "properties": {
                        "primary": bool(props.get("primary", len(network_interface_configurations) == 1)),
                        "deleteOption": props.get("deleteOption", "Delete"),
                    },
                }
            )
        for key, record in previous.items():
            if key not in wanted:
                self._drop(ctx, record)
        return result

    def detach_vm(self, ctx: Context, *, vm_id: ResourceId, orchestration_mode: str) -> None:
        for record in ctx.store.get_many(links.member_ids(ctx, str(vm_id), VM_NICS)):
            if record.type_key == nic.NIC_TYPE.lower() and record.state.get("deleteOption") == "Detach":
                self._keep_detached(ctx, record)
                continue
            nic.release_nic(ctx, record)
            self._drop(ctx, record)

    def _keep_detached(self, ctx: Context, record: Record) -> None:
        """A Flexible VM's NIC with `deleteOption: Detach` outlives the VM as an ordinary standalone NIC
        (with its addresses and public IPs, which from now on are the NIC's to give back)."""
        links.remove_member(ctx, record.state.get("vm", ""), VM_NICS, record.id)
        links.remove_member(ctx, record.state.get("scaleSet", ""), VMSS_NICS, record.id)
        record.body["properties"].pop("virtualMachine", None)
        for state in record.state.get("ipconfigs", {}).values():
            state["pipOwned"] = False
        for key in ("managedBy", "vm", "scaleSet", "instanceId"):
            record.state.pop(key, None)
        record.state["orchestrationMode"] = None
        ctx.store.put(record)

    # -- helpers ----------------------------------------------------------------------------------

    @staticmethod
    def _nic_id(vm_id: ResourceId, scale_set_id: ResourceId, name: str, uniform: bool) -> str:
        if uniform:
            return f"{vm_id}/networkInterfaces/{name}"
        return str(
            ResourceId.resource(
                scale_set_id.subscription_id,
                scale_set_id.resource_group or "",
                nic.NIC_TYPE,
                f"{name}-{binding.short_hash(str(vm_id))}",
            )
        )

    def _drop(self, ctx: Context, record: Record) -> None:
        vm_id = record.state.get("vm", "")
        links.remove_member(ctx, vm_id, VM_NICS, record.id)
        links.remove_member(ctx, record.state.get("scaleSet", ""), VMSS_NICS, record.id)
        ctx.store.delete(record.key)

    def _build_nic(
        self, ctx: Context, scale_set_id: ResourceId, vm_id: ResourceId, instance_id: str, location: str,
        uniform: bool, nic_id: str, name: str, props: dict[str, Any], before: Record | None,
    ) -> Record:  # fmt: skip
        scope_key = scale_set_id.scope_key
        owner = binding.Owner(
            nic_id=nic_id,
            scope_key=scope_key,
            location=location,
            scale_set_id=str(scale_set_id),
            instance_id=instance_id,
            uniform=uniform,
        )
        old_states = dict(before.state.get("ipconfigs", {})) if before else {}
        etag = f'W/"{new_guid()}"'
        bound = []
        states: dict[str, Any] = {}
        ipconfigs = _ipconfigs({"properties": props})
        for ipconfig in ipconfigs:
            spec = dict(ipconfig.get("properties") or {})
            if len(ipconfigs) == 1:
                spec.setdefault("primary", True)
            rendered, state = binding.bind(
                ctx, owner, str(ipconfig["name"]), spec, old_states.get(str(ipconfig["name"]))
            )
            bound.append((str(ipconfig["name"]), rendered))
            states[str(ipconfig["name"])] = state
        nsg_id = ref(props.get("networkSecurityGroup"))
        if nsg_id:
            nsg_id = load_referenced(ctx, nsg_id, nic.NSG_TYPE, nic_id, "networkSecurityGroup").id
        first_subnet = ref(bound[0][1].get("subnet")) if bound else None
        document: dict[str, Any] = {
            "provisioningState": "Succeeded",
            "resourceGuid": before.body["properties"]["resourceGuid"] if before else new_guid(),
            "ipConfigurations": nic.shape_ipconfigs(nic_id, etag, bound, not uniform),
            "dnsSettings": nic.dns_settings(props.get("dnsSettings"), nic.vnet_dns(ctx, first_subnet)),
            "macAddress": before.body["properties"]["macAddress"] if before else self._next_mac(ctx),
            "enableAcceleratedNetworking": bool(props.get("enableAcceleratedNetworking", False)),
            "enableIPForwarding": bool(props.get("enableIPForwarding", False)),
        }
        if nsg_id:
            document["networkSecurityGroup"] = {"id": nsg_id}
        document["primary"] = bool(props.get("primary", True))
        document["virtualMachine"] = {"id": str(vm_id)}
        document["hostedWorkloads"] = []
        document["tapConfigurations"] = []
        body: dict[str, Any] = {"name": nic_id.rsplit("/", 1)[1], "id": nic_id, "etag": etag}
        if not uniform:
            body.update(type=nic.NIC_TYPE, location=location)
        body["properties"] = document
        now = ctx.now()
        record = Record(
            id=nic_id,
            type=NESTED_NIC_TYPE if uniform else nic.NIC_TYPE,
            body=body,
            scope_key=scope_key,
            parent_key=vm_id.key if uniform else None,
            created_at=before.created_at if before else now,
            changed_at=now,
            etag=etag,
            state={
                "ipconfigs": states,
                "vm": str(vm_id),
                "scaleSet": str(scale_set_id),
                "managedBy": str(vm_id),
                "orchestrationMode": "Uniform" if uniform else "Flexible",
                "instanceId": instance_id,
                "deleteOption": str(props.get("deleteOption") or "Delete"),
            },
        )
        if before is not None:
            record.version = before.version
        ctx.store.put(record)
        nic.link_nsg(ctx, nic_id, nsg_id, scope_key)
        links.add_member(ctx, str(vm_id), VM_NICS, nic_id, scope_key)
        links.add_member(ctx, str(scale_set_id), VMSS_NICS, nic_id, scope_key)
        return record

    @staticmethod
    def _next_mac(ctx: Context) -> str:
        counter = int(ctx.store.get_meta(_MAC_COUNTER) or 0x314548)
        ctx.store.put_meta(_MAC_COUNTER, counter + 1)
        return ipam.mac_address(counter)


def nic_ids_of_scale_set(ctx: Context, scale_set_id: str) -> list[str]:
    return links.member_ids(ctx, scale_set_id, VMSS_NICS)


def child(parent_id: str, collection: str, name: str) -> str:
    return child_id(parent_id, collection, name)

"""Domain rules of the emulated Azure control plane.

Abbreviations allowed in names: vmss, vm, nic, nsg, asg, lb, vnet, pip, lro, rg, sub, ip.
Resource documents are ARM's own JSON (camelCase), because that is Azure's model; Python names are snake_case.
"""

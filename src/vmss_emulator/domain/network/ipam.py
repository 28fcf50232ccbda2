"""Address management: private IPs inside subnets, emulated public IPs and prefixes, MAC addresses. Pure.

Azure facts this follows:
- Every subnet loses five addresses: the network address, `.1` (default gateway), `.2` and `.3` (Azure DNS
  mapping) and the broadcast (last) address, so the first usable address is `.4` and a /29 has 3 usable
  addresses (Azure VNet FAQ). Dynamic private IPs are handed out lowest-free-first (observed behaviour,
  **[UNCONFIRMED ordering]** in docs/arm-reference.md §5.5). IPv4 only.
- Full subnet: 400 `SubnetIsFull` "Subnet {name} with address prefix {prefix} does not have enough capacity
  for {n} IP addresses." (MicrosoftDocs/azure-docs#88211).
- Malformed prefix: 400 `InvalidAddressPrefixFormat` "Address prefix {text} of resource {id} is not formatted
  correctly. It should follow CIDR notation, for example 10.0.0.0/24." (Azure/azure-service-operator#997,
  Azure/avdaccelerator#83).
- Prefix with host bits set (10.0.0.1/24): 400 `InvalidCIDRNotation` "The address prefix {text} in resource
  {id} has an invalid CIDR notation. For the given prefix length, the address prefix should be {network}."
  **[UNVERIFIED: code and wording from memory, no public source found]**.
- Overlapping subnets: `NetcfgSubnetRangesOverlap` "Subnet '{name}' is not valid because its IP address range
  overlaps with that of an existing subnet in virtual network '{vnet}'."; subnet outside the VNet space:
  `NetcfgSubnetRangeOutsideVnet` "Subnet '{name}' is not valid because its IP address range is outside the IP
  address range of virtual network '{vnet}'." (MicrosoftDocs/azure-docs PR #123869, both 400).
  Older API versions answer `NetcfgInvalidSubnet` "Subnet '{name}' is not valid in virtual network '{vnet}'."
  (Azure/azure-cli#10917, hashicorp/terraform-provider-azurerm#10826).
- MAC addresses of Azure NICs use Microsoft's OUI 00-0D-3A, written with dashes in upper case.

Emulated public addresses come from 198.18.0.0/15 (RFC 2544 benchmarking space: never routed on the
internet, so an emulated "public" IP can never be mistaken for, or leak to, a real one). The lower half
198.18.0.0/16 serves single public IPs; the upper half 198.19.0.0/16 serves public IP prefixes, so the two
allocators never need to see each other's state.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Collection, Iterator
from ipaddress import IPv4Address, IPv4Network

from vmss_emulator.domain.errors import BadRequest

PUBLIC_POOL = IPv4Network("198.18.0.0/15")
PUBLIC_ADDRESS_POOL = IPv4Network("198.18.0.0/16")
PUBLIC_PREFIX_POOL = IPv4Network("198.19.0.0/16")

# Network address plus .1-.3 at the bottom, broadcast at the top.
RESERVED_AT_START = 4
RESERVED_AT_END = 1

AZURE_MAC_OUI = "00-0D-3A"


class SubnetIsFull(BadRequest):
    pass


class InvalidAddressPrefixFormat(BadRequest):
    pass


class InvalidCIDRNotation(BadRequest):
    pass


class NetcfgSubnetRangesOverlap(BadRequest):
    pass


class NetcfgSubnetRangeOutsideVnet(BadRequest):
    pass


class PublicIPCountLimitReached(BadRequest):
    """The emulated public pool is exhausted (Azure's code for running out of public IPs in a region)."""


# -- prefixes -------------------------------------------------------------------------------------


def validate_prefix(text: str, resource_id: str = "") -> IPv4Network:
    """Parse an IPv4 CIDR prefix the way the Network RP accepts it, or raise its error.

    `resource_id` is only used in the message (Azure names the resource that carries the prefix).
    """
    try:
        address_text, length_text = text.split("/")
        if not length_text.isdigit():
            raise ValueError(text)
        network = IPv4Network(f"{IPv4Address(address_text)}/{int(length_text)}", strict=False)
    except ValueError:
        raise InvalidAddressPrefixFormat(
            f"Address prefix {text} of resource {resource_id} is not formatted correctly. "
            "It should follow CIDR notation, for example 10.0.0.0/24."
        ) from None
    if str(network.network_address) != address_text:
        raise InvalidCIDRNotation(
            f"The address prefix {text} in resource {resource_id} has an invalid CIDR notation. "
            f"For the given prefix length, the address prefix should be {network}."
        )
    return network


def _network(prefix: str | IPv4Network) -> IPv4Network:
    return prefix if isinstance(prefix, IPv4Network) else IPv4Network(prefix, strict=False)


def is_reserved(prefix: str | IPv4Network, address: str) -> bool:
    """Azure's five reserved addresses of a subnet: network, gateway, two DNS mappings, broadcast."""
    network = _network(prefix)
    value = int(IPv4Address(address))
    first = int(network.network_address)
    return value < first + RESERVED_AT_START or value > int(network.broadcast_address) - RESERVED_AT_END


def is_within(prefix: str | IPv4Network, address: str) -> bool:
    """True when `address` (an IP, or a CIDR prefix) lies entirely inside `prefix`."""
    outer = _network(prefix)
    if "/" in address:
        return _network(address).subnet_of(outer)
    return IPv4Address(address) in outer


def prefixes_overlap(a: str | IPv4Network, b: str | IPv4Network) -> bool:
    """True when the two prefixes share at least one address (the subnet/VNet overlap rule)."""
    return _network(a).overlaps(_network(b))


def usable_count(prefix: str | IPv4Network) -> int:
    """How many addresses Azure lets NICs use in a subnet with this prefix (a /29 has 3)."""
    return max(_network(prefix).num_addresses - RESERVED_AT_START - RESERVED_AT_END, 0)


# -- allocation -----------------------------------------------------------------------------------


def _lowest_free(first: int, last: int, taken: Collection[str], count: int) -> list[str] | None:
    """The `count` lowest addresses in [first, last] not in `taken`, or None if there are fewer.

    O(len(taken) + count): one pass builds the taken set, the scan then advances past each candidate
    exactly once, and every candidate is either handed out or was taken.
    """
    taken_ints = {int(IPv4Address(t)) for t in taken}
    found: list[str] = []
    candidate = first
    while len(found) < count and candidate <= last:
        if candidate not in taken_ints:
            found.append(str(IPv4Address(candidate)))
        candidate += 1
    return found if len(found) == count else None


def allocate(prefix: str, taken: Collection[str], count: int = 1, *, subnet_name: str = "") -> list[str]:
    """The `count` lowest free private addresses in subnet `prefix`, skipping Azure's reserved ones.

    Raises `SubnetIsFull` (with Azure's message) when fewer than `count` are free. Addresses in `taken`
    outside the subnet are ignored.
    """
    network = _network(prefix)
    first = int(network.network_address) + RESERVED_AT_START
    last = int(network.broadcast_address) - RESERVED_AT_END
    found = _lowest_free(first, last, taken, count)
    if found is None:
        name = subnet_name or str(network)
        raise SubnetIsFull(
            f"Subnet {name} with address prefix {network} does not have enough capacity for {count} IP addresses."
        )
    return found


def allocate_from_prefix(prefix: str, taken: Collection[str], count: int = 1) -> list[str]:
    """`count` lowest free addresses of a public IP prefix: unlike subnets, every address is usable."""
    network = _network(prefix)
    found = _lowest_free(int(network.network_address), int(network.broadcast_address), taken, count)
    if found is None:
        raise PublicIPCountLimitReached(
            f"Public IP prefix {network} does not have enough free addresses for {count} public IP addresses."
        )
    return found


def allocate_public(taken: Collection[str], count: int = 1) -> list[str]:
    """`count` emulated public IPs from 198.18.0.0/16 (skipping .0 of the pool and its broadcast)."""
    pool = PUBLIC_ADDRESS_POOL
    found = _lowest_free(int(pool.network_address) + 1, int(pool.broadcast_address) - 1, taken, count)
    if found is None:
        raise PublicIPCountLimitReached(f"Cannot allocate {count} more public IP addresses in this emulator.")
    return found


def allocate_public_prefix(taken_prefixes: Collection[str], length: int) -> str:
    """The lowest aligned /`length` block of 198.19.0.0/16 that overlaps none of `taken_prefixes`.

    The caller validates `length` against Azure's limits for PublicIPPrefix (/28../31 by default);
    here any length that fits the pool works. O(n log n) for the sort, then one pass.
    """
    pool = PUBLIC_PREFIX_POOL
    if not pool.prefixlen <= length <= 32:
        raise BadRequest(f"Prefix length {length} does not fit in the emulated public prefix pool {pool}.")
    size = 1 << (32 - length)
    start = int(pool.network_address)
    end_of_pool = int(pool.broadcast_address)
    for taken in sorted((_network(t) for t in taken_prefixes), key=lambda n: int(n.network_address)):
        t_start, t_end = int(taken.network_address), int(taken.broadcast_address)
        if t_end < start:
            continue
        if t_start > start + size - 1:
            break
        # Overlap: the next aligned block starts after this taken range. Sorting by start means every
        # range already passed ends before the new candidate.
        start = ((t_end + 1 + size - 1) // size) * size
    if start + size - 1 > end_of_pool:
        raise PublicIPCountLimitReached(f"No free /{length} public IP prefix left in the emulated pool {pool}.")
    return str(IPv4Network(f"{IPv4Address(start)}/{length}"))


def iter_addresses(prefix: str) -> Iterator[str]:
    """Every address of `prefix` in order (for a public IP prefix's `ipPrefix` listing in tests/tools)."""
    for address in _network(prefix):
        yield str(address)


# -- MAC addresses --------------------------------------------------------------------------------


def mac_address(seed: int) -> str:
    """A deterministic NIC MAC in Azure's form, "00-0D-3A-XX-XX-XX".

    The low 24 bits of `seed` are the device part, so seeds 0..16,777,215 give distinct addresses
    (use a per-emulator counter as the seed).
    """
    if seed < 0:
        raise ValueError("seed must be non-negative")
    low = seed & 0xFFFFFF
    return f"{AZURE_MAC_OUI}-{(low >> 16) & 0xFF:02X}-{(low >> 8) & 0xFF:02X}-{low & 0xFF:02X}"


def parse_address(text: str) -> IPv4Address | None:
    """The address, or None when `text` is not an IPv4 address (for checkIPAddressAvailability)."""
    try:
        return IPv4Address(text)
    except ipaddress.AddressValueError:
        return None


__all__ = [
    "InvalidAddressPrefixFormat",
    "InvalidCIDRNotation",
    "NetcfgSubnetRangeOutsideVnet",
    "NetcfgSubnetRangesOverlap",
    "PublicIPCountLimitReached",
    "SubnetIsFull",
    "allocate",
    "allocate_from_prefix",
    "allocate_public",
    "allocate_public_prefix",
    "is_within",
    "iter_addresses",
    "mac_address",
    "parse_address",
    "prefixes_overlap",
    "usable_count",
    "validate_prefix",
]

"""Store-backed address books: private IPs per subnet, the emulated public pool, prefix addresses, NAT ports.

Each taken address is one link record under the subnet / prefix / pool (so it is found by key in O(1)
and listed through the parent index), and a low-water mark kept in the store's meta table says that
every address below it is taken. Allocation probes upwards from the mark, so handing out n addresses
one by one costs O(n) in total, not O(n^2); releasing lowers the mark. Everything runs inside the
caller's transaction (meta rows included), so a refusal rolls allocations back too.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network
from typing import Any

from vmss_emulator.domain.context import Context
from vmss_emulator.domain.network import ipam, links

IP_KIND = "ipAllocations"
PORT_KIND = "portAllocations"
PUBLIC_POOL_ID = "/providers/Microsoft.Network/emulatedPublicAddressPool"


def _hint_key(owner_id: str, kind: str) -> str:
    return f"network.hint:{kind}:{owner_id.lower()}"


def _take(
    ctx: Context,
    owner_id: str,
    kind: str,
    first: int,
    last: int,
    render: Any,
    body: dict[str, Any],
    scope_key: str,
    preferred: int | None,
) -> int | None:
    """Take `preferred` when free, else the lowest free value in [first, last]; None when full."""
    if (
        preferred is not None
        and first <= preferred <= last
        and links.get(ctx, owner_id, kind, render(preferred)) is None
    ):
        links.add(ctx, owner_id, kind, render(preferred), body, scope_key)
        return preferred
    key = _hint_key(owner_id, kind)
    hint = ctx.store.get_meta(key)
    start = max(first, int(hint) if isinstance(hint, int) else first)
    if start > first and links.get(ctx, owner_id, kind, render(start - 1)) is None:
        # Everything below the mark should be taken; a free address just below it means the holders were
        # deleted wholesale (their resource group went away) without releasing, so the mark is stale.
        start = first
    candidate = start
    while candidate <= last and links.get(ctx, owner_id, kind, render(candidate)) is not None:
        candidate += 1
    if candidate <= last:
        links.add(ctx, owner_id, kind, render(candidate), body, scope_key)
        # Everything in [start, candidate] is now taken.
        ctx.store.put_meta(key, candidate + 1)
        return candidate
    # The mark can be stale after a resource group was deleted wholesale: rescan once from the bottom.
    candidate = first
    while candidate < start and links.get(ctx, owner_id, kind, render(candidate)) is not None:
        candidate += 1
    if candidate >= start:
        return None
    links.add(ctx, owner_id, kind, render(candidate), body, scope_key)
    return candidate


def _release(ctx: Context, owner_id: str, kind: str, value: int, rendered: str) -> None:
    links.remove(ctx, owner_id, kind, rendered)
    key = _hint_key(owner_id, kind)
    hint = ctx.store.get_meta(key)
    if isinstance(hint, int) and value < hint:
        ctx.store.put_meta(key, value)


# -- private addresses ----------------------------------------------------------------------------


def allocate_private(
    ctx: Context,
    subnet_id: str,
    prefix: str,
    ipconfig_id: str,
    scope_key: str,
    *,
    preferred: str | None = None,
    subnet_name: str = "",
) -> str:
    network = IPv4Network(prefix, strict=False)
    first = int(network.network_address) + ipam.RESERVED_AT_START
    last = int(network.broadcast_address) - ipam.RESERVED_AT_END
    wanted = int(IPv4Address(preferred)) if preferred else None
    got = _take(ctx, subnet_id, IP_KIND, first, last, _ip, {"id": ipconfig_id}, scope_key, wanted)
    if got is None:
        raise ipam.SubnetIsFull(
            f"Subnet {subnet_name or network} with address prefix {network} does not have enough capacity for 1 IP "
            "addresses."
        )
    return _ip(got)


def reserve_static(ctx: Context, subnet_id: str, address: str, ipconfig_id: str, scope_key: str) -> bool:
    """Take exactly `address`; False when another ipconfig holds it."""
    holder = links.get(ctx, subnet_id, IP_KIND, address)
    if holder is not None:
        return bool(str(holder.body.get("id", "")).lower() == ipconfig_id.lower())
    links.add(ctx, subnet_id, IP_KIND, address, {"id": ipconfig_id}, scope_key)
    return True


def release_private(ctx: Context, subnet_id: str, address: str) -> None:
    _release(ctx, subnet_id, IP_KIND, int(IPv4Address(address)), address)


def subnet_ipconfigs(ctx: Context, subnet_id: str) -> list[str]:
    return links.member_ids(ctx, subnet_id, IP_KIND)


def subnet_taken(ctx: Context, subnet_id: str) -> list[str]:
    """Every address taken in the subnet (the link records are named by address)."""
    return [r.id.rsplit("/", 1)[1] for r in links.list_links(ctx, subnet_id, IP_KIND)]


def subnet_in_use_by(ctx: Context, subnet_id: str) -> str | None:
    return links.first_member(ctx, subnet_id, IP_KIND)


# -- public addresses -----------------------------------------------------------------------------


def allocate_public(ctx: Context, pip_id: str, scope_key: str, *, preferred: str | None = None) -> str:
    pool = ipam.PUBLIC_ADDRESS_POOL
    first, last = int(pool.network_address) + 1, int(pool.broadcast_address) - 1
    wanted = int(IPv4Address(preferred)) if preferred else None
    got = _take(ctx, PUBLIC_POOL_ID, IP_KIND, first, last, _ip, {"id": pip_id}, scope_key, wanted)
    if got is None:
        raise ipam.PublicIPCountLimitReached("Cannot allocate more public IP addresses in this emulator.")
    return _ip(got)


def release_public(ctx: Context, address: str) -> None:
    _release(ctx, PUBLIC_POOL_ID, IP_KIND, int(IPv4Address(address)), address)


def allocate_from_prefix(
    ctx: Context, prefix_id: str, prefix: str, pip_id: str, scope_key: str, *, preferred: str | None = None
) -> str:
    network = IPv4Network(prefix, strict=False)
    wanted = int(IPv4Address(preferred)) if preferred else None
    got = _take(
        ctx,
        prefix_id,
        IP_KIND,
        int(network.network_address),
        int(network.broadcast_address),
        _ip,
        {"id": pip_id},
        scope_key,
        wanted,
    )
    if got is None:
        raise ipam.PublicIPCountLimitReached(
            f"Public IP prefix {network} does not have enough free addresses for 1 public IP addresses."
        )
    return _ip(got)


def release_from_prefix(ctx: Context, prefix_id: str, address: str) -> None:
    _release(ctx, prefix_id, IP_KIND, int(IPv4Address(address)), address)


# -- NAT pool frontend ports ----------------------------------------------------------------------


def allocate_port(
    ctx: Context, pool_id: str, start: int, end: int, body: dict[str, Any], scope_key: str, preferred: int | None
) -> int | None:
    return _take(ctx, pool_id, PORT_KIND, start, end, str, body, scope_key, preferred)


def release_port(ctx: Context, pool_id: str, port: int) -> None:
    _release(ctx, pool_id, PORT_KIND, port, str(port))


def pool_ports(ctx: Context, pool_id: str) -> list[tuple[int, dict[str, Any]]]:
    return [(int(r.id.rsplit("/", 1)[1]), r.body) for r in links.list_links(ctx, pool_id, PORT_KIND)]


def _ip(value: int) -> str:
    return str(IPv4Address(value))

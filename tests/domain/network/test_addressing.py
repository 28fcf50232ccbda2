"""Store-backed address books: lowest free first, preferred addresses, releases, stale marks, ports."""

from __future__ import annotations

import pytest

from vmss_emulator.domain.context import Context
from vmss_emulator.domain.network import addressing, ipam
from vmss_emulator.store import SQLiteStore

SUBNET = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/default"
SCOPE = "/subscriptions/s/resourcegroups/rg"


@pytest.fixture
def ctx() -> Context:
    return Context(store=SQLiteStore())


def take(ctx: Context, n: int, prefix: str = "10.0.0.0/24") -> list[str]:
    return [addressing.allocate_private(ctx, SUBNET, prefix, f"ipconfig{i}", SCOPE) for i in range(n)]


def test_addresses_are_handed_out_lowest_first_after_the_reserved_ones(ctx: Context) -> None:
    assert take(ctx, 3) == ["10.0.0.4", "10.0.0.5", "10.0.0.6"]


def test_a_released_address_is_the_next_one_handed_out(ctx: Context) -> None:
    take(ctx, 3)
    addressing.release_private(ctx, SUBNET, "10.0.0.5")
    assert addressing.allocate_private(ctx, SUBNET, "10.0.0.0/24", "x", SCOPE) == "10.0.0.5"
    assert addressing.allocate_private(ctx, SUBNET, "10.0.0.0/24", "y", SCOPE) == "10.0.0.7"


def test_a_preferred_free_address_is_kept(ctx: Context) -> None:
    assert addressing.allocate_private(ctx, SUBNET, "10.0.0.0/24", "x", SCOPE, preferred="10.0.0.9") == "10.0.0.9"
    assert take(ctx, 1) == ["10.0.0.4"]


def test_a_static_reservation_is_skipped_by_dynamic_allocation(ctx: Context) -> None:
    assert addressing.reserve_static(ctx, SUBNET, "10.0.0.4", "static", SCOPE)
    assert not addressing.reserve_static(ctx, SUBNET, "10.0.0.4", "other", SCOPE)
    assert take(ctx, 1) == ["10.0.0.5"]


def test_a_full_subnet_is_refused_with_azures_error(ctx: Context) -> None:
    take(ctx, 3, "10.0.0.0/29")
    with pytest.raises(ipam.SubnetIsFull):
        take(ctx, 1, "10.0.0.0/29")


def test_a_stale_mark_after_wholesale_deletion_restarts_from_the_bottom(ctx: Context) -> None:
    take(ctx, 3)
    ctx.store.delete_scope(SCOPE)
    assert take(ctx, 1) == ["10.0.0.4"]


def test_ports_come_from_the_range_lowest_first_and_run_out(ctx: Context) -> None:
    pool = "/lb/inboundNatPools/p"
    got = [addressing.allocate_port(ctx, pool, 50000, 50001, {"id": str(i)}, SCOPE, None) for i in range(3)]
    assert got == [50000, 50001, None]
    addressing.release_port(ctx, pool, 50000)
    assert addressing.allocate_port(ctx, pool, 50000, 50001, {"id": "x"}, SCOPE, None) == 50000

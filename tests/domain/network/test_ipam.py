"""Private/public address allocation, prefix validation and MAC addresses."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vmss_emulator.domain.errors import BadRequest
from vmss_emulator.domain.network.ipam import (
    PUBLIC_ADDRESS_POOL,
    PUBLIC_PREFIX_POOL,
    InvalidAddressPrefixFormat,
    InvalidCIDRNotation,
    PublicIPCountLimitReached,
    SubnetIsFull,
    allocate,
    allocate_from_prefix,
    allocate_public,
    allocate_public_prefix,
    is_within,
    mac_address,
    prefixes_overlap,
    usable_count,
    validate_prefix,
)


@pytest.mark.parametrize(
    ("prefix", "taken", "count", "expected"),
    [
        pytest.param("10.0.0.0/24", [], 1, ["10.0.0.4"], id="first-usable-is-dot-4"),
        pytest.param("10.0.0.0/24", [], 3, ["10.0.0.4", "10.0.0.5", "10.0.0.6"], id="several"),
        pytest.param("10.0.0.0/24", ["10.0.0.4", "10.0.0.6"], 2, ["10.0.0.5", "10.0.0.7"], id="fills-holes"),
        pytest.param("10.0.0.0/29", [], 3, ["10.0.0.4", "10.0.0.5", "10.0.0.6"], id="slash29-has-three"),
        pytest.param("10.1.2.0/24", ["192.168.0.4"], 1, ["10.1.2.4"], id="foreign-taken-ignored"),
        pytest.param("10.0.0.0/16", [], 1, ["10.0.0.4"], id="wide-subnet"),
        pytest.param("10.0.0.0/24", [], 0, [], id="zero"),
    ],
)
def test_allocate(prefix: str, taken: list[str], count: int, expected: list[str]) -> None:
    assert allocate(prefix, taken, count) == expected


@pytest.mark.parametrize(
    ("prefix", "taken", "count"),
    [
        pytest.param("10.0.0.0/29", [], 4, id="slash29-four"),
        pytest.param("10.0.0.0/29", ["10.0.0.4", "10.0.0.5", "10.0.0.6"], 1, id="slash29-full"),
        pytest.param("10.0.0.0/30", [], 1, id="slash30-has-none"),
    ],
)
def test_allocate_full_subnet(prefix: str, taken: list[str], count: int) -> None:
    with pytest.raises(SubnetIsFull) as info:
        allocate(prefix, taken, count, subnet_name="default")
    assert info.value.status == 400
    assert info.value.code == "SubnetIsFull"
    assert info.value.message == (
        f"Subnet default with address prefix {prefix} does not have enough capacity for {count} IP addresses."
    )


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        pytest.param("10.0.0.0/24", 251, id="slash24"),
        pytest.param("10.0.0.0/29", 3, id="slash29"),
        pytest.param("10.0.0.0/30", 0, id="slash30"),
    ],
)
def test_usable_count(prefix: str, expected: int) -> None:
    assert usable_count(prefix) == expected


def test_allocate_at_scale_continues_after_the_taken_block() -> None:
    # 60k taken addresses and 5k requested (bench/bench_planners.py times the same case).
    taken = [str(IPv4Address(int(IPv4Address("10.0.0.4")) + i)) for i in range(60_000)]
    result = allocate("10.0.0.0/16", taken, 5_000)
    assert result[0] == str(IPv4Address(int(IPv4Address("10.0.0.4")) + 60_000))
    assert len(set(result)) == 5_000


@given(
    length=st.integers(min_value=22, max_value=29),
    taken_offsets=st.sets(st.integers(min_value=0, max_value=1023), max_size=200),
    count=st.integers(min_value=1, max_value=40),
)
def test_allocate_never_returns_reserved_or_taken(length: int, taken_offsets: set[int], count: int) -> None:
    network = IPv4Network(f"10.20.0.0/{length}")
    base = int(network.network_address)
    taken = {str(IPv4Address(base + o)) for o in taken_offsets if o < network.num_addresses}
    reserved = {str(IPv4Address(base + i)) for i in range(4)} | {str(network.broadcast_address)}
    free = usable_count(network) - len(taken - reserved)
    if count > free:
        with pytest.raises(SubnetIsFull):
            allocate(str(network), taken, count)
        return
    result = allocate(str(network), taken, count)
    assert len(result) == len(set(result)) == count
    assert not set(result) & (taken | reserved)
    assert all(IPv4Address(a) in network for a in result)
    # Lowest free first: nothing free is skipped below the highest address handed out.
    highest = max(int(IPv4Address(a)) for a in result)
    skipped = [
        a for a in range(base + 4, highest) if str(IPv4Address(a)) not in taken and str(IPv4Address(a)) not in result
    ]
    assert skipped == []


@pytest.mark.parametrize(
    ("text", "error"),
    [
        pytest.param("10.0.0.0", InvalidAddressPrefixFormat, id="no-length"),
        pytest.param("10.0.0/24", InvalidAddressPrefixFormat, id="three-octets"),
        pytest.param("10.0.0.0/33", InvalidAddressPrefixFormat, id="length-too-long"),
        pytest.param("10.0.0.0/-1", InvalidAddressPrefixFormat, id="negative-length"),
        pytest.param("not-a-cidr", InvalidAddressPrefixFormat, id="garbage"),
        pytest.param("10.0.0.256/24", InvalidAddressPrefixFormat, id="octet-out-of-range"),
        pytest.param("10.0.0.1/24", InvalidCIDRNotation, id="host-bits-set"),
    ],
)
def test_validate_prefix_rejects(text: str, error: type[BadRequest]) -> None:
    with pytest.raises(error) as info:
        validate_prefix(text, "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v")
    assert info.value.status == 400
    assert text in info.value.message


def test_validate_prefix_messages() -> None:
    with pytest.raises(InvalidAddressPrefixFormat) as bad:
        validate_prefix("10.1.0.0", "/x")
    assert bad.value.message == (
        "Address prefix 10.1.0.0 of resource /x is not formatted correctly. "
        "It should follow CIDR notation, for example 10.0.0.0/24."
    )
    with pytest.raises(InvalidCIDRNotation) as misaligned:
        validate_prefix("10.0.1.4/23", "/x")
    assert misaligned.value.message.endswith("the address prefix should be 10.0.0.0/23.")


@pytest.mark.parametrize(
    "text", [pytest.param("10.0.0.0/16", id="slash16"), pytest.param("0.0.0.0/0", id="all"), "10.0.0.5/32"]
)
def test_validate_prefix_accepts(text: str) -> None:
    assert str(validate_prefix(text)) == text


@pytest.mark.parametrize(
    ("prefix", "address", "inside"),
    [
        pytest.param("10.0.0.0/16", "10.0.255.255", True, id="last-address"),
        pytest.param("10.0.0.0/16", "10.1.0.0", False, id="next-network"),
        pytest.param("10.0.0.0/16", "10.0.1.0/24", True, id="subnet-inside"),
        pytest.param("10.0.0.0/16", "10.0.0.0/15", False, id="subnet-larger"),
        pytest.param("10.0.0.0/24", "10.0.2.0/24", False, id="subnet-outside"),
    ],
)
def test_is_within(prefix: str, address: str, inside: bool) -> None:
    assert is_within(prefix, address) is inside


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        pytest.param("10.0.0.0/28", "10.0.0.0/27", True, id="azure-cli-10917"),
        pytest.param("10.0.0.0/24", "10.0.1.0/24", False, id="adjacent"),
        pytest.param("10.0.0.0/8", "10.200.3.0/24", True, id="contains"),
        pytest.param("192.168.0.0/16", "10.0.0.0/8", False, id="disjoint"),
    ],
)
def test_prefixes_overlap(a: str, b: str, overlap: bool) -> None:
    assert prefixes_overlap(a, b) is overlap
    assert prefixes_overlap(b, a) is overlap


def test_allocate_public_from_emulated_pool() -> None:
    first = allocate_public([], 2)
    assert first == ["198.18.0.1", "198.18.0.2"]
    assert allocate_public(first, 1) == ["198.18.0.3"]
    assert all(IPv4Address(a) in PUBLIC_ADDRESS_POOL for a in first)


@pytest.mark.parametrize(
    ("prefix", "taken", "count", "expected"),
    [
        pytest.param("198.19.0.0/30", [], 4, ["198.19.0.0", "198.19.0.1", "198.19.0.2", "198.19.0.3"],
                     id="all-usable"),
        pytest.param("198.19.0.0/31", ["198.19.0.0"], 1, ["198.19.0.1"], id="skips-taken"),
    ],
)  # fmt: skip
def test_allocate_from_prefix(prefix: str, taken: list[str], count: int, expected: list[str]) -> None:
    assert allocate_from_prefix(prefix, taken, count) == expected


def test_allocate_from_full_prefix() -> None:
    with pytest.raises(PublicIPCountLimitReached):
        allocate_from_prefix("198.19.0.0/31", ["198.19.0.0", "198.19.0.1"], 1)


@pytest.mark.parametrize(
    ("taken", "length", "expected"),
    [
        pytest.param([], 28, "198.19.0.0/28", id="empty-pool"),
        pytest.param(["198.19.0.0/28"], 28, "198.19.0.16/28", id="next-block"),
        pytest.param(["198.19.0.0/31"], 28, "198.19.0.16/28", id="small-taken-blocks-whole-slot"),
        pytest.param(["198.19.0.16/28"], 28, "198.19.0.0/28", id="hole-before"),
        pytest.param(["198.19.0.0/28", "198.19.0.16/28"], 27, "198.19.0.32/27", id="aligned-larger"),
        pytest.param(["198.19.0.0/24", "198.19.0.16/28"], 28, "198.19.1.0/28", id="nested-taken"),
        pytest.param(["198.19.0.0/30", "198.19.0.32/28"], 27, "198.19.0.64/27", id="alignment-skips"),
    ],
)
def test_allocate_public_prefix(taken: list[str], length: int, expected: str) -> None:
    result = allocate_public_prefix(taken, length)
    assert result == expected
    assert IPv4Network(result).subnet_of(PUBLIC_PREFIX_POOL)
    assert not any(prefixes_overlap(result, t) for t in taken)


def test_allocate_public_prefix_exhausted() -> None:
    with pytest.raises(PublicIPCountLimitReached):
        allocate_public_prefix(["198.19.0.0/16"], 28)


@pytest.mark.parametrize(
    ("seed", "expected"),
    [
        pytest.param(0, "00-0D-3A-00-00-00", id="zero"),
        pytest.param(1, "00-0D-3A-00-00-01", id="one"),
        pytest.param(0xABCDEF, "00-0D-3A-AB-CD-EF", id="upper-hex"),
        pytest.param(0x1000000, "00-0D-3A-00-00-00", id="wraps-after-24-bits"),
    ],
)
def test_mac_address(seed: int, expected: str) -> None:
    assert mac_address(seed) == expected


def test_mac_addresses_are_distinct() -> None:
    assert len({mac_address(i) for i in range(10_000)}) == 10_000

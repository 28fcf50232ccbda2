"""Azure's deterministic hashes: `uniqueString()` and `guid()`.

Both join their arguments with `-` first. `uniqueString` is the 64-bit Murmur variant from ARM's
expression engine, written as 13 lowercase base32 characters (so real Azure and the emulator give
the same names); `guid` is an RFC 4122 version 5 (SHA-1) UUID in ARM's own namespace.
"""

from __future__ import annotations

import hashlib
import uuid

_MASK = 0xFFFFFFFF
_C1 = 0x239B961B  # 597399067
_C2 = 0xAB0E9789  # 2869860233
_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"
# ARM's namespace for guid(); uuid5 works on the RFC byte order, which is what ARM hashes.
ARM_GUID_NAMESPACE = uuid.UUID("11fb06fb-712d-4ddd-98c7-e71bbd588830")


def _rotl(value: int, bits: int) -> int:
    return ((value << bits) | (value >> (32 - bits))) & _MASK


def _fmix(h: int) -> int:
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _MASK
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _MASK
    return h ^ (h >> 16)


def murmur64(data: bytes) -> int:
    """ARM's 64-bit Murmur variant (two interleaved 32-bit lanes, seed 0)."""
    length = len(data)
    h1 = h2 = 0
    full = length - length % 8
    for at in range(0, full, 8):
        k1 = int.from_bytes(data[at : at + 4], "little")
        k2 = int.from_bytes(data[at + 4 : at + 8], "little")
        h1 ^= (_rotl((k1 * _C1) & _MASK, 15) * _C2) & _MASK
        h1 = (((_rotl(h1, 19) + h2) & _MASK) * 5 + 0x561CCD1B) & _MASK
        h2 ^= (_rotl((k2 * _C2) & _MASK, 17) * _C1) & _MASK
        h2 = (((_rotl(h2, 13) + h1) & _MASK) * 5 + 0x0BCAA747) & _MASK
    tail = data[full:]
    if tail:
        k1 = int.from_bytes(tail[:4], "little")
        h1 ^= (_rotl((k1 * _C1) & _MASK, 15) * _C2) & _MASK
        if len(tail) > 4:
            k2 = int.from_bytes(tail[4:], "little")
            h2 ^= (_rotl((k2 * _C2) & _MASK, 17) * _C1) & _MASK
    h1 ^= length
    h2 ^= length
    h1 = (h1 + h2) & _MASK
    h2 = (h2 + h1) & _MASK
    h1 = _fmix(h1)
    h2 = _fmix(h2)
    h1 = (h1 + h2) & _MASK
    h2 = (h2 + h1) & _MASK
    return (h2 << 32) | h1


def unique_string(*values: str) -> str:
    """`uniqueString(a, b, ...)`: 13 characters of [a-z2-7], stable across runs and machines."""
    value = murmur64("-".join(values).encode("utf-8"))
    chars = []
    for _ in range(13):
        chars.append(_BASE32[value >> 59])
        value = (value << 5) & 0xFFFFFFFFFFFFFFFF
    return "".join(chars)


def deterministic_guid(*values: str) -> str:
    """`guid(a, b, ...)`: a version 5 UUID of the dash-joined values."""
    return str(uuid.uuid5(ARM_GUID_NAMESPACE, "-".join(values)))


def sha1_hex(text: str) -> str:
    """A stable content hash (used for `deployment().properties.templateHash`)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()

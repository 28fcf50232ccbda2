"""Lenient typing for template-deployed resource bodies, as Azure's JSON deserializer applies it.

Templates (and az's template builder) write `"primary": "true"` and `"frontendPortRangeStart": "50000"`;
Azure's deserializer converts such strings to the declared bool/int, and treats explicit `null` as "not
specified". Resource types stay strict for REST requests: only the deployment path calls `coerce_body`.
"""

from __future__ import annotations

import re
from typing import Any

from vmss_emulator.domain.deployments._typed_names import BOOLEAN_NAMES, INTEGER_NAMES

_INTEGER = re.compile(r"^[+-]?\d+$")

# Members whose values are user data (tags, free-form settings, a nested deployment's template and
# parameters, which are coerced when their own resources deploy): never coerced.
_OPAQUE = frozenset(
    {"tags", "settings", "protectedsettings", "protectedsettingsfromkeyvault", "userdata", "template", "parameters"}
)


def coerce_body(value: Any, name: str | None = None) -> Any:
    """A copy of `value` with bool/int strings converted for members typed so, and null members dropped."""
    if isinstance(value, dict):
        return {
            key: item if key.lower() in _OPAQUE else coerce_body(item, key)
            for key, item in value.items()
            if item is not None
        }
    if isinstance(value, list):
        return [coerce_body(item, name) for item in value]
    if isinstance(value, str) and name is not None:
        lowered = name.lower()
        if lowered in BOOLEAN_NAMES and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        if lowered in INTEGER_NAMES and _INTEGER.match(value.strip()):
            return int(value.strip())
    return value

"""Refuse request bodies whose JSON kinds do not fit the resource's model, before any rule reads them.

Both the REST route and the deployment engine call `check_body`, so a template resource is refused
exactly as the same PUT would be. The error follows the compute provider's wording for a malformed
parameter (InvalidParameter, the target without the `properties.` envelope), as its own checks do.
"""

from __future__ import annotations

import re
from typing import Any

from vmss_emulator._utils.shapes import misfit, root_model
from vmss_emulator.domain.errors import InvalidParameter

_ENVELOPE = re.compile(r"(^|\.)properties(?=\.|$)", re.IGNORECASE)


def check_body(full_type: str, method: str, body: Any) -> None:
    """Raise Azure's 400 for a body that cannot be deserialized into the type's model."""
    model = root_model(full_type, method)
    if model is None:
        return
    found = misfit(body, f"m:{model}")
    if found is None:
        return
    path = _ENVELOPE.sub("", found[0]).strip(".") or "properties"
    name = re.sub(r"\[\d+\]$", "", path.rsplit(".", 1)[-1])
    raise InvalidParameter(f"The value of parameter '{name}' is invalid.", target=path)

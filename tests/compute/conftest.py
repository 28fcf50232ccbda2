from __future__ import annotations

from typing import Any

import pytest

from compute_helpers import RG


@pytest.fixture
def rg(resource_client: Any) -> str:
    resource_client.resource_groups.create_or_update(RG, {"location": "eastus"})
    return RG

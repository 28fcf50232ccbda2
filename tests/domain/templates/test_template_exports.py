"""The package's public surface is exactly its sorted `__all__`."""

from __future__ import annotations

import vmss_emulator.domain.templates as templates


def test_all_is_sorted_and_complete() -> None:
    public = {name for name in vars(templates) if not name.startswith("_")}
    submodules = {name for name in public if type(getattr(templates, name)).__name__ == "module"}
    assert sorted(templates.__all__, key=lambda n: (not n.isupper(), n)) == templates.__all__
    assert set(templates.__all__) == public - submodules

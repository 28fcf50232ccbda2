"""docs/catalog.md lists exactly the catalogue in src/vmss_emulator/domain/catalog/ (generated tables).

Regenerate after changing the catalogue: `.venv/bin/python tests/domain/compute/test_catalog_doc.py`."""

from __future__ import annotations

from pathlib import Path

from vmss_emulator.domain.catalog.images import all_images
from vmss_emulator.domain.catalog.vm_sizes import all_vm_sizes

DOC = Path(__file__).resolve().parents[3] / "docs" / "catalog.md"
BEGIN, END = "<!-- generated: begin -->", "<!-- generated: end -->"


def generated() -> str:
    lines = [
        "### VM sizes",
        "",
        "| Size | Tier | vCPUs | Memory GiB | Max NICs | Max data disks | Accelerated networking | Premium IO "
        "| Hardware cluster |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for s in all_vm_sizes():
        lines.append(
            f"| {s.name} | {s.tier} | {s.vcpus} | {s.memory_gb:g} | {s.max_nics} | {s.max_data_disks} "
            f"| {s.accelerated_networking} | {s.premium_io} | {s.hardware_cluster} |"
        )
    lines += [
        "",
        "### Platform images",
        "",
        "| Publisher | Offer | Sku | OS | osName | osVersion | Generation | Versions (oldest first; `latest` = last) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for i in all_images():
        lines.append(
            f"| {i.publisher} | {i.offer} | {i.sku} | {i.os_type} | {i.os_name} | {i.os_version} "
            f"| {i.hyper_v_generation} | {', '.join(i.versions)} |"
        )
    return "\n".join(lines)


def test_the_catalogue_doc_lists_every_size_and_image() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert BEGIN in text and END in text
    inside = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert inside == generated(), "docs/catalog.md is stale: run tests/domain/compute/test_catalog_doc.py"


if __name__ == "__main__":
    text = DOC.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    DOC.write_text(f"{head}{BEGIN}\n{generated()}\n{END}{rest.split(END, 1)[1]}", encoding="utf-8")

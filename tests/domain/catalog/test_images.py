"""Platform image catalogue: lookups, version resolution, az aliases, image endpoint wire shapes."""

from __future__ import annotations

import pytest

from vmss_emulator.domain.catalog.images import (
    AZ_IMAGE_ALIASES,
    all_images,
    find_image,
    list_offers,
    list_publishers,
    list_skus,
    list_versions,
    resolve_version,
    version_entry,
    version_key,
)

SUB = "00000000-0000-0000-0000-000000000000"
ROOT = f"/Subscriptions/{SUB}/Providers/Microsoft.Compute/Locations/westus"


@pytest.mark.parametrize("alias", sorted(AZ_IMAGE_ALIASES))
def test_every_az_alias_target_is_catalogued(alias: str) -> None:
    assert find_image(*AZ_IMAGE_ALIASES[alias]) is not None


@pytest.mark.parametrize(
    ("urn", "os_type", "gen"),
    [
        pytest.param("Canonical:UbuntuServer:16.04-LTS", "Linux", "V1", id="seed-ubuntu-1604"),
        pytest.param("canonical:ubuntuserver:16.04-lts", "Linux", "V1", id="case-insensitive"),
        pytest.param("Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2", "Linux", "V2", id="jammy-gen2"),
        pytest.param("Debian:debian-12:12-gen2", "Linux", "V2", id="debian-12"),
        pytest.param("MicrosoftWindowsServer:WindowsServer:2016-Datacenter", "Windows", "V1", id="win2016"),
        pytest.param("OpenLogic:CentOS:7.5", "Linux", "V1", id="centos-75"),
    ],
)
def test_find_image(urn: str, os_type: str, gen: str) -> None:
    image = find_image(*urn.split(":"))
    assert image is not None
    assert (image.os_type, image.hyper_v_generation) == (os_type, gen)


def test_unknown_image_is_none() -> None:
    assert find_image("Canonical", "UbuntuServer", "99.04-LTS") is None


def test_seed_versions_and_instance_view_os() -> None:
    image = find_image("Canonical", "UbuntuServer", "16.04-LTS")
    assert image is not None
    assert {"16.04.201801050", "16.04.201801090"} <= set(image.versions)
    assert (image.os_name, image.os_version) == ("ubuntu", "16.04")
    assert image.plan is None


@pytest.mark.parametrize(
    ("requested", "expected"),
    [
        pytest.param("latest", "16.04.202104140", id="latest"),
        pytest.param("LATEST", "16.04.202104140", id="latest-any-case"),
        pytest.param(None, "16.04.202104140", id="none-means-latest"),
        pytest.param("16.04.201801090", "16.04.201801090", id="exact"),
        pytest.param("16.04.201801091", None, id="unknown"),
    ],
)
def test_resolve_version(requested: str | None, expected: str | None) -> None:
    image = find_image("Canonical", "UbuntuServer", "16.04-LTS")
    assert image is not None
    assert resolve_version(image, requested) == expected


def test_versions_sorted_oldest_first_everywhere() -> None:
    for image in all_images():
        assert list(image.versions) == sorted(image.versions, key=version_key)
        assert image.latest == image.versions[-1]


@pytest.mark.parametrize(
    ("older", "newer"),
    [pytest.param("9.9", "10.1", id="numeric-not-lexical"), pytest.param("16.04.1", "16.04.10", id="build")],
)
def test_version_key(older: str, newer: str) -> None:
    assert version_key(older) < version_key(newer)


def test_list_publishers_shape() -> None:
    publishers = list_publishers(SUB, "westus")
    canonical = next(p for p in publishers if p["name"] == "Canonical")
    assert canonical == {"location": "westus", "name": "Canonical", "id": f"{ROOT}/Publishers/Canonical"}
    assert len({p["name"].lower() for p in publishers}) == len(publishers)


def test_list_offers_and_skus() -> None:
    offers = list_offers(SUB, "westus", "canonical")
    assert offers is not None
    assert "UbuntuServer" in [o["name"] for o in offers]
    assert offers[0]["id"].startswith(f"{ROOT}/Publishers/Canonical/ArtifactTypes/VMImage/Offers/")
    skus = list_skus(SUB, "westus", "Canonical", "UbuntuServer")
    assert skus is not None
    assert [s["name"] for s in skus] == ["16.04-LTS", "18.04-LTS", "18_04-lts-gen2"]


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: list_offers(SUB, "westus", "NoSuchPublisher"), id="offers"),
        pytest.param(lambda: list_skus(SUB, "westus", "Canonical", "NoSuchOffer"), id="skus"),
    ],
)
def test_unknown_parents_are_none(call: object) -> None:
    assert callable(call) and call() is None


@pytest.mark.parametrize(
    ("orderby", "top", "expected"),
    [
        pytest.param(None, None, ["16.04.201801050", "16.04.201801090", "16.04.201802220", "16.04.202104140"],
                     id="default-oldest-first"),
        pytest.param("name desc", 1, ["16.04.202104140"], id="az-latest-query"),
        pytest.param("name", 2, ["16.04.201801050", "16.04.201801090"], id="asc-top"),
    ],
)  # fmt: skip
def test_list_versions(orderby: str | None, top: int | None, expected: list[str]) -> None:
    image = find_image("Canonical", "UbuntuServer", "16.04-LTS")
    assert image is not None
    entries = list_versions(SUB, "westus", image, orderby=orderby, top=top)
    assert [e["name"] for e in entries] == expected
    assert entries[0]["id"] == (
        f"{ROOT}/Publishers/Canonical/ArtifactTypes/VMImage/Offers/UbuntuServer/Skus/16.04-LTS/Versions/{expected[0]}"
    )


def test_version_entry_shape() -> None:
    image = find_image("Canonical", "UbuntuServer", "16.04-LTS")
    assert image is not None
    entry = version_entry(SUB, "westus", image, "16.04.201801090")
    assert entry["name"] == "16.04.201801090"
    assert entry["location"] == "westus"
    assert entry["id"].endswith("/Skus/16.04-LTS/Versions/16.04.201801090")
    props = entry["properties"]
    assert props["osDiskImage"] == {"operatingSystem": "Linux"}
    assert props["dataDiskImages"] == []
    assert props["hyperVGeneration"] == "V1"
    assert props["architecture"] == "x64"
    assert props["automaticOSUpgradeProperties"] == {"automaticOSUpgradeSupported": True}
    assert "plan" not in props


def test_plan_image_reports_plan() -> None:
    image = find_image("kinvolk", "flatcar-container-linux-free", "stable-gen2")
    assert image is not None
    props = version_entry(SUB, "westus", image, image.latest)["properties"]
    assert props["plan"] == {"publisher": "kinvolk", "name": "stable-gen2", "product": "flatcar-container-linux-free"}

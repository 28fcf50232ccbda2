"""Rows of the platform image catalogue (data only; `images.py` gives them meaning).

Publisher/offer/sku triples: every target of the az CLI 2.91 image aliases
(`azure/cli/command_modules/vm/_alias.py`: Ubuntu2204, Debian11, CentOS85Gen2, RHELRaw8LVMGen2, SuseSles15SP3,
OpenSuseLeap154Gen2, FlatcarLinuxFreeGen2, AzureLinux4*, Win2022Datacenter, Win2022AzureEditionCore,
Win2019Datacenter, Win2016Datacenter, Win2012R2Datacenter, Win2012Datacenter), the older alias targets
(UbuntuLTS = Canonical/UbuntuServer/18.04-LTS, Win2022AzureEdition, the gen1 Windows skus), Ubuntu 24.04
(Canonical/ubuntu-24_04-lts/server) and the seed's Canonical/UbuntuServer/16.04-LTS.

Versions: 16.04.201801050 and 16.04.201801090 come from the seed (vmss-modify); the others are
representative strings in each publisher's real format (Canonical `YY.MM.YYYYMMDDn`, Debian
`0.YYYYMMDD.build`, Windows `build.revision.YYMMDD`) and are **not** a copy of the live catalogue.
Sorted oldest first; "latest" resolves to the last one.

os name/version are what a VM instance view reports (`osName`, `osVersion`): "ubuntu"/"16.04" per the seed;
Windows reports the product name and kernel version. Names for the newer distros (azurelinux, flatcar, sles,
opensuse-leap, redhat, centos, debian) follow the distro ID the guest agent reads from /etc/os-release
**[UNVERIFIED for each]**.

Plans: only Flatcar (kinvolk) is a marketplace image with a purchase plan among these.
"""

from __future__ import annotations

# (publisher, offer, sku, os_type, os_name, os_version, hyper_v_generation, architecture,
#  automatic_os_upgrade_supported, plan (name, product, publisher) or None, versions oldest first)
ImageRow = tuple[str, str, str, str, str, str, str, str, bool, tuple[str, str, str] | None, tuple[str, ...]]

_UBUNTU_1604 = ("16.04.201801050", "16.04.201801090", "16.04.201802220", "16.04.202104140")
_UBUNTU_1804 = ("18.04.201804262", "18.04.202306070", "18.04.202401161")
_UBUNTU_2204 = ("22.04.202204200", "22.04.202309190", "22.04.202404090")
_UBUNTU_2404 = ("24.04.202404230", "24.04.202409120")
_DEBIAN_11 = ("0.20210814.734", "0.20230612.1409", "0.20240211.1654")
_DEBIAN_12 = ("0.20230612.1409", "0.20240211.1654")
_WIN_2012 = ("9200.24075.230107", "9200.24523.231004")
_WIN_2012R2 = ("9600.20778.230108", "9600.21620.231004")
_WIN_2016 = ("14393.5648.230112", "14393.6452.231109")
_WIN_2019 = ("17763.4010.230112", "17763.5122.231109")
_WIN_2022 = ("20348.1487.230112", "20348.2113.231109")

# fmt: off
ROWS: tuple[ImageRow, ...] = (
    # Canonical
    ("Canonical", "UbuntuServer", "16.04-LTS", "Linux", "ubuntu", "16.04", "V1", "x64", True, None, _UBUNTU_1604),
    ("Canonical", "UbuntuServer", "18.04-LTS", "Linux", "ubuntu", "18.04", "V1", "x64", True, None, _UBUNTU_1804),
    ("Canonical", "UbuntuServer", "18_04-lts-gen2", "Linux", "ubuntu", "18.04", "V2", "x64", True, None, _UBUNTU_1804),
    ("Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts", "Linux", "ubuntu", "22.04", "V1", "x64", True, None,
     _UBUNTU_2204),
    ("Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts-gen2", "Linux", "ubuntu", "22.04", "V2", "x64", True,
     None, _UBUNTU_2204),
    ("Canonical", "ubuntu-24_04-lts", "server", "Linux", "ubuntu", "24.04", "V2", "x64", True, None, _UBUNTU_2404),
    ("Canonical", "ubuntu-24_04-lts", "server-gen1", "Linux", "ubuntu", "24.04", "V1", "x64", True, None,
     _UBUNTU_2404),
    # Debian
    ("Debian", "debian-11", "11", "Linux", "debian", "11", "V1", "x64", False, None, _DEBIAN_11),
    ("Debian", "debian-11", "11-gen2", "Linux", "debian", "11", "V2", "x64", False, None, _DEBIAN_11),
    ("Debian", "debian-11", "11-backports-gen2", "Linux", "debian", "11", "V2", "x64", False, None, _DEBIAN_11),
    ("Debian", "debian-12", "12", "Linux", "debian", "12", "V1", "x64", False, None, _DEBIAN_12),
    ("Debian", "debian-12", "12-gen2", "Linux", "debian", "12", "V2", "x64", False, None, _DEBIAN_12),
    # OpenLogic / RedHat / SUSE / Microsoft Azure Linux / Flatcar
    ("OpenLogic", "CentOS", "7.5", "Linux", "centos", "7.5", "V1", "x64", True, None, ("7.5.20180815",)),
    ("OpenLogic", "CentOS", "8_5", "Linux", "centos", "8.5", "V1", "x64", False, None, ("8.5.2022012100",)),
    ("OpenLogic", "CentOS", "8_5-gen2", "Linux", "centos", "8.5", "V2", "x64", False, None, ("8.5.2022012101",)),
    ("RedHat", "RHEL", "8-lvm-gen2", "Linux", "redhat", "8.9", "V2", "x64", False, None,
     ("8.8.2023081717", "8.9.2023112310")),
    ("SUSE", "sles-15-sp3", "gen2", "Linux", "sles", "15.3", "V2", "x64", False, None,
     ("2022.03.01", "2023.09.21")),
    ("SUSE", "openSUSE-leap-15-4", "gen2", "Linux", "opensuse-leap", "15.4", "V2", "x64", False, None,
     ("2022.06.08", "2023.05.26")),
    ("microsoftazurelinux", "azurelinux-4", "4", "Linux", "azurelinux", "4.0", "V2", "x64", False, None,
     ("4.0.20260115",)),
    ("microsoftazurelinux", "azurelinux-4", "4-gen1", "Linux", "azurelinux", "4.0", "V1", "x64", False, None,
     ("4.0.20260115",)),
    ("microsoftazurelinux", "azurelinux-4", "4-arm64", "Linux", "azurelinux", "4.0", "V2", "Arm64", False, None,
     ("4.0.20260115",)),
    ("kinvolk", "flatcar-container-linux-free", "stable-gen2", "Linux", "flatcar", "3815.2.0", "V2", "x64", False,
     ("stable-gen2", "flatcar-container-linux-free", "kinvolk"), ("3815.2.0", "3815.2.5")),
    # MicrosoftWindowsServer
    ("MicrosoftWindowsServer", "WindowsServer", "2012-Datacenter", "Windows", "Windows Server 2012 Datacenter",
     "6.2.9200", "V1", "x64", True, None, _WIN_2012),
    ("MicrosoftWindowsServer", "WindowsServer", "2012-R2-Datacenter", "Windows", "Windows Server 2012 R2 Datacenter",
     "6.3.9600", "V1", "x64", True, None, _WIN_2012R2),
    ("MicrosoftWindowsServer", "WindowsServer", "2016-Datacenter", "Windows", "Windows Server 2016 Datacenter",
     "10.0.14393", "V1", "x64", True, None, _WIN_2016),
    ("MicrosoftWindowsServer", "WindowsServer", "2016-datacenter-gensecond", "Windows",
     "Windows Server 2016 Datacenter", "10.0.14393", "V2", "x64", True, None, _WIN_2016),
    ("MicrosoftWindowsServer", "WindowsServer", "2019-Datacenter", "Windows", "Windows Server 2019 Datacenter",
     "10.0.17763", "V1", "x64", True, None, _WIN_2019),
    ("MicrosoftWindowsServer", "WindowsServer", "2019-datacenter-gensecond", "Windows",
     "Windows Server 2019 Datacenter", "10.0.17763", "V2", "x64", True, None, _WIN_2019),
    ("MicrosoftWindowsServer", "WindowsServer", "2022-datacenter", "Windows", "Windows Server 2022 Datacenter",
     "10.0.20348", "V1", "x64", True, None, _WIN_2022),
    ("MicrosoftWindowsServer", "WindowsServer", "2022-datacenter-g2", "Windows", "Windows Server 2022 Datacenter",
     "10.0.20348", "V2", "x64", True, None, _WIN_2022),
    ("MicrosoftWindowsServer", "WindowsServer", "2022-datacenter-azure-edition", "Windows",
     "Windows Server 2022 Datacenter: Azure Edition", "10.0.20348", "V2", "x64", True, None, _WIN_2022),
    ("MicrosoftWindowsServer", "WindowsServer", "2022-datacenter-azure-edition-core", "Windows",
     "Windows Server 2022 Datacenter: Azure Edition", "10.0.20348", "V2", "x64", True, None, _WIN_2022),
)
# fmt: on

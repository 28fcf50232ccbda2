"""vmss-emulator: a local emulator of Azure Resource Manager for VM Scale Sets and their networking."""

from vmss_emulator.app import Emulator, create_emulator
from vmss_emulator.settings import Settings

__version__ = "0.1.0"
__all__ = ["Emulator", "Settings", "__version__", "create_emulator"]

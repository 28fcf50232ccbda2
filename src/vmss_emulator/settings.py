"""How an emulator instance is configured: where its state lives and who may call it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from vmss_emulator.domain.context import CloudSettings

DEFAULT_PORT = 8443


def default_data_dir() -> Path:
    env = os.environ.get("VMSS_EMULATOR_DATA_DIR")
    if env:
        return Path(env)
    return Path.home() / ".vmss-emulator"


@dataclass
class Settings:
    data_dir: Path = field(default_factory=default_data_dir)
    in_memory: bool = False
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    cloud: CloudSettings = field(default_factory=CloudSettings)

    @property
    def certs_dir(self) -> Path:
        return self.data_dir / "certs"

    @property
    def database(self) -> Path:
        return self.data_dir / "state.db"

    @property
    def signing_key(self) -> Path:
        return self.data_dir / "keys" / "token-signing.pem"

    def base_url(self, host: str | None = None) -> str:
        return f"https://{host or self.host}:{self.port}"

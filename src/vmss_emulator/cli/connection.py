"""What clients need to reach an emulator: its URL, CA files and service principal.

`serve` records its identity in DIR/emulator.json so that `env` and `az-login` (run later, maybe
from another shell) print exactly what the running server accepts.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from vmss_emulator.certs import ensure_certificates
from vmss_emulator.domain.context import CloudSettings
from vmss_emulator.settings import Settings

STATE_FILE = "emulator.json"


def save_identity(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    payload = {"port": settings.port, "host": settings.host, "cloud": asdict(settings.cloud)}
    (settings.data_dir / STATE_FILE).write_text(json.dumps(payload, indent=2))


def load_settings(data_dir: Path, port: int | None = None, **overrides: Any) -> Settings:
    """Settings as the server in `data_dir` runs them, with command-line overrides on top."""
    settings = Settings(data_dir=data_dir)
    state_file = data_dir / STATE_FILE
    if state_file.exists():
        saved = json.loads(state_file.read_text())
        settings.port = int(saved.get("port", settings.port))
        settings.host = saved.get("host", settings.host)
        known = {k: v for k, v in saved.get("cloud", {}).items() if k in CloudSettings.__dataclass_fields__}
        settings.cloud = CloudSettings(**known)
    if port is not None:
        settings.port = port
    cloud_overrides = {k: v for k, v in overrides.items() if v is not None}
    if cloud_overrides:
        settings.cloud = replace(settings.cloud, **cloud_overrides)
    return settings


@dataclass(frozen=True)
class Connection:
    base_url: str
    ca_cert: str
    ca_bundle: str
    tenant_id: str
    subscription_id: str
    client_id: str
    client_secret: str
    authority_host: str

    @classmethod
    def of(cls, settings: Settings) -> Connection:
        certs = ensure_certificates(settings.certs_dir)
        base = settings.base_url()
        cloud = settings.cloud
        return cls(
            base_url=base,
            ca_cert=str(certs.ca),
            ca_bundle=str(certs.bundle),
            tenant_id=cloud.tenant_id,
            subscription_id=cloud.subscription_id,
            client_id=cloud.client_id,
            client_secret=cloud.client_secret,
            authority_host=base,
        )

    def env(self) -> dict[str, str]:
        return {
            "AZURE_TENANT_ID": self.tenant_id,
            "AZURE_CLIENT_ID": self.client_id,
            "AZURE_CLIENT_SECRET": self.client_secret,
            "AZURE_SUBSCRIPTION_ID": self.subscription_id,
            "AZURE_AUTHORITY_HOST": self.authority_host,
            "REQUESTS_CA_BUNDLE": self.ca_bundle,
            "AZURE_CORE_INSTANCE_DISCOVERY": "false",
            "VMSS_EMULATOR_BASE_URL": self.base_url,
        }

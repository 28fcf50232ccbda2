"""The console script as users run it: env output matches what the server accepts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vmss_emulator", *args], capture_output=True, text=True, check=True)


def test_env_prints_exports_and_json_with_the_contract_keys(tmp_path: Path) -> None:
    exports = _cli("env", "--data-dir", str(tmp_path), "--port", "9443").stdout
    assert "export AZURE_AUTHORITY_HOST=https://127.0.0.1:9443" in exports
    assert f"export REQUESTS_CA_BUNDLE={tmp_path}/certs/bundle.pem" in exports
    assert "export AZURE_CORE_INSTANCE_DISCOVERY=false" in exports
    data = json.loads(_cli("env", "--data-dir", str(tmp_path), "--port", "9443", "--json").stdout)
    assert set(data) == {
        "base_url", "ca_cert", "ca_bundle", "tenant_id", "subscription_id", "client_id", "client_secret",
        "authority_host",
    }  # fmt: skip
    assert data["base_url"] == "https://127.0.0.1:9443"
    ca = Path(data["ca_cert"]).read_text()
    bundle = Path(data["ca_bundle"]).read_text()
    assert ca in bundle and len(bundle) > len(ca)


def test_certificates_are_created_once_and_kept(tmp_path: Path) -> None:
    _cli("env", "--data-dir", str(tmp_path))
    first = (tmp_path / "certs" / "ca.pem").read_bytes()
    _cli("env", "--data-dir", str(tmp_path))
    assert (tmp_path / "certs" / "ca.pem").read_bytes() == first

"""State survives a SIGKILL, and an operation that was in progress completes after the restart."""

from __future__ import annotations

import json
import os
import signal
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx

from vmss_emulator.testing.server import free_port

API = "api-version=2024-05-01"


def _start(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "vmss_emulator",
            "serve",
            "--data-dir",
            str(data_dir),
            "--port",
            str(port),
            "--lifecycle",
            "realistic",
            "--time-scale",
            "2",
        ],  # fmt: skip
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(
                f"https://127.0.0.1:{port}/metadata/endpoints",
                verify=ssl.create_default_context(cafile=str(data_dir / "certs" / "ca.pem")),
            )
            return process
        except (httpx.HTTPError, OSError):
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("emulator did not start")


def _token(base: str, ca: ssl.SSLContext, identity: dict[str, str]) -> str:
    reply = httpx.post(
        f"{base}/{identity['tenant_id']}/oauth2/v2.0/token",
        data={
            "grant_type": "client_credentials",
            "client_id": identity["client_id"],
            "client_secret": identity["client_secret"],
            "scope": f"{base}/.default",
        },
        verify=ca,
    )
    reply.raise_for_status()
    return str(reply.json()["access_token"])


def test_state_and_an_unfinished_operation_survive_sigkill(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    port = free_port()
    base = f"https://127.0.0.1:{port}"
    process = _start(data_dir, port)
    ca = ssl.create_default_context(cafile=str(data_dir / "certs" / "ca.pem"))
    try:
        identity = json.loads((data_dir / "emulator.json").read_text())["cloud"]
        sub = identity["subscription_id"]
        headers = {"Authorization": f"Bearer {_token(base, ca, identity)}"}
        rg = f"{base}/subscriptions/{sub}/resourcegroups/survivor?api-version=2024-11-01"
        assert httpx.put(rg, json={"location": "eastus"}, headers=headers, verify=ca).status_code == 201
        asg = f"{base}/subscriptions/{sub}/resourceGroups/survivor/providers/Microsoft.Network"
        asg += f"/applicationSecurityGroups/a1?{API}"
        created = httpx.put(asg, json={"location": "eastus"}, headers=headers, verify=ca)
        assert created.status_code == 201
        assert created.json()["properties"]["provisioningState"] == "Updating"
        status_url = created.headers["Azure-AsyncOperation"]
        assert httpx.get(status_url, headers=headers, verify=ca).json()["status"] == "InProgress"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()

    process = _start(data_dir, port)
    try:
        # The token issued before the crash is still valid: the signing key is kept in the data dir.
        assert httpx.get(rg, headers=headers, verify=ca).json()["name"] == "survivor"
        deadline = time.monotonic() + 30
        status = "InProgress"
        while status == "InProgress" and time.monotonic() < deadline:
            status = httpx.get(status_url, headers=headers, verify=ca).json()["status"]
            time.sleep(0.2)
        assert status == "Succeeded"
        assert httpx.get(asg, headers=headers, verify=ca).json()["properties"]["provisioningState"] == "Succeeded"
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)

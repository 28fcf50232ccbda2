"""Prepare an Azure CLI config folder that talks only to the emulator, using the real `az`."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from vmss_emulator.cli.connection import Connection

CLOUD_NAME = "VmssEmulator"


class AzLoginError(RuntimeError):
    pass


def az_environment(connection: Connection, config_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "AZURE_CONFIG_DIR": str(config_dir),
            "REQUESTS_CA_BUNDLE": connection.ca_bundle,
            "AZURE_CORE_INSTANCE_DISCOVERY": "false",
            "AZURE_CORE_COLLECT_TELEMETRY": "false",
            "AZURE_CORE_SURVEY_MESSAGE": "false",
            "AZURE_CORE_NO_COLOR": "true",
            "AZURE_CORE_ONLY_SHOW_ERRORS": "false",
        }
    )
    # Variables that would make az (or azure-identity inside it) look elsewhere.
    for name in ("AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_TENANT_ID", "AZURE_AUTHORITY_HOST"):
        env.pop(name, None)
    return env


def _run(az: str, args: Sequence[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([az, *args], env=env, capture_output=True, text=True, timeout=300, check=False)


def az_login(connection: Connection, config_dir: Path, az: str | None = None) -> str:
    """Register the emulator as a cloud, select it and log in with its service principal (real `az login`)."""
    executable = az or shutil.which("az")
    if executable is None:
        raise AzLoginError("the Azure CLI ('az') was not found on PATH; pass --az PATH")
    config_dir.mkdir(parents=True, exist_ok=True)
    env = az_environment(connection, config_dir)
    steps: list[list[str]] = [
        ["config", "set", "core.instance_discovery=false", "core.collect_telemetry=false", "--only-show-errors"],
        ["cloud", "set", "-n", "AzureCloud", "--only-show-errors"],
        ["cloud", "unregister", "-n", CLOUD_NAME, "--only-show-errors"],
        ["cloud", "register", "-n", CLOUD_NAME, "--endpoint-resource-manager", connection.base_url + "/"],
        ["cloud", "set", "-n", CLOUD_NAME],
        [
            "login",
            "--service-principal",
            "-u",
            connection.client_id,
            "-p",
            connection.client_secret,
            "--tenant",
            connection.tenant_id,
            "--output",
            "none",
        ],
        ["account", "set", "--subscription", connection.subscription_id],
    ]
    for step in steps:
        result = _run(executable, step, env)
        # Unregistering a cloud that was never registered is fine on a fresh config folder.
        if result.returncode != 0 and step[:2] not in (["cloud", "unregister"],):
            raise AzLoginError(f"az {' '.join(step[:2])} failed ({result.returncode}):\n{result.stderr.strip()}")
    return executable

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from vmss_emulator.cli.azlogin import az_environment, az_login
from vmss_emulator.cli.connection import Connection
from vmss_emulator.testing.server import RunningServer, start_server

REPO = Path(__file__).resolve().parents[1]


def find_az() -> str:
    """The az the test command installed (.venv-az or the cache it points to), else az on PATH."""
    candidates = [os.environ.get("VMSS_EMULATOR_AZ"), str(REPO / ".venv-az" / "bin" / "az"), shutil.which("az")]
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            return candidate
    raise RuntimeError(
        "The Azure CLI was not found. Run the README's test command (./run test), which installs it, "
        "or set VMSS_EMULATOR_AZ to an az executable."
    )


@dataclass
class AzResult:
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout) if self.stdout.strip() else None


@dataclass
class Az:
    executable: str
    env: dict[str, str]
    server: RunningServer

    def run(self, *args: str, check: bool = True) -> AzResult:
        completed = subprocess.run(
            [self.executable, *args, "--only-show-errors"],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        result = AzResult(completed.returncode, completed.stdout, completed.stderr)
        if check and completed.returncode != 0:
            raise AssertionError(f"az {' '.join(args)} failed ({completed.returncode}):\n{completed.stderr}")
        return result

    def __call__(self, *args: str) -> Any:
        return self.run(*args, "-o", "json").json()


@pytest.fixture(scope="session")
def az_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    server = start_server(tmp_path_factory.mktemp("az-emulator"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def az(az_server: RunningServer, tmp_path_factory: pytest.TempPathFactory) -> Az:
    """The real Azure CLI, logged in to a session-wide HTTPS emulator with `vmss-emulator az-login`."""
    executable = find_az()
    connection = Connection.of(az_server.settings)
    config_dir = tmp_path_factory.mktemp("azure-config")
    az_login(connection, config_dir, executable)
    env = az_environment(connection, config_dir)
    home = tmp_path_factory.mktemp("home")
    env["HOME"] = str(home)  # az vmss create --generate-ssh-keys writes under ~/.ssh
    return Az(executable=executable, env=env, server=az_server)

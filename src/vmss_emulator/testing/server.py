"""Run a real HTTPS emulator in a background thread, for clients that need a socket (az, azure-identity)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn

from vmss_emulator.app import Emulator, create_emulator
from vmss_emulator.certs import CertPaths, ensure_certificates
from vmss_emulator.settings import Settings


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningServer:
    emulator: Emulator
    settings: Settings
    certs: CertPaths
    _server: Any = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    @property
    def base_url(self) -> str:
        return self.settings.base_url()

    def env(self) -> dict[str, str]:
        """Environment variables that point azure-identity, the SDK and az at this emulator."""
        cloud = self.settings.cloud
        return {
            "AZURE_TENANT_ID": cloud.tenant_id,
            "AZURE_CLIENT_ID": cloud.client_id,
            "AZURE_CLIENT_SECRET": cloud.client_secret,
            "AZURE_SUBSCRIPTION_ID": cloud.subscription_id,
            "AZURE_AUTHORITY_HOST": self.base_url,
            "REQUESTS_CA_BUNDLE": str(self.certs.bundle),
            "AZURE_CORE_INSTANCE_DISCOVERY": "false",
            "AZURE_CORE_COLLECT_TELEMETRY": "false",
        }

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)
        if not self._thread.is_alive():
            self.emulator.close()


def start_server(data_dir: Path, *, in_memory: bool = True, port: int | None = None) -> RunningServer:
    settings = Settings(data_dir=data_dir, in_memory=in_memory, port=port or free_port())
    certs = ensure_certificates(settings.certs_dir)
    emulator = create_emulator(settings)
    config = uvicorn.Config(
        emulator.asgi(),
        host=settings.host,
        port=settings.port,
        ssl_certfile=str(certs.server),
        ssl_keyfile=str(certs.server_key),
        log_level="warning",
        lifespan="on",
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)

    def run() -> None:
        asyncio.run(server.serve())

    thread = threading.Thread(target=run, name="vmss-emulator", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the emulator did not start")
        time.sleep(0.02)
    return RunningServer(emulator=emulator, settings=settings, certs=certs, _server=server, _thread=thread)

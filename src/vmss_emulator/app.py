"""Composition root: the only module that wires every layer together."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from vmss_emulator._utils.clock import Clock, FakeClock, SystemClock
from vmss_emulator.domain import lifecycle, resourcegroups
from vmss_emulator.domain.context import CloudSettings, Context
from vmss_emulator.domain.identity import TokenIssuer, generate_signing_key
from vmss_emulator.domain.operations import OperationService
from vmss_emulator.domain.registry import Registry
from vmss_emulator.engines.loop import Engine
from vmss_emulator.server.asgi import ArmApp
from vmss_emulator.server.dispatch import Dispatcher
from vmss_emulator.settings import Settings
from vmss_emulator.store import SQLiteStore

log = logging.getLogger("vmss_emulator")


def _signing_key(path: Path | None) -> bytes:
    if path is None:
        return generate_signing_key()
    if path.exists():
        return path.read_bytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = generate_signing_key()
    path.write_bytes(key)
    path.chmod(0o600)
    return key


def register_domains(ctx: Context) -> None:
    """Every modelled resource provider adds its types and operation workers here."""
    from vmss_emulator.domain import deployments, network

    resourcegroups.register(ctx.ops())
    network.register(ctx)
    deployments.register(ctx)
    try:
        from vmss_emulator.domain import compute
    except ImportError:  # pragma: no cover - compute arrives in its own change
        return
    if hasattr(compute, "register"):
        compute.register(ctx)


@dataclass
class Emulator:
    ctx: Context
    issuer: TokenIssuer
    dispatcher: Dispatcher
    engine: Engine

    def asgi(self) -> ArmApp:
        async def lifespan() -> Callable[[], Awaitable[None]]:
            await self.engine.start()
            return self.engine.stop

        return ArmApp(self.dispatcher, lifespan)

    def settle(self, max_steps: int = 100_000) -> int:
        """Run every operation step that is due now (tests and the in-process transport use this)."""
        return self.ctx.ops().advance_due(max_steps=max_steps)

    def advance(self, seconds: float) -> int:
        """Move a FakeClock forward in small hops, settling due work at each hop."""
        clock = self.ctx.clock
        if not isinstance(clock, FakeClock):
            raise TypeError("advance() needs an emulator built with a FakeClock")
        steps = self.settle()
        remaining = seconds
        while remaining > 0:
            next_due = self.ctx.store.next_due_at()
            hop = remaining if next_due is None else min(remaining, max(next_due - clock.now(), 0.001))
            clock.advance(hop)
            remaining -= hop
            steps += self.settle()
        return steps

    def close(self) -> None:
        self.ctx.store.close()


def create_emulator(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    cloud: CloudSettings | None = None,
    in_memory: bool | None = None,
) -> Emulator:
    settings = settings or Settings()
    memory = settings.in_memory if in_memory is None else in_memory
    if memory:
        store = SQLiteStore(":memory:")
    else:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        store = SQLiteStore(settings.database)
    cloud_settings = cloud or settings.cloud
    ctx = Context(store=store, settings=cloud_settings, clock=clock or SystemClock())
    ctx.base_url = settings.base_url()
    ctx.registry = Registry()
    ctx.operations = OperationService(ctx)
    profile = lifecycle.scaled(lifecycle.PROFILES[cloud_settings.lifecycle_profile], cloud_settings.time_scale)
    ctx.services["delay"] = lambda transition, seed=0: lifecycle.delay(profile, transition, seed)
    register_domains(ctx)
    # Tokens live in real time, as the clients that cache them do: a fake clock stepped hours ahead to
    # simulate an upgrade must not expire the SDK's cached token.
    issuer = TokenIssuer(cloud_settings, SystemClock(), _signing_key(settings.signing_key))
    ctx.services["issuer"] = issuer
    return Emulator(ctx=ctx, issuer=issuer, dispatcher=Dispatcher(ctx, issuer), engine=Engine(ctx))

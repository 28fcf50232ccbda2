"""The reconcile loop: advances every due operation, on the server's event loop.

All domain code runs on one thread, so the loop simply calls the operation service between
requests. It sleeps until the next operation is due (at most `max_sleep`), so an idle emulator
costs nothing and a killed one resumes whatever was due when it comes back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from vmss_emulator.domain.context import Context

log = logging.getLogger("vmss_emulator.engine")


class Engine:
    def __init__(self, ctx: Context, *, max_sleep: float = 0.25) -> None:
        self.ctx = ctx
        self.max_sleep = max_sleep
        self._task: asyncio.Task[None] | None = None

    def run_due(self) -> int:
        """Advance everything due now; returns the number of steps taken."""
        return self.ctx.ops().advance_due()

    async def run_forever(self) -> None:
        while True:
            delay = self.max_sleep
            try:
                self.run_due()
                next_due = self.ctx.store.next_due_at()
                if next_due is not None:
                    delay = min(self.max_sleep, max(0.0, next_due - self.ctx.now()))
            except Exception:  # never let one bad step stop the loop
                log.exception("engine step failed")
            await asyncio.sleep(max(delay, 0.01))

    async def start(self) -> None:
        self._task = asyncio.create_task(self.run_forever())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

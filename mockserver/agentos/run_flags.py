"""Runs in flight and their cancellation, shared by every worker: a cancel request may reach
another worker than the one streaming the run, so both go through the store (in memory for one
process, on Redis for several: ``redis_run_flags``). No web imports.
"""

from __future__ import annotations

from typing import Protocol


class RunFlags(Protocol):
    async def start(self, run_id: str) -> None:
        """The run is in flight."""

    async def cancel(self, run_id: str) -> bool:
        """Ask the run to stop; False when it is not in flight (unknown, or over)."""

    async def cancelled(self, run_id: str) -> bool:
        """Whether the run was asked to stop."""

    async def finish(self, run_id: str) -> None:
        """The run is over, whatever its end."""


class InMemoryRunFlags:
    def __init__(self) -> None:
        self.live: dict[str, bool] = {}  # run id -> asked to stop

    async def start(self, run_id: str) -> None:
        self.live[run_id] = False

    async def cancel(self, run_id: str) -> bool:
        if run_id not in self.live:
            return False
        self.live[run_id] = True
        return True

    async def cancelled(self, run_id: str) -> bool:
        return self.live.get(run_id, False)

    async def finish(self, run_id: str) -> None:
        self.live.pop(run_id, None)

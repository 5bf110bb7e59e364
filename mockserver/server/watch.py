"""``--watch``: reload the fixtures when a file in their directory changes, keeping the server up.

The directory is polled (no extra dependency, no native watcher): when the set of fixture files or
any file's modification time or size changes, every file is read and validated again. A good set
replaces the state; a bad one is logged, naming file and field, and the previous state is kept.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from mockserver.core.fixture_files import fixture_paths
from mockserver.errors import FixtureError

logger = logging.getLogger("mockserver")
POLL_SECONDS = 0.5


def snapshot(directory: Path) -> dict[str, tuple[int, int]]:
    """Name -> (modification time, size) of each fixture file; empty if the directory is gone."""
    try:
        return {p.name: (p.stat().st_mtime_ns, p.stat().st_size) for p in fixture_paths(directory)}
    except OSError:
        return {}


class FixtureWatcher:
    def __init__(self, directory: Path, reload: Callable[[], Awaitable[str]]) -> None:
        """``reload``: the state's; it reads the fixtures again, raising ``FixtureError`` when they
        are bad (the state is kept then)."""
        self.directory = directory
        self.reload = reload
        self.seen: Mapping[str, tuple[int, int]] = snapshot(directory)

    async def check(self) -> bool:
        """Reload if anything changed since the last look; True when the state was replaced."""
        current = snapshot(self.directory)
        if current == self.seen:
            return False
        self.seen = current
        try:
            loaded = await self.reload()
        except FixtureError as exc:
            logger.error("fixtures changed but were not reloaded; the previous state is kept:\n  %s", exc)
            return False
        logger.warning("fixtures reloaded from %s: %s", self.directory, loaded)
        return True

    async def run(self) -> None:
        while True:
            await asyncio.sleep(POLL_SECONDS)
            await self.check()


def watching(watcher: FixtureWatcher) -> Any:
    """A lifespan that runs ``watcher`` while the server is up."""

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        task = asyncio.create_task(watcher.run())
        try:
            yield
        finally:
            task.cancel()

    return lifespan

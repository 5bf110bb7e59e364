"""``State``: everything a running mock holds, behind one object: the request journal, the engine's
collections and the profile's state (its sessions, for AgentOS), in memory or on Redis. One
``prepare`` before serving, one ``reset`` for the admin API and test fixtures, one ``reload`` for
``--watch``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from mockserver.config import Config
from mockserver.engine import Engine
from mockserver.profile import ProfileState
from mockserver.stores import Stores, prepare


@dataclass
class State:
    stores: Stores
    engine: Engine
    profile: ProfileState | None

    async def reset(self) -> dict[str, int]:
        """Put every collection and the profile's state back to the fixtures; what they hold."""
        counts = {"items": await self.engine.reset()}
        if self.profile is not None:
            counts.update(await self.profile.reset())
        return counts

    async def reload(self) -> str:
        """Read the profile's fixtures again and reset to them (``FixtureError`` when they are bad:
        nothing changes then); what was loaded."""
        loaded = await self.profile.reload() if self.profile is not None else "no profile fixtures"
        items = await self.engine.reset()
        return f"{loaded}, {items} collection items"

    def prepare(self, config: Config) -> str:
        """Reach the store and load the fixtures where it holds no state yet (or always, with
        ``reset_on_start``), before serving; what happened, for the banner. ``ConfigError`` naming
        the URL when the store cannot be reached."""
        loads = [self.engine.reset, *([self.profile.load] if self.profile is not None else [])]
        return asyncio.run(prepare(self.stores, config, loads))

    def drop(self) -> None:
        """Remove this mock's state from a shared store (a test session's own prefix)."""
        namespace = self.stores.namespace
        if namespace is not None:
            async def dropped() -> None:
                try:
                    await namespace.drop()
                finally:
                    await namespace.close()

            asyncio.run(dropped())

"""How much the in-memory stores may hold: ``Bounds``, shared by a mock's session store and its
engine's item store.

Two limits (``--max-items``, ``--max-store-bytes``): the items one collection holds (the sessions
of one database; the items of one collection under one scope), and the bytes of everything held,
sessions and items together. A record or an item is measured once, as it is written, by the length
of its JSON: cheap, and proportional to what it takes in memory (a few times more). A write past
either limit raises ``StoreFull`` (a 507) before it changes anything; a delete or a reset frees the
room. Fixtures always load, and count.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

from mockserver.config import Config
from mockserver.errors import StoreFull


def json_size(value: Any) -> int:
    """The length of ``value`` as JSON (integers past 64 bits, which orjson refuses, included)."""
    try:
        return len(orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS))
    except TypeError:
        return len(json.dumps(value, separators=(",", ":"), default=str))


class Bounds:
    def __init__(self, max_items: int = Config.max_items, max_bytes: int = Config.max_store_bytes) -> None:
        self.max_items = max_items
        self.max_bytes = max_bytes
        self.used = 0  # bytes held by every store sharing these bounds

    def check_room(self, held: int, where: str) -> None:
        """Refuse a new item in a collection (``where``) that holds ``held`` items."""
        if held >= self.max_items:
            raise StoreFull(f"The mock's store is full: {where} holds {held} items, the most --max-items "
                            "allows; delete some or reset the mock")

    def check_growth(self, growth: int) -> None:
        """Refuse a write that adds ``growth`` bytes past the bound (a write that shrinks is fine)."""
        if growth > 0 and self.used + growth > self.max_bytes:
            raise StoreFull(f"The mock's store is full: this write would take it past {self.max_bytes} bytes "
                            "of JSON, the most --max-store-bytes allows; delete something or reset the mock")

    def take(self, growth: int) -> None:
        """Count ``growth`` bytes (negative: freed)."""
        self.used += growth

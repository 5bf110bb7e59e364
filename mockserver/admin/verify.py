"""``POST /__mockserver/verify``: whether the journal holds the requests an expectation describes.

An expectation is the journal's filters (``admin.filters``) and how many entries must match them:
``count`` exactly, ``at_least``, ``at_most``, all that are given (at least one when none is); bounds
no number meets make an expectation that never holds. When it does not
hold, the answer (``ExpectationFailed``, a 409) names the closest entries and what differed in
each: the nearest entries that do not match when too few did, the matching ones when too many did.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mockserver.admin.filters import Filters
from mockserver.errors import ExpectationFailed

CLOSEST = 3  # entries shown when an expectation does not hold


@dataclass(frozen=True)
class Expectation:
    filters: Filters
    at_least: int
    at_most: int | None

    @classmethod
    def read(cls, body: Mapping[str, Any]) -> Expectation:
        """Every bound given holds together (``count`` is both); none given: at least one."""
        count, at_least, at_most = (None if body.get(name) is None else int(body[name])  # 2.0 is 2
                                    for name in ("count", "at_least", "at_most"))
        lows = [bound for bound in (count, at_least) if bound is not None]
        highs = [bound for bound in (count, at_most) if bound is not None]
        lowest = max(lows) if lows else 0 if highs else 1
        return cls(Filters.read(body, "/body", body_as_text=False), lowest, min(highs) if highs else None)

    def expected(self) -> str:
        """How many entries should match, in words: ``exactly 1``, ``at least 1``, ``between 1 and 3``."""
        if self.at_most is None:
            return f"at least {self.at_least}"
        if self.at_least == self.at_most:
            return f"exactly {self.at_least}"
        if self.at_least > self.at_most:
            return f"at least {self.at_least} and at most {self.at_most} (which no number is)"
        if self.at_least == 0:
            return f"at most {self.at_most}"
        return f"between {self.at_least} and {self.at_most}"

    def holds(self, matched: int) -> bool:
        return matched >= self.at_least and (self.at_most is None or matched <= self.at_most)


def verified(expectation: Expectation, entries: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The answer when ``expectation`` holds over ``entries`` (the journal, oldest first);
    ``ExpectationFailed`` naming the closest entries when it does not."""
    measured = [(expectation.filters.differences(entry), index, entry) for index, entry in enumerate(entries)]
    matching = [entry for differences, _, entry in measured if not differences]
    if expectation.holds(len(matching)):
        return {"matched": len(matching), "entries": matching}
    closest: list[dict[str, Any]]
    if expectation.at_most is not None and len(matching) > expectation.at_most:  # too many: the matching
        closest = [{"entry": entry, "differences": []} for entry in matching[-CLOSEST:]]
    else:  # fewest differences first, the newest first among equals
        others = sorted((m for m in measured if m[0]), key=lambda m: (len(m[0]), -m[1]))
        closest = [{"entry": entry, "differences": differences} for differences, _, entry in others[:CLOSEST]]
    wanted = expectation.expected()
    noun = "request" if expectation.at_least == 1 and expectation.at_most in (1, None) else "requests"
    raise ExpectationFailed(
        f"Expected {wanted} matching {noun}, found {len(matching)} among the {len(entries)} in the journal",
        fields={"matched": len(matching), "expected": wanted, "closest": closest})

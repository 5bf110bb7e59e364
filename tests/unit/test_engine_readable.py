"""``engine.readable``: what a draw narrowed open leaves unreadable is tidied away."""

from __future__ import annotations

from mockserver.engine.readable import tidy


def test_members_whose_names_are_no_names_are_dropped_at_any_depth() -> None:
    drawn = {"id": "1", "J": {"Ð\x8c/º": 1.8e16, "ok": [{"\x16f": None, "name": "n"}]}, "": 2, "@odata.type": "x"}
    assert tidy(drawn) == {"id": "1", "J": {"ok": [{"name": "n"}]}, "@odata.type": "x"}


def test_values_without_members_are_kept_as_they_are() -> None:
    assert tidy([1, "Ð\x8c", None, True]) == [1, "Ð\x8c", None, True]

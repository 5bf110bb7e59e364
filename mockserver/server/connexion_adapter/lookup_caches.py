"""Lookups by media type Connexion 3.3 repeats on every request, remembered: which range of a
``MediaTypeDict`` answers a media type, and an operation's body definition per media type. Media
types come from requests, so each table is bounded (``CACHED_MEDIA_TYPES``); past it, lookups are
computed again."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from connexion.datastructures import MediaTypeDict

if TYPE_CHECKING:
    from connexion.operations.openapi import OpenAPIOperation

    # What CachedBodyDefinitions is mixed into, so that mypy knows its super().body_definition.
    _Operation = OpenAPIOperation
else:
    _Operation = object

K = TypeVar("K")
V = TypeVar("V")
CACHED_MEDIA_TYPES = 32  # per lookup table: media types come from requests, so the cache is bounded


class BoundedCache(dict[K, V]):
    """A dict that stops taking entries at ``CACHED_MEDIA_TYPES``; lookups past that recompute."""

    def remember(self, key: K, value: V) -> V:
        if len(self) < CACHED_MEDIA_TYPES:
            self[key] = value
        return value


class CachedMediaTypeDict(MediaTypeDict):
    """``MediaTypeDict`` remembering which range answers a media type (it sorts and fnmatches
    every key on every lookup)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._answers: BoundedCache[str, Any] = BoundedCache()

    def __getitem__(self, item: str) -> Any:
        try:
            return self._answers[item]
        except KeyError:
            # Connexion leaves MediaTypeDict.__getitem__ unannotated.
            return self._answers.remember(item, super().__getitem__(item))  # type: ignore[no-untyped-call]


class CachedBodyDefinitions(_Operation):
    """Mixin for an ``OpenAPIOperation``: ``body_definition`` remembered per media type."""

    def body_definition(self, content_type: str | None = None) -> dict[str, Any]:
        cache: BoundedCache[str | None, dict[str, Any]] | None = self.__dict__.get("_body_definitions")
        if cache is None:  # not setdefault: that would build a cache on every call
            cache = self.__dict__["_body_definitions"] = BoundedCache()
        try:
            return cache[content_type]
        except KeyError:
            return cache.remember(content_type, super().body_definition(content_type))

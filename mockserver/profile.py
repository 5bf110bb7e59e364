"""The one door a profile comes in by: an API whose operations get dedicated behaviour on top of
the generic mock (``mockserver.agentos`` is one).

A ``Profile`` says which operations of the served documents it claims, by their method, path and
schemas, and starts a ``ProfileState`` over the mock's stores: its handlers, its fixtures, its
admin document, its banner lines. Everything else (routing, validation, the engine for every
unclaimed operation, errors, the journal, the admin API) is the generic mock's.

Profiles are found through the ``mockserver.profiles`` entry points (``pyproject.toml``), so the
generic layers import none: ``--profile NAME`` picks one, ``none`` switches them off, and by
default the first that claims an operation of the documents is used (``choose_profile``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any, Protocol

from mockserver.config import Config
from mockserver.core.conformance import AnswerCheck
from mockserver.core.fixture_files import FixtureFile
from mockserver.core.spec import Spec
from mockserver.errors import ConfigError
from mockserver.stores import Stores

ENTRY_POINTS = "mockserver.profiles"


class RecordedFiles(Protocol):
    """The fixture files ``proxy --record`` writes: one by its name, made on first use."""

    def file(self, name: str, header: dict[str, Any], entries_key: str) -> FixtureFile: ...


class RecordRules(Protocol):
    """A profile's part of ``proxy --record``: the answers to its operations, kept as its fixtures."""

    def wants(self, key: str) -> bool: ...

    def prepare(self, files: RecordedFiles) -> None:
        """Write what a loadable directory needs before any answer is seen."""

    def apply(self, files: RecordedFiles, key: str, path: str, query: Mapping[str, str], request: bytes,
              body: Any) -> FixtureFile | None:
        """Keep what a 2xx answer (``body``, parsed) shows; the file it changed, if any."""


class ProfileState(Protocol):
    """A profile's part of a running mock."""

    admin_document: Path | None  # its own admin operations (under /__mockserver/), if any

    def handler(self, key: str) -> Callable[..., Any]:
        """The handler of a claimed operation or of an operation of ``admin_document``."""

    async def load(self) -> None:
        """Put its fixtures into a shared store (``prepare``; the memory store starts with them)."""

    async def reset(self) -> dict[str, int]:
        """Put its state back to its fixtures; what they hold, by kind (``{"sessions": 13}``)."""

    async def reload(self) -> str:
        """``--watch``: read its fixtures again and reset to them; what was loaded, for the log
        (``FixtureError`` naming file and field when they are bad: the state is kept)."""

    def banner_lines(self, url: str) -> list[str]: ...

    def contract_pins(self) -> Sequence[Any]:
        """What a contract run against this mock pins (``contract.runner.Pin``s)."""


class Profile(Protocol):
    name: str
    credentials_optional: bool  # its server takes any token or none without a security key

    def claims(self, spec: Spec) -> frozenset[str]:
        """The keys of the operations of ``spec`` it serves (empty: it does not apply)."""

    def error_body(self, status: int, detail: str) -> Any:
        """Its error body for a status an operation does not document."""

    def start(self, spec: Spec, config: Config, fixtures: Path | None, stores: Stores) -> ProfileState:
        """Its state for ``spec``, fixtures read and checked (``FixtureError`` naming file and field)."""

    def record_rules(self, claimed: frozenset[str]) -> RecordRules:
        """How ``proxy --record`` keeps the answers to the operations it claims."""

    def answer_check(self, spec: Spec) -> AnswerCheck | None:
        """Its check of a 200 beyond the documented schema (the proxy and the contract use it)."""

    def check_fixtures(self, spec: Spec, fixtures: Path) -> tuple[list[str], dict[str, int]]:
        """Every problem of its fixtures in ``fixtures`` (``FILE: WHERE: sentence``), and what was
        checked, counted (``validate``)."""

    def request_encodings(self, spec: Spec) -> Mapping[str, Sequence[str]]:
        """Operation key -> request media types its operations of ``spec`` accept beyond those
        documented (its real server's framework takes them), read with the documented schema."""

    def route_missing(self, status: int, body: bytes) -> bool:
        """Whether an answer is its real server's framework's own to a request no route takes
        (``proxy --fallback``: the operation is not implemented there), where the body would also
        fit the operation's documented error."""


@dataclass(frozen=True)
class Chosen:
    """The profile a mock runs with (None: the generic mock alone), what it claims, and why."""

    profile: Profile | None
    claimed: frozenset[str]
    why: str


def available_profiles() -> dict[str, Profile]:
    """Every installed profile, by name."""
    found: dict[str, Profile] = {}
    for entry in _profile_entry_points():
        profile = entry.load()
        found[profile.name] = profile
    return found


@functools.cache
def _profile_entry_points() -> tuple[EntryPoint, ...]:
    """The profiles' entry points, looked up once per process: the lookup reads the metadata of
    every installed distribution (tens of milliseconds), and each mock built chooses a profile."""
    return tuple(entry_points(group=ENTRY_POINTS))


def choose_profile(config: Config, spec: Spec, profiles: Sequence[Profile] | None = None) -> Chosen:
    """The profile ``config.profile`` names (``auto``: the first that claims an operation of
    ``spec``); ``ConfigError`` for an unknown name."""
    known = {profile.name: profile for profile in profiles} if profiles is not None else available_profiles()
    if config.profile == "none":
        return Chosen(None, frozenset(), "--profile none: every operation is the engine's")
    if config.profile != "auto":
        if config.profile not in known:
            raise ConfigError(f"--profile: no profile {config.profile!r} (installed: "
                              f"{', '.join(['none', *sorted(known)])})")
        profile = known[config.profile]
        return Chosen(profile, profile.claims(spec), f"--profile {profile.name}")
    for profile in known.values():
        claimed = profile.claims(spec)
        if claimed:
            why = f"detected: the documents define {len(claimed)} of its operations"
            return Chosen(profile, claimed, why)
    return Chosen(None, frozenset(), "none detected: every operation is the engine's")


__all__ = ["Chosen", "Profile", "ProfileState", "available_profiles", "choose_profile"]

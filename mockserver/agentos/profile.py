"""The AgentOS profile: agno 2.3.17's sessions API on top of the generic mock (``mockserver.profile``).

It claims the documents' session operations (``operations``), reads the session fixtures
(``fixtures``), keeps sessions in a ``SessionStore`` (in memory, or on Redis beside the engine's
items), serves them with its handlers and its admin document, answers undocumented errors in
AgentOS's ``{"detail", "error_code"}`` shape, and says what it holds in the banner.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mockserver.agentos.components import read_components
from mockserver.agentos.fixtures import FixtureSet, load_fixtures, scan_fixtures
from mockserver.agentos.handlers import HANDLERS, HandlerContext, bind
from mockserver.agentos.memory_session_store import InMemorySessionStore
from mockserver.agentos.model import SessionModel
from mockserver.agentos.operations import run_encodings, run_operations, session_operations, stream_defaults
from mockserver.agentos.pins import PinnedSession, fixture_pins
from mockserver.agentos.recording import SessionRecording
from mockserver.agentos.run_flags import InMemoryRunFlags, RunFlags
from mockserver.agentos.script_files import read_scripts
from mockserver.agentos.session_store import SessionStore
from mockserver.agentos.typed_answers import TypedSessionCheck
from mockserver.config import Config
from mockserver.core.spec import Spec
from mockserver.errors import FixtureError, SpecError, error_body
from mockserver.stores import Stores

ADMIN_DOCUMENT = Path(__file__).with_name("admin-sessions.yaml")
# What AgentOS's framework (FastAPI) answers a request no route takes, as a real 2.3.17 does.
FRAMEWORK_MISSES = frozenset({(404, b'{"detail":"Not Found"}'), (405, b'{"detail":"Method Not Allowed"}')})


class AgentOSState:
    """The sessions a mock holds, their handlers, and what the banner says of them."""

    admin_document: Path | None = ADMIN_DOCUMENT

    def __init__(self, context: HandlerContext, directory: Path | None, claimed: frozenset[str]) -> None:
        self.context, self.directory, self.claimed = context, directory, claimed

    def handler(self, key: str) -> Callable[..., Any]:
        return bind(key, self.context)

    async def load(self) -> None:
        fixtures = self.context.fixtures
        await self.context.store.replace_all(fixtures.records, fixtures.databases)

    async def reset(self) -> dict[str, int]:
        await self.load()
        return {"sessions": len(self.context.fixtures.records)}

    async def reload(self) -> str:
        if self.directory is None:
            return "no session fixtures"
        fixtures = load_fixtures(self.directory, self.context.model)
        components = read_components(self.directory)
        self.context.scripts = read_scripts(self.directory, components)
        self.context.fixtures, self.context.components = fixtures, components
        return f"{(await self.reset())['sessions']} sessions"

    def contract_pins(self) -> list[PinnedSession]:
        return fixture_pins(self.context.fixtures)

    def banner_lines(self, url: str) -> list[str]:
        fixtures = self.context.fixtures
        counts = Counter(record["type"] for record in fixtures.records)
        kinds = ", ".join(f"{counts.get(kind, 0)} {kind}" for kind in self.context.kinds)
        databases = ", ".join(f"{db} (default)" if db == fixtures.default_db else db
                              for db in fixtures.databases)
        lines = [f"  fixtures  {self.directory}: {len(fixtures.records)} sessions ({kinds})",
                 f"  databases {databases or 'none'}"]
        scripted = len(self.context.scripts.by_component)
        if self.context.components:
            kind, first = next(iter(self.context.components))
            count = len(self.context.components)
            lines += [f"  runs      {count} agents, teams and workflows ({scripted} scripted)",
                      f"  try       curl -N {url}/{kind}s/{first}/runs -d message=hello -d stream=true"]
        if fixtures.records:
            example = fixtures.records[0]
            target = f"{url}/sessions/{example['session_id']}?type={example['type']}"
            lines.append(f"  try       curl -X PATCH '{target}' "
                         "-H 'Content-Type: application/json' -d '{\"session_name\": \"Renamed\"}'")
        return lines


class AgentOSProfile:
    name = "agentos"
    credentials_optional = True  # AgentOS without a security key takes any token or none

    def claims(self, spec: Spec) -> frozenset[str]:
        claimed = frozenset(operation.key for operation in session_operations(spec))
        if not claimed:
            return claimed
        return claimed | frozenset(operation.key for operation in run_operations(spec))

    def request_encodings(self, spec: Spec) -> dict[str, tuple[str, ...]]:
        return run_encodings(spec)

    def error_body(self, status: int, detail: str) -> Any:
        return error_body(status, detail)

    def route_missing(self, status: int, body: bytes) -> bool:
        # FastAPI's own answers (no AgentOS handler says these: agno/os raises "... not found")
        return (status, body.strip()) in FRAMEWORK_MISSES

    def start(self, spec: Spec, config: Config, fixtures: Path | None, stores: Stores) -> AgentOSState:
        model = SessionModel.from_spec(spec)
        loaded = load_fixtures(fixtures, model) if fixtures is not None else FixtureSet([], [], "")
        components = read_components(fixtures)
        context = HandlerContext(store=self._store(stores, loaded), model=model, fixtures=loaded,
                                 require_db_id=config.require_db_id, components=components,
                                 scripts=read_scripts(fixtures, components), flags=self._flags(stores),
                                 stream_delay=config.stream_delay / 1000,
                                 stream_defaults=stream_defaults(spec))
        return AgentOSState(context, fixtures, self.claims(spec))

    @staticmethod
    def _store(stores: Stores, fixtures: FixtureSet) -> SessionStore:
        if stores.redis is None:
            return InMemorySessionStore(fixtures.records, fixtures.databases, stores.bounds)
        from mockserver.agentos.redis_store import RedisSessionStore  # redis only when used

        return RedisSessionStore(*stores.redis)

    @staticmethod
    def _flags(stores: Stores) -> RunFlags:
        if stores.redis is None:
            return InMemoryRunFlags()
        from mockserver.agentos.redis_run_flags import RedisRunFlags  # redis only when used

        return RedisRunFlags(*stores.redis)

    def record_rules(self, claimed: frozenset[str]) -> SessionRecording:
        return SessionRecording(claimed)

    def answer_check(self, spec: Spec) -> TypedSessionCheck | None:
        return TypedSessionCheck.for_spec(spec)

    def check_fixtures(self, spec: Spec, fixtures: Path) -> tuple[list[str], dict[str, int]]:
        try:
            model = SessionModel.from_spec(spec)
        except SpecError as exc:
            return [f"/components/schemas: fixtures cannot be checked: {exc}"], {}
        found, problems = scan_fixtures(fixtures, model)
        try:
            scripts = read_scripts(fixtures, read_components(fixtures))
        except FixtureError as exc:
            problems, scripts = [*problems, str(exc)], None
        counts = {"fixture session": len(found.records) if found else 0,
                  "run script": len(scripts.by_component) if scripts else 0}
        return problems, counts


PROFILE = AgentOSProfile()
HANDLED = frozenset(HANDLERS)

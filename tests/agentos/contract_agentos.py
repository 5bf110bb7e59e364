"""Run `mockserver contract` against a real AgentOS: start it on loopback, seed it, test it, stop it.

The AgentOS is agno 2.3.17 (tests/agentos/agentos_server.py), seeded with the sessions of the
fixtures' main-db database; the contract is both bundled documents (the seed's PATCH and agno
2.3.16's other eight session operations), the default of ``mockserver contract``. One run uses
generated ids; one run per pinned session (one of each type, each with runs) reaches the 200s.
`make contract-agentos` runs this module; tests/agentos/test_agentos_contract.py uses
``running_agentos`` to check that the run surfaces AgentOS's known deviations from the spec.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mockserver import cli
from mockserver.agentos.pins import PinnedSession
from tests.processes import ServerProcess

SERVER = Path(__file__).with_name("agentos_server.py")
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
KEY = "agentos-contract-key"
DEADLINE_SECONDS = 90  # importing agno and seeding take a few seconds on a busy machine
# Fixture sessions of main-db, the database agentos_server.py seeds (one of each type, with runs).
SESSIONS = [PinnedSession("agent", "agent-research-001", "main-db"),
            PinnedSession("team", "team-triage-002", "main-db"),
            PinnedSession("workflow", "workflow-report-001", "main-db")]


@contextmanager
def running_agentos(key: str = KEY, fixtures: Path = FIXTURES) -> Iterator[ServerProcess]:
    with tempfile.TemporaryDirectory() as tmp:
        argv = [sys.executable, str(SERVER), "--db-file", str(Path(tmp) / "agentos.db"),
                "--fixtures", str(fixtures), "--security-key", key]
        server = ServerProcess(argv, r"agentos listening on (http://\S+)")
        try:
            server.wait_ready(DEADLINE_SECONDS)
            yield server
        finally:
            server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="mockserver contract against a real, seeded AgentOS")
    parser.add_argument("--max-examples", default="100")
    parser.add_argument("--seed", default=None)
    parser.add_argument("--junit-xml", default=None)
    args = parser.parse_args(argv)
    extra = [*(["--seed", args.seed] if args.seed else []), *(["--junit-xml", args.junit_xml] if args.junit_xml else [])]
    sessions = [f"--session={s.session_type}={s.session_id}@{s.db_id}" for s in SESSIONS]
    with running_agentos() as server:
        print(f"AgentOS (agno 2.3.17) started at {server.url}, seeded from {FIXTURES} (main-db); "
              f"pinned: {', '.join(s.label for s in SESSIONS)}")
        return cli.main(["contract", "--url", str(server.url), "--token", KEY, *sessions,
                         "--max-examples", args.max_examples, *extra])


if __name__ == "__main__":
    sys.exit(main())

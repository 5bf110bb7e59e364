"""Run `mockserver contract` against a real AgentOS: start it on loopback, seed it, test it, stop it.

`make contract-agentos` runs this module; tests/agentos/test_agentos_contract.py uses
``running_agentos`` to check that the run surfaces AgentOS's known deviations from its spec.
"""

from __future__ import annotations

import argparse
import re
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mockserver import cli
from mockserver.contract import PinnedSession

SERVER = Path(__file__).with_name("agentos_server.py")
KEY = "agentos-contract-key"
DEADLINE_SECONDS = 60
SESSIONS = [PinnedSession("agent", "agent-s1", "main-db"), PinnedSession("team", "team-s1", "main-db"),
            PinnedSession("workflow", "workflow-s1", "main-db")]


class AgentOSProcess:
    """The server process, its output drained by a thread so a full pipe never blocks it."""

    def __init__(self, db_file: Path, key: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(SERVER), "--db-file", str(db_file), "--security-key", key],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self.url: str | None = None
        self.ready = threading.Event()
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            match = re.search(r"agentos listening on (http://\S+)", line)
            if match:
                self.url = match.group(1)
                self.ready.set()
        self.ready.set()  # the process ended: stop waiting

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(DEADLINE_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(DEADLINE_SECONDS)


@contextmanager
def running_agentos(key: str = KEY) -> Iterator[AgentOSProcess]:
    with tempfile.TemporaryDirectory() as tmp:
        server = AgentOSProcess(Path(tmp) / "agentos.db", key)
        try:
            if not server.ready.wait(DEADLINE_SECONDS) or server.url is None:
                raise RuntimeError(f"AgentOS did not start within {DEADLINE_SECONDS}s:\n{''.join(server.lines)}")
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
        print(f"AgentOS (agno) started at {server.url}, seeded with {', '.join(s.label for s in SESSIONS)}")
        return cli.main(["contract", "--url", str(server.url), "--token", KEY, *sessions,
                         "--max-examples", args.max_examples, *extra])


if __name__ == "__main__":
    sys.exit(main())

"""A server started as a child process: output drained by a thread, readiness by a banner line.

Draining matters: a server writing its access log into a pipe nobody reads blocks once the pipe is
full. Readiness is an event set when the banner appears, waited on with a deadline (no sleeping).
"""

from __future__ import annotations

import re
import signal
import subprocess
import threading

DEADLINE_SECONDS = 20


class ServerProcess:
    def __init__(self, argv: list[str], ready: str, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        env=env)
        self.pattern = re.compile(ready)
        self.lines: list[str] = []
        self.url: str | None = None
        self.ready = threading.Event()
        self.drained = threading.Event()
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            match = self.pattern.search(line)
            if match and self.url is None:
                self.url = match.group(1)
                self.ready.set()
        self.ready.set()  # the process ended: stop waiting
        self.drained.set()

    def wait_ready(self, deadline: float = DEADLINE_SECONDS) -> str:
        if not self.ready.wait(deadline) or self.url is None:
            self.process.kill()
            raise RuntimeError(f"no banner within {deadline}s:\n{self.output()}")
        return self.url

    def output(self) -> str:
        """Everything the process printed so far (all of it, once it has ended)."""
        if self.process.poll() is not None:
            self.drained.wait(DEADLINE_SECONDS)
        return "".join(self.lines)

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(DEADLINE_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(DEADLINE_SECONDS)

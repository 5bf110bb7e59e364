"""One server started on one document, and what became of it: started (and in how long), refused
(the first line of its refusal), a traceback, or no answer within the deadline.

A server is a child process on loopback whose output is drained by a thread; readiness is its
banner line, waited on with a deadline (no sleeping). Whatever happens, the process is killed
before the next document.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench import prism

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
MOCK_READY = re.compile(r"listening on (http://127\.0\.0\.1:\d+)")
PRISM_READY = re.compile(r"Prism is listening on (http://127\.0\.0\.1:\d+)")
# Prism logs "[10:51:16 AM] \u203a [CLI] ✖  fatal     No operations found in the current file."
PRISM_LINE = re.compile(r"^\[[^\]]*\]\s*\S\s*\[[^\]]*\]\s*\S+\s+(\w+)\s+(.*)$")
NOT_REFUSALS = ("mockserver: warning", "warning", "(node:", "(use `node")
MAX_CLASS = 200


@dataclass(frozen=True)
class Outcome:
    started: bool
    seconds: float  # until the banner, or until the process ended or was given up on
    error: str  # "" when started; else "traceback", "timeout" or the refusal's first line


def mock_argv(document: Path, port: int) -> list[str]:
    del port  # the mock takes port 0 and its banner says which port it got
    return [sys.executable, "-m", "mockserver", "run", "--spec", str(document), "--host", "127.0.0.1",
            "--port", "0", "--profile", "none", "--no-admin", "--log-level", "warning"]


def prism_argv(document: Path, port: int) -> list[str]:
    return [str(prism.executable()), "mock", "-h", "127.0.0.1", "-p", str(port), str(document)]


def free_port() -> int:
    """A port free on loopback now (Prism takes no port 0)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start(argv: list[str], ready: re.Pattern[str], deadline: float, document: Path) -> tuple[Outcome, str]:
    """Start ``argv``, wait at most ``deadline`` seconds for ``ready`` in its output, kill it:
    the outcome and all the output it printed. The error class says FILE for ``document``: refusals
    of one kind then read alike across documents."""
    began = time.monotonic()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               errors="replace", stdin=subprocess.DEVNULL)
    lines: list[str] = []
    seen = threading.Event()
    ended = threading.Event()

    def drain() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(ANSI.sub("", line))
            if ready.search(lines[-1]):
                seen.set()
        ended.set()
        seen.set()  # the process ended: stop waiting

    threading.Thread(target=drain, daemon=True).start()
    waited = seen.wait(deadline)
    seconds = time.monotonic() - began
    started = waited and any(ready.search(line) for line in lines)
    process.kill()
    process.wait(30)
    ended.wait(30)
    output = "".join(lines)
    if started:
        return Outcome(True, round(seconds, 2), ""), output
    if not waited:
        return Outcome(False, round(seconds, 2), "timeout"), output
    return Outcome(False, round(seconds, 2), error_class(output.replace(str(document), "FILE"))), output


def error_class(output: str) -> str:
    """``traceback`` when the output has one, else the refusal: Prism's first fatal or error line,
    or the first line that is no log line nor warning (the mock warns before it refuses)."""
    if "Traceback (most recent call last)" in output:
        return "traceback"
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for line in lines:
        logged = PRISM_LINE.match(line)
        if logged and logged.group(1).lower() in ("fatal", "error"):
            return logged.group(2).strip()[:MAX_CLASS]
    for line in lines:
        if not PRISM_LINE.match(line) and not line.lower().startswith(NOT_REFUSALS):
            return line[:MAX_CLASS]
    return "exited without a message"


def run_mock(document: Path, deadline: float) -> tuple[Outcome, str]:
    return start(mock_argv(document, 0), MOCK_READY, deadline, document)


def run_prism(document: Path, deadline: float) -> tuple[Outcome, str]:
    return start(prism_argv(document, free_port()), PRISM_READY, deadline, document)

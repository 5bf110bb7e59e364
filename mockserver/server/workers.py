"""Several worker processes on one listening socket, and their supervisor.

The parent builds and checks everything and binds the port (so a bad spec, fixture or store stops
it before any worker starts), then forks the workers, which serve the inherited socket with the
mock the parent built (its Redis client connects in each worker's own event loop). A worker that
dies is replaced, unless it failed (a non-zero exit, not a signal) within ``MIN_LIFETIME`` of
starting: then the whole server stops (it would only fail again). SIGTERM or Ctrl-C stops every
worker gracefully: each finishes its in-flight requests; any still running after
``STOP_TIMEOUT`` seconds is killed; the exit status is 0.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import time
from collections.abc import Callable
from types import FrameType

logger = logging.getLogger("mockserver")

STOP_TIMEOUT = 5  # seconds from SIGTERM to the last worker gone
MIN_LIFETIME = 2.0  # seconds a worker must live for a replacement to make sense


def _fork(run_worker: Callable[[], int]) -> int:
    pid = os.fork()
    if pid == 0:  # the worker: never return into the supervisor's code
        code = 1
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM):
            signal.signal(sig, signal.SIG_DFL)  # the supervisor's handlers are not the worker's
        try:
            code = run_worker()
        finally:
            os._exit(code)
    return pid


def supervise(count: int, run_worker: Callable[[], int], on_started: Callable[[], None]) -> int:
    """Run ``count`` workers (then call ``on_started``) until a signal stops them; the exit status."""
    started: dict[int, float] = {}
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        if not stopping:
            stopping = True
            for pid in started:
                _signal(pid, signal.SIGTERM)
            signal.alarm(STOP_TIMEOUT)

    def kill_the_rest(signum: int, frame: FrameType | None) -> None:
        for pid in started:
            logger.warning("worker %d did not stop within %d s: killed", pid, STOP_TIMEOUT)
            _signal(pid, signal.SIGKILL)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    signal.signal(signal.SIGALRM, kill_the_rest)
    for _ in range(count):
        started[_fork(run_worker)] = time.monotonic()
    on_started()
    status = 0
    try:
        while started:
            try:
                pid, wait_status = os.wait()
            except ChildProcessError:
                break
            born = started.pop(pid, None)
            if stopping or born is None:
                continue
            code = os.waitstatus_to_exitcode(wait_status)
            if code > 0 and time.monotonic() - born < MIN_LIFETIME:
                logger.error("worker %d failed right after starting (exit %d): stopping", pid, code)
                status = 1
                stop(signal.SIGTERM, None)
                continue
            how = f"killed by signal {-code}" if code < 0 else f"exited with {code}"
            logger.warning("worker %d %s: starting another", pid, how)
            started[_fork(run_worker)] = time.monotonic()
    finally:
        signal.alarm(0)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return status


def _signal(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)

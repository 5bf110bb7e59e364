"""Several worker processes on one listening socket, and their supervisor.

The parent builds and checks everything and binds the port (so a bad spec, fixture or store stops
it before any worker starts), then forks the workers, which serve the inherited socket with the
mock the parent built (its Redis client connects in each worker's own event loop). A worker that
dies is replaced, unless it failed (a non-zero exit, not a signal) within ``MIN_LIFETIME`` of
starting: then the whole server stops (it would only fail again). SIGTERM or Ctrl-C stops every
worker gracefully: each finishes its in-flight requests; any still running after
``STOP_TIMEOUT`` seconds is killed; the exit status is 0.

Workers end with their supervisor, even one killed with SIGKILL (orphans would keep serving the
port, and the next start would find it in use): on Linux the kernel sends a worker SIGTERM when
its supervisor dies (``PR_SET_PDEATHSIG``); everywhere, a worker watches a pipe whose writing end
only the supervisor holds, and stops at its end of file (``follow_supervisor``).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType

logger = logging.getLogger("mockserver")

STOP_TIMEOUT = 5  # seconds from SIGTERM to the last worker gone
MIN_LIFETIME = 2.0  # seconds a worker must live for a replacement to make sense
PR_SET_PDEATHSIG = 1  # linux/prctl.h
Lifeline = tuple[int, int]  # a pipe: the supervisor holds its writing end until it dies


def _fork(run_worker: Callable[[], int], lifeline: Lifeline) -> int:
    supervisor = os.getpid()
    pid = os.fork()
    if pid == 0:  # the worker: never return into the supervisor's code
        code = 1
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM):
            signal.signal(sig, signal.SIG_DFL)  # the supervisor's handlers are not the worker's
        try:
            follow_supervisor(supervisor, lifeline)
            code = run_worker()
        finally:
            os._exit(code)
    return pid


def follow_supervisor(supervisor: int, lifeline: Lifeline) -> None:
    """Make this worker, just forked, stop when ``supervisor`` dies, however it dies."""
    reading, writing = lifeline
    os.close(writing)  # else the worker itself would keep the pipe open
    die_with_parent()
    threading.Thread(target=_stop_at_end_of, args=(reading,), name="supervisor-watch", daemon=True).start()
    if os.getppid() != supervisor:  # it died before the signal was asked for
        os._exit(0)


def die_with_parent() -> None:
    """On Linux, ask the kernel for SIGTERM when the parent dies (elsewhere the pipe does it)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def _stop_at_end_of(reading: int) -> None:
    """Wait for the pipe's end (the supervisor is gone), then stop gracefully, and for good once
    ``STOP_TIMEOUT`` has passed, as the supervisor would have."""
    while os.read(reading, 1):
        pass
    logger.warning("worker %d: the supervisor is gone: stopping", os.getpid())
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(STOP_TIMEOUT)
    os._exit(1)


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
    lifeline = os.pipe()  # never written: its end of file tells the workers the supervisor is gone
    for _ in range(count):
        started[_fork(run_worker, lifeline)] = time.monotonic()
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
            started[_fork(run_worker, lifeline)] = time.monotonic()
    finally:
        signal.alarm(0)
        for end in lifeline:
            os.close(end)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return status


def _signal(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)

"""Start the mock under uvicorn: build and check everything, bind, say where, serve.

The port is bound here, after the spec and fixtures have been checked, so a bad fixture never
leaves a half-started server, and a busy port is one clear line instead of a uvicorn traceback.
With ``--port 0`` the system picks a free port and the banner shows which.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import signal
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

import uvicorn

from mockserver.config import Config
from mockserver.errors import ConfigError
from mockserver.server.access_log import AccessLog
from mockserver.server.app import build_mock
from mockserver.server.banner import banner
from mockserver.server.protocol import guarded_httptools
from mockserver.server.workers import supervise

GRACEFUL_SECONDS = 4  # in-flight requests get this long after SIGTERM (the supervisor allows 5)


class Server(uvicorn.Server):
    """uvicorn's server, announcing itself once started and ending with status 0 when stopped.

    uvicorn re-raises a Ctrl-C or SIGTERM once it has shut down gracefully, so the process would
    die by the signal; for a mock, being stopped is the normal end of a run.
    """

    def __init__(self, config: uvicorn.Config, on_started: Callable[[], None]) -> None:
        super().__init__(config)
        self.on_started = on_started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if not self.should_exit:
            # Everything built by now (spec, fixtures, Connexion's middleware stack and compiled
            # schemas) lives as long as the process: keep it out of the garbage collector's full
            # passes, which otherwise stall requests (p99 x5 at 16 connections, bench/README.md).
            gc.freeze()
            self.on_started()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (``ConfigError`` when that is impossible)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        hint = " (is another server using it? choose another with --port)" if port else ""
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}{hint}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def base_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def access_log_for(config: Config) -> AccessLog | None:
    """The access log at the levels that show it (info, debug), else none."""
    return AccessLog() if config.log_level in ("info", "debug") else None


def log_to_console(config: Config) -> None:
    logging.basicConfig(level=config.log_level.upper(), format="%(levelname)s:     %(name)s: %(message)s")


def serve(config: Config, out: TextIO = sys.stdout) -> int:
    """Run until interrupted; raises ``StartupError`` before binding when anything is wrong."""
    access_log = access_log_for(config)
    mock = build_mock(config, access_log, check_later=True)
    for warning in mock.spec_warnings:  # served anyway, as Prism serves them (--strict-spec refuses)
        print(f"mockserver: warning: {warning}", file=sys.stderr)
    store = mock.state.prepare(config)
    sock = bind(config.host, config.port)
    log_to_console(config)
    text = banner(mock, config, base_url(sock), store)

    def announce() -> None:
        print(text, file=out, flush=True)
        if mock.later_warnings is not None:
            threading.Thread(target=_warn_later, args=(mock.later_warnings,), daemon=True).start()

    if config.workers == 1:
        return run_worker(mock.app, config, sock, access_log, on_started=announce)
    return supervise(config.workers, lambda: run_worker(mock.app, config, sock, access_log),
                     on_started=announce)


def _warn_later(find: Callable[[], tuple[str, ...]]) -> None:
    """The documents' OpenAPI problems, validated while the mock serves (seconds on a large
    document), each a warning as at start; then a line saying the check is done."""
    try:
        found = find()
    except Exception as exc:  # what makes serving impossible was checked before binding: said, not raised
        found = (f"the documents could not be validated ({type(exc).__name__}: {exc})",)
    for warning in found:
        print(f"mockserver: warning: {warning}", file=sys.stderr, flush=True)
    print(f"mockserver: the documents were validated while serving: {len(found)} "
          f"warning{'s' * (len(found) != 1)}", file=sys.stderr, flush=True)


def run_worker(app: Any, config: Config, sock: socket.socket, access_log: AccessLog | None,
               on_started: Callable[[], None] = lambda: None) -> int:
    """Serve ``sock`` with the ASGI ``app`` (the mock's or the proxy's) until a signal stops this
    process, then write what is left of ``access_log`` (the one ``app`` was built with)."""
    server = Server(uvicorn.Config(app, log_level=config.log_level, lifespan="on",
                                   access_log=False, http=guarded_httptools(config.read_timeout),
                                   timeout_graceful_shutdown=GRACEFUL_SECONDS),
                    on_started=on_started)
    try:
        server.run(sockets=[sock])
    finally:
        if access_log is not None:
            access_log.flush()
    return 0


@dataclass
class BackgroundServer:
    """An ASGI app served by uvicorn in a daemon thread on a loopback port; see ``serve_in_thread``."""

    url: str
    server: Server
    thread: threading.Thread

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)


def serve_in_thread(app: Any, host: str = "127.0.0.1", port: int = 0, timeout: float = 10.0,
                    head_timeout: float = Config.read_timeout) -> BackgroundServer:
    """Serve ``app`` in a background thread and return once it accepts requests (or raise)."""
    sock = bind(host, port)
    started = threading.Event()
    # "error": load generators send malformed HTTP on purpose; uvicorn's warnings would be noise.
    config = uvicorn.Config(app, log_level="error", lifespan="on", access_log=False,
                            http=guarded_httptools(head_timeout))
    server = Server(config, on_started=started.set)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    if not started.wait(timeout):
        server.should_exit = True
        raise ConfigError(f"the server on {host}:{port} did not start within {timeout:g}s")
    return BackgroundServer(url=base_url(sock), server=server, thread=thread)

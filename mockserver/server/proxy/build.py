"""Build the validation proxy from a ``Config`` and serve it (``mockserver proxy``)."""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import dataclass
from typing import TextIO

import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send

from mockserver.config import Config
from mockserver.core.conformance import ResponseContract
from mockserver.core.journal import InMemoryJournal
from mockserver.core.specs import load_specs
from mockserver.engine.answers import ErrorBodies
from mockserver.errors import ApiError, ConfigError
from mockserver.handlers import dedicated_operations
from mockserver.server.access_log import AccessLog
from mockserver.server.connexion31 import DocumentedRoutes
from mockserver.server.middleware.edge import Edge
from mockserver.server.middleware.faults import Faults
from mockserver.server.middleware.gate import Gate
from mockserver.server.middleware.limits import BodyLimits
from mockserver.server.middleware.prefer import Latency
from mockserver.server.protocol import guarded_httptools
from mockserver.server.proxy.app import ProxyApp
from mockserver.server.proxy.probe import RequestProbe
from mockserver.server.proxy.record import Recorder
from mockserver.server.proxy.report import ViolationReport
from mockserver.server.proxy.upstream import Upstream
from mockserver.server.serving import GRACEFUL_SECONDS, Server, base_url, bind


class RenderedErrors:
    """What the proxy refuses (a body too large, an unknown fault) and an upstream that failed (502,
    504), in the operation's error shape: the proxy's one error renderer, as the mock has
    Connexion's."""

    def __init__(self, app: ASGIApp, routes: DocumentedRoutes, errors: ErrorBodies) -> None:
        self.app, self.routes, self.errors = app, routes, errors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        except ApiError as error:
            key = self.routes.operation(scope["method"], scope["path"])
            status, body, media = self.errors.render(key, error)
            encoded = json.dumps(body).encode()
            headers = [(b"content-type", media.encode()), (b"content-length", str(len(encoded)).encode()),
                       *((name.lower().encode(), value.encode()) for name, value in error.headers.items())]
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": encoded})


@dataclass(frozen=True)
class Proxy:
    app: ASGIApp
    report: ViolationReport
    upstream: str


def build_proxy(config: Config, access_log: AccessLog | None = None) -> Proxy:
    if config.upstream is None:
        raise ConfigError("the proxy needs the real server's URL: --upstream http://HOST:PORT")
    served = load_specs(config.specs)
    specs = [served.combined]
    dedicated = {operation.key for operation in dedicated_operations(served.combined)}
    requires_credentials = config.security_key is not None or (
        config.require_credentials if config.require_credentials is not None else not dedicated)
    errors = ErrorBodies(specs, own_shape=bool(dedicated), keep_status=dedicated)
    routes = DocumentedRoutes(*specs)
    report = ViolationReport()
    journal = InMemoryJournal(config.journal_size)
    recorder = Recorder(config.record, specs, dedicated) if config.record is not None else None
    app = ProxyApp(Upstream(config.upstream, config.upstream_timeout),
                   RequestProbe(config, specs, errors, requires_credentials), ResponseContract(specs),
                   routes, report, journal, strict=config.strict,
                   violations_header=config.violations_header, recorder=recorder)
    gate = Gate(app, None, BodyLimits(config.max_body_bytes, config.read_timeout), Latency(config.latency),
                Faults(config.faults, config.seed))
    edge = Edge(RenderedErrors(gate, routes, errors), journal, None, access_log)
    return Proxy(edge, report, config.upstream)


def serve_proxy(config: Config, out: TextIO = sys.stdout) -> int:
    """Serve until stopped; then the report, the JUnit file, and the exit status."""
    access_log = AccessLog() if config.log_level in ("info", "debug") else None
    proxy = build_proxy(config, access_log)
    sock = bind(config.host, config.port)
    logging.basicConfig(level=config.log_level.upper(), format="%(levelname)s:     %(name)s: %(message)s")
    url = base_url(sock)

    def announce() -> None:
        print(f"mockserver proxy on {url} -> {proxy.upstream}\n"
              f"  documents {', '.join(map(str, config.specs))}\n"
              f"  strict    {'on: requests that break the spec are refused' if config.strict else 'off'}\n"
              f"  journal   {url}/__mockserver/requests\n"
              f"  record    {config.record or 'off'}", file=out, flush=True)

    server = Server(uvicorn.Config(proxy.app, log_level=config.log_level, lifespan="on", access_log=False,
                                   http=guarded_httptools(config.read_timeout),
                                   timeout_graceful_shutdown=GRACEFUL_SECONDS), on_started=announce)
    try:
        server.run(sockets=[sock])
    finally:
        if access_log is not None:
            access_log.flush()
    print(proxy.report.summary(), file=out, flush=True)
    if config.junit_xml is not None:
        proxy.report.write_junit(config.junit_xml)
    return 1 if config.fail_on_violation and proxy.report.total else 0

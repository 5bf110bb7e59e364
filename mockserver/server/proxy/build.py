"""Build the validation proxy from a ``Config`` and serve it (``mockserver proxy``)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TextIO

from starlette.types import ASGIApp, Receive, Scope, Send

from mockserver.config import Config
from mockserver.core.combined import load_specs
from mockserver.core.conformance import ResponseContract
from mockserver.core.journal import InMemoryJournal, Redaction
from mockserver.engine.error_bodies import ErrorBodies
from mockserver.errors import ApiError, ConfigError
from mockserver.profile import choose_profile
from mockserver.server.access_log import AccessLog
from mockserver.server.banner import exposure_warning
from mockserver.server.connexion_adapter import DocumentedRoutes
from mockserver.server.middleware.admission import Admission
from mockserver.server.middleware.exchange_log import SOURCE, ExchangeLog
from mockserver.server.middleware.faults import Faults
from mockserver.server.middleware.limits import BodyLimits
from mockserver.server.middleware.prefer import Latency
from mockserver.server.middleware.target import RequestGuard, is_loopback
from mockserver.server.proxy.app import ProxyApp, send_json
from mockserver.server.proxy.fallback import SOURCE_HEADER, Fallback
from mockserver.server.proxy.probe import RequestProbe
from mockserver.server.proxy.record import Recorder
from mockserver.server.proxy.report import ViolationReport
from mockserver.server.proxy.upstream import Upstream
from mockserver.server.routed_app import credentials_required
from mockserver.server.serving import access_log_for, base_url, bind, log_to_console, run_worker


class RenderedErrors:
    """What the proxy refuses (a body too large, an unknown fault) and an upstream that failed (502,
    504), in the operation's error shape: the proxy's one error renderer, as the mock has
    Connexion's."""

    def __init__(self, app: ASGIApp, routes: DocumentedRoutes, errors: ErrorBodies,
                 marked: bool = False) -> None:
        """``marked``: with ``--fallback``, each says it is the proxy's (``Mockserver-Source``)."""
        self.app, self.routes, self.errors = app, routes, errors
        self.source = ((SOURCE_HEADER, b"proxy"),) if marked else ()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        except ApiError as error:
            key = self.routes.operation(scope["method"], scope["path"])
            status, body, media = self.errors.render(key, error)
            if self.source:
                scope["extensions"][SOURCE] = "proxy"
            headers = tuple((name.lower().encode(), value.encode()) for name, value in error.headers.items())
            await send_json(send, status, body, media, (*headers, *self.source))


@dataclass(frozen=True)
class Proxy:
    app: ASGIApp
    report: ViolationReport
    upstream: str
    recorder: Recorder | None = None  # --record: ``flush()`` waits until what it saw is on disk


def build_proxy(config: Config, access_log: AccessLog | None = None) -> Proxy:
    if config.upstream is None:
        raise ConfigError("the proxy needs the real server's URL: --upstream http://HOST:PORT")
    served = load_specs(config.specs)
    specs = [served.combined]
    chosen = choose_profile(config, served.combined)
    dedicated = set(chosen.claimed)
    check = chosen.profile.answer_check(served.combined) if chosen.profile is not None else None
    answer_checks = [check] if check is not None else []
    requires_credentials = credentials_required(config, chosen)
    errors = ErrorBodies(specs, own_body=chosen.profile.error_body if chosen.profile else None,
                         keep_status=dedicated)
    routes = DocumentedRoutes(*specs)
    report = ViolationReport(by_source=config.fallback is not None)
    journal = InMemoryJournal(config.journal_size)
    rules = chosen.profile.record_rules(chosen.claimed) if chosen.profile is not None else None
    recorder = Recorder(config.record, specs, dedicated, rules) if config.record is not None else None
    contract = ResponseContract(specs, answer_checks)
    known = {operation.key for operation in served.combined.operations()}
    missing = chosen.profile.route_missing if chosen.profile is not None else None
    fallback = Fallback(config, contract, known, missing) if config.fallback is not None else None
    # The request encodings the real server takes beyond the documented (AgentOS: runs as urlencoded forms).
    profile = chosen.profile if chosen.claimed else None
    encodings = profile.request_encodings(served.combined) if profile is not None else None
    app = ProxyApp(Upstream(config.upstream, config.upstream_timeout),
                   RequestProbe(config, specs, errors, requires_credentials, encodings), contract,
                   routes, report, journal, strict=config.strict,
                   violations_header=config.violations_header, recorder=recorder, fallback=fallback)
    guard = RequestGuard(config.admin_origins, admin_key=config.security_key,
                         on_loopback=is_loopback(config.host))
    admission = Admission(app, guard, None, BodyLimits(config.max_body_bytes, config.read_timeout),
                Latency(config.latency), Faults(config.faults, config.seed))
    rendered = RenderedErrors(admission, routes, errors, marked=fallback is not None)
    redaction = Redaction(served.combined.query_credentials)
    exchange_log = ExchangeLog(rendered, journal, None, access_log, redaction)
    return Proxy(exchange_log, report, config.upstream, recorder)


def serve_proxy(config: Config, out: TextIO = sys.stdout) -> int:
    """Serve until stopped; then the report, the JUnit file, and the exit status."""
    access_log = access_log_for(config)
    proxy = build_proxy(config, access_log)
    sock = bind(config.host, config.port)
    log_to_console(config)
    url = base_url(sock)

    def announce() -> None:
        print(f"mockserver proxy on {url} -> {proxy.upstream}\n"
              f"  documents {', '.join(map(str, config.specs))}\n"
              f"  strict    {'on: requests that break the spec are refused' if config.strict else 'off'}\n"
              f"  journal   {url}/__mockserver/requests\n"
              f"  record    {config.record or 'off'}",
              f"  fallback  {_fallback_line(config)}", *exposure_warning(config), sep="\n", file=out,
              flush=True)

    run_worker(proxy.app, config, sock, access_log, on_started=announce)
    print(proxy.report.summary(), file=out, flush=True)
    if config.junit_xml is not None:
        proxy.report.write_junit(config.junit_xml)
    return 1 if config.fail_on_violation and proxy.report.total else 0


def _fallback_line(config: Config) -> str:
    if config.fallback is None:
        return "off: the proxy never answers for the upstream"
    state = f"fixtures {config.fixtures_dir}" if config.fixtures_dir is not None else "no fixtures: empty"
    return (f"{config.fallback}: the mock ({state}) answers what the upstream does not"
            + (f"; only {', '.join(config.fallback_only)}" if config.fallback_only else "")
            + (f"; never {', '.join(config.never_fallback)}" if config.never_fallback else ""))

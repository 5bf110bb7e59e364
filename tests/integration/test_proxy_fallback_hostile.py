"""Hostile request targets to ``mockserver proxy --fallback``, on real sockets: the fallback never
makes the proxy reach a host but its upstream. An absolute-form target, ``//host/path``, dot
segments and percent-encoded slashes are refused (400), answered by the upstream, or answered by
the mock in the proxy's own process; a canary host beside them is never reached."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mockserver.config import Config
from mockserver.server import build_proxy, serve_in_thread
from tests.half_petstore import half_petstore
from tests.integration.test_hostile_proxy_and_admin import Canary
from tests.integration.test_proxy_fallback import PETSTORE, mock_fixtures

pytestmark = pytest.mark.server
TIMEOUT = 10


def raw_exchange(url: str, target: str) -> tuple[int, dict[str, str], bytes]:
    """``GET target`` sent exactly as written; the status, the headers (lower-cased) and the body."""
    host, port = url.removeprefix("http://").split(":")
    request = f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n"
    with socket.create_connection((host, int(port)), timeout=TIMEOUT) as sock:
        sock.sendall(request.encode("latin-1"))
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    return int(status_line.split(" ", 2)[1]), headers, body


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    host = Canary()
    yield host
    host.server.stop()


@pytest.fixture(scope="module")
def behind_fallback(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    """The proxy with --fallback in front of the half-implemented petstore; the requests it got."""
    app, seen = half_petstore()
    upstream = serve_in_thread(app)
    fixtures = mock_fixtures(tmp_path_factory.mktemp("fixtures"))
    proxy = serve_in_thread(build_proxy(Config(specs=(PETSTORE,), upstream=upstream.url, fixtures=fixtures,
                                               fallback="unreachable")).app)
    yield proxy.url, seen
    proxy.stop()
    upstream.stop()


# The target (CANARY: the canary's host and port), the status, and who answers.
TARGETS = [
    ("http://CANARY/store/inventory", 200, "mock"),  # the upstream's 404 "Not Found": the mock answers
    ("http://CANARY/pets", 200, "upstream"),
    ("http://CANARY/health", 200, "upstream"),  # undocumented: the upstream's, never the canary's
    ("//CANARY/pets", 404, "upstream"),  # a path of the upstream's, not a host
    ("//CANARY/store/inventory", 404, "upstream"),
    ("/%2FCANARY/pets", 404, "upstream"),
    # Forwarded as sent; the upstream's 404, so the mock's answer: as ``mockserver run`` answers it.
    ("/store%2Finventory", 404, "mock"),
    ("/pets%2F1", 404, "mock"),
    ("/x/../store/inventory", 400, "proxy"),
    ("/x/%2e%2E/store/inventory", 400, "proxy"),
    ("/x%2F..%2Fstore/inventory", 400, "proxy"),
    ("/store/inventory/.", 400, "proxy"),
    ("*@CANARY/store/inventory", 400, "proxy"),
    ("CANARY", 400, None),  # refused by the HTTP parser, before the proxy
]


@pytest.mark.parametrize(("target", "status", "source"), TARGETS, ids=[target for target, _, _ in TARGETS])
def test_an_odd_target_is_refused_or_answered_here_never_sent_to_another_host(
        behind_fallback: tuple[str, list[str]], canary: Canary, target: str, status: int,
        source: str | None) -> None:
    url, seen = behind_fallback
    before = len(seen)
    sent = target.replace("CANARY", f"127.0.0.1:{canary.port}")
    answered, headers, body = raw_exchange(url, sent)
    assert (answered, headers.get("mockserver-source")) == (status, source), (sent, body)
    assert b"pwned" not in body and canary.seen == []
    if status == 404 and source == "mock":
        assert b"No operation matches" in body
    if status == 400:
        assert len(seen) == before  # refused before anything was forwarded


def test_with_the_upstream_gone_an_absolute_form_target_is_answered_here(canary: Canary, tmp_path: Path) -> None:
    gone = serve_in_thread(half_petstore()[0])
    upstream = gone.url
    gone.stop()
    proxy = serve_in_thread(build_proxy(Config(specs=(PETSTORE,), upstream=upstream, fallback="unreachable",
                                               fixtures=mock_fixtures(tmp_path / "fixtures"))).app)
    try:
        for path, expected in (("/pets/1", (200, "mock")), ("/health", (502, "proxy"))):
            status, headers, body = raw_exchange(proxy.url, f"http://127.0.0.1:{canary.port}{path}")
            assert (status, headers.get("mockserver-source")) == expected, (path, body)
        assert httpx.get(proxy.url + "/pets/1", timeout=TIMEOUT).json()["name"] == "Mock Tom"
    finally:
        proxy.stop()
    assert canary.seen == []

"""The request target and the admin API's guard: what is checked before anything routes a request.

Only a path is served or forwarded. A request target that is not an absolute path (``*``,
``host:port``, ``*@127.0.0.1:9/x``) is a 400 that never reaches the proxy's upstream URL, and so
is a path with a dot segment (``.`` or ``..``, however spelled: ``%2e%2E``, or ``%2F..`` once
decoded): HTTP clients, httpx among them, remove dot segments, so ``/x/../sessions/ID`` would be
checked (and journaled) as one path and forwarded as another. Browsers and curl remove them before
sending, so no ordinary client sends one.

The admin API (``/__mockserver/``) answers a request that carries an ``Origin`` only when that
origin is one of ``--admin-origins`` (none by default): a web page cannot read the journal or
reset the state, whatever its content type; tools and test code send no ``Origin``. Served on
loopback, it also answers only requests addressed to this machine: a ``Host`` that is a domain
name (``evil.test``) is what a DNS-rebinding page sends, with no ``Origin`` on a same-origin GET.
The proxy's journal, which no Connexion security check guards, also needs the security key when
one is set.
"""

from __future__ import annotations

import hmac
import ipaddress
from urllib.parse import urlsplit

from starlette.types import Scope

from mockserver.errors import BadRequest, Forbidden, Unauthenticated
from mockserver.server.middleware import ADMIN_PREFIX, OWN_PATHS


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _is_domain_name(host: str) -> bool:
    """A dotted name that is not an IP address (``evil.test``, not ``127.0.0.1`` or ``localhost``)."""
    name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    if name.startswith("[") or "." not in name.rstrip("."):
        return False
    try:
        ipaddress.ip_address(name)
        return False
    except ValueError:
        return not name.rstrip(".").endswith(".localhost")


def _has_dot_segment(path: str) -> bool:
    return "/." in path and any(segment in (".", "..") for segment in path.split("/"))


def target_refusal(scope: Scope) -> str | None:
    """Why the request's target cannot be served, or None when it is a plain absolute path."""
    raw = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
    if not raw.startswith(b"/") or not scope["path"].startswith("/"):
        return "The request target must be a path beginning with '/'"
    if _has_dot_segment(scope["path"]) or _has_dot_segment(raw.decode("latin-1")):
        return "The request path must not contain '.' or '..' segments"
    return None


def is_own_path(scope: Scope) -> bool:
    """The mock's own paths (admin API, docs page): never journaled, never given a fault. A path
    that only begins like one (``/docs/../sessions``) is not one: it is refused instead."""
    path: str = scope["path"]
    return path.startswith(OWN_PATHS) and not _has_dot_segment(path)


class RequestGuard:
    """Refuses a bad request target (400) and a cross-site admin request (403), before routing."""

    def __init__(self, admin_origins: tuple[str, ...], admin_key: str | None = None,
                 on_loopback: bool = False) -> None:
        """``admin_key``: the key the admin paths need here (the proxy's; the mock's admin API is
        checked by Connexion's security, with the other operations). ``on_loopback``: served on a
        loopback address, where only the listed origins' host names may be named by ``Host``."""
        self.admin_origins = frozenset(origin.rstrip("/").lower() for origin in admin_origins)
        self.named_hosts = frozenset(urlsplit(origin).netloc for origin in self.admin_origins)
        self.on_loopback = on_loopback
        self.admin_credentials = b"bearer " + admin_key.encode() if admin_key is not None else None

    def check(self, scope: Scope) -> None:
        refusal = target_refusal(scope)
        if refusal is not None:
            raise BadRequest(refusal)
        if scope["path"].startswith(ADMIN_PREFIX):
            self._check_admin(scope["headers"])

    def _check_admin(self, headers: list[tuple[bytes, bytes]]) -> None:
        authorization = b""
        for name, value in headers:
            if name == b"origin" and value.decode("latin-1").rstrip("/").lower() not in self.admin_origins:
                raise Forbidden(f"The admin API does not answer requests from the web page at "
                                f"{value.decode('latin-1')!r}: list its origin in --admin-origins")
            if name == b"authorization":
                authorization = value
            if name == b"host" and self.on_loopback:
                host = value.decode("latin-1").lower()
                if _is_domain_name(host) and host not in self.named_hosts:
                    raise Forbidden(f"The admin API answers only requests addressed to this machine "
                                    f"(127.0.0.1 or localhost), not to {host!r}")
        expected = self.admin_credentials
        if expected is not None and not (authorization[:7].lower() == expected[:7] and
                                         hmac.compare_digest(authorization[7:], expected[7:])):
            raise Unauthenticated("The admin API needs 'Authorization: Bearer KEY' with the security key")

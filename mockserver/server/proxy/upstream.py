"""The real server behind the proxy, reached with httpx: requests forwarded as they came, answers
streamed back as they come (raw: compressed bodies stay compressed, server-sent events flow).

The upstream URL is built by parts: its scheme, host, port and base path are the configured
upstream's, and only the request's path (which ``middleware.target`` has checked: absolute, no dot
segments) and query are taken from the request, so no request target can name another host.
A request goes out with the client's headers only (no cookie jar, no default ``User-Agent`` or
``Accept-Encoding`` of httpx's); hop-by-hop headers (RFC 9110, section 7.6.1) are not forwarded
either way, and ``Host`` becomes the upstream's. An upstream that cannot be reached is a
``BadGateway`` (502); one whose answer does not begin within the timeout a ``GatewayTimeout``
(504); both ``ApiError``s, rendered in the operation's error shape. Once an answer has begun its
body may take as long as it takes (an event stream may be quiet for minutes); an upstream that
fails in the middle of it is a ``BadGateway`` raised from ``chunks``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Iterable

import httpx

from mockserver.errors import ApiError, BadRequest

HOP_BY_HOP = frozenset({b"connection", b"keep-alive", b"proxy-authenticate", b"proxy-authorization",
                        b"proxy-connection", b"te", b"trailer", b"transfer-encoding", b"upgrade", b"host"})


class BadGateway(ApiError):
    status = 502


class GatewayTimeout(ApiError):
    status = 504


def forwarded(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    return [(name, value) for name, value in headers if name.lower() not in HOP_BY_HOP]


class Upstream:
    def __init__(self, base_url: str, timeout: float) -> None:
        self.base_url = base_url.rstrip("/")
        self.base = httpx.URL(self.base_url)
        self.timeout = timeout
        limits = httpx.Limits(max_connections=256, max_keepalive_connections=64)
        self.client = httpx.AsyncClient(timeout=httpx.Timeout(timeout, read=None), follow_redirects=False,
                                        limits=limits)

    def url(self, raw_path: bytes, query: bytes) -> httpx.URL:
        """The upstream's URL for a request's path and query (``BadRequest`` for any other target)."""
        if not raw_path.startswith(b"/"):
            raise BadRequest("The request target must be a path beginning with '/'")
        target = self.base.raw_path.rstrip(b"/") + raw_path + (b"?" + query if query else b"")
        url = self.base.copy_with(raw_path=target)
        if (url.scheme, url.host, url.port) != (self.base.scheme, self.base.host, self.base.port):
            raise BadRequest("The request target must be a path beginning with '/'")
        return url

    async def open(self, method: str, raw_path: bytes, query: bytes, headers: Iterable[tuple[bytes, bytes]],
                   body: bytes) -> httpx.Response:
        """Send the request; the answer's head, its body still to be read (``chunks``)."""
        request = httpx.Request(method, self.url(raw_path, query), headers=forwarded(headers), content=body)
        try:
            response = await asyncio.wait_for(self.client.send(request, stream=True), self.timeout)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise BadGateway(f"The upstream {self.base_url} cannot be reached: {_why(exc)}") from None
        except (TimeoutError, httpx.TimeoutException) as exc:
            raise GatewayTimeout(f"The upstream {self.base_url} did not answer within {self.timeout:g} s"
                                 f"{': ' + str(exc) if str(exc) else ''}") from None
        except httpx.HTTPError as exc:
            raise BadGateway(f"The upstream {self.base_url} failed: {_why(exc)}") from None
        finally:
            self.client.cookies.clear()  # the proxy is no browser: nothing carries over to the next client
        return response

    @staticmethod
    async def chunks(response: httpx.Response) -> AsyncGenerator[bytes, None]:
        """The answer's body as it arrives, as sent (not decompressed)."""
        try:
            async for chunk in response.aiter_raw():
                yield chunk
        except httpx.HTTPError as exc:
            raise BadGateway(f"The upstream broke off its answer: {_why(exc)}") from None
        finally:
            await response.aclose()

    async def close(self) -> None:
        await self.client.aclose()


def _why(exc: Exception) -> str:
    return str(exc) or type(exc).__name__

"""The real server behind the proxy, reached with httpx: requests forwarded as they came, answers
streamed back as they come (raw: compressed bodies stay compressed, server-sent events flow).

Hop-by-hop headers (RFC 9110, section 7.6.1) are not forwarded either way; ``Host`` becomes the
upstream's. An upstream that cannot be reached is a ``BadGateway`` (502), one that does not answer
in time a ``GatewayTimeout`` (504): ``ApiError``s, rendered in the operation's error shape.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable

import httpx

from mockserver.errors import ApiError

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
        limits = httpx.Limits(max_connections=256, max_keepalive_connections=64)
        self.client = httpx.AsyncClient(timeout=httpx.Timeout(timeout), follow_redirects=False, limits=limits)

    async def open(self, method: str, target: str, headers: Iterable[tuple[bytes, bytes]],
                   body: bytes) -> httpx.Response:
        """Send the request; the answer's head, its body still to be read (``chunks``)."""
        request = self.client.build_request(method, self.base_url + target, headers=forwarded(headers),
                                            content=body)
        try:
            return await self.client.send(request, stream=True)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise BadGateway(f"The upstream {self.base_url} cannot be reached: "
                             f"{exc or type(exc).__name__}") from None
        except httpx.TimeoutException as exc:
            raise GatewayTimeout(f"The upstream {self.base_url} did not answer in time: "
                                 f"{exc or type(exc).__name__}") from None
        except httpx.HTTPError as exc:
            raise BadGateway(f"The upstream {self.base_url} failed: {exc or type(exc).__name__}") from None

    @staticmethod
    async def chunks(response: httpx.Response) -> AsyncIterator[bytes]:
        """The answer's body as it arrives, as sent (not decompressed)."""
        try:
            async for chunk in response.aiter_raw():
                yield chunk
        finally:
            await response.aclose()

    async def close(self) -> None:
        await self.client.aclose()

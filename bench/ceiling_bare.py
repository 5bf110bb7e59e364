"""Ceiling 1: a bare ASGI app answering every request with a fixed session JSON.

No framework, no validation, no state: what uvicorn alone costs on this machine, with the same
server settings as the mock. ``python -m bench.ceiling_bare PORT``.
"""

from __future__ import annotations

import sys
from typing import Any

import uvicorn

from bench.payload import session_json

BODY = session_json()
HEADERS = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    more_body = True
    while more_body:  # read the request body, as every target does
        more_body = (await receive()).get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)

"""The lifecycle checks' HTTP: one client for a run, every exchange kept as a curl line, and the
requests sent and time taken counted per resource."""

from __future__ import annotations

import json
import secrets
import shlex
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx

TIMEOUT = 30.0  # seconds per request


@dataclass(frozen=True)
class Exchange:
    status: int
    headers: Mapping[str, str]
    body: Any  # parsed JSON, else None
    curl: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def curl_line(method: str, url: str, headers: Mapping[str, str], body: bytes | None) -> str:
    words = ["curl", "-sS", "-X", method, url]
    for name, value in headers.items():
        words += ["-H", f"{name}: {value}"]
    if body:
        words += ["--data-raw", body.decode("utf-8", "replace")]
    return " ".join(shlex.quote(word) for word in words)


def multipart(fields: Mapping[str, Any], boundary: str, files: frozenset[str]) -> bytes:
    """``fields`` as a multipart/form-data body: text parts (objects as JSON), ``files`` as files."""
    parts = []
    for name, value in fields.items():
        text = value if isinstance(value, str) else json.dumps(value)
        named = f'; filename="{name}.txt"' if name in files else ""
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"{named}\r\n\r\n'
                     f'{text}\r\n')
    return ("".join(parts) + f"--{boundary}--\r\n").encode()


@dataclass
class Client:
    token: str | None
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=TIMEOUT))
    trail: list[str] = field(default_factory=list)  # the curl lines of the check under way
    requests: Counter[str] = field(default_factory=Counter)  # resource -> requests sent
    seconds: dict[str, float] = field(default_factory=dict)  # resource -> time spent
    resource: str = ""

    def send(self, method: str, url: str, *, query: Mapping[str, str] | None = None,
             headers: Mapping[str, str] | None = None, body: Any = None,
             media_type: str | None = None, files: frozenset[str] = frozenset()) -> Exchange:
        sent: dict[str, str] = dict(headers or {})
        if self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        content: bytes | None = None
        if body is not None and media_type is not None:
            sent["Content-Type"] = media_type
            if media_type.startswith("multipart/"):
                boundary = f"lifecycle{secrets.token_hex(8)}"
                sent["Content-Type"] = f"{media_type}; boundary={boundary}"
                content = multipart(body, boundary, files)
            elif media_type.endswith("json"):
                content = json.dumps(body).encode()
            else:
                content = urlencode(body, doseq=True).encode()
        full = url + ("?" + urlencode(query) if query else "")
        shown = {**sent, "Authorization": "[Filtered]"} if self.token else sent  # as Schemathesis shows it
        curl = curl_line(method.upper(), full, shown, content)
        self.trail.append(curl)
        started = time.monotonic()
        try:
            response = self.http.request(method.upper(), full, headers=sent, content=content)
        finally:
            self.requests[self.resource] += 1
            self.seconds[self.resource] = self.seconds.get(self.resource, 0.0) + time.monotonic() - started
        try:
            parsed = response.json() if response.content else None
        except ValueError:
            parsed = None
        return Exchange(response.status_code, response.headers, parsed, curl)

    def close(self) -> None:
        self.http.close()

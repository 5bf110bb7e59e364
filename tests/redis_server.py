"""A real ``redis-server`` on a free loopback port, for the tests of the Redis store.

Started by the project itself (``make test`` installs Debian's package when it can); a test that
needs it fails, saying how to install it, when it is missing. Readiness is polled with a deadline.
No persistence: state lives as long as the server. The Redis client is imported when a server
starts, not with this module (it takes a second to import, and test modules of the inner loop
import this one for its type).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    import redis

DEADLINE_SECONDS = 10.0
INSTALL_HINT = ("redis-server is not installed. Install Debian's package: `sudo apt-get update && sudo "
                "apt-get install -y redis-server` (`make test` does this when it runs as root)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RedisServer:
    process: subprocess.Popen[bytes]
    port: int
    directory: tempfile.TemporaryDirectory[str]

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(DEADLINE_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(DEADLINE_SECONDS)

    def close(self) -> None:
        self.stop()
        self.directory.cleanup()


def start_redis(port: int | None = None) -> RedisServer:
    """A fresh redis-server; on ``port`` if given (to restart one where it was)."""
    import redis

    executable = shutil.which("redis-server") or ("/usr/bin/redis-server"
                                                  if Path("/usr/bin/redis-server").exists() else None)
    if executable is None:
        pytest.fail(INSTALL_HINT)
    port = port or free_port()
    directory = tempfile.TemporaryDirectory(prefix="mockserver-redis-")
    argv = [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", directory.name, "--protected-mode", "yes"]
    server = RedisServer(subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT), port,
                         directory)
    deadline = time.monotonic() + DEADLINE_SECONDS
    client = server.client()
    while True:
        try:
            client.ping()
            client.close()
            return server
        except redis.ConnectionError:
            if server.process.poll() is not None or time.monotonic() > deadline:
                server.close()
                pytest.fail(f"redis-server did not answer on port {port} within {DEADLINE_SECONDS:g} s")
            time.sleep(0.02)  # polling a port, with a deadline

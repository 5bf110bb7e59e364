"""One redis-server for the Redis targets of a run, on a free loopback port, without persistence;
each target keeps its keys under a prefix of its own."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field

DEADLINE_SECONDS = 10.0


class RedisUnavailable(RuntimeError):
    pass


@dataclass
class BenchRedis:
    process: subprocess.Popen[bytes]
    port: int
    directory: tempfile.TemporaryDirectory[str] = field(repr=False)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(DEADLINE_SECONDS)
        self.directory.cleanup()


def start() -> BenchRedis:
    executable = shutil.which("redis-server")
    if executable is None:
        raise RedisUnavailable("redis-server is not installed (Debian: apt-get install redis-server)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    directory = tempfile.TemporaryDirectory(prefix="mockserver-bench-redis-")
    process = subprocess.Popen([executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", directory.name],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                if connection.recv(16).startswith(b"+PONG"):
                    return BenchRedis(process, port, directory)
        except OSError:
            time.sleep(0.01)  # polling the port, with a deadline
    process.kill()
    raise RedisUnavailable(f"redis-server did not answer on port {port} within {DEADLINE_SECONDS:g} s")

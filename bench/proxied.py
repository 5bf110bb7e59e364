"""The ``proxy`` target: ``mockserver proxy`` in front of the mock, both started here.

``python -m bench.proxied PORT``: the mock (as the ``mock`` target starts it) on a free loopback
port as a child process, polled until it answers, then the proxy on ``PORT`` in this process,
forwarding to it. Both are in the target's process group, so its CPU per request is theirs
together; its latency beside the ``mock`` target's is what the proxy adds.
"""

from __future__ import annotations

import subprocess
import sys
import time

from bench.payload import KEY
from bench.targets import READY_DEADLINE_SECONDS, free_port, patch_status
from mockserver import cli


def main(port: int) -> int:
    upstream_port = free_port()
    mock = subprocess.Popen([sys.executable, "-m", "mockserver", "run", "--port", str(upstream_port),
                             "--security-key", KEY], stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + READY_DEADLINE_SECONDS
        while time.monotonic() < deadline and mock.poll() is None:
            try:
                if patch_status(upstream_port) == 200:
                    break
            except OSError:
                time.sleep(0.005)
        return cli.main(["proxy", "--upstream", f"http://127.0.0.1:{upstream_port}", "--port", str(port),
                         "--security-key", KEY])
    finally:
        mock.terminate()
        mock.wait(10)


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1])))

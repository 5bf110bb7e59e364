"""Prism 5, installed with npm into ``bench/.prism`` (git-ignored) the first time it is needed.

The version is pinned: Prism 5.15 and later need Node 24, and a benchmark should compare against
the same peer from run to run.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

VERSION = "5.14.2"
PACKAGE = f"@stoplight/prism-cli@{VERSION}"
FOLDER = Path(__file__).resolve().parent / ".prism"
INSTALL_TIMEOUT_SECONDS = 300


class PrismUnavailable(Exception):
    """Prism cannot be installed here (no node/npm, or npm failed); the message says why."""


def executable() -> Path:
    return FOLDER / "node_modules" / ".bin" / "prism"


def installed_version() -> str | None:
    try:
        out = subprocess.run([str(executable()), "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() or None


def ensure_installed(say: Callable[[str], object] = print) -> str:
    """Prism's version, installing it first when missing (``PrismUnavailable`` if impossible)."""
    version = installed_version()
    if version == VERSION:
        return version
    npm, node = shutil.which("npm"), shutil.which("node")
    if npm is None or node is None:
        raise PrismUnavailable("node and npm are needed to install Prism "
                               "(Debian: apt-get install nodejs npm)")
    say(f"bench: installing {PACKAGE} into {FOLDER} (npm)")
    FOLDER.mkdir(exist_ok=True)
    try:
        result = subprocess.run(
            [npm, "install", "--prefix", str(FOLDER), PACKAGE, "--no-audit", "--no-fund",
             "--loglevel", "error"],
            capture_output=True, text=True, timeout=INSTALL_TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        raise PrismUnavailable(f"npm install {PACKAGE} took over {INSTALL_TIMEOUT_SECONDS}s") from None
    version = installed_version()
    if result.returncode != 0 or version != VERSION:
        raise PrismUnavailable(f"npm install {PACKAGE} failed (exit {result.returncode}):\n"
                               f"{result.stderr.strip()[-1500:]}")
    return version

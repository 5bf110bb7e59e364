"""The suite reads no file from outside the repository: an audit hook refuses the read.

Test data lives under the repository (``tests/data/``, ``fixtures/``, ``openapi/``), so a fresh
clone runs every test the same way. Installed once from ``tests/conftest.py``, the hook sees every
``open`` of this interpreter (Python's own and the libraries'); a read of a file outside the
repository, the interpreter's installation, the temporary directory, the system's directories and
the user's caches raises at once, naming the file. Writes are not this hook's concern. A clone
inside the temporary directory may still read its neighbours there (the tests' own files live in it).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

SYSTEM = ("/dev/", "/proc/", "/sys/", "/etc/", "/usr/", "/lib/", "/lib64/", "/opt/", "/var/", "/run/",
          "/snap/", "/nix/")
USER_CACHES = (".cache", ".local", ".config", ".npm", ".pyenv", ".cargo", ".rustup")


class OutsideRead(AssertionError):
    """A test read a file that a fresh clone may not have."""


def allowed_roots(root: Path) -> tuple[str, ...]:
    home = Path.home()
    places = [root, Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix),
              Path(tempfile.gettempdir()), *(home / name for name in USER_CACHES)]
    resolved = {os.path.realpath(place) for place in places}
    return (*SYSTEM, *(place.rstrip("/") + "/" for place in resolved))


def is_read(mode: Any, flags: Any) -> bool:
    if isinstance(mode, str):
        return not set(mode) & set("wax+")
    return isinstance(flags, int) and not flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)


def install(root: Path) -> None:
    """Refuse, from now on in this process, every read of a file outside ``root`` and the places
    the interpreter, the system and its caches keep their own files."""
    roots = allowed_roots(root)

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event != "open" or not isinstance(args[0], (str, bytes, os.PathLike)) or not is_read(*args[1:3]):
            return
        path = os.path.realpath(os.fsdecode(args[0]))
        if not (path + "/").startswith(roots):
            raise OutsideRead(f"{path}: a test read a file outside the repository; copy what the "
                              "suite needs under tests/data/ (a fresh clone has nothing else)")

    sys.addaudithook(hook)

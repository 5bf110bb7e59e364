"""CPU time of a process group, from ``/proc/<pid>/stat``: what a server spent, whoever else ran.

On a machine shared with the load generator, throughput depends on who else runs; the CPU seconds
a server used per request do not. A target runs in a session of its own, so its process group is
the server and every worker it forked.
"""

from __future__ import annotations

import os
from pathlib import Path

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def _fields(stat: str) -> list[str]:
    return stat[stat.rindex(")") + 2:].split()  # after "pid (comm) ": the command may hold spaces


def group_cpu_seconds(group: int) -> float | None:
    """User and system CPU seconds of the live processes in process group ``group`` (and of the
    children they reaped); None where there is no /proc."""
    total = 0
    found = False
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = _fields((entry / "stat").read_text())
        except OSError:
            continue  # ended meanwhile
        if int(fields[2]) == group:  # field 5 of stat: the process group
            found = True
            total += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return total / TICKS_PER_SECOND if found else None


def process_cpu_seconds(pid: int) -> float | None:
    try:
        fields = _fields(Path(f"/proc/{pid}/stat").read_text())
    except OSError:
        return None
    return sum(int(value) for value in fields[11:13]) / TICKS_PER_SECOND

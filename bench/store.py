"""The generated store of 10,000 sessions that ``mock-10k`` and ``mock-10k-list`` start with.

One JSON fixture file in a directory of its own (under the results folder's ``logs/``, which git
ignores), written by the bench before it starts the targets: 10,000 agent sessions of the default
database, in fixture form (AgentSessionDetailSchema's field names plus ``type``), with distinct
``created_at`` and ``updated_at`` times increasing with the index, so that any order by either is
unambiguous. The oldest is ``agent-research-001``, the session the benchmark PATCHes (and the
readiness check too). Every session is generated alike, so the PATCH of ``mock-10k`` answers a
smaller session than the bundled fixture ``mock`` answers with.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.payload import SESSION_ID

STORE_SIZE = 10_000
STORE_DIR_NAME = "store-10k"
STORE_FILE_NAME = "sessions.json"
FIRST_CREATED = datetime(2025, 1, 1, tzinfo=UTC)
AGENTS = ("research-agent", "support-agent", "writer-agent", "planner-agent")


def _rfc3339(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def session(index: int) -> dict[str, Any]:
    """Session ``index`` of the store: created a minute after the one before, updated 30 s later."""
    created = FIRST_CREATED + timedelta(minutes=index)
    return {
        "type": "agent",
        "session_id": SESSION_ID if index == 0 else f"agent-bench-{index:05d}",
        "session_name": f"Benchmark session {index}",
        "user_id": f"user-{index % 100:03d}@example.com",
        "agent_id": AGENTS[index % len(AGENTS)],
        "session_state": {"step": index % 7, "topic": f"topic {index % 50}"},
        "metadata": {"batch": index // 1000},
        "created_at": _rfc3339(created),
        "updated_at": _rfc3339(created + timedelta(seconds=30)),
    }


def store_dir(logs: Path) -> Path:
    return logs / STORE_DIR_NAME


def write_store(logs: Path, size: int = STORE_SIZE) -> Path:
    """Write the store's fixture file into ``logs/store-10k/`` (replacing it) and return that folder."""
    folder = store_dir(logs)
    folder.mkdir(parents=True, exist_ok=True)
    sessions = ",\n".join(json.dumps(session(i)) for i in range(size))  # one session a line
    partial = folder / f".{STORE_FILE_NAME}.partial"  # a dot file: never read as a fixture
    partial.write_text(f'{{"db_id": "main-db", "default": true, "sessions": [\n{sessions}\n]}}\n')
    os.replace(partial, folder / STORE_FILE_NAME)
    return folder

"""The ``--record`` recorder on its own: a file name per database and collection, answers applied
in the order seen, everything written at close, and a write that fails tried again."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from mockserver.agentos.fixtures import load_fixtures
from mockserver.agentos.model import SessionModel
from mockserver.agentos.operations import session_operations
from mockserver.agentos.recording import DEFAULT_FILE, SessionRecording, sessions_file_name
from mockserver.core.fixture_files import collection_file_name
from mockserver.core.spec import Spec
from mockserver.errors import ConfigError
from mockserver.server.proxy.record import Recorder

HOSTILE = ("a/b", "a:b", "a_b", "A_B", "é", "ü", "e", ".", "..", "", "../../etc/passwd", "/abs", "a\\b",
           "x" * 300, "x" * 301, "\0", "sessions-default", "default ")


def test_every_database_and_collection_gets_a_file_name_of_its_own() -> None:
    names = [sessions_file_name(db) for db in HOSTILE] + [collection_file_name(path) for path in (
        "/a/b", "/a-b", "/a_b", "/sessions/default", "/", "/é")]
    assert len(set(names)) == len(names) and len({name.lower() for name in names}) == len(names)
    for name in names:
        assert "/" not in name and "\\" not in name and "\0" not in name and not name.startswith("."), name
        assert name.endswith(".json") and len(name) <= 70, name
    assert sessions_file_name("default") == DEFAULT_FILE == "sessions-default.json"
    assert sessions_file_name("é").startswith("sessions-e.") and collection_file_name("/agents").startswith("agents.")


def recorder_in(directory: Path, spec: Spec) -> Recorder:
    claimed = frozenset(operation.key for operation in session_operations(spec))
    return Recorder(directory, [spec], set(claimed), SessionRecording(claimed))


def encode(value: Any) -> bytes:
    return b"" if value is None else json.dumps(value).encode()


def answer(recorder: Recorder, key: str, path: str, body: Any, query: str = "", request: Any = None,
           status: int = 200) -> None:
    recorder.seen(key, {"path": path, "query_string": query.encode()}, encode(request), status, encode(body))


def session(session_id: str, name: str) -> dict[str, Any]:
    return {"session_id": session_id, "agent_session_id": session_id, "session_name": name}


def test_answers_are_applied_in_order_and_all_written_at_close(tmp_path: Path, spec: Spec) -> None:
    recorder = recorder_in(tmp_path, spec)
    for i in range(200):  # one session renamed 200 times, in several databases: the last name wins
        for db in ("a/b", "a:b", ""):
            answer(recorder, "update_session", "/sessions/s", session("s", f"{db} {i}"), f"db_id={db}")
    answer(recorder, "get_session_runs", "/sessions/early/runs", [], "db_id=a/b")  # before its session
    answer(recorder, "create_session", "/sessions", session("early", "runs first"), "db_id=a/b", status=201)
    answer(recorder, "create_session", "/sessions", session("gone", "deleted"), status=201)
    answer(recorder, "create_session", "/sessions", session("also-gone", "deleted"), "db_id=a:b", status=201)
    answer(recorder, "update_session", "/sessions/s", session("s", "refused"), status=422)
    answer(recorder, "delete_session", "/sessions/gone", None, status=204)
    answer(recorder, "delete_sessions", "/sessions", None, "db_id=a:b", {"session_ids": ["also-gone"]}, 204)
    asyncio.run(recorder.close())
    fixtures = load_fixtures(tmp_path, SessionModel.from_spec(spec))
    found = {(r["db_id"], r["session_id"]): r for r in fixtures.records}
    assert sorted(found) == [("a/b", "early"), ("a/b", "s"), ("a:b", "s"), ("default", "s")]
    assert [found[(db, "s")]["session_name"] for db in ("a/b", "a:b", "default")] == ["a/b 199", "a:b 199", " 199"]
    assert found[("a/b", "early")]["runs"] == [] and fixtures.default_db == "default"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_a_write_that_fails_is_tried_again_and_recording_goes_on(tmp_path: Path, spec: Spec,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    recorder = recorder_in(tmp_path, spec)
    blocked = tmp_path / sessions_file_name("a/b")
    blocked.mkdir()  # a folder where the file goes: replacing it fails
    answer(recorder, "update_session", "/sessions/s", session("s", "first"), "db_id=a/b")
    answer(recorder, "update_session", "/sessions/s", session("s", "elsewhere"), "db_id=other")
    with caplog.at_level(logging.ERROR, logger="mockserver.proxy"):
        assert recorder.flush()
    assert f"cannot write {blocked}" in caplog.text and (tmp_path / sessions_file_name("other")).is_file()
    blocked.rmdir()
    answer(recorder, "update_session", "/sessions/s", session("s", "second"), "db_id=a/b")
    asyncio.run(recorder.close())
    written = json.loads(blocked.read_text())
    assert written["db_id"] == "a/b" and [s["session_name"] for s in written["sessions"]] == ["second"]


def test_a_record_folder_that_cannot_be_written_stops_the_start_naming_it(tmp_path: Path, spec: Spec) -> None:
    (tmp_path / "a-file").write_text("")
    with pytest.raises(ConfigError, match=r"--record .*a-file/recorded: cannot write there \(Not a directory\)"):
        recorder_in(tmp_path / "a-file" / "recorded", spec)

"""`mockserver contract` against a real AgentOS (agno 2.3.17) surfaces its known deviations, and only those.

The test starts and stops the server itself (tests/agentos/agentos_server.py, seeded with the
fixtures' main-db sessions), with deadlines. The contract is both bundled documents. Each failing
check is tied to its cause (docs/agentos-deviations.md): a failure the run finds that none of these
explains fails the test, and so does a known deviation that the run no longer finds.
"""

from __future__ import annotations

import importlib.util
import json
import re
import urllib.request
from collections import defaultdict
from urllib.parse import parse_qs, urlsplit

import pytest

from mockserver.contract.report import ContractFailure, ContractReport
from mockserver.contract.runner import run_contract
from tests.agentos.contract_agentos import FIXTURES, KEY, SESSIONS, running_agentos
from tests.conftest import SESSION_SPECS as SPECS  # the sessions API: what AgentOS is checked against

pytestmark = [pytest.mark.agentos, pytest.mark.process, pytest.mark.slow]

MAX_EXAMPLES = 25
SEED = 11
# The checks 2.3.17 fails against the two documents; every other check must pass.
FAILING_CHECKS = {"response_schema_conformance", "not_a_server_error", "allow_header_conformance",
                  "positive_data_acceptance", "negative_data_rejection"}
CONNECTION_RESET = re.compile(r"Connection (aborted|reset)|RemoteDisconnected|ConnectionResetError", re.I)


def last_request(failure: ContractFailure) -> tuple[str, str, dict[str, list[str]], str]:
    """Method, path, query and curl line of the request that failed (the last of a sequence)."""
    line = failure.curl.strip().splitlines()[-1]
    method = re.search(r"-X (\w+)", line)
    url = re.search(r"(http://[^\s']+)", line)
    assert method and url, failure.curl
    parts = urlsplit(url.group(1))
    return method.group(1), parts.path, parse_qs(parts.query, keep_blank_values=True), line


def is_int(text: str) -> bool:
    return re.fullmatch(r"-?\d+", text) is not None


def failures_by_check(report: ContractReport) -> dict[str, list[tuple[str, ContractFailure]]]:
    grouped: dict[str, list[tuple[str, ContractFailure]]] = defaultdict(list)
    for (check, _kind, operation, _status), failure in report.failures.items():
        grouped[check].append((operation, failure))
    return grouped


def seeded_ids(url: str, session_type: str) -> set[str]:
    request = urllib.request.Request(f"{url}/sessions?type={session_type}&limit=100",
                                     headers={"Authorization": f"Bearer {KEY}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return {item["session_id"] for item in json.load(response)["data"]}


def fixture_ids(session_type: str) -> set[str]:
    from mockserver.agentos.fixtures import load_fixtures
    from mockserver.agentos.model import SessionModel
    from mockserver.config import Config
    from mockserver.core.combined import load_specs

    model = SessionModel.from_spec(load_specs(Config().specs).combined)
    return {r["session_id"] for r in load_fixtures(FIXTURES, model).records
            if r["db_id"] == "main-db" and r["type"] == session_type}


@pytest.fixture(scope="module")
def report() -> ContractReport:
    if importlib.util.find_spec("agno") is None:
        pytest.fail("agno is not installed: `make venv` installs it (pip install -e '.[test,agentos]')")
    with running_agentos() as server:
        assert server.url is not None
        # Seeded with exactly the fixtures' main-db sessions (read before the run changes them).
        for session_type in ("agent", "team", "workflow"):
            assert seeded_ids(server.url, session_type) == fixture_ids(session_type), session_type
        result = run_contract(SPECS, server.url, KEY, SESSIONS, max_examples=MAX_EXAMPLES, seed=SEED)
    assert server.process.returncode == 0, server.output()
    return result


def test_the_run_reaches_every_success_status_and_fails_only_the_known_checks(report: ContractReport) -> None:
    # After a 500, uvicorn closes the keep-alive connection; a request already on its way may meet
    # the reset. Any other error is not expected.
    assert [e for e in report.errors if not CONNECTION_RESET.search(e)] == [], report.errors
    assert report.runs == ["random ids", *(s.label for s in SESSIONS)]
    assert report.statuses[200] > 0 and report.statuses[201] > 0 and report.statuses[204] > 0, report.statuses
    assert set(report.failed) == FAILING_CHECKS, dict(report.failed)
    # No longer failing (3.1.10 failed it): 2.3.17 serves exactly the documented methods.
    assert report.failed["unsupported_method"] == 0 and report.passed["unsupported_method"] > 0


def test_422_bodies_are_fastapi_lists_and_every_success_body_matches_the_spec(report: ContractReport) -> None:
    failures = failures_by_check(report)["response_schema_conformance"]
    for operation, failure in failures:
        # The spec's ValidationErrorResponse has detail: string; AgentOS sends pydantic's error list.
        assert failure.status == 422, (operation, failure.status, failure.message)
        assert failure.message.lstrip().startswith("[{") and 'is not of type "string"' in failure.message
    operations = {operation for operation, _ in failures}
    assert {"GET /sessions", "POST /sessions", "PATCH /sessions/{session_id}",
            "GET /sessions/{session_id}"} <= operations, operations


def test_server_errors_come_from_bad_limits_undeclared_bodies_and_summaries(report: ContractReport) -> None:
    causes: set[str] = set()
    for operation, failure in failures_by_check(report)["not_a_server_error"]:
        assert failure.status == 500, (operation, failure.status)
        method, path, query, line = last_request(failure)
        if failure.title == "Server error on undeclared request Content-Type":
            # A text/plain body: FastAPI cannot render its own 422 ("bytes is not JSON serializable").
            assert "Content-Type: text/plain" in line, line
            causes.add("text/plain")
        elif (method, path) == ("GET", "/sessions"):
            # limit outside 1..100 or a negative page: PaginationInfo fails after the query ran.
            limit, page = query.get("limit", ["20"])[-1], query.get("page", ["1"])[-1]
            assert (is_int(limit) and not 1 <= int(limit) <= 100) or (is_int(page) and int(page) < 0), line
            causes.add("limit/page")
        elif method == "PATCH" and '"summary": {' in line:
            # A summary object without "summary": SessionSummary(**summary) raises TypeError.
            causes.add("summary")
        elif query.get("type") == ["workflow"]:
            # An agent or team session with runs read as a workflow: KeyError 'steps' (the lookup
            # ignores the stored type and parses its runs as workflow runs).
            causes.add("type mismatch")
        else:
            pytest.fail(f"an unexplained 500 on {operation}: {failure.curl}")
    assert {"text/plain", "limit/page"} <= causes, causes


def test_options_answers_405_allowing_only_get(report: ContractReport) -> None:
    failures = failures_by_check(report)["allow_header_conformance"]
    assert failures
    for operation, failure in failures:
        assert failure.status == 405, (operation, failure.status)
        assert "`Allow: GET` does not match" in failure.message, failure.message
        assert last_request(failure)[0] == "OPTIONS"


def body_of(line: str) -> object:
    """The JSON body of a curl line (``-d '...'``, quotes escaped as ``'"'"'``), or None."""
    match = re.search(r"-d '((?:[^']|'\"'\"')*)'", line)
    return json.loads(match.group(1).replace("'\"'\"'", "'")) if match else None


def test_table_without_db_id_is_a_400(report: ContractReport) -> None:
    causes: set[str] = set()
    for operation, failure in failures_by_check(report)["positive_data_acceptance"]:
        method, path, query, line = last_request(failure)
        assert failure.status == 400, (operation, failure.status, failure.curl)
        body = body_of(line)
        if "table" in query and not query.get("db_id", [""])[-1]:
            # The spec's `table` is a free string; AgentOS wants db_id beside it ("The db_id query
            # parameter is required when passing a table").
            causes.add("table")
        elif ((method, path) == ("DELETE", "/sessions") and isinstance(body, dict)
              and len(body.get("session_ids") or ()) != len(body.get("session_types") or ())):
            # Lists of different lengths (the schema cannot say they must match): the documented 400.
            causes.add("unequal lists")
        else:
            pytest.fail(f"an unexplained 400 on {operation}: {failure.curl}")
    assert "table" in causes, causes


def test_bulk_delete_ignores_type(report: ContractReport) -> None:
    failures = failures_by_check(report)["negative_data_rejection"]
    assert failures
    for operation, failure in failures:
        # agno 2.3.16's document gives DELETE /sessions a `type` enum; 2.3.17 dropped that parameter,
        # so a type outside the enum is ignored and the delete succeeds.
        assert (operation, failure.status) == ("DELETE /sessions", 204), (operation, failure.status)
        assert "parameter `type` in query" in failure.message, failure.message


def test_the_link_checks_pass_in_the_random_ids_run(report: ContractReport) -> None:
    # A created session can be found and a deleted one stays gone on AgentOS too; pinned runs skip
    # these two checks (mockserver contract: their links would lead to the pinned id).
    assert "ensure_resource_availability" in report.passed and "use_after_free" in report.passed
    assert not failures_by_check(report)["ensure_resource_availability"]
    assert not failures_by_check(report)["use_after_free"]


def test_advisories_errors_without_error_code_and_integer_workflow_timestamps(report: ContractReport) -> None:
    assert report.advisories is not None
    advisories = set(report.advisories.messages)
    # No error body has error_code (optional in every error schema of both documents).
    assert {("error_code", status) for status in ("400", "401", "404", "405", "422", "500")} <= advisories
    # 2.3.17 writes workflow timestamps as integers, as WorkflowSessionDetailSchema says (3.x does not).
    assert not [key for key in advisories if key[0] == "typed_schema" and key[2] in ("created_at", "updated_at")]

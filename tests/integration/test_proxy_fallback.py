"""``mockserver proxy --fallback`` in front of a real backend that implements half of the petstore
(``tests/half_petstore.py``, served on loopback): what the upstream answers is relayed untouched,
what it does not implement (501, its framework's 404 or 405) the stateful mock answers over the
proxy's fixtures, marked so in the header, the journal, the summary and the JUnit report; a 404
in the documented shape and an undocumented path stay the upstream's; off by default."""

from __future__ import annotations

import asyncio
import os
import sys
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mockserver.cli import main
from mockserver.config import Config
from mockserver.errors import ConfigError
from mockserver.server import BackgroundServer, Proxy, build_proxy, serve_in_thread
from tests.conftest import FIXTURES, SPECS
from tests.half_petstore import PET, half_petstore
from tests.processes import ServerProcess

PETSTORE = Path(__file__).parent.parent / "data" / "specs" / "petstore.yaml"
TIMEOUT = 10
MOCK_TOM = {"id": 1, "name": "Mock Tom", "status": "pending"}  # the mock's pet 1, not the upstream's
MERGE_PATCH = {"Content-Type": "application/merge-patch+json"}


def mock_fixtures(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "pets.yaml").write_text("collection: /pets\nitems:\n  - {id: 1, name: Mock Tom, status: pending}\n")
    return folder


class Pair:
    """The half-implemented backend and the proxy in front of it, both on loopback."""

    def __init__(self, tmp_path: Path, upstream: Any = None, **settings: Any) -> None:
        app, self.seen = half_petstore()
        self.upstream: BackgroundServer = serve_in_thread(upstream or app)
        settings.setdefault("fixtures", mock_fixtures(tmp_path / "fixtures"))
        settings.setdefault("specs", (PETSTORE,))
        self.proxy: Proxy = build_proxy(Config(upstream=self.upstream.url, **settings))
        self.served = serve_in_thread(self.proxy.app)
        self.client = httpx.Client(base_url=self.served.url, timeout=TIMEOUT)

    def journal(self) -> list[dict[str, Any]]:
        return list(self.client.get("/__mockserver/requests").json())

    def close(self) -> None:
        self.client.close()
        self.served.stop()
        self.upstream.stop()


@pytest.fixture
def pair_of(tmp_path: Path) -> Iterator[Callable[..., Pair]]:
    pairs: list[Pair] = []

    def make(**settings: Any) -> Pair:
        pairs.append(Pair(tmp_path, **settings))
        return pairs[-1]

    yield make
    for pair in pairs:
        pair.close()


def source(answer: httpx.Response) -> str | None:
    return answer.headers.get("mockserver-source")


@pytest.mark.server
def test_what_the_mock_creates_is_read_updated_and_deleted_through_the_mock(pair_of: Callable[..., Pair]) -> None:
    pair = pair_of(fallback="unimplemented")
    created = pair.client.post("/pets", json={"name": "Felix", "tag": "cat"})  # the upstream: 501
    assert (created.status_code, source(created)) == (201, "mock"), created.text
    pet = created.json()
    assert pet["name"] == "Felix" and pet["tag"] == "cat" and pet["id"] != 1  # the body, replayed
    read = pair.client.get(f"/pets/{pet['id']}")  # the upstream: its framework's 405
    assert (read.status_code, source(read), read.json()) == (200, "mock", pet)
    updated = pair.client.patch(f"/pets/{pet['id']}", json={"status": "sold"}, headers=MERGE_PATCH)
    assert (updated.status_code, source(updated), updated.json()["status"]) == (200, "mock", "sold")
    assert pair.client.get(f"/pets/{pet['id']}").json()["status"] == "sold"
    assert pair.seen[:2] == ["POST /pets", f"GET /pets/{pet['id']}"]  # asked first, each time


@pytest.mark.server
def test_upstream_answers_are_relayed_untouched_and_marked_as_the_upstreams(pair_of: Callable[..., Pair]) -> None:
    pair = pair_of(fallback="unimplemented")
    direct = httpx.get(pair.upstream.url + "/pets", timeout=TIMEOUT)
    through = pair.client.get("/pets")
    assert (through.status_code, through.content) == (direct.status_code, direct.content)
    assert through.headers["content-type"] == direct.headers["content-type"]
    assert source(through) == "upstream" and through.json() == [PET]


@pytest.mark.server
def test_a_404_in_the_operations_documented_shape_is_the_upstreams_answer(pair_of: Callable[..., Pair]) -> None:
    pair = pair_of(fallback="unimplemented")
    missing = pair.client.delete("/pets/99")
    assert (missing.status_code, source(missing)) == (404, "upstream")
    assert missing.json() == {"code": 404, "message": "no pet 99"}
    assert pair.client.get("/pets/1").json() == MOCK_TOM  # the mock still has its own pet 1


@pytest.mark.server
def test_a_501_and_the_frameworks_own_404_and_405_fall_back(pair_of: Callable[..., Pair]) -> None:
    pair = pair_of(fallback="unimplemented")
    inventory = pair.client.get("/store/inventory")  # the upstream: 404 "Not Found", plain text
    assert (inventory.status_code, source(inventory)) == (200, "mock") and inventory.json() == {
        "available": 3, "sold": 10}
    read = pair.client.get("/pets/1")  # the upstream: 405 "Method Not Allowed"
    assert (read.status_code, source(read), read.json()) == (200, "mock", MOCK_TOM)
    from_a_page = pair.client.post("/pets", json={"name": "Felix"}, headers={"Origin": "http://app.test"})
    assert source(from_a_page) == "mock" and from_a_page.headers["access-control-allow-origin"] == "*"
    assert pair.seen == ["GET /store/inventory", "GET /pets/1", "POST /pets"]


@pytest.mark.server
def test_an_undocumented_path_keeps_the_upstreams_answer(pair_of: Callable[..., Pair]) -> None:
    pair = pair_of(fallback="unreachable")
    missing = pair.client.get("/no/such/thing")
    assert (missing.status_code, missing.text, source(missing)) == (404, "Not Found", "upstream")
    health = pair.client.get("/health")
    assert (health.status_code, health.json(), source(health)) == (200, {"status": "ok"}, "upstream")


@pytest.mark.server
def test_state_written_through_the_upstream_is_not_in_the_mocks_state(pair_of: Callable[..., Pair]) -> None:
    pair = pair_of(fallback="unimplemented")
    deleted = pair.client.delete("/pets/1")  # the upstream deletes its own pet 1
    assert (deleted.status_code, source(deleted)) == (204, "upstream")
    assert pair.client.get("/pets").json() == []  # the upstream's list
    assert pair.client.get("/pets/1").json() == MOCK_TOM  # the mock's pet 1 is still there
    renamed = pair.client.patch("/pets/1", json={"name": "Tom II"}, headers=MERGE_PATCH)
    assert (renamed.status_code, source(renamed)) == (200, "mock")
    assert httpx.get(pair.upstream.url + "/pets", timeout=TIMEOUT).json() == []  # nothing written there


@pytest.mark.server
def test_off_by_default_the_proxy_never_answers_for_the_upstream(pair_of: Callable[..., Pair]) -> None:
    pair = pair_of()
    stub = pair.client.post("/pets", json={"name": "Felix"})
    assert (stub.status_code, stub.json()) == (501, {"detail": "Not Implemented"})
    assert pair.client.get("/pets/1").status_code == 405
    assert pair.client.get("/store/inventory").status_code == 404
    assert all(source(pair.client.get(path)) is None for path in ("/pets", "/pets/1"))
    assert all("source" not in entry for entry in pair.journal())
    assert "answered by" not in pair.proxy.report.summary()


def dead_upstream() -> str:
    dead = serve_in_thread(half_petstore()[0])
    url = dead.url
    dead.stop()
    return url


@pytest.mark.server
def test_unreachable_mode_answers_from_the_mock_when_the_upstream_cannot_be_reached(tmp_path: Path) -> None:
    fixtures = mock_fixtures(tmp_path / "fixtures")
    url = dead_upstream()
    for mode, expected in (("unimplemented", (502, "proxy")), ("unreachable", (200, "mock"))):
        proxy = build_proxy(Config(specs=(PETSTORE,), upstream=url, fixtures=fixtures, fallback=mode))
        served = serve_in_thread(proxy.app)
        try:
            answer = httpx.get(served.url + "/pets", timeout=TIMEOUT)
            assert (answer.status_code, source(answer)) == expected, (mode, answer.text)
            undocumented = httpx.get(served.url + "/health", timeout=TIMEOUT)
            assert (undocumented.status_code, source(undocumented)) == (502, "proxy")
        finally:
            served.stop()
        assert proxy.report.failures == 2
    assert answer.json() == [MOCK_TOM]


@pytest.mark.server
def test_unreachable_mode_answers_from_the_mock_when_the_upstream_is_silent(pair_of: Callable[..., Pair]) -> None:
    async def silent(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            await asyncio.sleep(5)

    pair = pair_of(upstream=silent, fallback="unreachable", upstream_timeout=0.3)
    answer = pair.client.get("/pets/1")
    assert (answer.status_code, source(answer), answer.json()) == (200, "mock", MOCK_TOM)
    assert pair.proxy.report.failures == 1


@pytest.mark.server
def test_fallback_only_and_never_fallback_choose_the_operations(pair_of: Callable[..., Pair]) -> None:
    only = pair_of(fallback="unimplemented", fallback_only=("createPet",))
    assert source(only.client.post("/pets", json={"name": "Felix"})) == "mock"
    relayed = only.client.get("/pets/1")
    assert (relayed.status_code, source(relayed)) == (405, "upstream")
    never = pair_of(fallback="unimplemented", never_fallback=("getInventory", "GET /pets/{petId}"))
    inventory = never.client.get("/store/inventory")
    assert (inventory.status_code, inventory.text, source(inventory)) == (404, "Not Found", "upstream")
    assert never.client.get("/pets/1").status_code == 405
    assert source(never.client.post("/pets", json={"name": "Felix"})) == "mock"


@pytest.mark.parametrize("flag", ["--fallback-only", "--never-fallback"])
def test_an_unknown_operation_stops_start_up_naming_the_flag_and_the_id(flag: str, capsys: Any) -> None:
    setting = {"--fallback-only": "fallback_only", "--never-fallback": "never_fallback"}[flag]
    with pytest.raises(ConfigError, match=f"^{flag}: no operation of the documents is 'listPet'"):
        build_proxy(Config(specs=(PETSTORE,), upstream="http://127.0.0.1:9", fallback="unimplemented",
                           **{setting: ("createPet", "listPet")}))
    status = main(["proxy", "--upstream", "http://127.0.0.1:9", "--spec", str(PETSTORE), "--fallback",
                   flag, "listPets,listPet"])
    assert status != 0
    assert f"{flag}: no operation of the documents is 'listPet'" in capsys.readouterr().err


def test_fallback_only_without_fallback_or_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ConfigError, match="add --fallback"):
        Config(fallback_only=("createPet",))
    with pytest.raises(ConfigError, match="unimplemented, unreachable, got 'always'"):
        Config(fallback="always")
    with pytest.raises(ConfigError, match="both name createPet"):
        Config(fallback="unimplemented", fallback_only=("createPet",), never_fallback=("createPet",))
    assert Config.from_env({"MOCKSERVER_FALLBACK": "off"}).fallback is None
    assert Config.from_env({"MOCKSERVER_FALLBACK": "Unreachable",
                            "MOCKSERVER_NEVER_FALLBACK": "a, b"}).never_fallback == ("a", "b")


@pytest.mark.server
def test_the_journal_says_which_source_answered(pair_of: Callable[..., Pair]) -> None:
    pair = pair_of(fallback="unimplemented", max_body_bytes=64)
    pair.client.get("/pets")
    pair.client.post("/pets", json={"name": "Felix"})
    too_big = pair.client.post("/pets", json={"name": "x" * 100})  # refused by the proxy itself
    assert (too_big.status_code, source(too_big)) == (413, "proxy")
    assert [(entry["method"], entry["status"], entry["source"]) for entry in pair.journal()] == [
        ("GET", 200, "upstream"), ("POST", 201, "mock"), ("POST", 413, "proxy")]
    assert pair.seen == ["GET /pets", "POST /pets"]  # the refused body went nowhere


@pytest.mark.server
@pytest.mark.process
def test_the_summary_and_junit_count_answers_by_source(tmp_path: Path) -> None:
    app, _ = half_petstore()
    upstream = serve_in_thread(app)
    junit = tmp_path / "proxy.xml"
    argv = [sys.executable, "-m", "mockserver", "proxy", "--upstream", upstream.url, "--port", "0",
            "--spec", str(PETSTORE), "--fixtures", str(mock_fixtures(tmp_path / "fixtures")),
            "--fallback", "--junit-xml", str(junit)]
    process = ServerProcess(argv, r"proxy on (http://127\.0\.0\.1:\d+)", {**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        url = process.wait_ready()
        with httpx.Client(base_url=url, timeout=TIMEOUT) as client:
            assert source(client.get("/pets")) == "upstream"
            assert source(client.post("/pets", json={"name": "Felix"})) == "mock"
            assert source(client.post("/pets", json={"name": "Tom"})) == "mock"
    finally:
        status = process.stop()
        upstream.stop()
    output = process.output()
    assert status == 0, output
    assert "fallback  unimplemented: the mock (fixtures" in output
    assert "proxy: 3 exchanges (answered by upstream 1, mock 2, proxy 0), 0 violations" in output
    assert "  createPet: 2 exchanges (answered by upstream 0, mock 2, proxy 0), 0 violations" in output
    suite = ElementTree.parse(junit).getroot()

    def answered(element: ElementTree.Element) -> dict[str, str]:
        return {str(p.get("name")): str(p.get("value")) for p in element.findall("properties/property")}

    assert answered(suite) == {"answered_by_upstream": "1", "answered_by_mock": "2", "answered_by_proxy": "0"}
    cases = {case.get("name"): answered(case) for case in suite.iter("testcase")}
    assert cases["createPet"]["answered_by_mock"] == "2" and cases["listPets"]["answered_by_upstream"] == "1"


@pytest.mark.server
def test_the_profiles_handlers_answer_for_a_stub_backend_runs_streamed_included(tmp_path: Path) -> None:
    async def stub(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            await send({"type": "http.response.start", "status": 501,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": b'{"detail": "Not Implemented"}'})

    pair = Pair(tmp_path, upstream=stub, specs=SPECS, fixtures=FIXTURES, fallback="unimplemented")
    try:
        created = pair.client.post("/sessions", params={"type": "agent"}, json={"session_name": "Via the mock"})
        assert (created.status_code, source(created)) == (201, "mock")
        read = pair.client.get(f"/sessions/{created.json()['session_id']}")
        assert (read.status_code, source(read), read.json()["session_name"]) == (200, "mock", "Via the mock")
        with pair.client.stream("POST", "/agents/research-agent/runs", data={"message": "hi", "stream": "true"}) as run:
            assert (run.status_code, source(run)) == (200, "mock")
            assert run.headers["content-type"].startswith("text/event-stream")
            events = [line for line in run.iter_lines() if line.startswith("event:")]
        assert events[0] == "event: RunStarted" and events[-1] == "event: RunCompleted", events
    finally:
        pair.close()


@pytest.mark.server
def test_with_strict_a_bad_request_is_the_proxys_answer_and_reaches_neither(pair_of: Callable[..., Pair]) -> None:
    pair = pair_of(fallback="unimplemented", strict=True, violations_header=True)
    refused = pair.client.post("/pets", json={"name": ""})
    assert (refused.status_code, source(refused)) == (422, "proxy")
    assert pair.seen == []
    read = pair.client.get("/pets/1")
    assert (read.json(), source(read), read.headers["mockserver-violations"]) == (MOCK_TOM, "mock", "0")


@pytest.mark.server
def test_record_keeps_the_upstreams_answers_never_the_mocks(pair_of: Callable[..., Pair], tmp_path: Path) -> None:
    recorded = tmp_path / "recorded"
    pair = pair_of(fallback="unimplemented", record=recorded)
    assert source(pair.client.get("/pets")) == "upstream"
    assert source(pair.client.post("/pets", json={"name": "Felix"})) == "mock"
    assert source(pair.client.get("/pets/1")) == "mock"
    assert pair.proxy.recorder is not None and pair.proxy.recorder.flush()
    written = "".join(path.read_text() for path in recorded.iterdir())
    assert "Upstream Rex" in written and "Felix" not in written and "Mock Tom" not in written


@pytest.mark.server
def test_agentos_frameworks_own_not_found_falls_back_and_its_handlers_not_found_is_relayed(tmp_path: Path) -> None:
    """A real AgentOS 2.3.17 answers a route it lacks with FastAPI's `{"detail":"Not Found"}`, which
    AgentOS's documented 404 (`{"detail": string}`) also fits; its handlers say what is missing."""
    async def half_agentos(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = (b'{"detail":"Agent Session with id \'nope\' not found"}' if scope["path"] == "/sessions/nope"
                else b'{"detail":"Not Found"}')
        await send({"type": "http.response.start", "status": 404,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body})

    pair = Pair(tmp_path, upstream=half_agentos, specs=SPECS, fixtures=FIXTURES, fallback="unimplemented")
    try:
        listed = pair.client.get("/sessions", params={"type": "agent"})
        assert (listed.status_code, source(listed)) == (200, "mock"), listed.text
        missing = pair.client.get("/sessions/nope", params={"type": "agent"})
        assert (missing.status_code, source(missing)) == (404, "upstream")
        assert missing.json() == {"detail": "Agent Session with id 'nope' not found"}
    finally:
        pair.close()

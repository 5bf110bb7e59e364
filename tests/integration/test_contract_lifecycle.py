"""The lifecycle checks of `mockserver contract` pass the mock on documents with collections, fail
Prism (stateless), and each lifecycle breaker is caught by exactly the check named for it."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from mockserver import cli
from mockserver.config import Config
from mockserver.contract import LIFECYCLE_CHECKS
from mockserver.contract.command import known_parameters
from mockserver.contract.lifecycle import LifecycleReport, run_lifecycle
from mockserver.contract.lifecycle.outcome import FAILED, PASSED, SKIPPED
from mockserver.server.app import build_mock
from mockserver.server.serving import serve_in_thread
from tests import contract_servers
from tests.conftest import FIXTURES, ROOT
from tests.conftest import SPECS as AGENTOS_SPECS
from tests.redis_server import free_port

SPECS = ROOT / "tests" / "data" / "specs"
PETSTORE = SPECS / "petstore.yaml"
REAL_WORLD = SPECS / "real-world"


@pytest.fixture
def served() -> Iterator[Callable[..., str]]:
    """Serve a (possibly broken) mock of a document in a background thread; stopped after the test."""
    running = []

    def serve(spec: Path, wrap: Callable[[Any], Any] = lambda app: app) -> str:
        mock = build_mock(Config(specs=(spec,), require_credentials=False))
        running.append(serve_in_thread(wrap(mock.app)))
        return running[-1].url

    yield serve
    for server in running:
        server.stop()


def lifecycle(spec: Path, url: str) -> LifecycleReport:
    return run_lifecycle((spec,), url, None, {}, seed=42, max_examples=5)


@pytest.mark.server
@pytest.mark.slow
@pytest.mark.parametrize(("document", "passed", "collections"), [
    ("petstore.yaml", 6, 1),
    ("real-world/dotnet-eshop-catalog.yaml", 6, 1),
    ("real-world/redocly-museum.yaml", 6, 1),
    ("real-world/google-tasks.yaml", 12, 2),  # the tasks of a list: in a task list created for them
    ("real-world/xero-files.yaml", 13, 3),  # /Folders has no page parameters; associations no item GET
    ("real-world/scalar-galaxy.yaml", 6, 1),  # satellites sent with planets inside, read back with their ids
    ("real-world/readme-api.yaml", 10, 6),  # no answer documents a body: what cannot be seen is skipped
    # A workspace is sent as its gid and read as an object: create_then_read says so, skipped
    ("large/asana-projects-tags-portfolios.yaml", 15, 3),
    ("large/box-webhooks-groups-retention-policies.json", 16, 3),
    ("digitalocean/specification/DigitalOcean-public.v2.yaml", 11, 2),  # {"ssh_key": ...}; domains by name
])
def test_every_lifecycle_check_passes_on_the_mock(served: Callable[..., str], document: str, passed: int,
                                                  collections: int) -> None:
    report = lifecycle(SPECS / document, served(SPECS / document))
    assert report.ok, [(o.check, o.resource, o.sentence) for o in report.failures()]
    assert report.count(PASSED) == passed
    assert len({o.resource for o in report.outcomes}) == collections
    assert all(o.sentence for o in report.outcomes if o.result == SKIPPED)
    assert not report.left_behind


@pytest.mark.server
@pytest.mark.slow
def test_a_field_no_server_can_read_back_as_sent_makes_create_then_read_say_skipped_and_why(
        served: Callable[..., str]) -> None:
    asana = SPECS / "large" / "asana-projects-tags-portfolios.yaml"
    report = lifecycle(asana, served(asana))
    skipped = {o.resource: o.sentence for o in report.outcomes if o.check == "create_then_read"}
    assert all(o.result == SKIPPED for o in report.outcomes if o.check == "create_then_read")
    assert "workspace (sent as string, read as object)" in skipped["/tags"]
    assert skipped["/tags"].endswith("every other field did")


@pytest.mark.server
@pytest.mark.slow
def test_the_petstore_runs_every_check_and_leaves_nothing(served: Callable[..., str]) -> None:
    url = served(PETSTORE)
    report = lifecycle(PETSTORE, url)
    assert {o.check for o in report.outcomes if o.result == PASSED} == set(LIFECYCLE_CHECKS)
    assert report.requests["/pets"] > 6 and report.seconds["/pets"] > 0
    import httpx

    assert httpx.get(f"{url}/pets").json() == []  # every pet created was deleted


@pytest.mark.server
@pytest.mark.slow
def test_every_lifecycle_check_passes_on_the_agentos_mock() -> None:
    config = Config(specs=AGENTOS_SPECS, fixtures=FIXTURES, security_key="lifecycle-key")
    mock = build_mock(config)
    mock.state.prepare(config)
    assert mock.profile is not None
    server = serve_in_thread(mock.app)
    try:
        report = run_lifecycle(AGENTOS_SPECS, server.url, "lifecycle-key",
                               known_parameters(mock.profile.contract_pins()), seed=42, max_examples=5)
    finally:
        server.stop()
    assert report.ok, [(o.check, o.resource, o.sentence) for o in report.failures()]
    passed = {resource: sum(1 for o in report.outcomes if o.resource == resource and o.result == PASSED)
              for resource in ("/sessions", "/memories", "/eval-runs", "/knowledge/content")}
    assert passed == {"/sessions": 4, "/memories": 6, "/eval-runs": 5, "/knowledge/content": 5}
    assert dict(report.left_behind) == {"/eval-runs": 9}  # its only DELETE takes a list of ids in a body


@pytest.mark.server
@pytest.mark.slow
@pytest.mark.parametrize(("wrap", "check"), [
    (contract_servers.unreadable_creates, "create_then_read"),
    (contract_servers.lingering_deletes, "delete_is_final"),
    (contract_servers.replacing_patches, "update_is_visible"),
    (contract_servers.overlapping_pages, "paging_is_truthful"),
], ids=["create not readable", "delete leaves the item", "PATCH replaces", "pages repeat an item"])
def test_each_lifecycle_breaker_is_caught_by_exactly_its_check(served: Callable[..., str], wrap: Any,
                                                               check: str) -> None:
    report = lifecycle(PETSTORE, served(PETSTORE, wrap))
    assert [o.check for o in report.failures()] == [check]
    failure = report.failures()[0]
    assert failure.resource == "/pets" and failure.sentence
    assert failure.curls and all(curl.startswith("curl ") for curl in failure.curls)


@pytest.mark.server
@pytest.mark.slow
def test_cli_reports_a_lifecycle_failure_with_curl_lines_and_junit(
        served: Callable[..., str], tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    url = served(PETSTORE, contract_servers.replacing_patches)
    junit = tmp_path / "report.xml"
    status = cli.main(["contract", "--url", url, "--spec", str(PETSTORE), "--checks", "update_is_visible",
                       "--max-examples", "1", "--seed", "1", "--junit-xml", str(junit)])
    out = capsys.readouterr().out
    assert status == 1
    assert "  /pets: 0 passed, 1 failed, 0 skipped; " in out
    assert "update_is_visible: FAILED: the PATCH changed fields it did not send" in out
    assert "curl -sS -X PATCH " in out and "create_then_read" not in out
    suite = ElementTree.parse(junit).getroot()
    failing = [case for case in suite.iter("testcase") if case.find("failure") is not None]
    lifecycle_cases = [case for case in failing if case.get("classname") == "lifecycle /pets"]
    assert [case.get("name") for case in lifecycle_cases] == ["update_is_visible"]
    assert "curl " in (lifecycle_cases[0].find("failure").text or "")  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["nope", "create_then_read,nope", ","])
def test_unknown_lifecycle_checks_are_usage_errors(text: str, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["contract", "--checks", text])
    assert exit_info.value.code == 2
    assert "argument --checks" in capsys.readouterr().err


def test_every_outcome_kind_is_reported_by_resource() -> None:
    from mockserver.contract.lifecycle.outcome import Outcome

    report = LifecycleReport([Outcome("create_then_read", "/pets", FAILED, "it broke", ("curl -X POST x",)),
                              Outcome("paging_is_truthful", "/pets", SKIPPED, "no paging"),
                              Outcome("ids_are_stable", "/owners", PASSED)],
                             requests={"/pets": 3}, seconds={"/pets": 0.25})
    lines = list(report.lines())
    assert "  /pets: 0 passed, 1 failed, 1 skipped; 3 requests in 0.2 s" in lines
    assert "    - create_then_read: FAILED: it broke" in lines and "        curl -X POST x" in lines
    assert "    - paging_is_truthful: skipped (no paging)" in lines
    assert lines[-1] == "  lifecycle: 1 passed, 1 failed, 1 skipped" and not report.ok


@pytest.mark.process
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("npm") is None, reason="Prism needs node and npm")
def test_prism_is_caught_not_reading_back_what_it_created() -> None:
    from bench import prism

    try:
        prism.ensure_installed()
    except prism.PrismUnavailable as exc:
        pytest.skip(str(exc))
    port = free_port()
    process = subprocess.Popen([str(prism.executable()), "mock", "-h", "127.0.0.1", "-p", str(port),
                                "-v", "silent", str(PETSTORE)], stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not _answers(url):
            assert time.monotonic() < deadline and process.poll() is None, "Prism did not start"
            time.sleep(0.1)  # polling Prism's port, within the deadline
        report = lifecycle(PETSTORE, url)
    finally:
        process.terminate()
        process.wait(timeout=10)
    failed = {o.check: o.sentence for o in report.failures()}
    assert "create_then_read" in failed and "the item read back differs from what was sent" in failed[
        "create_then_read"], failed
    assert {"update_is_visible", "delete_is_final"} <= failed.keys()


def _answers(url: str) -> bool:
    import httpx

    try:
        httpx.get(url, timeout=1)
    except httpx.HTTPError:
        return False
    return True


def singular_pet_server() -> Any:
    """A real (small) server whose pets are created at /pets and read at /pet/{petId}, by the
    document tests/unit/test_contract_resources.py writes: the inference pairs no collection."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    pets: dict[str, dict[str, Any]] = {}

    async def create(request: Request) -> Response:
        pet = {**await request.json(), "key": f"k{len(pets) + 1}"}
        pets[pet["key"]] = pet
        return JSONResponse(pet, status_code=201)

    async def one(request: Request) -> Response:
        key = request.path_params["key"]
        if key not in pets:
            return JSONResponse({"detail": "no such pet"}, status_code=404)
        if request.method == "DELETE":
            del pets[key]
            return Response(status_code=204)
        return JSONResponse(pets[key])

    return Starlette(routes=[Route("/pets", create, methods=["POST"]),
                             Route("/pet/{key}", one, methods=["GET", "DELETE"])])


@pytest.mark.server
@pytest.mark.slow
def test_a_resources_file_gives_the_checks_a_collection_the_inference_missed(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from tests.unit.test_contract_resources import SINGULAR

    document, resources = tmp_path / "singular.yaml", tmp_path / "resources.yaml"
    document.write_text(SINGULAR)
    resources.write_text("- {collection: /pets, item_path: '/pet/{petId}', id_property: key}\n")
    server = serve_in_thread(singular_pet_server())
    try:
        common = ["contract", "--url", str(server.url), "--spec", str(document), "--checks",
                  "create_then_read,delete_is_final", "--max-examples", "1", "--seed", "1", "--max-time", "5"]
        cli.main(common)
        without = capsys.readouterr().out
        cli.main([*common, "--resources", str(resources)])
        with_file = capsys.readouterr().out
        resources.write_text("- {collection: /pets, item_path: '/pets/{petId}'}\n")
        assert cli.main([*common, "--resources", str(resources)]) == 2
        refused = capsys.readouterr().err
    finally:
        server.stop()
    assert "/pets:" not in without
    assert "  /pets: 2 passed, 0 failed, 0 skipped; " in with_file, with_file
    assert f"{resources}: [0].item_path: no path /pets/{{petId}} in the documents" in refused


OWNED = """openapi: 3.0.3
info: {title: pets that need an owner the server has, version: "1"}
paths:
  /pets:
    post:
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
      responses:
        '201': {description: created, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
        %(documented)s
  /pets/{petId}:
    parameters: [{name: petId, in: path, required: true, schema: {type: string}}]
    get:
      responses:
        '200': {description: one, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
        '404': {description: no such pet}
    delete:
      responses: {'204': {description: gone}, '404': {description: no such pet}}
components:
  schemas:
    Pet:
      type: object
      required: [name, owner]
      properties: {id: {type: string, readOnly: true}, name: {type: string}, owner: {type: string}}
"""


def owners_only(app: Any) -> Any:
    """A create naming an owner other than ``o1`` is a 404, as a server that checks references answers."""

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            return await app(scope, receive, send)
        message = await receive()
        if contract_servers.json_value(message.get("body", b"")).get("owner") == "o1":
            return await app(scope, lambda: _once(message), send)
        await send({"type": "http.response.start", "status": 404, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": b'{"detail": "Owner not found"}'})
        return None

    return wrapped


async def _once(message: dict[str, Any]) -> dict[str, Any]:
    return message


@pytest.mark.server
@pytest.mark.slow
@pytest.mark.parametrize("documented", [True, False], ids=["404 documented", "404 undocumented"])
def test_a_create_refused_for_a_reference_is_skipped_saying_how_to_give_it(
        served: Callable[..., str], tmp_path: Path, documented: bool) -> None:
    from mockserver.contract.lifecycle.resources import ResourceMapping

    document = tmp_path / "owned.yaml"
    document.write_text(OWNED % {"documented": "'404': {description: no such owner}" if documented else ""})
    url = served(document, owners_only)
    checks = ["create_then_read", "delete_is_final"]
    report = run_lifecycle((document,), url, None, {}, seed=1, max_examples=1, checks=checks)
    if documented:
        assert [o.result for o in report.outcomes] == [SKIPPED, SKIPPED]
        assert all("answered 404, which it documents" in o.sentence and "Owner not found" in o.sentence
                   and "--resources (fields)" in o.sentence for o in report.outcomes), report.outcomes
    else:  # a 404 the create does not document is the server's failure (create_then_read's alone)
        assert [o.result for o in report.outcomes] == [FAILED, SKIPPED]
        assert "the create answered 404, not a success" in report.outcomes[0].sentence
    given = ResourceMapping("/pets", fields={"owner": "o1"})
    report = run_lifecycle((document,), url, None, {}, seed=1, max_examples=1, checks=checks, resources=(given,))
    assert [o.result for o in report.outcomes] == [PASSED, PASSED], report.outcomes

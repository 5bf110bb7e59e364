"""A document written over many files (DigitalOcean's, reduced: tests/data/specs/digitalocean) is
served and validated as one, each problem reported in the file that holds it; a ``$ref`` that would
read a URL or a file outside the document's directory is refused at its place."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from mockserver.config import Config
from mockserver.core.spec_loading import load_spec
from mockserver.errors import SpecError
from mockserver.server import build_mock
from mockserver.validate.checks import check_documents
from tests.conftest import ROOT
from tests.inline_client import InlineClient

DIGITALOCEAN = ROOT / "tests" / "data" / "specs" / "digitalocean" / "specification"
ENTRY = "DigitalOcean-public.v2.yaml"
TOKEN = {"Authorization": "Bearer dop_v1_test"}
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockKeyOnlyForTests test@example.com"


def copied_tree(tmp_path: Path) -> Path:
    """A writable copy of the reduced DigitalOcean tree: its entry document."""
    target = tmp_path / "specification"
    shutil.copytree(DIGITALOCEAN, target)
    for folder, _, files in os.walk(target):
        for name in files:
            (Path(folder) / name).chmod(0o644)
    return target / ENTRY


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def document(paths: str, components: str = "") -> str:
    return ("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n" + paths
            + (f"components:\n{components}" if components else ""))


def test_a_document_split_over_files_serves_create_read_and_list() -> None:
    mock = build_mock(Config(specs=(DIGITALOCEAN / ENTRY,), fixtures=None))
    assert mock.spec_warnings == ()
    with InlineClient(mock.app) as client:
        created = client.post("/v2/account/keys", json={"name": "laptop", "public_key": KEY}, headers=TOKEN)
        assert created.status_code == 201, created.text
        read = client.get(created.headers["location"], headers=TOKEN)
        assert read.status_code == 200, read.text
        assert read.json().get("ssh_key", read.json())["name"] == "laptop"
        listed = client.get("/v2/account/keys", headers=TOKEN).json()
        assert [key["name"] for key in listed["ssh_keys"]] == ["laptop"] and listed["meta"] == {"total": 1}
        domain = client.post("/v2/domains", json={"name": "example.com"}, headers=TOKEN)
        assert domain.status_code == 201, domain.text
        found = client.get(domain.headers["location"], headers=TOKEN)
        assert found.status_code == 200 and found.json().get("domain", found.json())["name"] == "example.com"
        assert [listed["name"] for listed in client.get("/v2/domains", headers=TOKEN).json()["domains"]] == [
            "example.com"]


def test_the_docs_serve_the_files_the_document_refers_to_and_no_other() -> None:
    with InlineClient(build_mock(Config(specs=(DIGITALOCEAN / ENTRY,), fixtures=None)).app) as client:
        entry = client.get(f"/docs/openapi/0/{ENTRY}")
        assert entry.status_code == 200 and entry.content == (DIGITALOCEAN / ENTRY).read_bytes()
        operation = client.get("/docs/openapi/0/resources/ssh_keys/sshKeys_list.yml")
        listing = DIGITALOCEAN / "resources" / "ssh_keys" / "sshKeys_list.yml"
        assert operation.status_code == 200 and operation.content == listing.read_bytes()
        shared = client.get("/docs/openapi/0/shared/responses/unauthorized.yml")
        assert shared.status_code == 200
        unread = client.get("/docs/openapi/0/shared/attributes/region_slug.yml")  # in the tree, not referred to
        assert unread.status_code != 200 and unread.content != (
            DIGITALOCEAN / "shared" / "attributes" / "region_slug.yml").read_bytes()


def test_whole_operations_and_a_tag_description_are_read_from_the_files_they_name() -> None:
    spec = load_spec(DIGITALOCEAN / ENTRY)
    introduction = spec.raw["tags"][0]["description"]
    assert isinstance(introduction, str) and introduction.startswith("The DigitalOcean API allows you")
    create = spec.raw["paths"]["/v2/account/keys"]["post"]
    assert create["operationId"] == "sshKeys_create" and "$ref" not in create
    assert len(create["x-codeSamples"]) == 4 and create["x-codeSamples"][0]["lang"] == "cURL"
    # every file of the copy but the entry document and shared/attributes/region_slug.yml (which only a
    # parameter the four path items do not use refers to): what is not referred to is not read
    assert spec.sources is not None and len(spec.sources.files) == 43


def test_validate_finds_nothing_wrong_in_the_split_document() -> None:
    report = check_documents((DIGITALOCEAN / ENTRY,), None)
    assert report.findings == [] and report.checked["operation"] == 9


def test_a_defect_in_a_referenced_file_is_reported_once_in_that_file_at_its_pointer(tmp_path: Path) -> None:
    entry = copied_tree(tmp_path)
    attribute = entry.parent / "resources" / "ssh_keys" / "attributes" / "ssh_key_id.yml"
    attribute.write_text(attribute.read_text().replace("type: integer", "type: intger"))
    report = check_documents((entry,), None)
    assert [(f.where, f.message) for f in report.findings] == [
        (f"{attribute}#/type", "must be one of 'array', 'boolean', 'integer', 'null', 'number', "
                               "'object', 'string' (got 'intger')")]
    with pytest.raises(SpecError) as refused:
        load_spec(entry, strict=True)
    assert str(refused.value).startswith(f"{attribute}: /type: must be one of")
    assert [warning.split(": ")[:2] for warning in load_spec(entry, strict=False).warnings] == [
        [str(attribute), "/type"]]


def test_a_ref_to_a_missing_file_is_reported_where_the_ref_is(tmp_path: Path) -> None:
    entry = copied_tree(tmp_path)
    operation = entry.parent / "resources" / "domains" / "domains_get.yml"
    operation.write_text(operation.read_text().replace("shared/responses/not_found.yml", "shared/nothing.yml"))
    expected = (f"{operation}: /responses/404/$ref: unresolvable reference '../../shared/nothing.yml': "
                f"{entry.parent / 'shared' / 'nothing.yml'} cannot be read")
    with pytest.raises(SpecError, match="^" + expected.replace("$", r"\$").replace(".", r"\.") + "$"):
        load_spec(entry)
    report = check_documents((entry,), None)
    assert [f.where for f in report.findings] == [f"{operation}#/responses/404/$ref"]


def test_a_ref_outside_the_documents_directory_is_refused_at_its_place(tmp_path: Path) -> None:
    write(tmp_path / "secret.yaml", "description: not to be read\n")
    entry = write(tmp_path / "api" / "openapi.yaml", document(
        "  /a:\n    get:\n      responses:\n        '200': {$ref: '../secret.yaml'}\n"))
    with pytest.raises(SpecError) as refused:
        load_spec(entry)
    assert str(refused.value) == (
        f"{entry}: /paths/~1a/get/responses/200/$ref: '../secret.yaml' is outside the directory of the "
        f"document, {entry.parent.resolve()}; mockserver reads no file outside it")


def test_a_symlink_out_of_the_documents_directory_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "secret.yaml", "description: not to be read\n")
    entry = write(tmp_path / "api" / "openapi.yaml", document(
        "  /a:\n    get:\n      responses:\n        '200': {$ref: 'inside.yaml'}\n"))
    (entry.parent / "inside.yaml").symlink_to(tmp_path / "secret.yaml")
    with pytest.raises(SpecError, match=r"/paths/~1a/get/responses/200/\$ref: 'inside\.yaml' is outside"):
        load_spec(entry)


def test_a_ref_to_a_url_is_refused_and_never_fetched(tmp_path: Path) -> None:
    entry = write(tmp_path / "openapi.yaml", document(
        "  /a:\n    get:\n      responses:\n        '200': {$ref: 'http://127.0.0.1:9/response.yaml'}\n"))
    with pytest.raises(SpecError) as refused:
        load_spec(entry)
    assert str(refused.value).startswith(
        f"{entry}: /paths/~1a/get/responses/200/$ref: 'http://127.0.0.1:9/response.yaml' is a URL; "
        "mockserver fetches none")
    report = check_documents((entry,), None)
    assert [f.where for f in report.findings] == ["/paths/~1a/get/responses/200/$ref"]


def test_a_schema_containing_itself_across_files_is_served(tmp_path: Path) -> None:
    write(tmp_path / "models" / "node.yaml", "type: object\nrequired: [name]\nproperties:\n"
          "  name: {type: string}\n  children: {type: array, maxItems: 2, items: {$ref: 'node.yaml'}}\n")
    write(tmp_path / "ops" / "get_tree.yaml",
          "operationId: getTree\nresponses:\n  '200':\n    description: the tree\n    content:\n"
          "      application/json:\n        schema: {$ref: '../models/node.yaml'}\n")
    entry = write(tmp_path / "openapi.yaml", document("  /tree:\n    get: {$ref: 'ops/get_tree.yaml'}\n"))
    spec = load_spec(entry)
    node = spec.raw["components"]["schemas"]["node"]
    assert node["properties"]["children"]["items"] == {"$ref": "#/components/schemas/node"}
    with InlineClient(build_mock(Config(specs=(entry,), fixtures=None)).app) as client:
        answer = client.get("/tree")
        assert answer.status_code == 200 and isinstance(answer.json()["name"], str)


def test_a_whole_path_item_in_a_file_referring_back_to_the_documents_own_components(tmp_path: Path) -> None:
    write(tmp_path / "paths" / "pets.yaml",
          "get:\n  operationId: listPets\n  responses:\n    '200':\n      description: the pets\n"
          "      content:\n        application/json:\n          schema:\n            type: array\n"
          "            items: {$ref: '../openapi.yaml#/components/schemas/Pet'}\n")
    entry = write(tmp_path / "openapi.yaml", document(
        "  /pets: {$ref: 'paths/pets.yaml'}\n",
        "  schemas:\n    Pet:\n      type: object\n      properties: {name: {type: string}}\n"
        "      example: {name: Rex}\n"))
    spec = load_spec(entry)
    [operation] = spec.operations()
    assert (operation.method, operation.path, operation.operation_id) == ("get", "/pets", "listPets")
    items = operation.definition["responses"]["200"]["content"]["application/json"]["schema"]["items"]
    assert items == {"$ref": "#/components/schemas/Pet"}
    with InlineClient(build_mock(Config(specs=(entry,), fixtures=None)).app) as client:
        assert client.get("/pets").status_code == 200


def test_markdown_descriptions_ref_siblings_and_refs_into_a_files_own_nodes(tmp_path: Path) -> None:
    write(tmp_path / "docs" / "intro.md", "# Hello\n\nSplit documents.\n")
    write(tmp_path / "shared.yaml", "Name: {type: string, maxLength: 5}\nPet:\n  type: object\n"
          "  properties:\n    name: {$ref: '#/Name'}\n")
    entry = write(tmp_path / "openapi.yaml", document(
        "  /pets:\n    get:\n      description: {$ref: 'docs/intro.md'}\n      responses:\n"
        "        '200':\n          description: ok\n          content:\n            application/json:\n"
        "              schema: {$ref: 'shared.yaml#/Pet', description: one pet}\n"))
    spec = load_spec(entry)
    operation = spec.raw["paths"]["/pets"]["get"]
    assert operation["description"] == "# Hello\n\nSplit documents.\n"
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"type": "object", "description": "one pet",
                      "properties": {"name": {"type": "string", "maxLength": 5}}}
    assert spec.sources is not None
    where = "/paths/~1pets/get/responses/200/content/application~1json/schema"
    assert spec.sources.locate(where + "/properties/name/maxLength") == (tmp_path / "shared.yaml",
                                                                         "/Name/maxLength")
    assert spec.sources.locate(where + "/description") == (entry, where + "/description")


def test_a_ref_in_an_example_that_cannot_be_followed_is_data_and_properties_named_value_are_followed(tmp_path: Path) -> None:
    write(tmp_path / "schemas.yaml", "Doc:\n  type: object\n"
          "  properties:\n    value: {$ref: '#/Text'}\n    example: {$ref: '#/Text'}\nText: {type: string}\n"
          "Sample: {value: v}\n")
    entry = write(tmp_path / "openapi.yaml", document(
        "  /docs:\n    get:\n      responses:\n        default:\n          description: ok\n"
        "          content:\n            application/json:\n"
        "              schema: {$ref: 'schemas.yaml#/Doc'}\n"
        "              example: {$ref: 'https://example.com/schema.json'}\n"
        "        '202':\n          description: accepted\n          content:\n            application/json:\n"
        "              example: {$ref: 'schemas.yaml#/Sample'}\n"))
    responses = load_spec(entry).raw["paths"]["/docs"]["get"]["responses"]
    assert responses["202"]["content"]["application/json"]["example"] == {"value": "v"}  # as DigitalOcean's
    media = responses["default"]["content"]["application/json"]
    assert media["example"] == {"$ref": "https://example.com/schema.json"}
    assert media["schema"]["properties"] == {"value": {"type": "string"}, "example": {"type": "string"}}


def test_an_edited_referenced_file_is_read_again(tmp_path: Path) -> None:
    response = write(tmp_path / "ok.yaml", "description: first\n")
    entry = write(tmp_path / "openapi.yaml", document("  /a:\n    get:\n      responses:\n"
                                                      "        '200': {$ref: 'ok.yaml'}\n"))
    assert load_spec(entry).raw["paths"]["/a"]["get"]["responses"]["200"]["description"] == "first"
    response.write_text("description: second, longer\n")
    assert load_spec(entry).raw["paths"]["/a"]["get"]["responses"]["200"]["description"] == "second, longer"


def test_a_problem_quoting_a_14_kb_value_is_one_short_line(tmp_path: Path) -> None:
    example = "x" * 14_000
    entry = write(tmp_path / "openapi.yaml", document(
        "  /a:\n    get:\n      responses:\n        '200':\n          content:\n"
        f"            application/json: {{example: {{text: '{example}'}}}}\n"))
    [warning] = load_spec(entry, strict=False).warnings
    assert len(warning) < len(str(entry)) + 200 and "\n" not in warning, warning
    assert warning.startswith(f"{entry}: /paths/~1a/get/responses/200: ")
    [finding] = check_documents((entry,), None).findings
    assert finding.where == "/paths/~1a/get/responses/200" and len(finding.message) < 160


def test_an_example_finding_quoting_a_14_kb_value_is_one_short_line(tmp_path: Path) -> None:
    entry = write(tmp_path / "openapi.yaml", document(
        "  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n"
        "            application/json:\n              schema: {type: string, maxLength: 10}\n"
        f"              example: '{'x' * 14_000}'\n"))
    [finding] = check_documents((entry,), None).findings
    assert finding.where == "/paths/~1a/get/responses/200/content/application~1json/example"
    assert finding.message == "'xxxxxxxxxxxxxxxxxxxxxxxx…' is too long"


def test_an_inner_defect_is_reported_at_its_node_not_again_as_a_response_fitting_no_shape(tmp_path: Path) -> None:
    entry = write(tmp_path / "openapi.yaml", document(
        "  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n"
        "            application/json:\n              schema:\n                type: array\n"
        "                items: {type: object, properties: {id: {type: intger}}}\n"))
    where = "/paths/~1a/get/responses/200/content/application~1json/schema/items/properties/id/type"
    assert [(f.where, f.message) for f in check_documents((entry,), None).findings] == [
        (where, "must be one of 'array', 'boolean', 'integer', 'null', 'number', 'object', 'string' (got 'intger')")]
    assert [warning.split(": ")[1] for warning in load_spec(entry, strict=False).warnings] == [where]

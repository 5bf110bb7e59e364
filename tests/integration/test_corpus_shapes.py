"""What documents of the APIs-guru directory do that the mock refused or crashed on, each in a few
lines (tests/data/specs/corpus/written): ECMA-262 patterns (``\\p{L}``), a path parameter named
``path``, a ``default`` that breaks its schema, a request body of no media type."""

from __future__ import annotations

from mockserver.config import Config
from mockserver.server import build_mock
from tests.conftest import ROOT
from tests.inline_client import InlineClient

WRITTEN = ROOT / "tests" / "data" / "specs" / "corpus" / "written"


def test_ecma_unicode_properties_in_a_pattern_validate_requests_by_their_letters() -> None:
    mock = build_mock(Config(specs=(WRITTEN / "ecma-patterns.yaml",)))
    client = InlineClient(mock.app, raise_server_exceptions=False)
    for key in ("héllo wörld", "東京_1", "Ωmega:42"):
        assert client.get(f"/tags/{key}").status_code == 200, key
    for key in ("a!b", "semi;colon", "a%09tab"):
        response = client.get(f"/tags/{key}")
        assert response.status_code == 422 and "key" in response.text, (key, response.text)


def test_an_ecma_pattern_is_no_spec_problem_and_answers_fit_it() -> None:
    mock = build_mock(Config(specs=(WRITTEN / "ecma-patterns.yaml",)))
    assert mock.spec_warnings == ()
    answer = InlineClient(mock.app).get("/tags/tag").json()
    assert isinstance(answer, str) and answer[:1].isupper() and answer[1:].islower(), answer


def test_a_path_parameter_named_path_is_routed() -> None:
    client = InlineClient(build_mock(Config(specs=(WRITTEN / "path-named-path.yaml",))).app)
    assert client.get("/files/readme").status_code == 200


def test_a_default_that_breaks_its_schema_is_a_warning_at_the_default() -> None:
    document = WRITTEN / "default-breaks-format.yaml"
    mock = build_mock(Config(specs=(document,)))
    assert mock.spec_warnings == (f"{document}: /components/schemas/Hook/properties/url/default: "
                                  "'' is not a valid uri",)


def test_a_request_body_of_no_media_type_is_served() -> None:
    mock = build_mock(Config(specs=(WRITTEN / "empty-request-body.yaml",)))
    with InlineClient(mock.app) as client:  # the routes are built at startup, where it once crashed
        assert client.post("/channels/sms").status_code == 204


def test_a_percent_encoded_local_ref_is_followed() -> None:
    mock = build_mock(Config(specs=(WRITTEN / "percent-encoded-ref.yaml",)))
    client = InlineClient(mock.app)
    assert client.get("/customers/acme/announcements").status_code == 200
    assert client.get("/customers/ACME/announcements").status_code == 422  # the referred-to pattern
    assert client.post("/customers/acme/announcements", json=["hi"]).status_code == 201


def test_a_pattern_python_cannot_read_is_a_located_warning_and_goes_unchecked() -> None:
    document = WRITTEN / "unreadable-pattern.yaml"
    mock = build_mock(Config(specs=(document,)))
    assert mock.spec_warnings == (f"{document}: /components/schemas/Code/pattern: a pattern Python's re "
                                  "cannot read, left unchecked",)
    assert InlineClient(mock.app).get("/codes/xxy").status_code == 200


def test_a_ref_to_a_list_is_served() -> None:
    client = InlineClient(build_mock(Config(specs=(WRITTEN / "ref-to-a-list.yaml",))).app)
    assert client.get("/albums").status_code == 200


def test_an_extension_among_the_component_sections_is_no_section() -> None:
    mock = build_mock(Config(specs=(WRITTEN / "components-extension-list.yaml",)))
    answer = InlineClient(mock.app).get("/hotels")
    assert answer.status_code == 200 and answer.json() == [{"name": "Grand"}], answer.text

"""Form bodies on a generic document (tests/data/specs/shapes/form-bodies.yaml): a urlencoded or
multipart create is stored with the fields sent, typed by the operation's schema, as a JSON create
is; a refused form body says which field and what is wrong."""

from __future__ import annotations

from mockserver.config import Config
from tests.conftest import ROOT, shared_mock
from tests.inline_client import InlineClient

DOCUMENT = ROOT / "tests" / "data" / "specs" / "shapes" / "form-bodies.yaml"
SENT = {"name": "Rex", "age": 3, "vaccinated": True, "tags": ["brown", "small"]}


def client() -> InlineClient:
    return InlineClient(shared_mock(Config(specs=(DOCUMENT,))).app)


def sent_fields(item: dict[str, object]) -> dict[str, object]:
    return {name: item.get(name) for name in SENT}


def test_a_form_encoded_create_is_stored_with_the_sent_fields() -> None:
    mock = client()
    created = mock.post("/pets", content=b"name=Rex&age=3&vaccinated=true&tags=brown&tags=small",
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert created.status_code == 201, created.text
    assert sent_fields(created.json()) == SENT
    read = mock.get(f"/pets/{created.json()['id']}")
    assert (read.status_code, sent_fields(read.json())) == (200, SENT)


def test_a_form_encoded_update_is_stored_as_its_encoding_says() -> None:
    mock = client()
    created = mock.post("/pets", data={"name": "Rex", "age": "3"}).json()
    updated = mock.patch(f"/pets/{created['id']}", content=b"age=4&tags=old%2Cbrown",
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert updated.status_code == 200, updated.text
    read = mock.get(f"/pets/{created['id']}").json()
    assert (read["name"], read["age"], read["tags"]) == ("Rex", 4, ["old", "brown"])


def test_a_multipart_create_is_stored_like_json() -> None:
    mock = client()
    fields = [("name", "Rex"), ("age", "3"), ("vaccinated", "true"), ("tags", "brown"), ("tags", "small")]
    created = mock.post("/pets", files=[(name, (None, value)) for name, value in fields])
    assert created.status_code == 201, created.text
    read = mock.get(f"/pets/{created.json()['id']}")
    assert (read.status_code, sent_fields(read.json())) == (200, SENT)


def test_a_refused_form_body_names_the_field_and_the_reason() -> None:
    mock = client()
    refusals = [({"name": "Rex", "age": "old"}, {"name": "Rex", "age": "old"}),
                ({"age": "3"}, {"age": 3}),
                ({"name": "Rex", "vaccinated": "maybe"}, {"name": "Rex", "vaccinated": "maybe"}),
                ({"name": "Rex", "age": "-1"}, {"name": "Rex", "age": -1})]
    for form, same_as_json in refusals:
        as_form = mock.post("/pets", data=form)
        as_json = mock.post("/pets", json=same_as_json)
        assert (as_form.status_code, as_json.status_code) == (422, 422), (form, as_form.text)
        assert as_form.json()["message"] == as_json.json()["message"], form
    message = mock.post("/pets", data={"name": "Rex", "age": "old"}).json()["message"]
    assert message == "field 'age' of the request body must be of type integer (got string)"


def test_a_form_field_that_takes_one_value_given_twice_is_refused_naming_it() -> None:
    # `mockserver contract` found it: `metadata=a&metadata=b` was stored as "b" (the last), as a
    # query parameter's repeat was before it was refused; a field that takes a list takes repeats
    mock = client()
    for media_type, sent in (("application/x-www-form-urlencoded", {"content": b"name=Rex&name=Tom&age=3"}),
                             (None, {"files": [("name", (None, "Rex")), ("name", (None, "Tom"))]})):
        headers = {"Content-Type": media_type} if media_type else {}
        refused = mock.post("/pets", headers=headers, **sent)  # type: ignore[arg-type]
        assert refused.status_code == 422, refused.text
        assert "form field 'name' takes one value (given 2 times)" in refused.text
    listed = mock.post("/pets", content=b"name=Rex&tags=a&tags=b",
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert (listed.status_code, listed.json()["tags"]) == (201, ["a", "b"])

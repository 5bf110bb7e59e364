"""XML bodies read as the JSON value their schema describes (OpenAPI's ``xml`` object)."""

from __future__ import annotations

import pytest

from mockserver.core.xml_values import XMLBodyError, read_xml

PET = {
    "type": "object",
    "xml": {"name": "pet"},
    "properties": {
        "id": {"type": "integer", "xml": {"attribute": True}},
        "name": {"type": "string"},
        "weight": {"type": ["number", "null"]},
        "vaccinated": {"type": "boolean"},
        "tags": {"type": "array", "items": {"type": "string", "xml": {"name": "tag"}}},
        "photos": {"type": "array", "xml": {"wrapped": True}, "items": {"type": "string"}},
    },
}


def test_attributes_elements_and_arrays_read_as_their_schema_types() -> None:
    raw = (b'<pet id="7"><name>Rex</name><weight>12.5</weight><vaccinated>true</vaccinated>'
           b"<tag>a</tag><tag>b</tag><photos><url>x</url><url>y</url></photos></pet>")
    assert read_xml(raw, PET, 20) == {"id": 7, "name": "Rex", "weight": 12.5, "vaccinated": True,
                                      "tags": ["a", "b"], "photos": ["x", "y"]}


def test_namespaces_and_prefixes_are_matched_by_local_name() -> None:
    raw = b'<p:pet xmlns:p="urn:pets"><p:name>Rex</p:name></p:pet>'
    assert read_xml(raw, PET, 20) == {"name": "Rex"}


def test_what_no_type_reads_stays_text_for_validation_to_refuse() -> None:
    raw = b"<pet><weight>heavy</weight><weight>1</weight><colour>red</colour><vaccinated>yes</vaccinated></pet>"
    assert read_xml(raw, PET, 20) == {"weight": ["heavy", 1], "colour": "red", "vaccinated": "yes"}
    assert read_xml(b"<pet>5</pet>", PET, 20) == "5"
    assert read_xml(b"<pet><weight>null</weight></pet>", PET, 20) == {"weight": None}


def test_all_of_branches_lend_their_properties() -> None:
    schema = {"allOf": [{"properties": {"name": {"type": "string"}}},
                        {"properties": {"age": {"type": "integer"}}}]}
    assert read_xml(b"<user><name>Ann</name><age>30</age></user>", schema, 20) == {"name": "Ann", "age": 30}


@pytest.mark.parametrize("raw", [b"<pet><name>Rex</pet>", b"", b"not xml"])
def test_a_body_that_is_not_well_formed_is_an_error(raw: bytes) -> None:
    with pytest.raises(XMLBodyError, match="not well-formed XML"):
        read_xml(raw, PET, 20)


def test_nesting_beyond_the_limit_is_an_error() -> None:
    tree: dict = {"type": "object", "properties": {}}
    tree["properties"]["child"] = tree
    with pytest.raises(XMLBodyError, match="nested too deeply"):
        read_xml(b"<a>" + b"<child>" * 30 + b"</child>" * 30 + b"</a>", tree, 10)


@pytest.mark.parametrize(("raw", "read"), [
    (b"<pet><name><first>Rex</first></name></pet>", {"name": {"first": "Rex"}}),  # a string given elements
    (b"<m><extra><a>1</a></extra></m>", {"extra": {"a": "1"}}),  # additionalProperties: string
    (b"<m><extra>text</extra></m>", {"extra": "text"}),
])
def test_an_element_with_child_elements_is_no_scalar(raw: bytes, read: object) -> None:
    # Schemathesis found Scalar Galaxy's atmosphere (additionalProperties: string) taking
    # <extra><a>1</a></extra> as "": the children were dropped and the request accepted
    schema = PET if raw.startswith(b"<pet") else {"type": "object", "additionalProperties": {"type": "string"}}
    assert read_xml(raw, schema, 20) == read


def test_an_undeclared_child_with_elements_of_its_own_is_read_as_an_object() -> None:
    assert read_xml(b"<pet><name>Rex</name><owner><n>Ann</n></owner></pet>", PET, 20) == {
        "name": "Rex", "owner": {"n": "Ann"}}

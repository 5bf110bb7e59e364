"""``engine.paging``: the page a list request asks for (by its declared query parameters) and the
list envelope around it, its counts, page fields and next link filled truthfully."""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.engine.paging import PageRequest, envelope, items_property, page_request

ITEMS = {"type": "array", "items": {"type": "object"}}


def query(name: str, schema: dict[str, Any] | None = None, where: str = "query") -> dict[str, Any]:
    return {"name": name, "in": where, "schema": schema or {"type": "integer"}}


LIMIT_OFFSET = [query("limit"), query("offset")]


def test_a_limit_and_an_offset_ask_for_that_slice() -> None:
    assert page_request({"limit": "2", "offset": "4"}, LIMIT_OFFSET) == PageRequest(4, 2, 1, False)


def test_without_paging_parameters_a_list_is_one_page_of_every_item() -> None:
    assert page_request({}, LIMIT_OFFSET) == PageRequest(0, None, 1, False)


@pytest.mark.parametrize("name", ["limit", "per_page", "pageSize", "page-size", "maxResults", "$top", "first"])
def test_size_parameters_are_known_by_their_name_written_any_way(name: str) -> None:
    assert page_request({name: "3"}, [query(name)]).size == 3


@pytest.mark.parametrize("name", ["offset", "skip", "start", "startIndex"])
def test_offset_parameters_are_known_by_their_name_written_any_way(name: str) -> None:
    assert page_request({name: "3"}, [query(name)]).offset == 3


def test_a_query_parameter_the_operation_does_not_declare_does_not_page() -> None:
    assert page_request({"limit": "2", "offset": "1"}, [query("name", {"type": "string"})]) == (
        PageRequest(0, None, 1, False))


def test_a_paging_name_outside_the_query_does_not_page() -> None:
    assert page_request({"limit": "2"}, [query("limit", where="header")]).size is None


def test_a_documented_default_size_applies_when_the_request_gives_none() -> None:
    assert page_request({}, [query("limit", {"type": "integer", "default": 20})]).size == 20


def test_a_size_or_offset_that_is_not_a_whole_number_is_ignored() -> None:
    assert page_request({"limit": "ten", "offset": "1.5"}, LIMIT_OFFSET) == PageRequest(0, None, 1, False)


def test_a_negative_size_or_offset_counts_as_zero() -> None:
    assert page_request({"limit": "-1", "offset": "-5"}, LIMIT_OFFSET) == PageRequest(0, 0, 1, False)


def test_a_page_number_counts_from_one_unless_its_schema_starts_at_zero() -> None:
    from_one = [query("page"), query("per_page")]
    from_zero = [query("page", {"type": "integer", "minimum": 0}), query("per_page")]
    assert page_request({"page": "2", "per_page": "10"}, from_one) == PageRequest(10, 10, 2, False)
    assert page_request({"page": "2", "per_page": "10"}, from_zero) == PageRequest(20, 10, 2, False)
    assert page_request({"per_page": "10"}, from_zero) == PageRequest(0, 10, 0, False)  # the first page is 0


def test_a_page_number_before_the_first_page_is_the_first_page() -> None:
    assert page_request({"page": "0", "per_page": "10"}, [query("page"), query("per_page")]).offset == 0


def test_a_page_token_is_the_offset_of_the_page() -> None:
    parameters = [query("pageToken", {"type": "string"}), query("pageSize")]
    assert page_request({"pageToken": "6", "pageSize": "3"}, parameters) == PageRequest(6, 3, 1, True)
    assert page_request({"pageToken": "opaque"}, parameters) == PageRequest(0, None, 1, True)


@pytest.mark.parametrize(("properties", "expected"), [
    ({"total": {"type": "integer"}, "tags": ITEMS, "data": ITEMS}, "data"),  # named as items are
    ({"total": {"type": "integer"}, "pets": ITEMS}, "pets"),  # the one array
    ({"total": {"type": "integer"}, "pets": {"items": {"type": "object"}}}, "pets"),  # no type, but items
    ({"total": {"type": "integer"}}, None),
])
def test_the_items_of_an_envelope_are_in_its_array_named_like_a_list_of_items(
        properties: dict[str, Any], expected: str | None) -> None:
    assert items_property({}, {"type": "object", "properties": properties}) == expected


def test_an_envelopes_array_given_by_reference_holds_the_items() -> None:
    document = {"components": {"schemas": {"Pets": ITEMS}}}
    schema = {"properties": {"count": {"type": "integer"}, "pets": {"$ref": "#/components/schemas/Pets"}}}
    assert items_property(document, schema) == "pets"


def page_envelope(properties: dict[str, Any], request: PageRequest, total: int, page: list[Any] | None = None,
                  required: list[str] | None = None) -> dict[str, Any]:
    schema = {"type": "object", "properties": {"items": ITEMS, **properties}, "required": required or []}
    page = page if page is not None else [{"n": n} for n in range(request.offset, min(total, request.offset + (
        request.size or total)))]
    return envelope({}, schema, "items", page, request, total)


COUNTS = {"total": {"type": "integer"}, "limit": {"type": "integer"}, "offset": {"type": "integer"},
          "next": {"type": "string"}}


def test_an_envelope_tells_the_truth_about_its_page() -> None:
    assert page_envelope(COUNTS, PageRequest(2, 2, 1, False), total=5) == {
        "total": 5, "limit": 2, "offset": 2, "items": [{"n": 2}, {"n": 3}], "next": "?offset=4&limit=2"}


def test_the_last_page_has_no_next_unless_the_schema_requires_one() -> None:
    assert "next" not in page_envelope(COUNTS, PageRequest(4, 2, 1, False), total=5)
    assert page_envelope(COUNTS, PageRequest(4, 2, 1, False), total=5, required=["next"])["next"] is None


def test_a_boolean_next_says_whether_more_items_follow() -> None:
    properties = {"has_more": {"type": "boolean"}}
    assert page_envelope(properties, PageRequest(0, 2, 1, False), total=3)["has_more"] is True
    assert page_envelope(properties, PageRequest(2, 2, 1, False), total=3)["has_more"] is False


def test_paging_with_a_token_the_next_token_is_the_next_offset() -> None:
    properties = {"nextPageToken": {"type": "string"}}
    assert page_envelope(properties, PageRequest(3, 3, 1, True), total=10)["nextPageToken"] == "6"


def test_an_unpaged_list_gives_its_size_as_the_whole_list() -> None:
    found = page_envelope(COUNTS, PageRequest(0, None, 1, False), total=3)
    assert (found["total"], found["limit"], found["offset"], len(found["items"])) == (3, 3, 0, 3)
    assert "next" not in found


def test_the_page_number_is_given_as_the_request_counts_it() -> None:
    properties = {"page": {"type": "integer"}, "per_page": {"type": "integer"}}
    assert page_envelope(properties, PageRequest(20, 10, 2, False), total=50) == {
        "page": 2, "per_page": 10, "items": [{"n": n} for n in range(20, 30)]}


def test_paging_fields_one_object_down_are_filled_too() -> None:
    meta = {"type": "object", "properties": {"total_count": {"type": "integer"}, "page_size": {"type": "integer"}}}
    assert page_envelope({"meta": meta}, PageRequest(0, 1, 1, False), total=4) == {
        "meta": {"total_count": 4, "page_size": 1}, "items": [{"n": 0}]}


def test_a_count_beyond_the_fields_bounds_is_given_within_them() -> None:
    properties = {"limit": {"type": "integer", "maximum": 50}, "offset": {"type": "integer", "minimum": 1}}
    found = page_envelope(properties, PageRequest(0, 100, 1, False), total=3)
    assert (found["limit"], found["offset"]) == (50, 1)


def test_other_required_fields_are_built_from_their_schemas_and_optional_ones_left_out() -> None:
    properties = {"kind": {"type": "string", "enum": ["list"]}, "note": {"type": "string"}}
    assert page_envelope(properties, PageRequest(0, None, 1, False), total=0, required=["kind"]) == {
        "kind": "list", "items": []}


def test_a_count_documented_as_a_string_is_written_as_the_text_of_the_number() -> None:
    # Box's FolderLocks: "limit": {"type": "string", "example": "1000"}
    texts = {"limit": {"type": "string"}, "total": {"type": ["string", "null"]}}
    assert page_envelope(texts, PageRequest(0, 2, 1, False), total=5) == {
        "limit": "2", "total": "5", "items": [{"n": 0}, {"n": 1}]}

"""The journal's filters and expectations (admin.filters, admin.verify), on entries as the journal lists them."""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.admin.filters import Filters, body_differences
from mockserver.admin.verify import Expectation, verified
from mockserver.errors import ExpectationFailed, ValidationFailed


def entry(method: str = "POST", path: str = "/pets", body: Any = None, status: int = 201,
          time: str = "2026-01-31T09:30:00.000+00:00", operation: str | None = "createPet") -> dict[str, Any]:
    return {"method": method, "path": path, "query": {}, "body": body, "status": status, "time": time,
            "operation": operation}


@pytest.mark.parametrize(("expected", "body", "differences"), [
    ({"name": "Rex"}, {"name": "Rex", "tag": "dog"}, []),
    ({"owner": {"id": 1}}, {"owner": {"id": 1, "name": "Ann"}}, []),
    ({"name": "Rex"}, {"name": "Max"}, [{"filter": "body_contains", "at": "/name", "expected": "Rex",
                                         "actual": "Max"}]),
    ({"name": "Rex"}, {}, [{"filter": "body_contains", "at": "/name", "expected": "Rex"}]),
    ({"a/b": 1}, {"a/b": 2}, [{"filter": "body_contains", "at": "/a~1b", "expected": 1, "actual": 2}]),
    ({"n": 1}, {"n": True}, [{"filter": "body_contains", "at": "/n", "expected": 1, "actual": True}]),
    ({"n": 1}, {"n": 1.0}, []),
    ({"tags": [{"k": "a"}]}, {"tags": [{"k": "a", "v": 1}]}, []),
    ({"tags": ["a"]}, {"tags": ["a", "b"]}, [{"filter": "body_contains", "at": "/tags", "expected": ["a"],
                                              "actual": ["a", "b"]}]),
    ({"name": "Rex"}, None, [{"filter": "body_contains", "at": "", "expected": {"name": "Rex"},
                              "actual": None}]),
    (None, None, []),
])
def test_a_body_contains_an_object_holding_each_member_and_an_array_element_by_element(
        expected: Any, body: Any, differences: list[dict[str, Any]]) -> None:
    assert body_differences(expected, body) == differences


def test_text_that_is_not_json_matches_a_text_body_containing_it() -> None:
    filters = Filters.read({"body_contains": "name=Rex"}, "/query", body_as_text=True)
    assert filters.differences(entry(body="kind=dog&name=Rex")) == []
    assert filters.differences(entry(body="name=Max")) == [
        {"filter": "body_contains", "at": "", "expected": "name=Rex", "actual": "name=Max"}]
    assert filters.differences(entry(body={"name": "Rex"}))[0]["filter"] == "body_contains"


def test_each_filter_names_what_differs_and_together_they_all_must_match() -> None:
    filters = Filters.read({"operation": "createPet", "method": "post", "path": "/pets/*", "status": "2XX",
                            "since": "2026-01-31T09:00:00Z"}, "/query", body_as_text=True)
    assert filters.differences(entry(path="/pets/7")) == []
    assert filters.differences(entry(method="GET", path="/pets", status=404, time="2026-01-31T08:00:00+00:00",
                                     operation="listPets")) == [
        {"filter": "operation", "expected": "createPet", "actual": "listPets"},
        {"filter": "method", "expected": "post", "actual": "GET"},
        {"filter": "path", "expected": "/pets/*", "actual": "/pets"},
        {"filter": "status", "expected": "2XX", "actual": 404},
        {"filter": "since", "expected": "2026-01-31T09:00:00+00:00", "actual": "2026-01-31T08:00:00+00:00"}]


@pytest.mark.parametrize("since", ["2026-01-31T10:00:00+01:00", "2026-01-31T09:00:00Z", "2026-01-31t09:00:00z",
                                   "2026-01-31T09:00:00.000000001-00:00"])
def test_since_reads_any_rfc_3339_time_nanoseconds_too(since: str) -> None:
    filters = Filters.read({"since": since}, "/query", body_as_text=True)
    assert filters.differences(entry(time="2026-01-31T09:00:00.000+00:00")) == []
    assert [d["filter"] for d in filters.differences(entry(time="2026-01-31T08:59:59.999+00:00"))] == ["since"]


def test_since_year_zero_is_before_every_request() -> None:
    assert Filters.read({"since": "0000-12-31T23:59:59Z"}, "/query", body_as_text=True).differences(entry()) == []


@pytest.mark.parametrize(("given", "pointer"), [
    ({"status": "20"}, "/query/status"), ({"status": "6XX"}, "/query/status"),
    ({"since": "yesterday"}, "/query/since"), ({"since": "2026-02-30T00:00:00Z"}, "/query/since"),
    ({"since": "2026-01-31T09:00:00"}, "/query/since")])
def test_a_filter_that_cannot_be_read_is_a_validation_error_naming_it(given: dict[str, Any], pointer: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        Filters.read(given, "/query", body_as_text=True)
    assert raised.value.pointer == pointer


@pytest.mark.parametrize(("given", "words", "holds"), [
    ({}, "at least 1", [False, True, True]), ({"count": 1}, "exactly 1", [False, True, False]),
    ({"at_most": 1}, "at most 1", [True, True, False]), ({"at_least": 1, "at_most": 3}, "between 1 and 3",
                                                         [False, True, True]),
    ({"count": 0}, "exactly 0", [True, False, False])])
def test_an_expectation_counts_exactly_at_least_or_at_most(given: dict[str, Any], words: str,
                                                           holds: list[bool]) -> None:
    expectation = Expectation.read(given)
    assert expectation.expected() == words
    assert [expectation.holds(matched) for matched in (0, 1, 2)] == holds


def test_every_bound_given_holds_and_bounds_no_number_meets_never_hold() -> None:
    assert Expectation.read({"count": 2.0, "status": 201.0}).expected() == "exactly 2"  # JSON integers
    assert Expectation.read({"count": 1, "at_most": 2}).expected() == "exactly 1"
    never = Expectation.read({"at_least": 3, "at_most": 2})
    assert never.expected() == "at least 3 and at most 2 (which no number is)"
    assert not any(never.holds(matched) for matched in range(5))
    with pytest.raises(ExpectationFailed):
        verified(Expectation.read({"count": 2, "at_least": 3}), [entry(), entry(), entry()])


def test_too_few_matches_show_the_nearest_other_entries_fewest_differences_first() -> None:
    journal = [entry(method="GET", body=None, operation="listPets", status=200),
               entry(body={"name": "Max"}), entry(body={"name": "Rex"}, status=422)]
    with pytest.raises(ExpectationFailed) as raised:
        verified(Expectation.read({"operation": "createPet", "status": 201, "body_contains": {"name": "Rex"}}),
                 journal)
    fields = raised.value.fields
    assert (raised.value.status, fields["matched"], fields["expected"]) == (409, 0, "at least 1")
    assert [(near["entry"]["body"], [d["filter"] for d in near["differences"]]) for near in fields["closest"]] == [
        ({"name": "Rex"}, ["status"]), ({"name": "Max"}, ["body_contains"]),
        (None, ["operation", "status", "body_contains"])]


def test_too_many_matches_show_the_matching_entries_as_the_closest() -> None:
    journal = [entry(body={"name": "Rex"}), entry(body={"name": "Rex"}), entry(method="GET", operation="listPets")]
    with pytest.raises(ExpectationFailed) as raised:
        verified(Expectation.read({"operation": "createPet", "count": 1}), journal)
    assert raised.value.fields["matched"] == 2
    assert [near["differences"] for near in raised.value.fields["closest"]] == [[], []]
    assert verified(Expectation.read({"operation": "createPet", "count": 2}), journal)["matched"] == 2

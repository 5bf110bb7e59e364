"""``engine.fitting``: a stored item is made to fit its schema at write time (missing required
properties built, misfits rebuilt or dropped), and what cannot fit is refused naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.engine.fitting import Fitter
from mockserver.errors import ValidationFailed
from tests.unit.inline_specs import answer, ref, spec_of

PET = {
    "type": "object", "required": ["id", "name", "status"],
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string", "minLength": 1},
        "status": {"type": "string", "enum": ["available", "sold"]},
        "tag": {"type": "string"},
        "owner": {"type": "object", "required": ["email"],
                  "properties": {"email": {"type": "string", "format": "email"}}},
    },
}
SCHEMAS = {
    "Pet": PET,
    "Closed": {"type": "object", "required": ["id"], "additionalProperties": False,
               "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
    "Small": {"type": "object", "maxProperties": 1, "properties": {"id": {"type": "integer"}}},
    "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
    "Composed": {"allOf": [ref("Base"), {"required": ["label"], "properties": {"label": {"type": "string"}}}]},
    # Scalar Galaxy's shape: a satellite's orbit holds a planet, whose id is required and read-only
    "Planet": {"type": "object", "required": ["id", "name"], "additionalProperties": False, "properties": {
        "id": {"type": "integer", "readOnly": True, "examples": [1]}, "name": {"type": "string"},
        "satellites": {"type": "array", "items": ref("Satellite")}}},
    "Satellite": {"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string"}, "orbit": {"type": "object", "properties": {"planet": ref("Planet")}}}},
}


def fitter() -> Fitter:
    paths = {f"/{name.lower()}": {"get": answer(ref(name))} for name in SCHEMAS}
    return Fitter(spec_of(paths, SCHEMAS))


def pointer(name: str) -> str:
    return f"/components/schemas/{name}"


def test_an_item_that_fits_is_kept_as_it_is() -> None:
    item = {"id": 1, "name": "Rex", "status": "sold", "tag": "dog"}
    assert fitter().fits(pointer("Pet"), item)
    assert fitter().fit(pointer("Pet"), item) == item


def test_a_missing_required_property_gets_a_value_built_from_its_schema() -> None:
    assert fitter().fit(pointer("Pet"), {"id": 1, "name": "Rex"}) == {"id": 1, "name": "Rex", "status": "available"}


def test_a_required_property_that_breaks_its_schema_is_rebuilt() -> None:
    fitted = fitter().fit(pointer("Pet"), {"id": 1, "name": "", "status": "lost"})
    assert fitted == {"id": 1, "name": "string", "status": "available"}


def test_an_optional_property_that_breaks_its_schema_is_dropped() -> None:
    fitted = fitter().fit(pointer("Pet"), {"id": 1, "name": "Rex", "status": "sold", "tag": 7,
                                           "owner": {"email": "not an address"}})
    assert fitted == {"id": 1, "name": "Rex", "status": "sold"}


def test_a_nested_required_property_is_built_in_place_and_the_sent_field_is_kept() -> None:
    sent = {"id": 5, "name": "Earth", "satellites": [{"name": "Moon", "orbit": {"planet": {"name": "Earth"}}}]}
    fitted = fitter().fit(pointer("Planet"), sent, keep="id")
    assert fitted == {"id": 5, "name": "Earth",
                      "satellites": [{"name": "Moon", "orbit": {"planet": {"id": 1, "name": "Earth"}}}]}
    assert sent["satellites"][0]["orbit"]["planet"] == {"name": "Earth"}  # the caller's item is not changed


def test_a_nested_misfit_that_is_no_missing_property_still_drops_the_optional_field() -> None:
    sent = {"id": 5, "name": "Earth", "satellites": [{"name": 7}]}
    assert fitter().fit(pointer("Planet"), sent, keep="id") == {"id": 5, "name": "Earth"}


def test_a_property_the_schema_does_not_allow_is_dropped() -> None:
    assert fitter().fit(pointer("Closed"), {"id": 1, "colour": "red", "name": "Rex"}) == {"id": 1, "name": "Rex"}


def test_required_properties_of_every_allof_part_are_completed() -> None:
    assert fitter().fit(pointer("Composed"), {"id": 3}) == {"id": 3, "label": "string"}


def test_the_kept_property_is_never_changed_so_a_misfit_there_is_refused_naming_it() -> None:
    with pytest.raises(ValidationFailed) as refused:
        fitter().fit(pointer("Pet"), {"id": "seven", "name": "Rex"}, keep="id")
    assert str(refused.value) == "field 'id' of the stored item must be of type integer (got string)"


def test_an_item_that_breaks_its_schema_as_a_whole_is_refused() -> None:
    with pytest.raises(ValidationFailed) as refused:
        fitter().fit(pointer("Small"), {"id": 1, "name": "Rex"})
    assert str(refused.value) == "the stored item: {'id': 1, 'name': 'Rex'} has too many properties"


def test_fitting_never_changes_the_item_it_is_given() -> None:
    item: dict[str, Any] = {"id": 1, "tag": 7}
    fitter().fit(pointer("Pet"), item)
    assert item == {"id": 1, "tag": 7}


def test_without_a_schema_every_item_fits_as_it_is() -> None:
    item = {"anything": ["goes"]}
    assert fitter().fits(None, item) and fitter().fit(None, item) is item


def test_fits_checks_formats() -> None:
    owner = {"id": 1, "name": "Rex", "status": "sold", "owner": {"email": "user@example.com"}}
    assert fitter().fits(pointer("Pet"), owner)
    assert not fitter().fits(pointer("Pet"), {**owner, "owner": {"email": "nobody"}})

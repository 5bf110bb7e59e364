"""A query parameter declared with ``allowEmptyValue`` takes an empty value (``?flag=``), whatever
its schema's type, as Asana's ``opt_pretty`` (a boolean) is documented; one without it is still
checked against its schema."""

from __future__ import annotations

from pathlib import Path

from mockserver.config import Config
from mockserver.server import build_mock
from tests.inline_client import InlineClient

DOCUMENT = """openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things:
    get:
      parameters:
        - {name: pretty, in: query, allowEmptyValue: true, schema: {type: boolean}}
        - {name: strict, in: query, schema: {type: boolean}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
"""


def test_an_empty_value_is_taken_where_the_parameter_allows_it_and_refused_where_not(tmp_path: Path) -> None:
    document = tmp_path / "openapi.yaml"
    document.write_text(DOCUMENT)
    with InlineClient(build_mock(Config(specs=(document,), fixtures=None)).app) as client:
        assert client.get("/things?pretty=").status_code == 200
        assert client.get("/things?pretty").status_code == 200
        assert client.get("/things?pretty=true").status_code == 200
        refused = client.get("/things?pretty=maybe")
        assert refused.status_code == 422 and "'pretty'" in refused.text
        empty = client.get("/things?strict=")
        assert empty.status_code == 422 and "query parameter 'strict' must be of type boolean" in empty.text


ARRAY = """openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things:
    get:
      parameters:
        - name: fields
          in: query
          style: form
          explode: false
          schema: {type: array, items: {type: string, enum: [name, color]}}
      responses:
        '200': {description: ok}
"""


def test_an_empty_form_value_is_an_empty_array_as_asanas_opt_fields_is_sent(tmp_path: Path) -> None:
    document = tmp_path / "openapi.yaml"
    document.write_text(ARRAY)
    with InlineClient(build_mock(Config(specs=(document,), fixtures=None)).app) as client:
        assert client.get("/things?fields=").status_code == 200
        assert client.get("/things?fields=name,color").status_code == 200
        refused = client.get("/things?fields=name,size")
        assert refused.status_code == 422 and "query parameter 'fields'" in refused.text

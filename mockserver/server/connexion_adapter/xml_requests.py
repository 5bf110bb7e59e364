"""XML request bodies validated like JSON ones (Connexion validates JSON and form bodies only).

The body is read into the JSON value its schema describes (``core.xml_values``), checked with the
same 2020-12 validator as a JSON body, and handed on as the validated body: an XML create stores
what a JSON one would.
"""

from __future__ import annotations

from typing import Any

from mockserver.core.xml_values import XMLBodyError, read_xml
from mockserver.errors import ValidationFailed
from mockserver.server.connexion_adapter.bodies import ParsedBodyValidator

XML_MEDIA_TYPES = ("*/xml", "*/*+xml")


class XMLBody202012Validator(ParsedBodyValidator):
    """An XML body read against its schema, then validated as JSON would be."""

    missing = "The request body is required: send an XML document"

    def parse(self, raw: bytes) -> Any:
        try:
            return read_xml(raw, self._schema, self.max_depth)
        except XMLBodyError as exc:
            raise ValidationFailed(str(exc)[0].upper() + str(exc)[1:]) from None

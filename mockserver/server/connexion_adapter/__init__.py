"""Everything that adapts Connexion 3.3 to an OpenAPI 3.1 document, in one place.

Connexion 3.3 refuses 3.1 documents, validates with JSON Schema Draft 4, answers problem+json,
locks out every request when a bearer scheme has no token function, and answers 500 to three
inputs of the AgentOS spec. Each gap is closed here through Connexion's own extension points:
an ``AsyncApp`` subclass that registers an already validated 3.1 document, an operation class
that copes with ``anyOf``-only parameter schemas, a 2020-12 ``validator_map``, a
``security_map`` bearer handler, a middleware that reads a body without Content-Type as JSON,
and error handlers that turn every failure into one of the mock's ``ApiError``s. ``hotpath``
keeps what Connexion rebuilds on every request (``OpenAPI31App`` uses it; ``ConnexionAdapterApp`` is
Connexion as shipped, for the benchmark's ceiling). ``tests/unit/test_connexion_adapter.py`` and
``tests/unit/test_hotpath.py`` fail if a Connexion upgrade moves what this relies on.
"""

from mockserver.server.connexion_adapter.app import (
    ConnexionAdapterApp,
    OpenAPI31App,
    OpenAPI31Operation,
    OpenAPI31Specification,
)
from mockserver.server.connexion_adapter.bodies import compiled
from mockserver.server.connexion_adapter.content_types import AssumeJSONContentType, form_operations
from mockserver.server.connexion_adapter.declared_types import with_declared_type
from mockserver.server.connexion_adapter.engine import VALID_REQUEST, engine_handler, valid_request_handler
from mockserver.server.connexion_adapter.errors import (
    ERROR_FAMILIES,
    DocumentedRoutes,
    as_api_error,
    error_renderer,
)
from mockserver.server.connexion_adapter.security import security_map
from mockserver.server.connexion_adapter.streaming import streaming_handler
from mockserver.server.connexion_adapter.strict_json import parse_json_body
from mockserver.server.connexion_adapter.validation import (
    JSONBody202012Validator,
    Parameter202012Validator,
    validator_map,
)

__all__ = [
    "ERROR_FAMILIES",
    "VALID_REQUEST",
    "AssumeJSONContentType",
    "ConnexionAdapterApp",
    "DocumentedRoutes",
    "JSONBody202012Validator",
    "OpenAPI31App",
    "OpenAPI31Operation",
    "OpenAPI31Specification",
    "Parameter202012Validator",
    "as_api_error",
    "compiled",
    "engine_handler",
    "error_renderer",
    "form_operations",
    "parse_json_body",
    "security_map",
    "streaming_handler",
    "valid_request_handler",
    "validator_map",
    "with_declared_type",
]

"""Ceiling 2: Connexion's stack alone, serving the same spec with the same checks.

The spec, the bearer check with the benchmark's key and request validation are the mock's;
``ConnexionAdapterApp`` is Connexion's ``AsyncApp`` as shipped plus what it takes to load a 3.1
document, without the mock's hot-path caches. The handler is an async function returning a
constant session. No store, no mock middleware, no error mapping: the difference between this
and the mock is the mock's own cost, net of what it saves inside Connexion.
``python -m bench.ceiling_connexion PORT``.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import uvicorn
from connexion import Resolver
from connexion.options import SwaggerUIOptions

from bench.payload import KEY, session_json
from mockserver.config import Config
from mockserver.core.combined import load_specs
from mockserver.server import connexion_adapter

SESSION = json.loads(session_json())


async def constant_session(**_: Any) -> tuple[dict[str, Any], int]:
    return SESSION, 200


def create_app() -> connexion_adapter.ConnexionAdapterApp:
    app = connexion_adapter.ConnexionAdapterApp(
        __name__,
        resolver=Resolver(function_resolver=lambda operation_id: constant_session),
        validator_map=connexion_adapter.validator_map(Config().max_depth),
        security_map=connexion_adapter.security_map(KEY, is_open=False),
        swagger_ui_options=SwaggerUIOptions(swagger_ui=False, serve_spec=False),
    )
    app.add_spec(load_specs(Config().specs).combined)
    return app


if __name__ == "__main__":
    uvicorn.run(create_app(), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning",
                access_log=False)

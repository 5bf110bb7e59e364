"""The core: what the mock knows without a web server.

The OpenAPI document (``spec``), JSON Schema validation with plain sentences (``schema``), what a
session is per kind (``sessions``), where state lives (``store``), the fixtures it starts from
(``fixtures``), the request journal's records (``journal``) and reading YAML/JSON files
(``documents``). Nothing here imports starlette, connexion or uvicorn (tests/unit/test_architecture.py).
"""

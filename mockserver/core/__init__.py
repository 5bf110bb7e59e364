"""The core: what the mock knows without a web server.

OpenAPI documents (``spec``, and several as one API: ``specs``), JSON Schema validation with plain
sentences (``schema``), reading YAML/JSON files (``documents``), what a session and a run are per
kind (``sessions``, ``runs``, together ``model``), timestamps (``timestamps``), sessions in fixture
form (``records``) and the fixture files (``fixtures``), list queries (``listing``), the store's
interface (``store``) and its in-memory implementation with its orders (``memory_store``,
``orderings``), and the request journal's records (``journal``). Nothing here imports starlette,
connexion or uvicorn (tests/unit/test_architecture.py).
"""

"""A backend that implements half of tests/data/specs/petstore.yaml, as a framework serves it: the
upstream of the ``proxy --fallback`` tests and of the README's example.

- ``GET /pets`` answers its own pet (id 1); ``DELETE /pets/{petId}`` deletes it (204) or answers
  the documented 404 (``{"code": 404, "message": ...}``);
- ``POST /pets`` answers 501 (a stub);
- ``GET``, ``PATCH``, ``PUT`` of ``/pets/{petId}`` are the framework's 405 (only DELETE is routed);
- ``/store/inventory`` is the framework's 404 (``Not Found``, plain text);
- ``GET /health`` (undocumented) answers ``{"status": "ok"}``.

Every request it gets is in ``seen`` (``METHOD /path``). Run alone:
``python -m tests.half_petstore --port 8000``.
"""

from __future__ import annotations

import argparse
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

PET = {"id": 1, "name": "Upstream Rex", "status": "available"}


def half_petstore() -> tuple[Any, list[str]]:
    """The ASGI app, and the list of the requests it got."""
    seen: list[str] = []
    pets = {1: dict(PET)}

    async def list_pets(request: Request) -> Response:
        return JSONResponse(list(pets.values()))

    async def create_pet(request: Request) -> Response:
        return JSONResponse({"detail": "Not Implemented"}, status_code=501)

    async def delete_pet(request: Request) -> Response:
        pet_id = request.path_params["pet_id"]
        if pets.pop(pet_id, None) is None:
            return JSONResponse({"code": 404, "message": f"no pet {pet_id}"}, status_code=404)
        return Response(status_code=204)

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    app = Starlette(routes=[
        Route("/pets", list_pets, methods=["GET"]), Route("/pets", create_pet, methods=["POST"]),
        Route("/pets/{pet_id:int}", delete_pet, methods=["DELETE"]), Route("/health", health)])

    async def recording(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            seen.append(f"{scope['method']} {scope['path']}")
        await app(scope, receive, send)

    return recording, seen


if __name__ == "__main__":
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8000)
    uvicorn.run(half_petstore()[0], host="127.0.0.1", port=parser.parse_args().port, log_level="info")

"""The mock's own ASGI middleware, around and inside Connexion's stack (wired in ``server.app``).

``limits``: body size, nesting and read time. ``prefer``: ``Prefer: code`` and ``delay``, and
``--latency``. ``journal``: fills the request journal. ``docs``: the Swagger UI page. ``status``:
the ``send`` wrapper that remembers a response's status.
"""

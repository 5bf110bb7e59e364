"""The mock's own ASGI middleware, around and inside Connexion's stack (wired in ``server.app``).

Three passes: ``exchange_log`` (outermost: CORS, the request journal, the access log), ``admission`` (before
routing: the docs page, body limits, delays) and ``forced.PreferCode`` (after validation:
``Prefer: code``). What the first two call: ``docs`` (the Swagger UI page), ``limits`` (body size,
nesting and read time), ``prefer`` (the ``Prefer`` header, ``delay`` and ``--latency``) and
``status`` (the ``send`` wrapper that remembers a response's status) and ``target`` (the
request target and the admin API's guard, checked first).
"""

ADMIN_PREFIX = "/__mockserver/"  # the admin API (the mock's) or the journal (the proxy's)
# The mock's own paths, the admin API and the docs page: never journaled, never given a fault.
OWN_PATHS = ("/__mockserver", "/docs")

"""The web side: the mock as an ASGI app (``app``) served by uvicorn (``serve``).

``app.build_mock`` wires spec, fixtures, store and handlers into Connexion (``connexion_adapter``, the
only package that imports it) with the mock's middleware (``middleware``: limits, ``Prefer``, the
journal, the docs page); ``serve`` binds the port and runs uvicorn with the guarded ``protocol``
and the batched ``access_log``; ``watch`` reloads fixtures; ``proxy`` is ``mockserver proxy``, the
validation proxy in front of a real server. Other packages use what this module
exports, not its submodules.
"""

from mockserver.server.app import Mock, build_mock, create_app
from mockserver.server.proxy import Proxy, build_proxy, serve_proxy
from mockserver.server.serving import BackgroundServer, serve, serve_in_thread

__all__ = ["BackgroundServer", "Mock", "Proxy", "build_mock", "build_proxy", "create_app", "serve",
           "serve_in_thread", "serve_proxy"]

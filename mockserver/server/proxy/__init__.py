"""``mockserver proxy``: between a client and the real server, checking both against the documents.

``build_proxy(config)`` wires the request probe (the mock's own validation), the upstream, the
response contract, the report and the recorder into ``ProxyApp``, inside the mock's own ``ExchangeLog``
(journal, access log) and ``Admission`` (body limits, network faults); ``serve_proxy`` serves it until
stopped, then prints the report, writes ``--junit-xml`` and exits 1 on ``--fail-on-violation``.
"""

from mockserver.server.proxy.build import Proxy, build_proxy, serve_proxy

__all__ = ["Proxy", "build_proxy", "serve_proxy"]

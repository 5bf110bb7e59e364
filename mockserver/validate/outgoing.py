"""What ``validate`` says of the requests the mock sends: each callback (after which operation, to
which URL template) and each webhook (which collection and events fire it, and why; or that none
does, and how to say which)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from mockserver.core.pointers import pointer
from mockserver.core.spec import Spec
from mockserver.engine import Engine
from mockserver.engine.outgoing import callbacks, webhooks
from mockserver.engine.webhook_routes import infer, read_mapping


def outgoing_lines(spec: Spec, engine: Engine, mapping: Path | None = None) -> Iterator[tuple[str, str]]:
    """(where, what) for each callback and webhook of ``spec``, the webhooks routed as the
    ``mapping`` file says where it says (``FixtureError`` naming the file and field of a wrong one)."""
    for key, found in callbacks(spec).items():
        for outgoing in found:
            fired = "after a 2xx answer" if engine.handles(key) else "never: a profile serves it"
            yield outgoing.at, (f"callback {outgoing.name} of {key}: {outgoing.method} {outgoing.url}, "
                                f"{fired}")
    documented = webhooks(spec)
    given = read_mapping(mapping, documented, engine.collections)
    routed = {route.outgoing.name: route for route in infer(spec, documented, engine.collections, given)}
    for name in documented:
        route = routed.get(name)
        yield pointer("webhooks", name), (route.describe() if route is not None else
                                          f"webhook {name}: no collection's item is its payload or in it: "
                                          "not fired unless --webhooks FILE names its collection")

"""The spec's HTTPBearer scheme, checked against the mock's security key (or open without one).

Connexion locks out every request when a bearer scheme has no token function; ``security_map``
supplies one without touching the document.
"""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable
from typing import Any

from connexion.security import BearerSecurityHandler


def bearer_security(key: str | None) -> dict[str, type[BearerSecurityHandler]]:
    """A ``security_map``: with no key, any request passes; with one, only ``Bearer <key>``."""
    expected = key.encode() if key is not None else None

    def check_token(token: str) -> dict[str, str] | None:
        return {"sub": "bearer"} if hmac.compare_digest(token.encode(), expected or b"") else None

    class KeyBearerHandler(BearerSecurityHandler):
        # Connexion inspects the token function's signature twice per request; it never changes.
        _accepts_kwarg = staticmethod(functools.cache(BearerSecurityHandler._accepts_kwarg))

        def get_fn(self, security_scheme: dict[str, Any], required_scopes: list[str]) -> Callable[..., Any]:
            if expected is None:
                return lambda request: {}
            # Connexion leaves _get_verify_func unannotated; it returns the request check it wraps.
            verify: Callable[..., Any] = self._get_verify_func(check_token)  # type: ignore[no-untyped-call]
            return verify

    return {"bearer": KeyBearerHandler}

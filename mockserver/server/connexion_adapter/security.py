"""The documents' security schemes, checked the way a mock can: credentials present, and the
security key where one is set (or nothing at all with ``open``).

Connexion needs a function per scheme (``x-tokenInfoFunc`` and friends) and locks out every
request of a scheme without one; ``security_map`` supplies them without touching the document:

- ``open``: every request passes, with or without credentials (AgentOS without a security key).
- otherwise a request needs the credential its operation's ``security`` names: a bearer token
  (HTTP bearer, OAuth 2, OpenID Connect), HTTP basic credentials or the API key in its header,
  query or cookie; a missing one is a 401. With a security key, bearer tokens, API keys and basic
  passwords must equal it; without one, any value is accepted. The admin API (``/__mockserver/``) needs only
  the security key, when one is set.
"""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable
from typing import Any

from connexion.middleware.security import SecurityAPI, SecurityMiddleware, SecurityOperation
from connexion.security import (
    AbstractSecurityHandler,
    ApiKeySecurityHandler,
    BasicSecurityHandler,
    BearerSecurityHandler,
    OAuthSecurityHandler,
)

TokenCheck = Callable[..., dict[str, Any] | None]


def _token_check(key: str | None) -> TokenCheck:
    expected = key.encode() if key is not None else None

    def check(token: str, *args: Any, required_scopes: Any = None) -> dict[str, Any] | None:
        if expected is not None and not hmac.compare_digest(token.encode(), expected):
            return None
        return {"sub": "mock", "scope": list(required_scopes or [])}

    return check


def _basic_check(key: str | None) -> TokenCheck:
    """Basic credentials: any user; the password must be the security key when one is set."""
    check = _token_check(key)

    def basic(username: str, password: str, *args: Any, required_scopes: Any = None) -> dict[str, Any] | None:
        return check(password, required_scopes=required_scopes)

    return basic


def _passes(request: Any) -> dict[str, Any]:
    return {}


ADMIN_PREFIX = "/__mockserver/"  # the mock's own API: it needs the security key only


def _handler(base: type[AbstractSecurityHandler], check: TokenCheck, is_open: bool,
             admin_open: bool) -> type[Any]:
    class MockSecurityHandler(base):  # type: ignore[valid-type,misc]
        # Connexion inspects the check's signature twice per request; it never changes.
        _accepts_kwarg = staticmethod(functools.cache(base._accepts_kwarg))

        # Guarded in tests/unit/test_third_party_internals.py (AbstractSecurityHandler._resolve_func).
        def _resolve_func(self, security_scheme: dict[str, Any]) -> TokenCheck:
            return check

        def get_tokeninfo_func(self, security_definition: dict[str, Any]) -> TokenCheck:
            return check

        @classmethod
        def get_scope_validate_func(cls, security_definition: dict[str, Any]) -> Callable[..., bool]:
            return lambda required_scopes, token_scopes: True

        def get_fn(self, security_scheme: dict[str, Any], required_scopes: list[str]) -> Callable[..., Any]:
            if is_open:
                return _passes
            verify: Callable[..., Any] = super().get_fn(security_scheme, required_scopes)
            if not admin_open:
                return verify
            return lambda request: {} if request.url.path.startswith(ADMIN_PREFIX) else verify(request)

    MockSecurityHandler.__name__ = f"Mock{base.__name__}"
    return MockSecurityHandler


def security_map(key: str | None, *, is_open: bool) -> dict[str, type[Any]]:
    """Connexion's ``security_map`` for every scheme type (see the module docstring)."""
    token, admin_open = _token_check(key), key is None
    return {
        "bearer": _handler(BearerSecurityHandler, token, is_open, admin_open),
        "oauth2": _handler(OAuthSecurityHandler, token, is_open, admin_open),
        "openIdConnect": _handler(OAuthSecurityHandler, token, is_open, admin_open),
        "apiKey": _handler(ApiKeySecurityHandler, token, is_open, admin_open),
        "basic": _handler(BasicSecurityHandler, _basic_check(key), is_open, admin_open),
    }


def one_bearer_per_requirement(security: list[Any], schemes: dict[str, Any]) -> list[Any]:
    """``security`` with each requirement's second and later OAuth 2 schemes left out: every OAuth 2
    scheme reads the same bearer token, so the first one's check is the whole requirement's."""
    if not security:
        return security
    kept = []
    for requirement in security:
        oauth = [name for name in requirement if (schemes.get(name) or {}).get("type") == "oauth2"]
        kept.append({name: scopes for name, scopes in requirement.items() if name not in oauth[1:]})
    return kept


class AndRequirementsSecurityOperation(SecurityOperation):
    def __init__(self, next_app: Any, *, security: list[Any], security_schemes: dict[str, Any],
                 **kwargs: Any) -> None:
        super().__init__(next_app, security=one_bearer_per_requirement(security, security_schemes),
                         security_schemes=security_schemes, **kwargs)


class AndRequirementsSecurityAPI(SecurityAPI):
    # Guarded in tests/unit/test_third_party_internals.py (SecurityAPI.make_operation).
    def make_operation(self, operation: Any) -> SecurityOperation:
        return AndRequirementsSecurityOperation.from_operation(
            operation, next_app=self.next_app, security_handler_factory=self.security_handler_factory)


class AndRequirementsSecurityMiddleware(SecurityMiddleware):
    """Connexion's security middleware, with a requirement of several OAuth 2 schemes checked as one
    bearer token."""

    api_cls = AndRequirementsSecurityAPI


def with_and_requirements(middlewares: list[Any]) -> list[Any]:
    """``middlewares`` with ``AndRequirementsSecurityMiddleware`` for Connexion's ``SecurityMiddleware``."""
    return [AndRequirementsSecurityMiddleware if m is SecurityMiddleware else m for m in middlewares]

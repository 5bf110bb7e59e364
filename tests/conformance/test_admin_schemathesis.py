"""Schemathesis against the admin API, described by its own documents: the generic one
(mockserver/admin/admin.yaml) and the AgentOS profile's (mockserver/agentos/admin-sessions.yaml).

Same rules as the AgentOS API: a security key set, every check, both generation modes, state reset
before each case.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import schemathesis
from hypothesis import settings

from mockserver.admin import ADMIN_DOCUMENT
from mockserver.agentos.profile import ADMIN_DOCUMENT as SESSIONS_ADMIN_DOCUMENT
from mockserver.config import Config
from mockserver.server.app import build_mock
from tests.conftest import FIXTURES, SPECS, STATUSES

pytestmark = pytest.mark.slow

KEY = "admin-conformance-key"
MOCK = build_mock(Config(specs=SPECS, fixtures=FIXTURES, security_key=KEY))
SCHEMA = schemathesis.openapi.from_path(str(ADMIN_DOCUMENT))
SESSIONS_SCHEMA = schemathesis.openapi.from_path(str(SESSIONS_ADMIN_DOCUMENT))
for schema in (SCHEMA, SESSIONS_SCHEMA):
    schema.app = MOCK.app
    schema.config.update(headers={"Authorization": f"Bearer {KEY}"})


@SCHEMA.parametrize()
@settings(max_examples=60, deadline=None)  # no health check needs suppressing: none fails with all on
def test_admin_api(case: Any) -> None:
    asyncio.run(MOCK.reset())
    response = case.call_and_validate()
    STATUSES[f"admin {case.method} {case.path}"][response.status_code] += 1


@SESSIONS_SCHEMA.parametrize()
@settings(max_examples=60, deadline=None)
def test_agentos_admin_api(case: Any) -> None:
    asyncio.run(MOCK.reset())
    response = case.call_and_validate()
    STATUSES[f"admin {case.method} {case.path}"][response.status_code] += 1

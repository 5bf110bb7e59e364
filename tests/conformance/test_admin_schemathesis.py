"""Schemathesis against the admin API, described by its own spec (openapi/mockserver-admin.yaml).

Same rules as the AgentOS API: a security key set, every check, both generation modes, state reset
before each case.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import schemathesis
from hypothesis import settings

from mockserver.config import ADMIN_SPEC_FILE, Config, bundled
from mockserver.server.app import build_mock
from tests.conftest import FIXTURES, SPECS, STATUSES

pytestmark = pytest.mark.slow

KEY = "admin-conformance-key"
MOCK = build_mock(Config(specs=SPECS, fixtures=FIXTURES, security_key=KEY))
SCHEMA = schemathesis.openapi.from_path(str(bundled(ADMIN_SPEC_FILE)))
SCHEMA.app = MOCK.app
SCHEMA.config.update(headers={"Authorization": f"Bearer {KEY}"})


@SCHEMA.parametrize()
@settings(max_examples=60, deadline=None)  # no health check needs suppressing: none fails with all on
def test_admin_api(case: Any) -> None:
    asyncio.run(MOCK.reset())
    response = case.call_and_validate()
    STATUSES[f"admin {case.method} {case.path}"][response.status_code] += 1

"""Fixtures of the security suites."""

import pytest

from .world import world_create


@pytest.fixture
def world(db, settings):
    settings.XPENSER_OAUTH_INSECURE_TRANSPORT = False
    return world_create()

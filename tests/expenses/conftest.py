"""Fixtures shared by the legacy `/api/` tests (test_legacy_*.py): the user's default report."""

import pytest

from tests import factories


@pytest.fixture(name="default_report")
def default_report_fixture(user):
    return factories.default_report(user)

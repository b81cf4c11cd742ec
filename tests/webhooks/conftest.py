"""The /api/v2/ tests' JSON clients (`api`, `other_api`) for the webhooks tests."""

from tests.expenses.v2.conftest import api, media_root, other_api  # noqa: F401 - fixtures

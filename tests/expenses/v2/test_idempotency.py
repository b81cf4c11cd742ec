"""Idempotency-Key on POST: the first answer for a retry, 422 for another body, per user, kept 24 hours."""

import datetime as dt
from unittest import mock

import pytest

from expenses.models import Expense, IdempotencyRecord, Tag, Timer
from tests.expenses.v2.conftest import error

pytestmark = pytest.mark.django_db
KEY = {"Idempotency-Key": "5f0c6a4e-7d1b-4c55-9f63-2a8e1b9d0c11"}


def test_a_retry_gets_the_first_answer_and_makes_no_second_row(api):
    first = api.post("expenses/", {"type": "lunch", "amount": "45"}, headers=KEY)
    assert first.status_code == 201 and "Idempotent-Replayed" not in first
    retry = api.post("expenses/", {"amount": "45", "type": "lunch"}, headers=KEY)  # same body, other key order
    assert retry.status_code == 201 and retry["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()
    assert (retry["Location"], retry["ETag"]) == (first["Location"], first["ETag"])
    assert Expense.objects.count() == 1


def test_the_same_key_with_another_body_is_422(api):
    api.post("expenses/", {"type": "lunch", "amount": "45"}, headers=KEY)
    found = error(api.post("expenses/", {"type": "lunch", "amount": "46"}, headers=KEY), 422,
                  "idempotency_key_reused")
    assert "another request" in found["message"]
    assert error(api.post("tags/", {"name": "x"}, headers=KEY), 422)  # another path
    assert Expense.objects.count() == 1 and not Tag.objects.exists()


def test_keys_are_per_user(api, other_api):
    mine = api.post("expenses/", {"type": "lunch", "amount": "45"}, headers=KEY).json()
    theirs = other_api.post("expenses/", {"type": "lunch", "amount": "45"}, headers=KEY).json()
    assert mine["id"] != theirs["id"] and Expense.objects.count() == 2


def test_a_refused_request_keeps_nothing_so_the_corrected_one_may_reuse_the_key(api):
    assert error(api.post("expenses/", {"type": "lunch", "amount": "4.555"}, headers=KEY), 400)
    assert api.post("expenses/", {"type": "lunch", "amount": "4.55"}, headers=KEY).status_code == 201
    assert IdempotencyRecord.objects.count() == 1


def test_answers_are_kept_24_hours(api, settings):
    api.post("expenses/", {"type": "lunch", "amount": "45"}, headers=KEY)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=settings.XPENSER_IDEMPOTENCY_SECONDS - 60)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert api.post("expenses/", {"type": "lunch", "amount": "45"}, headers=KEY)["Idempotent-Replayed"] == "true"
    much_later = later + dt.timedelta(hours=1)
    with mock.patch("django.utils.timezone.now", return_value=much_later):
        fresh = api.post("expenses/", {"type": "lunch", "amount": "45"}, headers=KEY)
        assert fresh.status_code == 201 and "Idempotent-Replayed" not in fresh
    assert Expense.objects.count() == 2 and IdempotencyRecord.objects.count() == 1  # the expired one is gone


@pytest.mark.parametrize("path, body", [
    ("entries/", {"text": "taxi 12 #work"}),
    ("tags/", {"name": "cash"}),
    ("reports/", {"name": "Trip"}),
    ("timer/start", {"notes": "review"}),
    ("expenses/bulk", {"expenses": [{"type": "a", "amount": "1"}, {"type": "b", "amount": "2"}]}),
])
def test_every_post_honours_the_key(api, path, body):
    first = api.post(path, body, headers=KEY)
    assert first.status_code in (200, 201), first.content
    retry = api.post(path, body, headers=KEY)
    assert retry.json() == first.json() and retry["Idempotent-Replayed"] == "true"
    assert Expense.objects.count() <= 2 and Tag.objects.count() <= 1 and Timer.objects.count() <= 1


@pytest.mark.parametrize("key", ["", " ", "x" * 256, "é"])
def test_unusable_keys_are_400(api, key):
    assert error(api.post("expenses/", {"type": "a", "amount": "1"}, headers={"Idempotency-Key": key}), 400)
    assert not Expense.objects.exists()

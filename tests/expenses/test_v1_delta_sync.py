"""Delta sync: `modified` + `modified_op=gt` + `status=all` returns every change after a time exactly once."""

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from expenses.models import Expense
from tests.api_helpers import as_json
from tests.factories import ExpenseFactory, ReportFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_creations_edits_and_deletions_come_exactly_once(client, user, auth):
    other_report = ReportFactory(owner=user)
    tag = TagFactory(owner=user, name="cash")
    untouched = ExpenseFactory(owner=user, tags=[tag])
    edited = ExpenseFactory(owner=user, tags=[tag])
    deleted = ExpenseFactory(owner=user, report=other_report, tags=[tag])
    long_ago = timezone.now() - dt.timedelta(hours=2)
    Expense.objects.update(modified=long_ago, created=long_ago)
    since = (timezone.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")  # user.time_zone is UTC

    created = as_json(client.post("/api/v1.0/expense/", {"type": "new", "amount": "1", "tags": "cash,card"},
                                  **auth))
    client.post(f"/api/v1.0/expense/{edited.pk}", {"notes": "edited"}, **auth)
    client.post(f"/api/v1.0/expense/{edited.pk}", {"notes": "edited twice", "tags": "cash,card,x"}, **auth)
    assert client.post(f"/api/v1.0/expense/{deleted.pk}?action=delete", **auth).status_code == 204

    query = f"modified={since.replace(' ', '+')}&modified_op=gt&report=*&status=all"
    changes = as_json(client.get(f"/api/v1.0/expenses/?{query}", **auth))
    assert Counter(o["id"] for o in changes) == Counter({created["id"]: 1, edited.pk: 1, deleted.pk: 1})
    by_id = {o["id"]: o for o in changes}
    assert by_id[deleted.pk]["status"] == -1 and by_id[edited.pk]["notes"] == "edited twice"
    assert untouched.pk not in by_id

    # Without status=all, deletions are not reported (and never in a default listing).
    live_changes = as_json(client.get(f"/api/v1.0/expenses/?modified={since}&modified_op=gt&report=*", **auth))
    assert {o["id"] for o in live_changes} == {created["id"], edited.pk}

    # Nothing changed after the newest `modified` seen.
    newest = max(Expense.objects.values_list("modified", flat=True)) + dt.timedelta(seconds=1)
    later = newest.strftime("%Y-%m-%d %H:%M:%S")
    assert as_json(client.get(f"/api/v1.0/expenses/?modified={later}&modified_op=gt&report=*&status=all",
                              **auth)) == []


def test_created_filter(client, user, auth):
    old = ExpenseFactory(owner=user)
    Expense.objects.filter(pk=old.pk).update(created=timezone.now() - dt.timedelta(days=3))
    new = ExpenseFactory(owner=user)
    since = (timezone.now() - dt.timedelta(days=1)).strftime("%Y-%m-%d")
    assert [o["id"] for o in as_json(client.get(f"/api/v1.0/expenses/?created={since}&created_op=gt&report=*",
                                                **auth))] == [new.pk]

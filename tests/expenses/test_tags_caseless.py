"""Tag names are one tag in any case, in every script (`été`, `Été`, `ÉTÉ`; `Straße`, `STRASSE`), on SQLite as
on PostgreSQL: the case-folded `Tag.name_key` is what is unique and what lookups compare; expenses.0010 merges
the tags that an older database kept apart."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from expenses import services
from expenses.models import Expense, SyncClock, Tag

pytestmark = pytest.mark.django_db
BEFORE = [("expenses", "0009_receipt_readings")]


def tag_names(expense) -> list[str]:
    return sorted(expense.tags.values_list("name", flat=True))


def test_free_text_in_another_case_finds_the_same_tag(user):
    first = services.expense_create_from_text(user=user, text="lunch 5 #ÉTÉ")
    second = services.expense_create_from_text(user=user, text="lunch 6 #été")
    third = services.expense_create_from_text(user=user, text="beer 7 #STRASSE #Straße")
    assert list(Tag.objects.owned_by(user).order_by("id").values_list("name", flat=True)) == ["ÉTÉ", "STRASSE"]
    assert tag_names(first) == tag_names(second) == ["ÉTÉ"] and tag_names(third) == ["STRASSE"]


def test_a_tag_in_another_case_already_exists(client, auth, user):
    assert client.post("/api/v1.0/tag/", {"name": "café"}, **auth).status_code == 200
    refused = client.post("/api/v1.0/tag/", {"name": "CAFÉ"}, **auth)
    assert refused.status_code == 400 and refused.json()["error"] == "a tag named 'CAFÉ' already exists"
    assert list(Tag.objects.owned_by(user).values_list("name", "name_key")) == [("café", "café")]


def test_filters_and_search_match_tags_in_any_case(client, auth, user):
    tagged = services.expense_create_from_text(user=user, text="lunch 5 #ÉTÉ")
    services.expense_create_from_text(user=user, text="taxi 9 #other")
    answer = client.get("/api/v1.0/expenses/?report=*&tags=été&format=json", **auth)
    assert [row["id"] for row in json.loads(b"".join(answer.streaming_content))] == [tagged.pk]
    v2 = client.get("/api/v2/expenses/?tag=Été", **auth).json()["results"]
    assert [row["id"] for row in v2] == [tagged.pk]


def test_a_rename_keeps_the_key_in_step(user):
    tag = services.tag_create(user=user, name="Été")
    services.tag_rename(tag=tag, name="Winter")
    tag.refresh_from_db()
    assert (tag.name, tag.name_key) == ("Winter", "winter")
    assert services.tag_create(user=user, name="été").name_key == "été"


@pytest.mark.django_db(transaction=True)
def test_the_migration_merges_tags_that_are_one_in_any_case():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Report, Expense_, Tag_, Clock = (old.get_model(*name) for name in (
        ("reports", "Report"), ("expenses", "Expense"), ("expenses", "Tag"), ("expenses", "SyncClock")))
    past = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    try:
        user = get_user_model().objects.create_user(email="old@test.com", password="old-password-1")  # today's table
        report = Report.objects.create(owner_id=user.pk, name="Old", is_default=False)
        Clock.objects.update_or_create(owner_id=user.pk, defaults={"last": past})
        # Apart under the old constraint on both databases: LOWER('Straße') is not LOWER('STRASSE').
        older, newer = Tag_.objects.create(owner_id=user.pk, name="Straße"), Tag_.objects.create(owner_id=user.pk, name="STRASSE")
        other = Tag_.objects.create(owner_id=user.pk, name="food")
        made = {}
        for name, tags in (("both", [older, newer]), ("newer", [newer]), ("untouched", [other])):
            made[name] = Expense_.objects.create(owner_id=user.pk, report=report, type=name, amount=Decimal("1.00"),
                                                 rawamount=Decimal("1.00"), original_amount=Decimal("1.00"),
                                                 original_currency="USD", amount_currency="USD", rate=Decimal(1),
                                                 date=past, modified=past)
            made[name].tags.set(tags)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    assert list(Tag.objects.order_by("id").values_list("name", "name_key")) == [
        ("Straße", "strasse"), ("food", "food")]
    expenses = {expense.type: expense for expense in Expense.objects.all()}
    assert {name: tag_names(expense) for name, expense in expenses.items()} == {
        "both": ["Straße"], "newer": ["Straße"], "untouched": ["food"]}
    # The expenses whose tag changed are sent again by delta sync; the clock gave their stamp.
    assert expenses["both"].modified == expenses["newer"].modified > past
    assert expenses["untouched"].modified == past
    assert SyncClock.objects.get(owner_id=user.pk).last == expenses["both"].modified

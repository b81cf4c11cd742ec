"""Tag names are one tag in any case, in every script (`été`, `Été`, `ÉTÉ`; `Straße`, `STRASSE`), on SQLite as
on PostgreSQL: the case-folded `Tag.name_key` is what is unique and what lookups compare; expenses.0010 merges
the tags that an older database kept apart."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from expenses import services
from expenses.models import Expense, SyncClock, Tag
from tests.expenses.migration_helpers import migrated_back_to

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
    past = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with migrated_back_to(BEFORE) as old:
        Report, Expense_, Tag_, Clock = (old.get_model(*name) for name in (
            ("reports", "Report"), ("expenses", "Expense"), ("expenses", "Tag"), ("expenses", "SyncClock")))
        user = get_user_model().objects.create_user(email="old@test.com", password="old-password-1")  # today's table
        report = Report.objects.create(owner_id=user.pk, name="Old", is_default=False)
        Clock.objects.update_or_create(owner_id=user.pk, defaults={"last": past})
        # Apart under the old constraint on both databases: LOWER('Straße') is not LOWER('STRASSE').
        older, newer, other = (Tag_.objects.create(owner_id=user.pk, name=name) for name in ("Straße", "STRASSE", "food"))
        quiet = get_user_model().objects.create_user(email="quiet@test.com", password="old-password-1")
        Clock.objects.update_or_create(owner_id=quiet.pk, defaults={"last": past})
        for name in ("Maß", "MASS"):  # one tag in any case, on no expense
            Tag_.objects.create(owner_id=quiet.pk, name=name)
        for name, tags in (("both", [older, newer]), ("newer", [newer]), ("untouched", [other])):
            expense = Expense_.objects.create(
                owner_id=user.pk, report=report, type=name, amount=Decimal("1.00"), rawamount=Decimal("1.00"),
                original_amount=Decimal("1.00"), original_currency="USD", amount_currency="USD", rate=Decimal(1),
                date=past, modified=past)
            expense.tags.set(tags)
    assert list(Tag.objects.order_by("id").values_list("owner_id", "name", "name_key")) == [
        (user.pk, "Straße", "strasse"), (user.pk, "food", "food"), (quiet.pk, "Maß", "mass")]
    assert SyncClock.objects.get(owner_id=quiet.pk).last > past  # v2's tag list changed: a new Last-Modified
    expenses = {expense.type: expense for expense in Expense.objects.all()}
    assert {name: tag_names(expense) for name, expense in expenses.items()} == {
        "both": ["Straße"], "newer": ["Straße"], "untouched": ["food"]}
    # The expenses whose tag changed are sent again by delta sync; the clock gave their stamp.
    assert expenses["both"].modified == expenses["newer"].modified > past
    assert expenses["untouched"].modified == past
    assert SyncClock.objects.get(owner_id=user.pk).last == expenses["both"].modified


def test_an_import_names_a_tag_in_any_case_and_spelling(user):
    services.tag_create(user=user, name="Café")
    nfd = "Cafe\u0301"  # the same word with its accent as a combining mark
    upload = SimpleUploadedFile("a.csv", f"date,type,amount,tags\n2024-05-01,a,1,{nfd}\n2024-05-02,b,2,CAFÉ\n".encode())
    result = services.expense_import(user=user, upload=upload, fields={})
    assert (result.counts["new"], result.tags_created) == (2, [])
    assert list(Tag.objects.owned_by(user).values_list("name", flat=True)) == ["Café"]
    assert [tag_names(expense) for expense in Expense.objects.owned_by(user).order_by("date")] == [["Café"], ["Café"]]

"""`User.has_webhooks`: a write by a user whom no hook listens to sends no webhook query; the flag follows every
change of a hook (API, admin, cascade) and administrators' hooks for every user."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from tests.conftest import basic_auth
from tests.expenses.v2.conftest import V2Client
from tests.factories import UserFactory
from webhooks.models import Webhook

pytestmark = pytest.mark.django_db
URL = "https://hooks.example.com/xpenser"


@pytest.fixture(autouse=True)
def _any_receiver(settings):
    settings.XPENSER_WEBHOOK_ALLOW_PRIVATE = True


def flags() -> dict[str, bool]:
    return dict(User.objects.values_list("email", "has_webhooks"))


def test_a_create_by_a_user_without_hooks_asks_nothing_about_hooks(client, user, django_capture_on_commit_callbacks):
    with CaptureQueriesContext(connection) as captured, django_capture_on_commit_callbacks(execute=True):
        response = client.get("/api/simple/?format=json&q=lunch+45", **basic_auth(user.email))
    assert response.status_code == 200
    assert not [q["sql"] for q in captured.captured_queries if "webhooks_webhook" in q["sql"]]


def test_with_a_hook_the_create_looks_for_its_receivers(client, user, django_capture_on_commit_callbacks):
    Webhook.objects.create(owner=UserFactory(email="else@test.com"), url=URL)  # another user's: not asked
    assert V2Client(client, basic_auth(user.email)).post("webhooks/", {"url": URL}).status_code == 201
    with CaptureQueriesContext(connection) as captured, django_capture_on_commit_callbacks(execute=True):
        client.get("/api/simple/?format=json&q=lunch+45", **basic_auth(user.email))
    assert len([q for q in captured.captured_queries if "webhooks_webhook" in q["sql"]]) >= 1


def test_the_flag_follows_the_api(client, user, other_user):
    api = V2Client(client, basic_auth(user.email))
    first = api.post("webhooks/", {"url": URL}).json()
    second = api.post("webhooks/", {"url": URL + "/2"}).json()
    assert flags() == {user.email: True, other_user.email: False}
    api.patch(f"webhooks/{first['id']}/", {"active": False})
    assert flags()[user.email] is True  # the second still listens
    api.patch(f"webhooks/{second['id']}/", {"active": False})
    assert flags()[user.email] is False
    api.patch(f"webhooks/{second['id']}/", {"active": True})
    assert flags()[user.email] is True
    api.delete(f"webhooks/{second['id']}/")
    assert flags()[user.email] is False


def test_an_administrators_hook_for_every_user_flags_everyone_and_new_accounts(user, other_user):
    admin = UserFactory(email="boss@test.com", is_staff=True)
    everyone = Webhook.objects.create(owner=admin, url=URL, all_users=True)
    assert set(flags().values()) == {True}
    newcomer = UserFactory(email="new@test.com")
    assert newcomer.has_webhooks and User.objects.get(pk=newcomer.pk).has_webhooks
    assert list(Webhook.objects.receiving(user=newcomer)) == [everyone]
    Webhook.objects.create(owner=user, url=URL)
    everyone.active = False
    everyone.save()
    assert flags() == {user.email: True, other_user.email: False, admin.email: False, newcomer.email: False}


def test_deleting_an_account_drops_its_hooks_and_the_others_keep_theirs(user, other_user):
    Webhook.objects.create(owner=user, url=URL)
    Webhook.objects.create(owner=other_user, url=URL)
    User.objects.get(pk=user.pk).delete()
    assert flags() == {other_user.email: True}


def test_the_callers_user_object_sees_the_change(user):
    hook = Webhook.objects.create(owner=user, url=URL)
    assert user.has_webhooks is True
    hook.delete()
    assert user.has_webhooks is False

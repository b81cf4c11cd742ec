"""Administrators' hooks: registered in the admin, marked "all users", they receive every user's events;
only a staff owner's hook may be so."""

import pytest

from tests.factories import UserFactory
from webhooks.models import Webhook

pytestmark = pytest.mark.django_db
URL = "https://hooks.example.com/all"


def test_an_administrators_all_users_hook_receives_everyones_events(user, other_user):
    admin = UserFactory(email="boss@test.com", is_staff=True)
    everyone = Webhook.objects.create(owner=admin, url=URL, events=["expense.created"], all_users=True)
    mine = Webhook.objects.create(owner=user, url=URL, events=["expense.created"])
    Webhook.objects.create(owner=other_user, url=URL, events=["expense.created"], all_users=True)  # not staff
    Webhook.objects.create(owner=admin, url=URL, events=["expense.created"], all_users=True, active=False)
    assert set(Webhook.objects.receiving(user=user)) == {everyone, mine}


def test_the_admin_registers_hooks_and_refuses_all_users_for_a_non_staff_owner(admin_client, user):
    form = {"owner": user.pk, "url": URL, "description": "", "events": '["expense.created"]', "active": "on",
            "all_users": "on", "secret": "whsec_test"}
    refused = admin_client.post("/admin/webhooks/webhook/add/", form)
    assert refused.status_code == 200 and b"Only an administrator" in refused.content
    assert not Webhook.objects.exists()
    form.pop("all_users")
    assert admin_client.post("/admin/webhooks/webhook/add/", form).status_code == 302
    assert Webhook.objects.get().events == ["expense.created"]
    bad = admin_client.post("/admin/webhooks/webhook/add/", {**form, "url": "http://10.1.2.3/"})
    assert bad.status_code == 200 and b"private, loopback" in bad.content
    assert admin_client.get("/admin/webhooks/delivery/?status=failed").status_code == 200

"""/api/v2/webhooks/: a user's hooks (create, read, change, delete), their delivery log and a test ping, with
v2's errors, credentials and pages; nobody sees another user's hooks; read-only tokens cannot change them."""

import pytest
from django.core.management import call_command

from oauth_bridge.services import personal_token_create
from tests.expenses.v2.conftest import error
from tests.webhooks.receiver import receiving, verify
from webhooks.models import Delivery, Webhook

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_queue")]
URL = "https://hooks.example.com/xpenser"


@pytest.fixture(autouse=True)
def _local_receivers(settings):
    settings.XPENSER_WEBHOOK_ALLOW_PRIVATE = True


def test_create_read_change_delete(api, user):
    response = api.post("webhooks/", {"url": URL, "description": "accounting"})
    assert response.status_code == 201
    hook = response.json()
    assert response["Location"] == f"http://testserver/api/v2/webhooks/{hook['id']}"
    assert set(hook) == {"id", "url", "events", "description", "active", "secret", "created", "modified"}
    assert hook["events"] == ["expense.created", "expense.updated", "expense.deleted"]
    assert hook["active"] is True and hook["secret"].startswith("whsec_") and len(hook["secret"]) > 40
    assert api.get(f"webhooks/{hook['id']}").json() == hook
    assert api.get("webhooks/").json() == {"results": [hook], "next": None}
    changed = api.patch(f"webhooks/{hook['id']}/", {"events": ["expense.deleted"], "active": False}).json()
    assert (changed["events"], changed["active"], changed["secret"]) == (["expense.deleted"], False, hook["secret"])
    rotated = api.patch(f"webhooks/{hook['id']}/", {"rotate_secret": True}).json()
    assert rotated["secret"] != hook["secret"] and rotated["secret"].startswith("whsec_")
    replaced = api.put(f"webhooks/{hook['id']}/", {"url": URL + "/v2"}).json()
    assert replaced["url"] == URL + "/v2"
    assert api.delete(f"webhooks/{hook['id']}/").status_code == 204
    assert not Webhook.objects.exists()
    assert error(api.get(f"webhooks/{hook['id']}/"), 404, "not_found")["message"] == f"webhook {hook['id']} not found"


@pytest.mark.parametrize("body, field, text", [
    ({"url": "ftp://example.com/"}, "url", "http"),
    ({"url": "not a url"}, "url", "valid URL"),
    ({"url": URL, "events": ["expense.exploded"]}, "events.0", "not a valid choice"),
    ({"url": URL, "events": []}, "events", ""),
    ({"url": "https://user:pw@example.com/"}, "url", "credentials"),
    ({}, "url", "required"),
])
def test_bad_input_is_a_400_naming_the_field(api, body, field, text):
    found = error(api.post("webhooks/", body), 400, "invalid")
    assert field in found["fields"] and text in " ".join(found["fields"][field])
    assert not Webhook.objects.exists()


def test_private_targets_are_refused_by_default(api, settings):
    settings.XPENSER_WEBHOOK_ALLOW_PRIVATE = False
    for url in ("http://127.0.0.1:8000/", "http://10.0.0.5/", "http://[::1]/", "http://169.254.169.254/"):
        found = error(api.post("webhooks/", {"url": url}), 400, "invalid")
        assert "private, loopback or reserved" in found["fields"]["url"][0]


def test_nobody_sees_or_changes_another_users_hooks(api, other_api):
    hook = api.post("webhooks/", {"url": URL}).json()
    assert other_api.get("webhooks/").json() == {"results": [], "next": None}
    for call in (other_api.get(f"webhooks/{hook['id']}/"), other_api.patch(f"webhooks/{hook['id']}/", {"active": False}),
                 other_api.delete(f"webhooks/{hook['id']}/"), other_api.get(f"webhooks/{hook['id']}/deliveries/"),
                 other_api.post(f"webhooks/{hook['id']}/ping/")):
        error(call, 404, "not_found")
    assert Webhook.objects.get().active is True and not Delivery.objects.exists()


def test_a_read_only_token_reads_but_cannot_create_or_change(client, user, api):
    hook = api.post("webhooks/", {"url": URL}).json()
    secret = personal_token_create(user=user, name="script", scope="read").secret
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get("/api/v2/webhooks/", **headers).status_code == 200
    refused = client.post("/api/v2/webhooks/", {"url": URL}, content_type="application/json", **headers)
    assert "read-only" in error(refused, 403, "permission_denied")["message"]
    error(client.delete(f"/api/v2/webhooks/{hook['id']}/", **headers), 403, "permission_denied")
    assert Webhook.objects.count() == 1


def test_without_credentials_401(client):
    assert client.get("/api/v2/webhooks/").status_code == 401


@pytest.mark.django_db(transaction=True)
def test_ping_is_delivered_and_listed_in_the_deliveries(api, settings):
    settings.XPENSER_JOBS_BACKOFF_SECONDS = 0
    with receiving(statuses=[500]) as (url, received):
        hook = api.post("webhooks/", {"url": url, "active": False}).json()
        queued = api.post(f"webhooks/{hook['id']}/ping/")
        assert queued.status_code == 202 and queued.json()["status"] == "pending"
        call_command("jobs_worker", batch=True, verbosity=0, startup_delay=False, reload=False)
    assert [r["json"]["event"] for r in received] == ["ping", "ping"]
    assert verify(hook["secret"], received[1]["headers"]["X-Xpenser-Signature"], received[1]["body"])
    page = api.get(f"webhooks/{hook['id']}/deliveries/").json()
    assert page["next"] is None
    [delivery] = page["results"]
    assert delivery["event"] == "ping" and delivery["status"] == "delivered" and delivery["attempts"] == 2
    assert delivery["status_code"] == 200 and delivery["error"] == "" and delivery["expense"] is None
    assert delivery["payload"] == received[1]["json"] and delivery["delivered_at"].endswith("Z")


def test_the_webhooks_are_in_the_openapi_schema(client):
    schema = client.get("/api/v2/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    assert set(paths["/api/v2/webhooks/"]) >= {"get", "post"}
    assert set(paths["/api/v2/webhooks/{id}/"]) >= {"get", "put", "patch", "delete"}
    assert "get" in paths["/api/v2/webhooks/{id}/deliveries/"] and "post" in paths["/api/v2/webhooks/{id}/ping/"]
    assert paths["/api/v2/webhooks/"]["post"]["responses"]["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"}


def test_creates_and_pings_honour_idempotency_keys(api):
    first = api.post("webhooks/", {"url": URL}, headers={"Idempotency-Key": "hook-1"})
    again = api.post("webhooks/", {"url": URL}, headers={"Idempotency-Key": "hook-1"})
    assert (first.status_code, again.status_code, again["Idempotent-Replayed"]) == (201, 201, "true")
    assert again.json() == first.json() and again["Location"] == first["Location"]
    assert Webhook.objects.count() == 1
    hook = first.json()["id"]
    pings = [api.post(f"webhooks/{hook}/ping/", {}, headers={"Idempotency-Key": "ping-1"}) for _ in range(2)]
    assert [p.status_code for p in pings] == [202, 202] and pings[1].json() == pings[0].json()
    assert Delivery.objects.count() == 1

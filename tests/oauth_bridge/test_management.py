"""create_consumer, the admin, and the page where users see and revoke what they authorized."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from oauth_bridge.models import AccessToken, Consumer
from tests.factories import UserFactory
from tests.oauth_bridge.conftest import signed, token_client

pytestmark = pytest.mark.django_db


def test_create_consumer_prints_key_and_secret(user):
    out = StringIO()
    call_command("create_consumer", "Ruby sample", "--key", "consumer_key", "--secret", "secret",
                 "--callback", "https://app.example/cb/", "--owner", "USER@test.com", "--legacy-oauth10", stdout=out)
    consumer = Consumer.objects.get()
    assert (consumer.name, consumer.key, consumer.secret, consumer.owner) == ("Ruby sample", "consumer_key", "secret",
                                                                             user)
    assert consumer.legacy_oauth10 and consumer.callback == "https://app.example/cb/"
    text = out.getvalue()
    assert "key:    consumer_key" in text and "secret: secret" in text and "session fixation" in text


def test_create_consumer_generates_credentials_and_defaults_to_1_0a():
    out = StringIO()
    call_command("create_consumer", "Sync", stdout=out)
    consumer = Consumer.objects.get()
    assert not consumer.legacy_oauth10
    assert len(consumer.key) >= 20 and len(consumer.secret) >= 20
    assert consumer.key in out.getvalue() and consumer.secret in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--owner", "nobody@test.com"], "no user with email"),
        (["--callback", "javascript:alert(1)"], r"not an absolute http\(s\) URL"),
        (["--key", "taken"], "already exists"),
    ],
)
def test_create_consumer_errors(args, message):
    Consumer.objects.create(name="Existing", key="taken")
    with pytest.raises(CommandError, match=message):
        call_command("create_consumer", "New", *args, stdout=StringIO())


def test_admin_lists_consumers_and_tokens(client, consumer):
    admin = UserFactory(email="admin@test.com", is_staff=True, is_superuser=True)
    AccessToken.objects.create(consumer=consumer, user=admin, key="k" * 24, secret="s" * 24)
    client.force_login(admin)
    for path in ("/admin/oauth_bridge/consumer/", "/admin/oauth_bridge/accesstoken/",
                 "/admin/oauth_bridge/requesttoken/", "/admin/oauth_bridge/personalaccesstoken/"):
        response = client.get(path)
        assert response.status_code == 200, path
    assert "Expense Sync" in client.get("/admin/oauth_bridge/consumer/").content.decode()


def test_user_sees_and_revokes_authorized_applications(client, user, other_user, consumer):
    mine = AccessToken.objects.create(consumer=consumer, user=user, key="mine-access-token-12345", secret="s" * 20)
    theirs = AccessToken.objects.create(consumer=consumer, user=other_user, key="their-access-token-1234",
                                        secret="s" * 20)
    client.force_login(user)
    page = client.get("/account/applications/")
    assert page.status_code == 200
    assert "Expense Sync" in page.content.decode()
    response = client.post(f"/account/applications/oauth1/{consumer.pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == "/account/applications/"
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None
    assert "Expense Sync" not in client.get("/account/applications/").content.decode()

    client.logout()
    access = {"oauth_token": mine.key, "oauth_token_secret": mine.secret}
    response = signed(client, "GET", "https://testserver/api/whoami/", token_client(consumer, access))
    assert response.status_code == 401
    other = {"oauth_token": theirs.key, "oauth_token_secret": theirs.secret}
    assert signed(client, "GET", "https://testserver/api/whoami/", token_client(consumer, other)).status_code == 200


def test_revoke_needs_post_and_login(client, user, consumer):
    AccessToken.objects.create(consumer=consumer, user=user, key="mine-access-token-12345", secret="s" * 20,
                               created=timezone.now())
    client.force_login(user)
    assert client.get(f"/account/applications/oauth1/{consumer.pk}/revoke/").status_code == 405
    client.logout()
    assert client.post(f"/account/applications/oauth1/{consumer.pk}/revoke/").status_code == 302
    assert AccessToken.objects.get().revoked_at is None

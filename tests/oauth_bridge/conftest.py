"""OAuth test helpers: consumers, and requests signed by oauthlib's own Client."""

from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from oauthlib.oauth1 import SIGNATURE_TYPE_AUTH_HEADER, SIGNATURE_TYPE_BODY, SIGNATURE_TYPE_QUERY, Client

from oauth_bridge.models import Consumer

FORM = "application/x-www-form-urlencoded"


@pytest.fixture(autouse=True)
def _oauth_urls(settings):
    settings.ROOT_URLCONF = "tests.oauth_bridge.urls"


@pytest.fixture
def consumer(db):
    return Consumer.objects.create(name="Expense Sync", key="consumer-key-1234", secret="consumer-secret-1")


@pytest.fixture
def legacy_consumer(db):
    return Consumer.objects.create(
        name="Old Ruby Script", key="consumer_key", secret="secret", legacy_oauth10=True
    )


def signed(django_client, method, url, oauth_client, data=None, signature_type=SIGNATURE_TYPE_AUTH_HEADER,
           extra_headers=None, **kwargs):
    """Sign `url` (absolute: its scheme decides HTTPS) with `oauth_client` and send it through the test client."""
    oauth_client.signature_type = signature_type
    headers = {"Content-Type": FORM} if data is not None or method == "POST" else {}
    body = data if data is not None else ({} if method == "POST" else None)
    uri, headers, body = oauth_client.sign(url, http_method=method, body=body, headers=headers)
    parts = urlsplit(uri)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    meta = {"secure": parts.scheme == "https", **kwargs}
    if "Authorization" in headers:
        meta["HTTP_AUTHORIZATION"] = headers["Authorization"]
    for name, value in (extra_headers or {}).items():
        meta["HTTP_" + name.upper().replace("-", "_")] = value
    if parts.netloc != "testserver":
        meta.setdefault("HTTP_HOST", parts.netloc)
    if method == "POST":
        if isinstance(body, dict):
            body = urlencode(body)
        return django_client.post(path, data=body or "", content_type=FORM, **meta)
    return django_client.generic(method, path, **meta)


def form(response) -> dict:
    return dict(parse_qsl(response.content.decode()))


def consumer_client(consumer, **kwargs) -> Client:
    return Client(consumer.key, client_secret=consumer.secret, **kwargs)


def token_client(consumer, token: dict, **kwargs) -> Client:
    return Client(consumer.key, client_secret=consumer.secret, resource_owner_key=token["oauth_token"],
                  resource_owner_secret=token["oauth_token_secret"], **kwargs)


__all__ = ["SIGNATURE_TYPE_BODY", "SIGNATURE_TYPE_QUERY", "signed", "form", "consumer_client", "token_client"]

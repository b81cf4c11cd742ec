"""Fixtures of the /api/v2/ tests: a JSON client with Basic credentials, media in a temporary folder."""

import json

import pytest
from django.test import Client

from tests.conftest import basic_auth


class V2Client:
    """Django's test client speaking JSON to /api/v2/ with fixed credentials (and any extra headers)."""

    def __init__(self, client: Client, headers: dict):
        self.client, self.headers = client, headers

    def _call(self, method, path, body=None, headers=None, **kwargs):
        url = path if path.startswith("http") or path.startswith("/") else f"/api/v2/{path}"
        extra = {**self.headers, **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()}}
        if body is not None and "data" not in kwargs:
            kwargs["data"] = json.dumps(body)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(url, **kwargs, **extra)

    def get(self, path, **kwargs):
        return self._call("get", path, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self._call("post", path, body, **kwargs)

    def patch(self, path, body=None, **kwargs):
        return self._call("patch", path, body, **kwargs)

    def put(self, path, body=None, **kwargs):
        return self._call("put", path, body, **kwargs)

    def delete(self, path, **kwargs):
        return self._call("delete", path, **kwargs)


@pytest.fixture
def api(client, user):
    return V2Client(client, basic_auth(user.email))


@pytest.fixture
def other_api(other_user):
    return V2Client(Client(), basic_auth(other_user.email))


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def error(response, status: int, code: str | None = None) -> dict:
    """The envelope's `error` of a refused request, after checking its status and shape."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}, body
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]

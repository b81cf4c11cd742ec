"""Helpers shared by the tests of the legacy `/api/` family (test_legacy_*.py)."""

import datetime as dt
import json
from contextlib import contextmanager
from unittest import mock

UTC = dt.UTC
T0 = dt.datetime(2009, 8, 27, 14, 27, 5, tzinfo=UTC)
PAGE_ITEM_KEYS = ["date", "report", "amount", "type", "notes"]


@contextmanager
def clock_at(when):
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield


def text_of(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def download(client, auth, query="", path="/api/expenses/"):
    response = client.get(f"{path}{'?' + query if query else ''}", **auth)
    assert response.status_code == 200, text_of(response)
    return response


def download_json(client, auth, query=""):
    response = download(client, auth, f"format=json&{query}" if query else "format=json")
    return json.loads(text_of(response))


def listed_ids(client, auth, query=""):
    return sorted(record["pk"] for record in download_json(client, auth, query))


def assert_error(response, status, message):
    assert response.status_code == status, text_of(response)
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == status
    assert message in body["error"], body["error"]


def response_bytes(response):
    return b"".join(response.streaming_content)

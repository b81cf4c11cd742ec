"""Isolation, generated from the URL configuration: B, with each kind of credential, sends every method to
every pattern filled with A's ids (tests/security/urlmap.py); B never sees A's data and never changes it."""

import json

import pytest
from django.test import Client

from tests.api_helpers import content

from .urlmap import METHODS, concrete_paths, patterns
from .world import FORM, MARK, MONEY, a_snapshot, send

pytestmark = pytest.mark.django_db
# The admin site knows only the session (and B is no staff member): its ~110 patterns get those credentials
# and the methods its views tell apart, which keeps this test within seconds per credential.
ADMIN_CREDENTIALS, ADMIN_METHODS = {"session", "basic", "anonymous"}, ("GET", "POST")
CREDENTIALS = ["session", "basic", "token-read", "token-write", "token-as-basic", "oauth2", "oauth1", "anonymous"]


def write_body(world, method):
    """Fields naming A's objects (a report to file into, tags, an expense to move...), as a form or JSON."""
    ids = world.ids
    fields = {"q": "stolen 99 #stolen", "type": "stolen", "amount": "99", "notes": "by b", "name": "stolen",
              "report": ids["report"], "report_id": ids["report"], "move_to": ids["report"], "tags": ids["tag"],
              "tag": ids["tag"], "expense": ids["expense"], "expense_id": ids["expense"], "ids": ids["expense"],
              "id": ids["expense"], "pk": ids["expense"], "status": "all", "token": ids["personal_token"]}
    if method in ("PUT", "PATCH"):
        return json.dumps(fields), "application/json"
    return "&".join(f"{k}={v}" for k, v in fields.items()).replace(" ", "+"), FORM


def leaks(body: bytes) -> list[str]:
    text = body.decode("utf-8", "replace").lower()
    return [marker for marker in (MARK, MONEY, MONEY.replace(".", ",")) if marker in text]


@pytest.mark.parametrize("credential_name", CREDENTIALS)
def test_b_never_sees_nor_changes_a_data(world, credential_name):
    credential = world.credentials[credential_name]
    client = Client(raise_request_exception=False)
    me = send(client, credential, "GET", "/api/v2/me/")
    assert me.status_code == (401 if credential_name == "anonymous" else 200), content(me)  # the credential works
    before = a_snapshot(world.a)
    seen, failures, requests = [], [], 0
    for pattern in patterns():
        admin = pattern.route.startswith("admin/")
        if admin and credential_name not in ADMIN_CREDENTIALS:
            continue
        for path in concrete_paths(world, pattern):
            for method in ADMIN_METHODS if admin else METHODS:
                body, content_type = write_body(world, method) if method not in ("GET", "HEAD", "OPTIONS") \
                    else ("", FORM)
                response = send(client, credential, method, path, body, content_type)
                requests += 1
                where = f"{method} {path} ({pattern.route})"
                if found := leaks(content(response)):
                    seen.append(f"{where}: {response.status_code} shows {found}")
                if response.status_code >= 500:
                    failures.append(f"{where}: {response.status_code}")
                if method not in ("GET", "HEAD", "OPTIONS") and a_snapshot(world.a) != before:
                    pytest.fail(f"{where} as {credential_name} changed A's data ({response.status_code})")
    print(f"isolation [{credential_name}]: {requests} requests, {len(seen)} leaks, {len(failures)} 5xx")
    assert seen == []
    assert failures == []
    assert a_snapshot(world.a) == before

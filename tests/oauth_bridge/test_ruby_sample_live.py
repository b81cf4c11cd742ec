"""The original page's Ruby sample (the `oauth` gem), run against a live server over HTTP.

A real gunicorn server (two workers, temp SQLite file, DJANGO_DEBUG=1) with a consumer registered as
legacy OAuth 1.0; the approval goes through the real login and authorize forms, driven with `requests`.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests

from tests.live_server import listening_url
from tests.processes import project_env

pytestmark = pytest.mark.live

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("ruby_sample.rb")
EMAIL, PASSWORD = "ruby@test.com", "ruby-sample-password"
SEED = f"""
from django.contrib.auth import get_user_model
from expenses.services import expense_create_from_text
user = get_user_model().objects.create_user(email={EMAIL!r}, password={PASSWORD!r})
expense_create_from_text(user=user, text="Lunch 45 with Jack #clientx")
"""


def _csrf(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token in the form"
    return match.group(1)


@pytest.fixture
def gunicorn_env(tmp_path):
    env = project_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'live.sqlite3'}",
        DJANGO_DEBUG="1",
        DJANGO_SETTINGS_MODULE="xpenser_server.settings",
        XPENSER_MEDIA_ROOT=str(tmp_path / "media"),
        no_proxy="127.0.0.1,localhost",
    )
    manage = [sys.executable, str(REPO / "manage.py")]
    for command in (["migrate", "--noinput"],
                    ["create_consumer", "Ruby sample", "--key", "consumer_key", "--secret", "secret",
                     "--legacy-oauth10"],
                    ["shell", "-c", SEED]):
        subprocess.run(manage + command, env=env, cwd=REPO, check=True, capture_output=True, timeout=120)
    return env


@pytest.fixture
def gunicorn_url(gunicorn_env):
    """Base URL of gunicorn bound to a free port (port 0: the kernel picks it)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "xpenser_server.wsgi", "--bind", "127.0.0.1:0", "--workers", "2",
         "--access-logfile", "-"],
        env=gunicorn_env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        yield listening_url(process, timeout=30)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.skipif(shutil.which("ruby") is None, reason="ruby is not installed (apt-get install ruby ruby-oauth)")
def test_original_ruby_sample_completes_against_the_server(gunicorn_url):
    gem = subprocess.run(["ruby", "-e", "require 'oauth'"], capture_output=True, text=True)
    assert gem.returncode == 0, "ruby is installed but the oauth gem is not: apt-get install ruby-oauth"

    ruby = subprocess.Popen(
        ["ruby", str(SCRIPT)], env={**os.environ, "XPENSER_SITE": gunicorn_url, "no_proxy": "127.0.0.1"},
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        auth_url = ruby.stdout.readline().strip()
        assert auth_url.startswith(gunicorn_url + "/oauth/authorize?"), (auth_url, ruby.stderr.read())
        query = dict(parse_qsl(urlsplit(auth_url).query))
        assert query["oauth_callback"] == "http://your_address_here.com/callback/"

        # The "browser": log in through the real form, then Allow on the real authorize page.
        browser = requests.Session()
        browser.trust_env = False
        page = browser.get(auth_url, timeout=10)
        assert urlsplit(page.url).path == "/accounts/login/"
        login = browser.post(page.url, data={"username": EMAIL, "password": PASSWORD,
                                             "csrfmiddlewaretoken": _csrf(page.text),
                                             "next": dict(parse_qsl(urlsplit(page.url).query))["next"]},
                             timeout=10)
        assert login.status_code == 200 and login.url == auth_url
        assert "Ruby sample" in login.text and "Allow" in login.text
        approved = browser.post(auth_url, data={"csrfmiddlewaretoken": _csrf(login.text), "decision": "allow"},
                                allow_redirects=False, timeout=10)
        assert approved.status_code == 302
        assert approved.headers["Location"].startswith("http://your_address_here.com/callback/?")
        assert dict(parse_qsl(urlsplit(approved.headers["Location"]).query))["oauth_token"] == query["oauth_token"]

        out, err = ruby.communicate("\n", timeout=60)
    finally:
        if ruby.poll() is None:
            ruby.kill()
    assert ruby.returncode == 0, err
    status, body = out.split("\n", 1)
    assert status == "200", out
    expenses = json.loads(body)
    assert len(expenses) == 1
    record = expenses[0]
    assert record["model"] == "xpense.expense"
    assert {key: record["fields"][key] for key in ("type", "amount", "rawamount", "notes", "status")} == {
        "type": "Lunch", "amount": "45.00", "rawamount": "45.00", "notes": "with Jack", "status": 1,
    }
    assert len(record["fields"]["tags"]) == 1

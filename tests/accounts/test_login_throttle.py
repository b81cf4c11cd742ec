"""Password guessing (issue 12, item 3): django-axes locks an (account, client address) after repeated failures.

Every sign-in path: Basic auth on the legacy, v1.0 and v2 APIs, the login form, the admin login. A locked
combination answers 429 with Retry-After before any password is hashed; the owner from another address gets in.
"""

import datetime as dt
import time
from unittest import mock

import pytest
from axes.models import AccessFailureLog
from django.contrib.auth import hashers

from expenses.models import Expense
from tests.conftest import basic_auth
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
OWNER_ELSEWHERE = "198.51.100.20"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = dt.timedelta(seconds=900)


def count_hashes():
    """Counts every password check the hasher runs (the tests' MD5 hasher stands in for PBKDF2)."""
    return mock.patch.object(hashers.MD5PasswordHasher, "verify", autospec=True,
                             side_effect=hashers.MD5PasswordHasher.verify)


def guess(client, path, email, password="wrong-guess", address=ATTACKER, **extra):
    return client.get(path, REMOTE_ADDR=address, **basic_auth(email, password), **extra)


@pytest.mark.parametrize("path", ["/api/expenses/?format=json", "/api/v1.0/expenses/?format=json",
                                  "/api/simple/?format=json&q=lunch+5", "/api/v2/expenses/"])
def test_200_wrong_basic_passwords_are_401_up_to_the_limit_then_429_with_retry_after(client, user, path):
    with count_hashes() as verify:
        answers = [guess(client, path, user.email) for _ in range(200)]
    statuses = [a.status_code for a in answers]
    assert statuses[:5] == [401] * 5 and statuses[5:] == [429] * 195
    assert verify.call_count == 5  # throttled guesses cost no hashing
    first, locked = answers[0], answers[-1]
    assert first["WWW-Authenticate"] == 'Basic realm="Xpenser"'
    assert locked["Retry-After"] == "900"
    message = "Too many failed sign-ins for this account from your address. Expected available in 900 seconds."
    if path.startswith("/api/v2/"):
        assert first.json()["error"]["code"] == "authentication_failed"
        assert locked.json()["error"]["code"] == "throttled" and locked.json()["error"]["message"] == message
    else:
        # The normal failure is unchanged (frozen families): 401, the Basic challenge, the envelope.
        assert first.json() == {"status": 401, "error": "Invalid email or password."}
        assert locked.json() == {"status": 429, "retry_after": 900, "error": message}
    assert not Expense.objects.owned_by(user).exists()  # nothing was recorded by a refused guess


def test_the_owner_from_another_address_still_gets_in_and_the_locked_address_does_not(client, user):
    for _ in range(10):
        guess(client, "/api/expenses/?format=json", user.email)
    owner = guess(client, "/api/expenses/?format=json", user.email, DEFAULT_PASSWORD, address=OWNER_ELSEWHERE)
    assert owner.status_code == 200
    # From the locked address even the right password is refused (a cached verified credential included).
    with count_hashes() as verify:
        right_from_attacker = guess(client, "/api/expenses/?format=json", user.email, DEFAULT_PASSWORD)
    assert right_from_attacker.status_code == 429 and verify.call_count == 0


def test_other_accounts_from_the_failing_address_are_not_locked(client, user):
    other = UserFactory(email="colleague@test.com")
    for _ in range(10):
        guess(client, "/api/expenses/?format=json", user.email)
    assert guess(client, "/api/expenses/?format=json", other.email, DEFAULT_PASSWORD).status_code == 200


def test_the_account_is_matched_case_insensitively(client, user):
    for variant in ["USER@test.com", "user@TEST.com", " user@test.com", "User@Test.com", "user@test.com"]:
        guess(client, "/api/expenses/?format=json", variant)
    assert guess(client, "/api/expenses/?format=json", "uSeR@test.com").status_code == 429


def test_lock_address_setting_also_locks_an_address_failing_on_many_accounts(client, settings, user):
    settings.AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
    for n in range(5):
        guess(client, "/api/expenses/?format=json", f"victim{n}@test.com")
    assert guess(client, "/api/expenses/?format=json", user.email, DEFAULT_PASSWORD).status_code == 429
    assert guess(client, "/api/expenses/?format=json", user.email, DEFAULT_PASSWORD,
                 address=OWNER_ELSEWHERE).status_code == 200


def test_the_lock_ends_after_the_cool_off(client, settings, user):
    settings.AXES_COOLOFF_TIME = dt.timedelta(seconds=1)
    for _ in range(6):
        guess(client, "/api/expenses/?format=json", user.email)
    assert guess(client, "/api/expenses/?format=json", user.email, DEFAULT_PASSWORD).status_code == 429
    time.sleep(1.2)
    assert guess(client, "/api/expenses/?format=json", user.email, DEFAULT_PASSWORD).status_code == 200


def test_a_spoofed_x_forwarded_for_does_not_change_the_address_without_a_trusted_proxy(client, user):
    for n in range(10):
        guess(client, "/api/expenses/?format=json", user.email, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert guess(client, "/api/expenses/?format=json", user.email, DEFAULT_PASSWORD,
                 HTTP_X_FORWARDED_FOR=OWNER_ELSEWHERE).status_code == 429


def test_behind_a_trusted_proxy_the_address_is_the_one_the_proxy_forwarded(client, settings, user):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = "10.0.0.5"
    for _ in range(10):
        guess(client, "/api/expenses/?format=json", user.email, address=proxy, HTTP_X_FORWARDED_FOR=ATTACKER)
    locked = guess(client, "/api/expenses/?format=json", user.email, DEFAULT_PASSWORD, address=proxy,
                   HTTP_X_FORWARDED_FOR=ATTACKER)
    # A client prepending its own X-Forwarded-For entry: the proxy's (last) entry counts.
    spoofed = guess(client, "/api/expenses/?format=json", user.email, DEFAULT_PASSWORD, address=proxy,
                    HTTP_X_FORWARDED_FOR=f"{OWNER_ELSEWHERE}, {ATTACKER}")
    owner = guess(client, "/api/expenses/?format=json", user.email, DEFAULT_PASSWORD, address=proxy,
                  HTTP_X_FORWARDED_FOR=OWNER_ELSEWHERE)
    assert (locked.status_code, spoofed.status_code, owner.status_code) == (429, 429, 200)


def login_form(client, path, email, password="wrong-guess", address=ATTACKER):
    client.get(path)  # the CSRF cookie
    return client.post(path, {"username": email, "password": password, "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
                       REMOTE_ADDR=address)


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_the_login_form_and_the_admin_login_are_throttled_with_a_page_saying_so(client, user, path):
    user.is_staff = True
    user.save()
    with count_hashes() as verify:
        answers = [login_form(client, path, user.email) for _ in range(12)]
    assert [a.status_code for a in answers[:4]] == [200] * 4  # the form again, with its error
    assert {a.status_code for a in answers[4:]} == {429}
    assert verify.call_count == 5  # the fifth failure locks; the rest never reach the hasher
    page = answers[-1]
    assert page["Retry-After"] == "900"
    assert "Too many sign-in attempts" in page.content.decode()
    assert "15 minutes" in page.content.decode()
    # Even the right password waits; from another address it works.
    assert login_form(client, path, user.email, DEFAULT_PASSWORD).status_code == 429
    assert login_form(client, path, user.email, DEFAULT_PASSWORD, address=OWNER_ELSEWHERE).status_code == 302


def test_failures_are_visible_in_the_admin(client, user, admin_client):
    for _ in range(3):
        guess(client, "/api/v1.0/expenses/?format=json", user.email)
    login_form(client, "/accounts/login/", "someone@test.com")
    assert list(AccessFailureLog.objects.order_by("id").values_list("username", "ip_address", "path_info")) == [
        ("user@test.com", ATTACKER, "/api/v1.0/expenses/")] * 3 + [("someone@test.com", ATTACKER, "/accounts/login/")]
    page = admin_client.get("/admin/axes/accessfailurelog/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "user@test.com" in body and "someone@test.com" in body and ATTACKER in body
    # The axes entries are reachable from the admin index too.
    assert "/admin/axes/accessfailurelog/" in admin_client.get("/admin/").content.decode()


def test_oauth2_password_grant_guesses_count_and_stop_before_hashing(client, user):
    from oauth2_provider.models import get_application_model

    app = get_application_model().objects.create(
        name="Legacy script", client_type="public", authorization_grant_type="password", user=user)

    def token(password, address=ATTACKER):
        return client.post("/o/token/", {"grant_type": "password", "username": user.email, "password": password,
                                         "client_id": app.client_id}, secure=True, REMOTE_ADDR=address)

    with count_hashes() as verify:
        answers = [token("wrong-guess") for _ in range(8)]
        locked_right = token(DEFAULT_PASSWORD)
    assert {a.status_code for a in answers} == {400} and locked_right.status_code == 400
    assert locked_right.json()["error"] == "invalid_grant"
    assert verify.call_count == 5
    assert token(DEFAULT_PASSWORD, address=OWNER_ELSEWHERE).status_code == 200


def test_an_administrator_lifts_a_lock_with_axes_reset_ip_username(client, user):
    from django.core.management import call_command

    for _ in range(6):
        guess(client, "/api/expenses/?format=json", user.email)
    assert guess(client, "/api/expenses/?format=json", user.email, DEFAULT_PASSWORD).status_code == 429
    call_command("axes_reset_ip_username", ATTACKER, user.email)
    assert guess(client, "/api/expenses/?format=json", user.email, DEFAULT_PASSWORD).status_code == 200


def test_a_failure_with_nul_characters_in_its_headers_is_recorded_without_them(client, user):
    answer = guess(client, "/api/expenses/?format=json", user.email, HTTP_USER_AGENT="bad\x00agent",
                   HTTP_ACCEPT="text/\x00html")
    assert answer.status_code == 401
    assert AccessFailureLog.objects.values_list("user_agent", "http_accept").get() == ("badagent", "text/html")

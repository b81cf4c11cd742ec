"""Issue 12, item 4: every input the probe answered with a 500 gets a clear 4xx naming the problem, and
nothing is stored. PostgreSQL-only and SQLite-only cases run on every database (they must hold on both)."""


import pytest
from django.test import Client

from expenses.models import Expense
from reports.models import Report
from tests.conftest import basic_auth
from tests.factories import ExpenseFactory, ReportFactory

pytestmark = pytest.mark.django_db

NESTED = "[" * 2000
OFFSET_24H = "2009-08-26 00:00:00+24:00"


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.fixture
def browser(user):
    browser = Client(raise_request_exception=False)
    browser.force_login(user)
    return browser


def assert_4xx(response, *expected):
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    if expected:
        assert response.status_code in expected, (response.status_code, response.content[:300])
    return response


@pytest.mark.parametrize("path", [
    "/api/simple/?format=json", "/api/expense/", "/api/v1.0/expense/", "/api/v1.0/reports/", "/api/v1.0/tags/",
    "/api/v2/expenses/", "/api/v2/entries/", "/api/v2/tags/", "/o/token/", "/o/introspect/", "/o/revoke_token/",
])
@pytest.mark.parametrize("credentials", ["none", "basic"])
def test_a_deeply_nested_json_body_is_a_400(client, user, path, credentials):
    extra = basic_auth(user.email) if credentials == "basic" else {}
    response = client.post(path, NESTED, content_type="application/json", **extra)
    assert_4xx(response)
    if credentials == "basic" and path.startswith("/api/"):
        assert response.status_code == 400
        assert "JSON" in response.content.decode()
    assert not Expense.objects.exists()


def test_a_deeply_nested_json_body_is_a_400_on_a_get_too(client, user):
    response = client.generic("GET", "/api/simple/?format=json", NESTED, content_type="application/json",
                              **basic_auth(user.email))
    assert_4xx(response, 400)


@pytest.mark.parametrize("offset", ["+24:00", "-24:00", "+25:30", "+99:00"])
def test_a_day_long_offset_is_a_400_naming_the_date_on_every_create_and_update(client, user, offset):
    auth = basic_auth(user.email)
    date = f"2009-08-26 00:00:00{offset}"
    expense = ExpenseFactory(owner=user, notes="kept")
    answers = [
        client.post("/api/expense/", {"type": "lunch", "amount": "5", "date": date}, **auth),
        client.post(f"/api/expense/{expense.pk}", {"date": date}, **auth),
        client.post("/api/v1.0/expense/", {"type": "lunch", "amount": "5", "date": date}, **auth),
        client.post(f"/api/v1.0/expense/{expense.pk}/", {"date": date}, **auth),
        client.post("/api/v2/expenses/", {"type": "lunch", "amount": "5", "date": date},
                    content_type="application/json", **auth),
        client.patch(f"/api/v2/expenses/{expense.pk}/", {"date": date}, content_type="application/json", **auth),
    ]
    for response in answers:
        assert_4xx(response, 400)
        assert "date" in response.content.decode()
    assert Expense.objects.count() == 1
    expense.refresh_from_db()
    assert expense.notes == "kept"


def test_a_day_long_offset_in_the_web_form_is_a_form_error(browser, user):
    expense = ExpenseFactory(owner=user, notes="kept")
    response = browser.post(f"/expenses/{expense.pk}/", {
        "type": "lunch", "amount": "5", "currency": "USD", "date": OFFSET_24H, "report": str(expense.report_id),
        "notes": "changed",
    })  # fmt: skip
    assert response.status_code == 400
    assert "date" in response.content.decode()
    expense.refresh_from_db()
    assert expense.notes == "kept"


def test_superscript_digits_as_ids_are_refused(browser, user):
    trip = ReportFactory(owner=user)
    ExpenseFactory(owner=user, report=trip)
    response = browser.post(f"/reports/{trip.pk}/delete/", {"expenses": "move", "move_to": "\u00b2"})
    assert_4xx(response, 400)
    assert "move_to" in response.content.decode()
    assert Report.objects.filter(pk=trip.pk).exists()
    assert_4xx(browser.get("/charts/?report=%C2%B2"), 404)


@pytest.mark.parametrize(("path", "param"), [
    ("/api/v1.0/expenses/", "created"), ("/api/v1.0/expenses/?format=xml", "created"),
    ("/api/expenses/?format=json", "created"), ("/api/expenses/?format=xml", "created"), ("/api/expenses/", "modified"),
    ("/api/v1.0/expenses/?format=csv", "date"), ("/api/v2/expenses/", "date_from"),
])  # fmt: skip
@pytest.mark.parametrize("offset", ["%2B16:00", "-16:00", "%2B23:59"])
def test_filter_offsets_beyond_what_the_database_knows_are_a_400(client, user, path, param, offset):
    """Refused on every database before any answer starts (PostgreSQL refused the query mid-stream)."""
    ExpenseFactory(owner=user)
    sep = "&" if "?" in path else "?"
    response = client.get(f"{path}{sep}{param}=2009-08-26T00:00:00{offset}", **basic_auth(user.email))
    assert_4xx(response, 400)
    assert not getattr(response, "streaming", False)
    assert param in response.content.decode()


def test_the_widest_real_offsets_still_filter(client, user):
    for offset in ("%2B14:00", "-12:00", "%2B15:59"):
        response = client.get(f"/api/v1.0/expenses/?created=2009-08-26T00:00:00{offset}", **basic_auth(user.email))
        assert response.status_code == 200


def test_a_nul_in_a_basic_user_name_is_a_401(client, user):
    response = client.get("/api/v1.0/expenses/", **basic_auth("user\x00@test.com"))
    assert_4xx(response, 401)
    response = client.get("/api/v1.0/expenses/", **basic_auth(user.email, "pass\x00word"))
    assert_4xx(response, 401)


@pytest.mark.parametrize("header", ["Bearer abc\x00def", "Bearer xpp_abc\x00def", "Basic dXNlcgBAdGVzdC5jb206cA=="])
def test_a_nul_in_a_token_is_a_401_before_any_lookup(client, header):
    response = client.get("/api/v1.0/expenses/", HTTP_AUTHORIZATION=header)
    assert_4xx(response, 401)
    assert response.json() == {"status": 401, "error": "the Authorization header holds a NUL character"}


def test_a_nul_in_a_token_name_is_a_400(browser):
    response = browser.post("/account/tokens/", {"name": "backup\x00script", "scope": "read"})
    assert_4xx(response, 400)
    assert "control characters" in response.content.decode()


@pytest.mark.parametrize("kind", ["oauth1", "oauth2"])
def test_ids_beyond_the_database_range_on_the_revoke_pages_are_a_404(browser, kind):
    assert_4xx(browser.post(f"/account/applications/{kind}/{2**64}/revoke/"), 404)
    assert_4xx(browser.post(f"/account/tokens/{2**64}/revoke/"), 404)


@pytest.mark.parametrize("path", ["/o/revoke_token/", "/o/token/", "/o/introspect/", "/o/authorize/"])
def test_malformed_percent_encoding_on_the_oauth2_views_is_a_400(client, browser, path):
    assert_4xx(client.post(f"{path}?a=%zz", "a=%zz", content_type="application/x-www-form-urlencoded"), 400)
    assert_4xx(client.get(f"{path}?a=%zz"))
    assert_4xx(browser.get(f"{path}?a=%zz"))


def test_non_numeric_application_ids_are_a_404(browser):
    for path in ["/o/applications/abc/", "/o/applications/abc/update/", "/o/applications/abc/delete/",
                 f"/o/applications/{2**64}/", "/o/authorized_tokens/abc/delete/", f"/o/authorized_tokens/{2**64}/delete/"]:
        assert_4xx(browser.get(path), 404)


@pytest.mark.parametrize("path", ["/o/token/", "/o/revoke_token/", "/o/introspect/"])
def test_a_nul_in_client_id_is_a_4xx(client, path):
    response = client.post(path, {"grant_type": "client_credentials", "client_id": "app\x00id", "token": "x"})
    assert_4xx(response)
    assert_4xx(client.get("/o/authorize/", {"client_id": "app\x00id", "response_type": "code"}))

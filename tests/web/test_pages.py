"""Every page renders for its owner with their data, never another user's, and asks anonymous visitors to log in."""

from decimal import Decimal

import pytest

from tests.factories import ExpenseFactory, ReportFactory, TagFactory

pytestmark = pytest.mark.django_db

PAGES = ["/", "/expenses/", "/expenses/?report=*", "/reports/", "/charts/", "/export/?report=*", "/settings/",
         "/accounts/password_change/"]


@pytest.fixture
def data(user, other_user):
    mine_tag = TagFactory(owner=user, name="minetag")
    theirs_tag = TagFactory(owner=other_user, name="theirtag")
    mine = ExpenseFactory(owner=user, type="Mylunch", amount=Decimal("12.34"), notes="my notes", tags=[mine_tag])
    theirs = ExpenseFactory(owner=other_user, type="Theirdinner", amount=Decimal("98.76"), notes="their secret",
                            tags=[theirs_tag])
    their_report = ReportFactory(owner=other_user, name="Their report")
    return {"mine": mine, "theirs": theirs, "their_report": their_report}


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_own_data_only(web, data, path):
    response = web.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Theirdinner" not in body and "their secret" not in body and "theirtag" not in body
    assert "Their report" not in body and "98.76" not in body
    if path in ("/", "/expenses/", "/expenses/?report=*"):
        assert "Mylunch" in body and "#minetag" in body and "12.34" in body


def test_nav_links_every_section(web):
    body = web.get("/").content.decode()
    for href in ('href="/expenses/"', 'href="/reports/"', 'href="/charts/"', 'href="/export/"',
                 'href="/settings/"', 'href="/account/applications/"'):
        assert href in body


def test_report_detail_lists_its_expenses(web, user, data):
    report = ReportFactory(owner=user, name="Trip")
    ExpenseFactory(owner=user, report=report, type="Trainticket", amount=Decimal("30.00"))
    body = web.get(f"/reports/{report.pk}/").content.decode()
    assert "Trainticket" in body and "Mylunch" not in body and "30.00" in body


@pytest.mark.parametrize("path_of", [
    lambda d: f"/expenses/{d['theirs'].pk}/",
    lambda d: f"/expenses/{d['theirs'].pk}/receipt/",
    lambda d: f"/reports/{d['their_report'].pk}/",
    lambda d: f"/charts/?report={d['their_report'].pk}",
    lambda d: f"/expenses/?report={d['their_report'].pk}",
])
def test_other_users_objects_are_not_found(web, data, path_of):
    assert web.get(path_of(data)).status_code == 404


def test_cannot_delete_or_edit_other_users_expense(web, data):
    theirs = data["theirs"]
    assert web.post(f"/expenses/{theirs.pk}/delete/").status_code == 404
    assert web.post(f"/expenses/{theirs.pk}/", {"type": "hacked", "amount": "1", "date": "2020-01-01T00:00",
                                                 "report": str(theirs.report_id)}).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.type, theirs.status) == ("Theirdinner", 1)


def test_cannot_file_into_other_users_report(web, user, data):
    response = web.post("/", {"q": "lunch 10", "report": str(data["their_report"].pk)})
    assert response.status_code == 400
    assert not data["their_report"].expenses.exists()


@pytest.mark.parametrize("path", PAGES[:-1] + ["/expenses/1/", "/reports/1/"])
def test_anonymous_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_login_page_offers_signup(client):
    body = client.get("/accounts/login/").content.decode()
    assert 'href="/signup/"' in body


def test_login_with_email_lands_on_home(client, user):
    response = client.post("/accounts/login/", {"username": "user@test.com", "password": "password"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_forms_carry_csrf_tokens(user):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    page = browser.get("/")
    token = page.context["csrf_token"]
    assert f'name="csrfmiddlewaretoken" value="{token}"' in page.content.decode()
    assert browser.post("/", {"q": "lunch 45"}).status_code == 403
    assert browser.post("/", {"q": "lunch 45", "csrfmiddlewaretoken": str(token)}).status_code == 302

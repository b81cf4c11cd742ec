"""500s the generated suites found beyond the issue's list, each now a clear answer."""

import pytest

from tests.conftest import basic_auth

pytestmark = pytest.mark.django_db


def test_options_on_me_describes_it(client, user):
    response = client.options("/api/v2/me/", **basic_auth(user.email))
    assert response.status_code == 200
    assert response.json()["name"] and "PUT" in response.json()["actions"]


def test_options_on_the_docs_page_is_405(client, user):
    response = client.options("/api/v2/docs/", **basic_auth(user.email))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert client.get("/api/v2/docs/", **basic_auth(user.email)).status_code == 200


@pytest.mark.parametrize("length", ["\u00b2", "9" * 5000])
@pytest.mark.parametrize("path", ["/api/v2/imports/", "/api/v2/expenses/{pk}/receipts/"])
def test_a_content_length_in_other_digits_or_beyond_any_number_is_not_a_500(client, user, path, length):
    from tests.factories import ExpenseFactory

    expense = ExpenseFactory(owner=user)
    response = client.post(path.format(pk=expense.pk), data=b"", content_type="multipart/form-data; boundary=x",
                           CONTENT_LENGTH=length, **basic_auth(user.email))
    assert 400 <= response.status_code < 500
    assert response.json()["error"]["code"]

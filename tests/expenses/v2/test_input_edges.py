"""/api/v2/ under input a client sends by mistake, each a 4xx in the envelope that stores nothing; and the
settings change the docs promise (a new base currency through /me/). Found by an exploratory run."""

import json

import pytest

from expenses.models import CurrencyChange, Expense, Timer
from tests.expenses.v2.conftest import error
from tests.factories import ExpenseFactory

pytestmark = pytest.mark.django_db


def raw_post(api, path, body: str):
    """A JSON body as written (1e400 has no Python float that json.dumps would write)."""
    return api.post(path, data=body, content_type="application/json")


@pytest.mark.parametrize("report", ["1e400", "1.5", "true", '"abc"', '{"id": 1}'])
def test_a_report_id_that_is_not_a_whole_number_is_a_400(api, user, report):
    problem = error(raw_post(api, "expenses/", f'{{"type": "a", "amount": "1", "report": {report}}}'), 400, "invalid")
    assert list(problem["fields"]) == ["report"], problem
    assert not Expense.objects.exists()


def test_one_bad_report_id_in_a_bulk_create_fails_that_item_only(api, user):
    body = '{"expenses": [{"type": "a", "amount": "1"}, {"type": "b", "amount": "2", "report": 1e400}]}'
    answer = raw_post(api, "expenses/bulk", body)
    assert answer.status_code == 200
    body = answer.json()
    assert (body["created"], body["failed"]) == (1, 1)
    assert body["results"][1]["status"] == 400 and body["results"][1]["expense"] is None
    assert list(body["results"][1]["error"]["fields"]) == ["report"]
    assert list(Expense.objects.owned_by(user).values_list("type", flat=True)) == ["a"]


def test_a_timer_stop_with_a_bad_report_keeps_the_timer(api, user):
    assert api.post("timer/start", {"notes": "review"}).status_code == 201
    error(raw_post(api, "timer/stop", '{"report": 1e400}'), 400, "invalid")
    assert Timer.objects.owned_by(user).exists() and not Expense.objects.exists()


@pytest.mark.parametrize("tag", ['"4.99999999999999999999999999.{fp}"', f'"{"9" * 5000}.1.{{fp}}"'])
def test_an_if_match_naming_no_version_is_a_412(api, user, tag):
    expense = ExpenseFactory(owner=user)
    fingerprint = api.get(f"expenses/{expense.pk}")["ETag"].strip('"').rsplit(".", 1)[1]
    answer = api.patch(f"expenses/{expense.pk}", {"notes": "x"}, headers={"If-Match": tag.format(fp=fingerprint)})
    error(answer, 412, "precondition_failed")
    expense.refresh_from_db()
    assert expense.notes != "x"


def test_a_body_over_djangos_limit_is_a_413_in_the_envelope(api, user, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"expenses": [{"type": "a", "amount": "1", "notes": "n" * 100} for _ in range(20)]}
    problem = error(api.post("expenses/bulk", body), 413, "too_large")
    assert problem["message"] == "the request body is larger than the limit of 1000 bytes; send it in smaller requests"
    assert not Expense.objects.exists()


def test_a_tag_filter_of_more_than_a_thousand_names_is_a_400(api, user):
    problem = error(api.get("expenses/?tag=" + ",".join(f"t{i}" for i in range(1001))), 400, "invalid")
    assert problem["fields"] == {"tag": ["1001 tag names; a filter takes at most 1000"]}
    assert api.get("expenses/?tag=" + ",".join(f"t{i}" for i in range(1000))).status_code == 200


def test_a_comma_in_a_tag_name_is_a_400(api, user):
    problem = error(api.post("expenses/", {"type": "a", "amount": "1", "tags": ["a,b"]}), 400, "invalid")
    assert problem["fields"] == {"tags": ["tag name: 'a,b' contains a comma; tag names cannot"]}
    assert not Expense.objects.exists()


def test_a_new_base_currency_through_me_says_what_happens_to_the_history(api, user, ecb_rates):
    api.post("entries/", {"text": "lunch 45"})
    refused = error(api.patch("me/", {"base_currency": "EUR"}), 400, "invalid")
    assert list(refused["fields"]) == ["currency_history"]
    answer = api.patch("me/", {"base_currency": "EUR", "currency_history": "keep"})
    assert answer.status_code == 200 and answer.json()["base_currency"] == "EUR"
    assert "currency_history" not in answer.json()
    assert CurrencyChange.objects.owned_by(user).get().history == "keep"
    assert Expense.objects.owned_by(user).get().amount_currency == "USD"  # kept in the old currency
    bad = error(api.patch("me/", {"base_currency": "GBP", "currency_history": "both"}), 400, "invalid")
    assert list(bad["fields"]) == ["currency_history"]
    schema = json.loads(api.get("schema/", headers={"Accept": "application/vnd.oai.openapi+json"}).content)
    assert "currency_history" in schema["components"]["schemas"]["PatchedMeRequest"]["properties"]
    assert "currency_history" not in schema["components"]["schemas"]["Me"]["properties"]

"""XML stays well-formed for any text a user can type."""

import xml.etree.ElementTree as ET

import pytest

from expenses.models import Expense
from expenses.renderers import XMLRenderer
from tests.api_helpers import content, xml_resources

pytestmark = pytest.mark.django_db

NASTY = [
    "fish & chips",
    "<script>alert(1)</script>",
    "]]> <![CDATA[ x ]]>",
    "quote \" and ' apostrophe",
    "emoji 🍕🚕 and ünïcödé 日本語",
    "bell\x07 vt\x0b ff\x0c esc\x1b nul\x00",
    "lone surrogate \ud800 here",
    "&amp; already escaped &lt;",
    "tab\tnewline\nreturn\r",
]


@pytest.mark.parametrize("text", NASTY)
def test_renderer_output_parses_for_any_text(text):
    root = ET.fromstring(XMLRenderer().render_one({"notes": text, "tags": [text, "b"], "flag": True, "none": None}))
    [resource] = root.findall("resource")
    notes = resource.find("notes").text or ""
    assert "\x00" not in notes and "\x07" not in notes
    assert resource.find("flag").text == "1" and resource.find("none").text is None


@pytest.mark.parametrize("text", NASTY)
def test_expense_list_and_item_parse_for_any_text_sent(client, user, auth, text):
    # Sent through the API (JSON can carry NUL and lone surrogates), so it is stored on every database.
    response = client.post("/api/v1.0/expense/", {"type": "x" + text[:90], "amount": "1", "notes": text,
                                                  "tags": ["t&<>"]}, content_type="application/json", **auth)
    assert response.status_code == 200
    expense = Expense.objects.get()
    assert client.post("/api/v1.0/report/", {"name": text}, content_type="application/json", **auth).status_code == 200
    for path in ("/api/v1.0/expenses/?format=xml", f"/api/v1.0/expense/{expense.pk}?format=xml",
                 "/api/v1.0/reports/?format=xml", "/api/v1.0/tags/?format=xml"):
        response = client.get(path, **auth)
        assert response.status_code == 200, path
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        ET.fromstring(content(response))
    [resource] = xml_resources(client.get("/api/v1.0/expenses/?format=xml", **auth))
    assert resource["tags"] == "t&<>"


def test_text_sent_through_the_api_round_trips_in_xml(client, user, auth):
    text = "Dîner & <vin> 🍷"
    response = client.post("/api/v1.0/expense/?format=xml", {"type": "dinner", "amount": "5", "notes": text}, **auth)
    [resource] = xml_resources(response)
    assert resource["notes"] == text
    assert Expense.objects.get(pk=int(resource["id"])).notes == text

"""The OpenAPI 3 schema of /api/v2/: valid, covering every v2 URL and method, and the docs served locally."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db
NOT_DESCRIBED = {"schema", "docs"}


def v2_patterns():
    """(path template, HTTP methods) of every route under /api/v2/."""
    resolver = next(p for p in get_resolver().url_patterns
                    if isinstance(p, URLResolver) and str(p.pattern) == "api/v2/")
    for pattern in resolver.url_patterns:
        assert isinstance(pattern, URLPattern)
        regex = pattern.pattern.regex.pattern
        if pattern.name in NOT_DESCRIBED:
            continue
        path = re.sub(r"\(\?P<\w+>[^)]*\)", "{}", regex).removeprefix("^").removesuffix("$").replace("/?", "/")
        methods = set(getattr(pattern.callback, "actions", {})) - {"head", "options"}
        yield "/api/v2/" + path, methods


def normalised(path: str) -> str:
    return re.sub(r"\{\w+\}", "{}", path)


@pytest.fixture
def schema(client):
    response = client.get("/api/v2/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return response.json()


def test_the_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)


def test_every_v2_url_and_method_is_in_the_schema(schema):
    described = {normalised(path): set(operations) - {"parameters"} for path, operations in schema["paths"].items()}
    routes = list(v2_patterns())
    assert len(routes) >= 14
    for path, methods in routes:
        assert path in described, f"{path} is not in the schema"
        assert methods <= described[path], f"{path}: {methods - described[path]} not in the schema"
    assert all(path.startswith("/api/v2/") for path in schema["paths"])


def test_every_operation_describes_the_error_envelope(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code in ("400", "401", "404", "429"):
                assert operation["responses"][code]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/Error"}, (path, method, code)
    assert set(schema["components"]["securitySchemes"]) == {"basicAuth", "personalToken", "oauth1", "oauth2",
                                                            "cookieAuth"}


def test_interactive_docs_are_served_by_the_app_without_a_cdn(client):
    response = client.get("/api/v2/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    # The page's own script (no inline script: the Content-Security-Policy) points Swagger UI at the schema.
    script = client.get("/api/v2/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert '"/api/v2/schema"' in script.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in s for s in sources), sources
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))], sources
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


def test_answers_require_every_field_they_always_carry(schema, api, user):
    components = schema["components"]["schemas"]
    expense = api.post("expenses/", {"type": "lunch", "amount": "45"}).json()
    assert sorted(components["Expense"]["required"]) == sorted(expense)
    assert "required" not in components["PatchedExpenseRequest"]  # a PATCH sends what it changes
    assert sorted(components["ExpenseRequest"]["required"]) == ["amount", "type"]


def test_the_export_lists_the_filters_that_choose_its_expenses(schema):
    names = {parameter["name"] for parameter in schema["paths"]["/api/v2/expenses/export/"]["get"]["parameters"]}
    assert {"format", "report", "tag", "type", "search", "date_from", "date_to", "deleted"} <= names


def test_answers_built_as_dicts_keep_their_optional_fields(schema):
    # An import row in error has empty `values`: nothing in them may be required.
    assert "required" not in schema["components"]["schemas"]["ImportValues"]

"""Schemathesis against the OpenAPI schema of /api/v2/: generated requests (valid and invalid) to every
operation, a bounded number per operation, never answered 5xx nor by anything the schema contradicts.

Each operation is its own test (parametrized from the schema), driven through schemathesis' Python API:
its pytest plugin reads a pytest attribute that pytest 9 no longer has.
"""

import datetime as dt

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oauth2_provider.models import get_access_token_model, get_application_model
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from expenses import services
from oauth_bridge.services import personal_token_create
from tests.conftest import basic_auth
from tests.expenses.v2.receipt_files import image
from tests.factories import ExpenseFactory, ReportFactory, TagFactory

# Per operation: generated requests that fit the schema, and requests that break it.
EXAMPLES = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 6}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]
OPERATIONS = [(path, method.upper()) for path, operations in SchemaGenerator().get_schema(public=True)["paths"].items()
              for method in operations]


@pytest.fixture
def wsgi_app(db, settings):
    settings.DEBUG = False
    # Keep the test's transaction open across requests, as django.test.Client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def existing_ids(user):
    """Path parameters naming real items, so that generated requests also reach past the lookups."""
    report = ReportFactory(owner=user)
    tag = TagFactory(owner=user, name="cash")
    expenses = ExpenseFactory.create_batch(3, owner=user, tags=[tag], report=report)
    receipt = services.receipt_add(expense=expenses[0], upload=SimpleUploadedFile("r.png", image("PNG", (60, 40))))
    return {"/api/v2/expenses/{expense_pk}/": {"expense_pk": expenses[0].pk, "id": receipt.pk},
            "/api/v2/expenses/": {"id": expenses[1].pk}, "/api/v2/tags/": {"id": tag.pk},
            "/api/v2/reports/": {"id": report.pk}}


def strategy(operation, mode, path, existing_ids):
    generated = operation.as_strategy(generation_mode=mode)
    known = next((ids for prefix, ids in existing_ids.items() if path.startswith(prefix)), None)
    if "{" not in path or known is None:
        return generated
    names = {name for name in known if "{" + name + "}" in path}
    return st.one_of(generated, operation.as_strategy(generation_mode=mode,
                                                      path_parameters={name: known[name] for name in names}))


# Each operation and mode takes the next credential kind in turn, so every kind meets the whole schema's
# shapes (OAuth 1 signatures, made per request, are in tests/security).
CREDENTIALS = ("basic", "token", "token-as-basic", "oauth2", "session")
CASES = [(path, method, mode, CREDENTIALS[n % len(CREDENTIALS)])
         for n, ((path, method), mode) in enumerate((op, mode) for op in OPERATIONS for mode in EXAMPLES)]


def credential_headers(kind, user):
    secret = personal_token_create(user=user, name="schemathesis", scope="read write").secret
    if kind == "basic":
        return {"Authorization": basic_auth(user.email)["HTTP_AUTHORIZATION"]}
    if kind == "token":
        return {"Authorization": f"Bearer {secret}"}
    if kind == "token-as-basic":
        return {"Authorization": basic_auth(user.email, secret)["HTTP_AUTHORIZATION"]}
    if kind == "oauth2":
        application = get_application_model().objects.create(
            name="Phone", client_type="public", authorization_grant_type="authorization-code",
            redirect_uris="https://app.example/cb", user=user)
        token = get_access_token_model().objects.create(user=user, application=application, token="schemathesis-2",
                                                        scope="read write", expires=timezone.now() + dt.timedelta(1))
        return {"Authorization": f"Bearer {token.token}"}
    browser = Client()
    browser.force_login(user)
    csrf = "c" * 32  # a CSRF secret: the cookie and the header carry the same one
    return {"Cookie": f"sessionid={browser.cookies['sessionid'].value}; csrftoken={csrf}", "X-CSRFToken": csrf}


@pytest.mark.parametrize(("path", "method", "mode", "credential"), CASES,
                         ids=[f"{m} {p} {mode} {c}" for p, m, mode, c in CASES])
def test_v2_answers_what_its_schema_says(path, method, mode, credential, wsgi_app, user, existing_ids):
    schema = schemathesis.openapi.from_wsgi("/api/v2/schema/", wsgi_app,
                                            headers={"Accept": "application/vnd.oai.openapi+json"})
    operation = schema[path][method]
    headers = credential_headers(credential, user)

    @given(case=strategy(operation, mode, path, existing_ids))
    @settings(max_examples=EXAMPLES[mode], deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def answers_as_described(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    answers_as_described()

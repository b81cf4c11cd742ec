"""Views of the legacy `/api/` family (the original developer page): simple entry, one expense, downloads.

Every view is thin: parsing of parameters and all rules live in services, selectors and filters.
"""

import json
from collections.abc import Mapping

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from rest_framework import exceptions, permissions

from expenses import selectors, services
from expenses.api.responses import expense_export_chunks
from expenses.dates import format_timestamp
from expenses.serializers import expense_row, expense_tags, legacy_expense_data, legacy_expense_record, money
from xpenser_server import api
from xpenser_server.api import ApiView, requested_format, streaming_download
from xpenser_server.errors import InvalidInput
from xpenser_server.ids import parse_id
from xpenser_server.write_checks import session_write_unconfirmed

# Form fields a legacy client may send on create and update.
LEGACY_FIELDS = ("type", "amount", "rawamount", "notes", "date", "report", "tags", "category")
SIMPLE_FORMATS = ("html", "json")
DOWNLOAD_FORMATS = ("csv", "json", "qif", "xml")
SIMPLE_TEMPLATE = "expenses/simple_result.html"
CONFIRM_TEMPLATE = "expenses/simple_confirm.html"
BODY_REFUSAL = "the request body must be form fields or a JSON object"


def legacy_envelope(data, **extra) -> JsonResponse:
    """`{"status": 200, "data": {...}, ...}` with the standard library's separators, like the page."""
    return JsonResponse({"status": 200, "data": data, **extra})


def expense_data(expense, *, user) -> dict:
    return legacy_expense_data(expense_row(expense), user.tzinfo)


def request_body(request) -> Mapping:
    """The parsed form or JSON object body (a JSON array or scalar is refused)."""
    return api.request_body(request, refusal=BODY_REFUSAL)


def legacy_fields(request) -> dict:
    """The legacy fields given in the body, or (for old scripts) in the query string."""
    body = request_body(request)
    fields = {}
    for name in LEGACY_FIELDS:
        source = body if name in body else request.GET if name in request.GET else None
        if source is None:
            continue
        fields[name] = api.values_of(source, name) if name == "tags" else source.get(name)
    return fields


def request_action(request) -> str:
    return api.request_action(request, refusal=BODY_REFUSAL)


def user_expense(request, expense_id) -> object:
    """The requesting user's live expense with that id, else NotFound (other users' ids included)."""
    return api.object_or_404(
        lambda pk: selectors.expense_get(user=request.user, expense_id=pk, include_deleted=False),
        expense_id, kind="expense",
    )


def simple_json_answer(result, *, user) -> JsonResponse:
    """The simple API's JSON answer: the expense recorded, or the timer started or stopped."""
    tz = user.tzinfo
    if isinstance(result, services.TimerResult):
        started = format_timestamp(result.started, tz)
        if result.expense is None:
            return legacy_envelope({"timer": result.action, "started": started, "notes": result.notes})
        timer = {
            "timer": result.action,
            "started": started,
            "stopped": format_timestamp(result.stopped, tz),
            "minutes": money(result.expense.rawamount),
        }
        return legacy_envelope(expense_data(result.expense, user=user), timer=timer)
    return legacy_envelope(expense_data(result, user=user))


class SimpleApi(ApiView):
    """`GET|POST /api/simple/?q=TEXT[&report=ID][&format=json]`: record free-form text.

    Without `format` the answer is an HTML page, so a browser form can post here (session login). A session
    request without a verified CSRF token (a form or link on another site) records nothing: it answers the
    page showing what would be recorded, with a same-origin "Record it" form carrying the token.
    """

    confirms_session_writes = True

    def writes(self, request) -> bool:
        """Every request with `q` (wherever it is sent) and every POST records, or tries to."""
        if request.method == "OPTIONS":
            return False
        return request.method not in permissions.SAFE_METHODS or self._param(request, "q") is not None

    def get(self, request):
        return self.record(request)

    def post(self, request):
        return self.record(request)

    def _param(self, request, name):
        body = request_body(request)
        value = body.get(name) if name in body else request.GET.get(name)
        return None if value is None else str(value)

    def _format(self, request) -> str:
        return requested_format(request, default="html", allowed=SIMPLE_FORMATS,
                                params={"format": self._param(request, "format")})

    def record(self, request):
        fmt = self._format(request)
        text = self._param(request, "q")
        report = self._param(request, "report")
        if fmt == "html" and text is None and request.method in ("GET", "HEAD"):
            return self.page(request, status=200)
        if session_write_unconfirmed(request):
            return simple_confirmation_page(request, text=text, report=report)
        result = services.expense_create_from_text(user=request.user, text=text, report=report)
        if fmt == "json":
            return self.json_answer(request, result)
        return self.page(request, result=result, status=200)

    def json_answer(self, request, result):
        return simple_json_answer(result, user=request.user)

    def page(self, request, *, result=None, error=None, status):
        expense = result.expense if isinstance(result, services.TimerResult) else result
        report = self._param(request, "report") or ""
        action = request.path + (f"?report={report}" if parse_id(report) else "")
        context = {
            "error": error,
            "timer": result if isinstance(result, services.TimerResult) else None,
            "timer_started": format_timestamp(result.started, request.user.tzinfo)
            if isinstance(result, services.TimerResult) else "",
            "expense": expense,
            "data": expense_data(expense, user=request.user) if expense is not None else None,
            # The page is for people, so it says what the JSON answer (frozen) cannot: a rate is missing.
            "rate_warning": selectors.rate_warning(expense, request.user.tzinfo) if expense is not None else "",
            "tags": [tag.name for tag in expense_tags(expense)] if expense is not None else [],
            "text": self._param(request, "q") if error else "",
            "report_id": report if parse_id(report) else "",
            "form_action": action,
        }
        return render(request._request, SIMPLE_TEMPLATE, context, status=status)

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if response.status_code == 401 or not self._wants_html(self.request):
            return response
        message = json.loads(response.content).get("error", "")
        try:
            return self.page(self.request, error=message, status=response.status_code)
        except (exceptions.ParseError, exceptions.UnsupportedMediaType, InvalidInput):
            return response

    def _wants_html(self, request) -> bool:
        try:
            return self._format(request) == "html"
        except (exceptions.ParseError, exceptions.UnsupportedMediaType, InvalidInput):
            return False


def simple_confirmation_page(request, *, text, report, status=200):
    """The page of an unconfirmed browser-session entry: what `text` would record, and a "Record it" button (a
    same-origin POST to the simple API with the CSRF token). Nothing is written."""
    try:
        preview = services.entry_preview(user=request.user, text=text, report=report)
    except InvalidInput as refused:
        preview, error, status = None, refused.message, refused.status_code
    else:
        error = ""
    report_id = report if parse_id(report) else ""
    context = {
        "preview": preview,
        "date_text": format_timestamp(preview.date, request.user.tzinfo) if preview and preview.date else "",
        "error": error,
        "text": "" if text is None else str(text),
        "report_id": report_id,
        "form_action": "/api/simple/" + (f"?report={report_id}" if report_id else ""),
    }
    return render(request._request, CONFIRM_TEMPLATE, context, status=status)


class ExpenseCreateApi(ApiView):
    """`POST /api/expense/`: create from form fields type, amount, notes, date, report, tags, rawamount."""

    def post(self, request):
        if request_action(request) not in ("", "create"):
            raise InvalidInput("action: only an existing expense (/api/expense/ID) can be deleted or updated")
        fields = legacy_fields(request)
        expense = services.expense_create(user=request.user, **fields)
        return legacy_envelope(expense_data(expense, user=request.user), id=expense.pk)


class ExpenseItemApi(ApiView):
    """`GET|POST /api/expense/ID` (view, update), `POST ...?action=delete` or `DELETE` (soft delete)."""

    def get(self, request, expense_id):
        if request_action(request) == "delete":
            raise exceptions.MethodNotAllowed("GET", detail="action=delete needs a POST (or an HTTP DELETE)")
        expense = user_expense(request, expense_id)
        return legacy_envelope(expense_data(expense, user=request.user))

    def post(self, request, expense_id):
        action = request_action(request)
        if action == "delete":
            return self.delete(request, expense_id)
        if action not in ("", "update"):
            raise InvalidInput(f"action: {action!r} is not supported; use action=delete, or none to update")
        expense = user_expense(request, expense_id)
        fields = legacy_fields(request)
        if not fields:
            raise InvalidInput(f"nothing to update: send one or more of {', '.join(LEGACY_FIELDS)}")
        expense = services.expense_update(expense=expense, data=fields)
        return legacy_envelope(expense_data(expense, user=request.user), id=expense.pk)

    def delete(self, request, expense_id):
        services.expense_delete(expense=user_expense(request, expense_id))
        return HttpResponse(status=204)


class ExpenseDownloadApi(ApiView):
    """`GET /api/expenses/`: the filtered expenses (default report, CSV by default), streamed."""

    def get(self, request):
        fmt = requested_format(request, default="csv", allowed=DOWNLOAD_FORMATS)
        queryset = selectors.expense_list(user=request.user, params=request.GET)
        # JSON is the Django-serializer record, XML the fields alone (as the original page served them).
        shape = legacy_expense_record if fmt == "json" else legacy_expense_data
        tz = request.user.tzinfo
        rows = selectors.expense_rows(queryset, tz=tz)
        return streaming_download(expense_export_chunks(fmt, rows, tz, shape), fmt, f"expenses.{fmt}", rows=rows)

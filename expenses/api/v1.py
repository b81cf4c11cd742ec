"""Views of the versioned `/api/v1.0/` family: flat JSON objects (XML on request), soft delete, receipts."""

from functools import partial

from rest_framework import exceptions

from xpenser_server.api import ApiView, object_or_404, request_body, requested_format, streaming_download, values_of
from xpenser_server.errors import InvalidInput, NotFound
from xpenser_server.write_checks import session_write_unconfirmed

from .. import selectors, services
from ..dates import format_timestamp
from ..receipt_files import receipt_file_response
from ..serializers import expense_row, v1_expense, v1_tag
from .legacy import simple_confirmation_page
from .responses import (
    EXPENSE_LIST_FORMATS,
    FILE_FORMATS,
    LIST_FORMATS,
    absolute_base,
    chunks_response,
    expense_export_chunks,
    item_format,
    list_response,
    no_content,
    object_response,
    requested_action,
)

# Fields a client may send on create or update (others, e.g. a whole object posted back, are ignored).
EXPENSE_FIELDS = ("type", "amount", "rawamount", "notes", "date", "report", "report_id", "tags", "category",
                  "status")


def _expense_object(request, expense) -> dict:
    return v1_expense(expense_row(expense), request.user.tzinfo, base_url=absolute_base(request))


def _expense_or_404(request, expense_id):
    return object_or_404(lambda pk: selectors.expense_get(user=request.user, expense_id=pk), expense_id,
                         kind="expense")


def _receipt_upload(request):
    """The uploaded `receipt` file, if any. A text `receipt` (e.g. an object posted back) is ignored."""
    files = request.FILES.getlist("receipt") if hasattr(request.FILES, "getlist") else []
    if len(files) > 1:
        raise InvalidInput("receipt: send one file")
    return files[0] if files else None


class ExpenseListApi(ApiView):
    """`GET /api/v1.0/expenses/`: the filtered list in JSON (default), XML, CSV or QIF."""

    def get(self, request):
        fmt = requested_format(request, default="json", allowed=EXPENSE_LIST_FORMATS)
        queryset = selectors.expense_list(user=request.user, params=request.query_params)
        shape = partial(v1_expense, base_url=absolute_base(request))
        tz = request.user.tzinfo
        rows = selectors.expense_rows(queryset, tz=tz)
        chunks = expense_export_chunks(fmt, rows, tz, shape)
        if fmt in FILE_FORMATS:
            return streaming_download(chunks, fmt, f"expenses.{fmt}", rows=rows)
        return chunks_response(chunks, fmt, rows=rows)


class ExpenseCreateApi(ApiView):
    """`/api/v1.0/expense/`: `POST` fields to create; `GET|POST ?q=TEXT` creates from free-form text.

    A browser session without a verified CSRF token gets the simple API's confirmation page for `q`, and a
    403 for field creates; nothing is written either way.
    """

    confirms_session_writes = True
    http_method_names = ["get", "post", "options"]  # every GET records: a HEAD may not (405, Allow without it)

    def writes(self, request) -> bool:
        """Every GET (it creates from `q`) and every POST."""
        return request.method != "OPTIONS"

    def get(self, request):
        fmt = item_format(request)
        return self._create_from_text(request, request.query_params.get("q"), request.query_params, fmt)

    def post(self, request):
        fmt = item_format(request)
        data = request_body(request)
        if "q" in request.query_params or "q" in data:
            text = request.query_params.get("q", data.get("q"))
            report = request.query_params.get("report", data.get("report", data.get("report_id")))
            return self._create_from_text(request, text, {"report": report}, fmt)
        if session_write_unconfirmed(request):
            raise exceptions.PermissionDenied(request.successful_authenticator.csrf_failure)
        expense = services.expense_create(
            user=request.user,
            type=data.get("type"),
            amount=data.get("amount"),
            rawamount=data.get("rawamount"),
            notes=data.get("notes", ""),
            date=data.get("date"),
            report=data.get("report", data.get("report_id")),
            category=data.get("category"),
            sourceid=data.get("sourceid", ""),
            # v1.0 tags are names, even when they look like numbers (the legacy family sends ids).
            tags=values_of(data, "tags"),
            tag_ids_allowed=False,
            receipt=_receipt_upload(request),
        )
        return object_response(_expense_object(request, expense), fmt)

    def _create_from_text(self, request, text, params, fmt):
        if session_write_unconfirmed(request):
            return simple_confirmation_page(request, text=text, report=params.get("report"))
        result = services.expense_create_from_text(user=request.user, text=text, report=params.get("report"))
        if isinstance(result, services.TimerResult):
            if result.expense is None:
                return object_response(
                    {"timer": result.action, "started": format_timestamp(result.started, request.user.tzinfo),
                     "notes": result.notes},
                    fmt,
                )
            result = result.expense
        return object_response(_expense_object(request, result), fmt)


class ExpenseItemApi(ApiView):
    """`/api/v1.0/expense/ID`: view, update (form fields and/or a `receipt` file), soft delete."""

    def get(self, request, expense_id):
        fmt = item_format(request)
        return object_response(_expense_object(request, _expense_or_404(request, expense_id)), fmt)

    def post(self, request, expense_id):
        fmt = item_format(request)
        expense = _expense_or_404(request, expense_id)
        if requested_action(request) == "delete":
            return self._delete(expense)
        data = request_body(request)
        fields = {field: data[field] for field in EXPENSE_FIELDS if field in data}
        if "tags" in fields:
            fields["tags"] = values_of(data, "tags")
        receipt = _receipt_upload(request)
        if fields or receipt is not None:
            expense = services.expense_update(expense=expense, data=fields, tag_ids_allowed=False, receipt=receipt)
        return object_response(_expense_object(request, expense), fmt)

    def delete(self, request, expense_id):
        return self._delete(_expense_or_404(request, expense_id))

    def _delete(self, expense):
        services.expense_delete(expense=expense)
        return no_content()


class ExpenseReceiptApi(ApiView):
    """`GET /api/v1.0/expense/ID/receipt`: the receipt file, for the expense's owner."""

    def get(self, request, expense_id):
        expense = _expense_or_404(request, expense_id)
        if not expense.receipt:
            raise NotFound(f"expense {expense_id} has no receipt")
        return receipt_file_response(expense.receipt.name)


class TagListApi(ApiView):
    """`GET /api/v1.0/tags/` lists the user's tags; `POST` (`name`) creates one."""

    def get(self, request):
        fmt = requested_format(request, default="json", allowed=LIST_FORMATS)
        return list_response((v1_tag(tag) for tag in selectors.tag_list(user=request.user)), fmt)

    def post(self, request):
        fmt = item_format(request)
        tag = services.tag_create(user=request.user, name=request_body(request).get("name"))
        return object_response(v1_tag(tag), fmt)


class TagItemApi(ApiView):
    """`/api/v1.0/tag/ID`: view, rename (`name`), delete (detached from its expenses)."""

    def _tag(self, request, tag_id):
        return object_or_404(lambda pk: selectors.tag_get(user=request.user, tag_id=pk), tag_id, kind="tag")

    def get(self, request, tag_id):
        fmt = item_format(request)
        return object_response(v1_tag(self._tag(request, tag_id)), fmt)

    def post(self, request, tag_id):
        fmt = item_format(request)
        tag = self._tag(request, tag_id)
        if requested_action(request) == "delete":
            services.tag_delete(tag=tag)
            return no_content()
        data = request_body(request)
        if "name" not in data:
            raise InvalidInput("name is required: the tag's new name")
        tag = services.tag_rename(tag=tag, name=data.get("name"))
        return object_response(v1_tag(tag), fmt)

    def delete(self, request, tag_id):
        services.tag_delete(tag=self._tag(request, tag_id))
        return no_content()

"""The import page over the import engine (services.expense_import): upload a CSV, QIF, JSON, XML, OFX or
XLSX file, map a CSV's columns (a choice per column), preview it (a dry run: duplicates and the errors of each
row shown), then import it for real; nothing is stored when any row fails.

The upload is kept between the steps (services.import_upload_keep) and named in the form by its token.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from xpenser_server.errors import InvalidInput

from .. import imports, services
from .common import report_choices

FORMATS = (("", "Recognise it"), ("csv", "CSV"), ("qif", "QIF"), ("json", "JSON (Xpenser export)"),
           ("xml", "XML (Xpenser export)"), ("ofx", "OFX / QFX"), ("xlsx", "Excel (XLSX)"))
DATE_ORDERS = (("", "Recognise it"), ("DMY", "Day/month/year"), ("MDY", "Month/day/year"), ("YMD", "Year/month/day"))
DECIMALS = (("", "Recognise it"), (".", "1,234.56"), (",", "1.234,56"))
FIELD_LABELS = {
    "date": "Date", "amount": "Amount", "debit": "Money out (debit)", "credit": "Money in (credit)",
    "type": "Type (payee)", "notes": "Notes", "tags": "Tags", "report": "Report name", "report_id": "Report id",
    "rawamount": "Raw amount (minutes, miles)", "category": "Category", "sourceid": "Source id", "status": "Status",
}  # fmt: skip
SHOWN_NEW_ROWS = 200  # rows in error, duplicates and skipped ones are all shown; new ones up to this many


def _choice(post, name, choices) -> str:
    value = post.get(name, "").strip()
    return value if value in dict(choices) else ""


def _options(post) -> dict:
    return {
        "format": _choice(post, "format", FORMATS),
        "date_order": _choice(post, "date_order", DATE_ORDERS),
        "decimal": _choice(post, "decimal", DECIMALS),
        "report": post.get("report", "").strip(),
        # The page's form always says it sent its options (an unticked box sends nothing).
        "header": "1" if post.get("header") or not post.get("options_sent") else "0",
    }


def _columns(post, header, named: bool) -> tuple[list[dict], dict]:
    """A choice per column of the CSV header (as posted, else what the header names) and the mapping they make."""
    posted = any(f"column_{number}" in post for number in range(1, len(header) + 1))
    guessed = imports.header_fields(header) if named else {}
    columns, mapping = [], {}
    for index, name in enumerate(header):
        number = index + 1
        field = post.get(f"column_{number}", "") if posted else guessed.get(index, "")
        field = field if field in FIELD_LABELS else ""
        if field and field in mapping:
            raise InvalidInput(f"mapping: {FIELD_LABELS[field]} is chosen for columns {mapping[field]} and {number}; "
                               "choose it for one column only")
        if field:
            mapping[field] = number
        columns.append({"number": number, "name": name, "field": field})
    return columns, mapping


def _shown_rows(result) -> list:
    shown, new = [], 0
    for row in result.rows:
        if row.status == "new":
            new += 1
            if new > SHOWN_NEW_ROWS:
                continue
        shown.append(row)
    return shown


def _page(request, context: dict, status: int = 200):
    user = request.user
    base = {"formats": FORMATS, "date_orders": DATE_ORDERS, "decimals": DECIMALS, "fields": FIELD_LABELS.items(),
            "reports": report_choices(user), "max_mb": services.import_max_bytes() / 1048576,
            "options": {"header": "1"}}
    return render(request, "expenses/import.html", {**base, **context}, status=status)


def _kept(request) -> tuple[str, str, bytes]:
    """(token, file name, content) of the file being imported: just uploaded, or kept from the step before."""
    upload = request.FILES.get("file")
    if upload is not None:
        token = services.import_upload_keep(user=request.user, upload=upload)
        return token, upload.name, services.import_upload_read(user=request.user, token=token)
    token = request.POST.get("upload", "")
    if not token:
        raise InvalidInput("file: choose the expense file to import (CSV, QIF, JSON, XML, OFX or XLSX)")
    return token, request.POST.get("filename", ""), services.import_upload_read(user=request.user, token=token)


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    """GET: the upload form. POST: preview (a dry run; 200, or 400 with each row's errors) or, with
    `action=import`, the import itself (a redirect to the list; 400 and nothing stored when a row fails)."""
    if request.method == "GET":
        return _page(request, {})
    user, post = request.user, request.POST
    options = _options(post)
    try:
        token, filename, data = _kept(request)
    except InvalidInput as err:
        return _page(request, {"error": err.message, "options": options}, err.status_code)
    context = {"token": token, "filename": filename, "options": options}
    new_file = "file" in request.FILES
    dry_run = post.get("action") != "import" or new_file
    try:
        fmt = options["format"] or imports.detect_format(data, filename)
        context["format"] = fmt
        mapping = {}
        if fmt == "csv":
            read = imports.import_options({"encoding": None, "header": options["header"]})
            columns, mapping = _columns({} if new_file else post, imports.csv_header(data, read), read.header)
            context["columns"] = columns
        fields = {**options, "format": fmt, "mapping": mapping, "dry_run": dry_run}
        result = services.expense_import(user=user, upload=data, fields=fields)
    except services.ImportFailed as err:
        context.update(error=err.message, result=err.result, rows=_shown_rows(err.result))
        return _page(request, context, 400)
    except InvalidInput as err:
        return _page(request, {**context, "error": err.message}, err.status_code)
    if dry_run:
        context.update(result=result, rows=_shown_rows(result))
        return _page(request, context)
    services.import_upload_discard(user=user, token=token)
    counts = result.counts
    left_out = [f"{counts[name]} {label}" for name, label in (("duplicate", "duplicate"), ("skipped", "deleted"))
                if counts[name]]
    messages.success(request, f"Imported {counts['new']} expense{'s' if counts['new'] != 1 else ''} from "
                              f"{filename or 'the file'}" + (f" (left out: {', '.join(left_out)})" if left_out else "")
                     + ".")
    return redirect("/expenses/?report=*")

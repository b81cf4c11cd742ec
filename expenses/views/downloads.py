"""Downloads named after what they hold (`berlin-trip-2026.csv`), always as attachments: a report in every
format of expenses.downloads plus the PDF expense report, and the filtered list of the export page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from reports.selectors import report_default, report_get
from xpenser_server.api import streamed_response
from xpenser_server.errors import InvalidInput, NotFound

from .. import selectors
from ..api.responses import absolute_base
from ..downloads import FORMATS, PDF, attachment_header, download_stem
from .common import LIST_PARAMS, filter_query


def _stream(request, queryset, fmt: str, stem: str) -> StreamingHttpResponse:
    spec = FORMATS[fmt]
    if spec.chunks is None:
        export = selectors.expense_export(user=request.user, queryset=queryset, fmt=fmt)
        response = streamed_response(export.chunks, export.media_type, rows=export.rows)
        response["Content-Disposition"] = attachment_header(stem, fmt)
        return response
    tz = request.user.tzinfo
    rows = selectors.expense_rows(queryset, tz=tz)
    chunks = spec.chunks(rows, tz, absolute_base(request))
    response = streamed_response(chunks, spec.media_type, rows=rows)
    response["Content-Disposition"] = attachment_header(stem, fmt)
    return response


def _report_or_404(request, report_id):
    report = selectors.report_with_totals(user=request.user, report_id=report_id)
    if report is None:
        raise Http404("No such report")
    return report


@login_required
@require_safe
def report_download(request, report_id, fmt):
    """The report's live expenses in `fmt` (see FORMATS), or the PDF expense report with its receipts."""
    report = _report_or_404(request, report_id)
    stem = download_stem(report.name, f"report-{report.pk}")
    expenses = selectors.expense_queryset(user=request.user).live().filter(report=report).order_by("date", "id")
    if fmt == PDF:
        # WeasyPrint takes about a second to import: only the processes that make a PDF pay for it.
        from ..pdf import report_pdf

        breakdown = selectors.report_breakdown(user=request.user, report=report)
        context = {"user": request.user, "now": timezone.now(), **breakdown}
        body = report_pdf(report=report, expenses=expenses.prefetch_related("tags", selectors.RECEIPTS_IN_ORDER),
                          context=context)
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = attachment_header(stem, PDF)
        return response
    if fmt not in FORMATS:
        raise Http404(f"No download format {fmt!r}; use one of {', '.join([*FORMATS, PDF])}")
    return _stream(request, expenses, fmt, stem)


@login_required
@require_safe
def expense_download(request, fmt):
    """The expenses the export page's filters choose, named after the report they are in."""
    if fmt not in FORMATS:
        raise Http404(f"No download format {fmt!r}; use one of {', '.join(FORMATS)}")
    query = filter_query(request.GET, LIST_PARAMS)
    try:
        queryset = selectors.expense_search(user=request.user, params=query)
    except (InvalidInput, NotFound) as err:
        return render(request, "expenses/download_error.html", {"error": err.message}, status=err.status_code)
    chosen = query.get("report", "")
    if chosen == "*":
        stem = "all-reports"
    else:
        report = report_get(user=request.user, report_id=chosen) if chosen else report_default(user=request.user)
        stem = download_stem(report.name, f"report-{report.pk}")
    return _stream(request, queryset, fmt, stem)

"""Export files of the user's expenses in any format of `/api/v2/` (expenses/exports), streamed from the
database: the rows of selectors.expense_rows, the report names, the period an OFX statement declares."""

from django.db.models import Max, Min

from reports.selectors import report_list

from ..exports import ExportFile, export_file
from .exports import expense_rows


def report_names(*, user) -> dict[int, str]:
    """{report id: name} of the user's reports (a few rows: read once per export)."""
    return dict(report_list(user=user).order_by().values_list("pk", "name"))


def expense_export(*, user, queryset, fmt: str, shape=None) -> ExportFile:
    """The export of `queryset` (the user's expenses, filtered and ordered by the caller) in `fmt`.

    The query runs here (expense_rows), so that a failing one raises before any answer starts; the rows then
    stream from its database cursor as the download is sent. `shape(row, tz)` replaces the object of a JSON or
    XML export (default: exports.export_record).
    """
    tz = user.tzinfo
    period = (None, None)
    if fmt == "ofx":
        bounds = queryset.order_by().aggregate(first=Min("date"), last=Max("date"))
        period = (bounds["first"], bounds["last"])
    names = report_names(user=user) if fmt in ("json", "xml", "xlsx") else {}
    return export_file(fmt, expense_rows(queryset, tz=tz), tz=tz, report_names=names, period=period,
                       shape=shape, currency=user.base_currency)


"""The wire shape of a report in the `/api/v1.0/` family."""

from expenses.dates import format_timestamp
from expenses.serializers import money


def v1_report(report, tz) -> dict:
    """`id`, `name`, `status`, `is_default`, `created`, `modified`, `count`, `total` (API-CONTRACT section 4).

    `report` must carry the `count` and `total` annotations of reports.selectors.report_list.
    """
    return {
        "id": report.pk,
        "name": report.name,
        "status": report.status,
        "is_default": report.is_default,
        "created": format_timestamp(report.created, tz),
        "modified": format_timestamp(report.modified, tz),
        "count": report.count,
        "total": money(report.total),
    }

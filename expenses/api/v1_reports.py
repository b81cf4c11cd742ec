"""Views of `/api/v1.0/reports/` and `/api/v1.0/report/ID` (reports with the totals of their expenses)."""

from reports import services as report_services
from xpenser_server.api import ApiView, object_or_404, request_body, requested_format

from .. import selectors, services
from ..serializers import v1_report
from .responses import LIST_FORMATS, item_format, list_response, no_content, object_response, requested_action


def _report_object(request, report_id) -> dict:
    return v1_report(selectors.report_with_totals(user=request.user, report_id=report_id), request.user.tzinfo)


class ReportListApi(ApiView):
    """`GET /api/v1.0/reports/[?status=U]` lists the user's reports; `POST` (`name`) creates one."""

    def get(self, request):
        fmt = requested_format(request, default="json", allowed=LIST_FORMATS)
        status = request.query_params.get("status", "").strip()
        status = report_services.clean_report_status(status) if status else None
        tz = request.user.tzinfo
        reports = selectors.reports_with_totals(user=request.user, status=status)
        return list_response((v1_report(report, tz) for report in reports), fmt)

    def post(self, request):
        fmt = item_format(request)
        data = request_body(request)
        report = report_services.report_create(
            user=request.user, name=data.get("name"), status=data.get("status"), is_default=data.get("is_default")
        )
        return object_response(_report_object(request, report.pk), fmt)


class ReportItemApi(ApiView):
    """`/api/v1.0/report/ID`: view, update (`name`, `status`, `is_default`), delete (`move_to=ID`)."""

    def _report(self, request, report_id):
        return object_or_404(lambda pk: selectors.report_with_totals(user=request.user, report_id=pk), report_id,
                             kind="report")

    def get(self, request, report_id):
        fmt = item_format(request)
        return object_response(v1_report(self._report(request, report_id), request.user.tzinfo), fmt)

    def post(self, request, report_id):
        fmt = item_format(request)
        report = self._report(request, report_id)
        if requested_action(request) == "delete":
            return self._delete(request, report)
        report_services.report_update(report=report, data=request_body(request))
        return object_response(_report_object(request, report.pk), fmt)

    def delete(self, request, report_id):
        return self._delete(request, self._report(request, report_id))

    def _delete(self, request, report):
        move_to = request.query_params.get("move_to")
        if move_to is None and request.content_type:
            move_to = request_body(request).get("move_to")
        services.report_delete(report=report, move_to=move_to)
        return no_content()

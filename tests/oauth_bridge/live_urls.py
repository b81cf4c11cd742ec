"""URL conf of the live Ruby test server: the site's own routes.

Until the legacy `/api/expenses/` view lands (built on another branch), `/api/oauth/expenses/` is served
here by a minimal view over the shared selectors and the legacy serializer, so the OAuth flow can be
tested end to end; once the real route resolves, it is the one used.
"""

from django.http import JsonResponse
from django.urls import Resolver404, re_path, resolve

from expenses.selectors import expense_queryset, expense_rows
from expenses.serializers import legacy_expense_record
from xpenser_server.api import ApiView
from xpenser_server.urls import urlpatterns as site_patterns


class ExpenseListStandIn(ApiView):
    def get(self, request):
        rows = expense_rows(expense_queryset(user=request.user).filter(status=1).order_by("-date", "id"))
        return JsonResponse([legacy_expense_record(row, request.user.tzinfo) for row in rows], safe=False)


def _site_serves(path: str) -> bool:
    try:
        resolve(path, urlconf="xpenser_server.urls")
    except Resolver404:
        return False
    return True


urlpatterns = list(site_patterns)
if not _site_serves("/api/oauth/expenses/"):
    urlpatterns.insert(0, re_path(r"^api/(?:oauth/)?expenses/?$", ExpenseListStandIn.as_view()))

"""Plain Django views of the expenses app."""

from django.http import Http404
from django.views.decorators.http import require_safe

from xpenser_server.errors import NotFound

from .api.v1 import receipt_file_response
from .models import Expense


@require_safe
def receipt_public(request, path):
    """`GET /static/xpenser/media/Receipts/<path>` without credentials (an old client downloads receipts so).

    The unguessable path is the capability. Only names stored as an expense's receipt are served, so
    nothing else in the media storage can be reached through this URL.
    """
    name = f"Receipts/{path}"
    if not Expense.objects.filter(receipt=name).exists():
        raise Http404("no such receipt")
    try:
        return receipt_file_response(name)
    except NotFound:
        raise Http404("no such receipt") from None

"""Undo of a delete: the message that reports it carries an Undo button restoring exactly those expenses."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from xpenser_server.errors import InvalidInput

from .. import services
from .common import safe_next

UNDO_SESSION_KEY = "expenses.undo_delete"


def offer_undo(request, ids, text: str) -> None:
    """Remember what was just deleted and say so in a message with an Undo button (templates/base.html)."""
    request.session[UNDO_SESSION_KEY] = [int(pk) for pk in ids]
    messages.success(request, text, extra_tags="undo")


@login_required
@require_POST
def expense_undo(request):
    """Restore the expenses of the last delete (once: the button goes with the message)."""
    ids = request.session.pop(UNDO_SESSION_KEY, None)
    back = safe_next(request, "/expenses/")
    if not ids:
        messages.info(request, "There is nothing to undo.")
        return redirect(back)
    try:
        count = services.expenses_restore(user=request.user, ids=ids)
    except InvalidInput as err:
        messages.error(request, f"Nothing was restored: {err.message}")
        return redirect(back)
    messages.success(request, f"Restored {count} expense{'s' if count != 1 else ''}.")
    return redirect(back)

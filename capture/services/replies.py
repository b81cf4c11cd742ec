"""The reply to a received message: what was recorded, or why a line was not. Sent to the account's own
address (never to whoever knew the secret address), through the configured email backend, as a task."""

from django.conf import settings
from django.core.mail import EmailMessage

from jobs.retry import job

NOTHING = "Nothing was recorded from your message."


def _expense_text(expense) -> str:
    text = f"{expense.type} {expense.amount} {expense.amount_currency}"
    if expense.converted:
        text += f" ({expense.original_amount} {expense.original_currency}"
        text += ", converted when the day's rate is published)" if expense.awaiting_rate else ")"
    if expense.notes:
        text += f": {expense.notes}"
    tags = getattr(expense, "tag_list", None) or []
    if tags:
        text += " " + " ".join(f"#{tag.name}" for tag in tags)
    return text


def reply_text(outcome) -> str:
    """The reply's body."""
    lines = []
    if outcome.expenses:
        lines.append(f"Recorded {len(outcome.expenses)} expense{'s' if len(outcome.expenses) > 1 else ''}:")
        lines += [f"- {_expense_text(expense)}" for expense in outcome.expenses]
        if outcome.to_review:
            lines.append("  (to review: its amount, date and merchant are read from the receipt; check them)")
    if outcome.timer:
        lines.append(f"Timer {outcome.timer}.")
    if outcome.receipts:
        lines.append(f"Receipts kept: {', '.join(outcome.receipts)}.")
    if not lines:
        lines.append(NOTHING)
    if outcome.problems:
        lines += ["", "Not recorded:"] + [f"- {problem}" for problem in outcome.problems]
        lines += ["", "Write one expense per line (or in the subject), e.g. 'lunch 45 with jack #cash'."]
    return "\n".join(lines) + "\n"


@job()
def reply_deliver(*, to: str, subject: str, body: str, in_reply_to: str = "") -> None:
    headers = {"Auto-Submitted": "auto-replied"}
    if in_reply_to:
        headers.update({"In-Reply-To": in_reply_to, "References": in_reply_to})
    EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to], headers=headers).send()


def reply_send(*, outcome, in_reply_to: str, subject: str) -> None:
    """Queue the reply to the message's owner (the task runs inline with the immediate backend); `in_reply_to`:
    the message's Message-ID header as written."""
    reply_deliver.enqueue(
        to=outcome.owner.email, subject=f"Re: {subject}" if subject else "Your expenses by email",
        body=reply_text(outcome), in_reply_to=in_reply_to,
    )  # fmt: skip

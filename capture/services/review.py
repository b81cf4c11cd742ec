"""An expense recorded from a receipt alone (no amount in the text): its amount is read from the receipt."""

from expenses import services as expense_services

# replaced by expenses.services.expense_create_to_review at merge
if hasattr(expense_services, "expense_create_to_review"):
    expense_create_to_review = expense_services.expense_create_to_review
else:

    def expense_create_to_review(*, user, notes="", sourceid=None, date=None):
        """Until receipt reading lands: an expense of amount 0 that the user completes."""
        return expense_services.expense_create(user=user, type="Receipt", amount="0", notes=notes,
                                               sourceid=sourceid or "", date=date)  # fmt: skip

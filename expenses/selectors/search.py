"""The web app's expense list: the API filters plus search, amount range and sorting (expenses.search)."""

from ..search import apply_search, apply_sort, sort_key
from .expenses import expense_list


def expense_search(*, user, params):
    """The user's expenses matching the API filters and the list extensions, sorted as asked.

    Raises InvalidInput / NotFound naming the bad parameter."""
    key = sort_key(params)
    queryset = apply_search(expense_list(user=user, params=params), user=user, params=params)
    return apply_sort(queryset, key)

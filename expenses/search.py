"""The web app's list extensions on top of the API filters: free-text search over type, notes and tag names,
an amount range, sorting and the page size. The API families never read these parameters."""

from django import forms
from django.db.models import Q
from django.db.models.functions import Lower

from xpenser_server.errors import InvalidInput
from xpenser_server.text import caseless

from .filters import AmountField
from .models import Tag

SEARCH_PARAMS = ("search", "amount_min", "amount_max", "sort")
# Sort keys of the list's columns; a leading "-" reverses. Ties always break on the id, so pages never overlap.
SORTS = {
    "date": ("date", "id"),
    "type": (Lower("type"), "id"),
    "amount": ("amount", "id"),
    "report": (Lower("report__name"), "id"),
}
DEFAULT_SORT = "-date"
PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50


def _amount(params, name):
    field = AmountField(required=False)
    try:
        return field.clean(params.get(name, "").strip())
    except forms.ValidationError as err:
        raise InvalidInput(f"{name}: {' '.join(err.messages)}") from None


def search_terms(text: str) -> list[str]:
    return [term.lstrip("#") for term in str(text or "").split() if term.lstrip("#")]


def apply_search(queryset, *, user, params):
    """Narrow `queryset` by `search` (every word in the type, the notes or a tag name) and the amount range."""
    for term in search_terms(params.get("search", "")):
        tagged = Tag.objects.owned_by(user).filter(name_key__contains=caseless(term)).expense_ids()
        queryset = queryset.filter(Q(type__icontains=term) | Q(notes__icontains=term) | Q(pk__in=tagged))
    low, high = _amount(params, "amount_min"), _amount(params, "amount_max")
    if low is not None and high is not None and low > high:
        raise InvalidInput(f"amount_min: {low} is more than amount_max {high}")
    if low is not None:
        queryset = queryset.filter(amount__gte=low)
    if high is not None:
        queryset = queryset.filter(amount__lte=high)
    return queryset


def sort_key(params) -> str:
    key = params.get("sort", "").strip() or DEFAULT_SORT
    if key.lstrip("-") not in SORTS:
        choices = ", ".join(f"{name}, -{name}" for name in SORTS)
        raise InvalidInput(f"sort: {key!r} is not a column to sort by; use one of {choices}")
    return key


def apply_sort(queryset, key: str):
    fields = SORTS[key.lstrip("-")]
    if key.startswith("-"):
        return queryset.order_by(*(f"-{f}" if isinstance(f, str) else f.desc() for f in fields))
    return queryset.order_by(*fields)


def page_size(params) -> int:
    text = str(params.get("per_page", "")).strip()
    if not text:
        return DEFAULT_PAGE_SIZE
    if not (text.isascii() and text.isdigit()) or int(text) not in PAGE_SIZES:
        raise InvalidInput(f"per_page: {text!r} is not a page size; use one of {', '.join(map(str, PAGE_SIZES))}")
    return int(text)

"""Serializers of /api/v2/ expenses and receipts: what a client reads and sends.

Values are checked here, field by field (so errors name their field), with the services' own cleaning rules;
the views hand the cleaned values to one service call.
"""

import datetime as dt

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reports.models import Report
from xpenser_server.errors import InvalidInput
from xpenser_server.ids import is_ascii_digits, parse_id
from xpenser_server.text import caseless

from ... import selectors, services
from ...serializers import expense_tags
from ...services.bulk_create import BULK_MAX
from ...services.cleaning import MAX_TAGS, MAX_YEAR, MIN_YEAR, clean_short_text


def cleaned(clean, value, **kwargs):
    """`clean(value)` with the services' rules; their InvalidInput becomes this field's ValidationError."""
    try:
        return clean(value, **kwargs)
    except InvalidInput as problem:
        raise serializers.ValidationError(problem.message) from None


class UtcDateTimeField(serializers.DateTimeField):
    """ISO 8601, answered in UTC (`2024-05-01T12:30:00Z`); a value sent without an offset is in the user's
    time zone (`me.time_zone`)."""

    def default_timezone(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return user.tzinfo if user is not None and user.is_authenticated else dt.UTC

    def to_representation(self, value):
        return utc_text(value)


def utc_text(value: dt.datetime | None) -> str | None:
    """A moment as v2 answers it: ISO 8601 in UTC with `Z`."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def money_text(value) -> str | None:
    """A stored amount (two decimal places) as DecimalField(decimal_places=2) answers it."""
    return None if value is None else f"{value:.2f}"


@extend_schema_field(OpenApiTypes.INT)
class OwnReportField(serializers.PrimaryKeyRelatedField):
    """A report of the requesting user, by id (lookups are remembered for the request: bulk creates)."""

    def get_queryset(self):
        return Report.objects.owned_by(self.context["request"].user)

    def to_internal_value(self, data):
        # DRF would read 1.5 as report 1 and fail on 1e400 (OverflowError): an id is a whole number.
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if isinstance(data, str) and not is_ascii_digits(data.strip(), max_digits=4300):
            self.fail("incorrect_type", data_type="str")
        if parse_id(data) is None:
            self.fail("does_not_exist", pk_value=data)
        known = self.context.setdefault("reports_seen", {})
        key = str(data)
        if key not in known:
            known[key] = super().to_internal_value(data)
        return known[key]


class TagNamesField(serializers.ListField):
    """The expense's tag names, in the order of every family (by name, then id)."""

    def get_attribute(self, instance):
        return [tag.name for tag in expense_tags(instance)]


class ReceiptSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    expense = serializers.IntegerField(source="expense_id", read_only=True)
    kind = serializers.ChoiceField(choices=["JPEG", "PNG", "WebP", "HEIC", "PDF", "GIF"], read_only=True,
                                   help_text="The format found by decoding the file.")
    content_type = serializers.SerializerMethodField()
    size = serializers.IntegerField(read_only=True, help_text="Bytes.")
    width = serializers.IntegerField(read_only=True, allow_null=True, help_text="Pixels (PDF: points).")
    height = serializers.IntegerField(read_only=True, allow_null=True)
    pages = serializers.IntegerField(read_only=True, allow_null=True, help_text="PDF only.")
    name = serializers.CharField(read_only=True, help_text="The uploaded file's name.")
    created = UtcDateTimeField(read_only=True)
    file = serializers.SerializerMethodField()
    thumbnail = serializers.SerializerMethodField()

    def get_content_type(self, receipt) -> str:
        return services.RECEIPT_MEDIA_TYPES.get(receipt.kind, "application/octet-stream")

    def _link(self, receipt, what):
        """An absolute URL: the request's host, or (outside a request: webhooks) the context's `base_url`."""
        path = reverse(f"v2:receipt-{what}", kwargs={"expense_pk": receipt.expense_id, "pk": receipt.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else self.context["base_url"] + path

    @extend_schema_field(OpenApiTypes.URI)
    def get_file(self, receipt):
        return self._link(receipt, "file")

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_thumbnail(self, receipt):
        return self._link(receipt, "thumbnail") if receipt.thumbnail else None


class ReceiptUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="JPEG, PNG, WebP, HEIC or PDF; checked by decoding it whole.")


class ReviewSerializer(serializers.Serializer):
    """What receipt reading suggests for the expense (read only; POST `review/apply` or `review/dismiss`)."""

    state = serializers.ChoiceField(choices=["to_review", "mismatch"], allow_null=True,
                                    help_text="to_review: recorded from a receipt alone, to confirm; mismatch: the "
                                              "amount differs from the receipt's total; null: nothing to review.")
    reading = serializers.ChoiceField(choices=["pending", "read", "unreadable"], allow_null=True,
                                      help_text="How reading the receipts went (null: no receipt).")
    total = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True,
                                     help_text="The receipt's total, in `currency`.")
    currency = serializers.CharField(allow_null=True, help_text="ISO 4217, when the receipt shows it.")
    date = serializers.DateField(allow_null=True, help_text="The receipt's date.")
    merchant = serializers.CharField(allow_blank=True)
    mismatch = serializers.BooleanField(help_text="The receipt's total differs from the expense's amount.")
    error = serializers.CharField(allow_blank=True, help_text="Why the receipt could not be read.")

    def to_representation(self, suggestion):
        return review_data(suggestion)


def review_data(suggestion) -> dict:
    """ReviewSerializer's representation of a selectors.ReviewSuggestion."""
    return {"state": suggestion.state or None, "reading": suggestion.reading or None,
            "total": money_text(suggestion.total),
            "currency": suggestion.currency or None,
            "date": suggestion.date.isoformat() if suggestion.date else None,
            "merchant": suggestion.merchant, "mismatch": suggestion.mismatch, "error": suggestion.error}


class ExpenseSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    type = serializers.CharField(max_length=100)
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2,
        help_text="Read: in `amount_currency` (the base currency), converted from the original money. Written: in "
                  "`currency` (the base currency when not sent); the same amount sent back without a currency "
                  "changes nothing.")
    currency = serializers.CharField(
        write_only=True, required=False,
        help_text="ISO 4217 code of the `amount` sent (EUR, GBP, JPY...); the base currency when not sent. "
                  "Sent alone (PATCH), the amount entered is taken as in this currency. The expense is converted "
                  "at the ECB rate of its date (the nearest earlier published day).")
    original_amount = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True,
                                               help_text="The money entered, in `original_currency`.")
    original_currency = serializers.CharField(read_only=True, help_text="ISO 4217 code of the money entered.")
    amount_currency = serializers.CharField(read_only=True, help_text="ISO 4217 code of `amount`.")
    rate = serializers.SerializerMethodField(
        help_text="Units of `amount_currency` per unit of `original_currency`, as published (`1.0867`); `1` "
                  "when both are the same; null while no rate is on file (`amount` is then 0.00).")
    rate_date = serializers.DateField(read_only=True, allow_null=True,
                                      help_text="The day the rate was published (null: the same currency).")
    warnings = serializers.SerializerMethodField(help_text="Problems to show the user (a missing rate).")
    rawamount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False,
                                         help_text="As entered (miles, minutes...); the amount when not sent.")
    notes = serializers.CharField(max_length=2000, allow_blank=True, required=False, trim_whitespace=False)
    date = UtcDateTimeField(required=False, help_text="When it was spent (now when not sent).")
    report = OwnReportField(required=False, help_text="The report's id (the default report when not sent).")
    tags = TagNamesField(child=serializers.CharField(max_length=100), max_length=MAX_TAGS, required=False,
                         help_text="Tag names (by name, then id); new ones are created.")
    category = serializers.CharField(max_length=100, allow_null=True, allow_blank=True, required=False)
    sourceid = serializers.CharField(max_length=100, allow_blank=True, required=False,
                                     help_text="The client's own reference.")
    receipts = serializers.SerializerMethodField()
    review = serializers.SerializerMethodField()
    created = UtcDateTimeField(read_only=True)
    modified = UtcDateTimeField(read_only=True, help_text="Changes with every change (the sync order).")
    deleted = serializers.BooleanField(required=False, help_text="Deleted expenses come back only in syncs "
                                       "(as tombstones) and by id; PATCH false to restore.")

    def validate_type(self, value):
        return cleaned(services.clean_type, value)

    def validate_currency(self, value):
        return cleaned(services.clean_currency, value)

    def validate_notes(self, value):
        return cleaned(services.clean_notes, value)

    @extend_schema_field({"type": "string", "format": "decimal", "nullable": True, "example": "1.0867"})
    def get_rate(self, expense):
        return expense.rate_text or None

    def get_warnings(self, expense) -> list[str]:
        if not expense.awaiting_rate:
            return []
        request = self.context.get("request")
        user = request.user if request is not None else expense.owner
        return [selectors.rate_warning(expense, user.tzinfo)]

    def validate_date(self, value):
        if not MIN_YEAR <= value.astimezone(dt.UTC).year <= MAX_YEAR:
            raise serializers.ValidationError(f"use a year from {MIN_YEAR} to {MAX_YEAR}")
        return value

    def validate_tags(self, value):
        names = {}
        for name in value:
            clean = cleaned(services.clean_tag_name, name)
            names.setdefault(caseless(clean), clean)
        return list(names.values())

    def validate_category(self, value):
        return clean_short_text(value) or None

    def validate_sourceid(self, value):
        return clean_short_text(value)

    @extend_schema_field(ReceiptSerializer(many=True))
    def get_receipts(self, expense):
        receipts = getattr(expense, "receipt_list", None)
        if receipts is None:
            receipts = expense.receipts.order_by("position", "id")
        if not receipts:
            return []
        if "receipt_serializer" not in self.context:  # one for the whole list of expenses
            self.context["receipt_serializer"] = ReceiptSerializer(context=self.context)
        return [self.context["receipt_serializer"].to_representation(receipt) for receipt in receipts]


    @extend_schema_field(ReviewSerializer)
    def get_review(self, expense):
        return review_data(selectors.expense_review(expense))

    def to_representation(self, expense):
        """The fields above, built at once from the expense's values: the same keys, order and text as DRF's
        field-by-field representation (tests/expenses/v2/test_representation.py compares the two), without
        its per-field lookups for every row of a page."""
        rate_date = expense.rate_date
        return {
            "id": expense.pk, "type": expense.type, "amount": money_text(expense.amount),
            "original_amount": money_text(expense.original_amount), "original_currency": expense.original_currency,
            "amount_currency": expense.amount_currency, "rate": self.get_rate(expense),
            "rate_date": None if rate_date is None else rate_date.isoformat(),
            "warnings": self.get_warnings(expense), "rawamount": money_text(expense.rawamount),
            "notes": expense.notes, "date": utc_text(expense.date), "report": expense.report_id,
            "tags": [tag.name for tag in expense_tags(expense)], "category": expense.category,
            "sourceid": expense.sourceid, "receipts": self.get_receipts(expense), "review": self.get_review(expense),
            "created": utc_text(expense.created), "modified": utc_text(expense.modified), "deleted": expense.deleted,
        }


class BulkRequestSerializer(serializers.Serializer):
    expenses = ExpenseSerializer(many=True, max_length=BULK_MAX, help_text=f"At most {BULK_MAX}.")


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


class BulkResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The item's position in the request.")
    status = serializers.IntegerField(help_text="201 created, 400 refused.")
    expense = ExpenseSerializer(allow_null=True)
    error = ErrorDetailSerializer(allow_null=True)


class BulkResponseSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    failed = serializers.IntegerField()
    results = BulkResultSerializer(many=True)

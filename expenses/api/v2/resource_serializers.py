"""Serializers of /api/v2/ tags, reports, the account (`me`), free-form entries and the timer."""

from rest_framework import serializers

from accounts.models import User
from reports import services as report_services
from reports.models import Report

from ... import services
from .serializers import ExpenseSerializer, OwnReportField, UtcDateTimeField, cleaned

REPORT_STATUS_NAMES = {value: label.lower() for value, label in Report.Status.choices}


class TagSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=100, help_text="Unique per user, compared case-insensitively.")
    created = UtcDateTimeField(read_only=True)

    def validate_name(self, value):
        user = self.context["request"].user
        return cleaned(services.clean_new_tag_name, value, user=user, exclude_pk=getattr(self.instance, "pk", None))


class ReportStatusField(serializers.ChoiceField):
    """A report status by name (`unsubmitted`, `submitted`...); the one-letter codes of /api/v1.0/ are read too."""

    def __init__(self, **kwargs):
        super().__init__(choices=list(REPORT_STATUS_NAMES.values()), **kwargs)

    def to_internal_value(self, data):
        return cleaned(report_services.clean_report_status, data)

    def to_representation(self, value):
        return REPORT_STATUS_NAMES.get(value, value)


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=200)
    status = ReportStatusField(required=False)
    is_default = serializers.BooleanField(required=False, help_text="Exactly one report is the default.")
    count = serializers.IntegerField(read_only=True, help_text="Live expenses in the report.")
    total = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True,
                                     help_text="Sum of their amounts.")
    created = UtcDateTimeField(read_only=True)
    modified = UtcDateTimeField(read_only=True)

    def validate_name(self, value):
        return cleaned(report_services.clean_report_name, value)


class MeSerializer(serializers.ModelSerializer):
    """The account and the settings the entry parser uses (mileage and hourly rates, time zone)."""

    currency_history = serializers.ChoiceField(
        choices=["convert", "keep"], write_only=True, required=False,
        help_text="Needed with a new base_currency: `convert` your expenses into it at the rate of their dates, "
                  "or `keep` them in the old one.",
    )  # fmt: skip

    class Meta:
        model = User
        fields = ["id", "email", "name", "base_currency", "mileage_rate", "hourly_rate", "time_zone",
                  "currency_history"]
        read_only_fields = ["id", "email"]
        extra_kwargs = {
            "base_currency": {"help_text": "ISO 4217 code, e.g. USD."},
            "time_zone": {"help_text": "IANA name, e.g. Europe/Paris: dates sent without an offset are in it."},
        }


class EntryRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=4000, help_text="e.g. `lunch 45 with jack #cash`, `Time start`.")
    report = OwnReportField(required=False, allow_null=True, help_text="The default report when not sent.")


class ReadingSerializer(serializers.Serializer):
    """How the text was read."""

    kind = serializers.ChoiceField(choices=["expense", "mileage", "time", "timer"])
    type = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    rawamount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    unit = serializers.CharField(allow_null=True, help_text="What rawamount counts: miles, minutes, or null.")
    currency = serializers.CharField(allow_null=True, help_text="The ISO 4217 code written next to the amount "
                                     "(`lunch 45 EUR`, `taxi £12.50`); null: the base currency.")
    notes = serializers.CharField(allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField())
    timer_action = serializers.ChoiceField(choices=["start", "stop"], allow_null=True)


class TimerSerializer(serializers.Serializer):
    running = serializers.BooleanField()
    started = UtcDateTimeField(allow_null=True)
    notes = serializers.CharField(allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField())


class TimerStartSerializer(serializers.Serializer):
    notes = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=100), max_length=100, required=False)

    def validate_notes(self, value):
        return cleaned(services.clean_notes, value)

    def validate_tags(self, value):
        return [cleaned(services.clean_tag_name, name) for name in value]


class TimerStopSerializer(TimerStartSerializer):
    type = serializers.CharField(max_length=100, required=False, help_text="`Time` when not sent.")
    report = OwnReportField(required=False, allow_null=True)

    def validate_type(self, value):
        return cleaned(services.clean_type, value)


class EntryResponseSerializer(serializers.Serializer):
    reading = ReadingSerializer()
    expense = ExpenseSerializer(allow_null=True, help_text="The expense recorded (none for `Time start`).")
    timer = TimerSerializer(allow_null=True, help_text="The timer after a `Time start` / `Time stop`.")


class TimerStopResponseSerializer(serializers.Serializer):
    timer = TimerSerializer()
    expense = ExpenseSerializer()


def reading_data(reading) -> dict:
    """The `reading` of an entry: a parser.ParsedExpense or parser.TimerCommand."""
    if hasattr(reading, "action"):
        return {"kind": "timer", "type": reading.type, "amount": None, "rawamount": None, "unit": None,
                "currency": None, "notes": reading.notes, "tags": list(reading.tags), "timer_action": reading.action}
    unit = {"mileage": "miles", "time": "minutes"}.get(reading.kind)
    return {"kind": reading.kind, "type": reading.type, "amount": reading.amount, "rawamount": reading.rawamount,
            "unit": unit, "currency": reading.currency, "notes": reading.notes, "tags": list(reading.tags),
            "timer_action": None}


def timer_data(timer) -> dict:
    """The running timer (an expenses.Timer), or a stopped one (None)."""
    if timer is None:
        return {"running": False, "started": None, "notes": "", "tags": []}
    return {"running": True, "started": timer.started_at, "notes": timer.notes, "tags": timer.tag_names}

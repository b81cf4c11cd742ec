"""What /api/v2/webhooks/ reads and answers."""

from rest_framework import serializers

from expenses.api.v2.serializers import UtcDateTimeField, cleaned

from .. import services
from ..models import EVENTS, Delivery


class WebhookSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.URLField(max_length=2000, help_text="http(s); not a private or loopback address.")
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENTS), required=False, min_length=1,
                                   help_text="The events it receives (all three when not sent).")
    description = serializers.CharField(max_length=200, allow_blank=True, required=False)
    active = serializers.BooleanField(required=False, help_text="Inactive hooks receive nothing (but pings).")
    secret = serializers.CharField(read_only=True, help_text="Verifies the X-Xpenser-Signature of deliveries.")
    rotate_secret = serializers.BooleanField(write_only=True, required=False,
                                             help_text="true: a new secret (the old one stops signing at once).")
    created = UtcDateTimeField(read_only=True)
    modified = UtcDateTimeField(read_only=True)

    def validate_url(self, value):
        return cleaned(services.clean_url, value)

    def validate_events(self, value):
        return cleaned(services.clean_events, value)


class DeliverySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    webhook = serializers.IntegerField(source="webhook_id", read_only=True)
    event = serializers.CharField(read_only=True, help_text="expense.created, expense.updated, expense.deleted, ping.")
    event_id = serializers.UUIDField(read_only=True)
    expense = serializers.IntegerField(source="expense_id", read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=[value for value, _ in Delivery.STATUSES], read_only=True)
    attempts = serializers.IntegerField(read_only=True)
    status_code = serializers.IntegerField(read_only=True, allow_null=True, help_text="The last attempt's.")
    error = serializers.CharField(read_only=True, help_text="Why the last attempt failed ('' if it did not).")
    payload = serializers.JSONField(source="payload_json", read_only=True, help_text="The JSON body sent.")
    created = UtcDateTimeField(read_only=True)
    last_attempt_at = UtcDateTimeField(read_only=True, allow_null=True)
    delivered_at = UtcDateTimeField(read_only=True, allow_null=True)

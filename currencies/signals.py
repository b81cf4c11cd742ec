"""Sent after rates were stored (`first_day`, `last_day`: the span of days imported), once the transaction
that stored them has committed: expenses waiting for a rate can be converted then."""

from django.dispatch import Signal

rates_imported = Signal()

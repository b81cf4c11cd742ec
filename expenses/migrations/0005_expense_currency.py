"""A currency per expense: the money as entered (original_amount in original_currency), the currency of `amount`
and the rate that converted it. Existing expenses were all entered in their owner's base currency (rate 1)."""

from decimal import Decimal

from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery


def entered_in_the_base_currency(apps, schema_editor):
    Expense = apps.get_model("expenses", "Expense")
    User = apps.get_model("accounts", "User")
    base = Subquery(User.objects.filter(pk=OuterRef("owner_id")).values("base_currency")[:1])
    Expense.objects.update(original_amount=F("amount"), original_currency=base, amount_currency=base, rate=1)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_user_timer_moved_to_expenses"),
        ("expenses", "0004_timers_from_users"),
    ]

    operations = [
        migrations.AddField(
            model_name="expense",
            name="original_amount",
            field=models.DecimalField(decimal_places=2, default=Decimal("0.00"), max_digits=12),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="expense",
            name="original_currency",
            field=models.CharField(default="USD", max_length=3),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="expense",
            name="amount_currency",
            field=models.CharField(default="USD", max_length=3),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="expense",
            name="rate",
            field=models.DecimalField(blank=True, decimal_places=12, max_digits=24, null=True),
        ),
        migrations.AddField(
            model_name="expense",
            name="rate_date",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(entered_in_the_base_currency, migrations.RunPython.noop, elidable=False),
        migrations.AddIndex(
            model_name="expense",
            index=models.Index(condition=models.Q(("rate__isnull", True)), fields=["owner"],
                               name="expense_awaiting_rate"),
        ),
        migrations.AddConstraint(
            model_name="expense",
            constraint=models.CheckConstraint(
                condition=models.Q(models.Q(("original_currency", ""), _negated=True),
                                   models.Q(("amount_currency", ""), _negated=True)),
                name="expense_currencies_set",
            ),
        ),
    ]

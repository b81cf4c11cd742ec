"""Expenses, their tags and the running timer: every row belongs to one user (see OwnedQuerySet)."""

import secrets

from django.conf import settings
from django.db import models, router, transaction
from django.utils import timezone

from xpenser_server.models import OwnedQuerySet
from xpenser_server.text import caseless

from .clock import SyncClock


class TagQuerySet(OwnedQuerySet):
    def named(self, name: str):
        """Tags with this name in any case (compared as the unique constraint compares them: `name_key`)."""
        return self.filter(name_key=caseless(name))

    def named_any(self, names):
        """Tags with any of these names in any case (one IN list: a chain of ORs fails beyond a few hundred
        names on SQLite)."""
        return self.filter(name_key__in={caseless(name) for name in names})

    def bulk_create(self, objs, *args, **kwargs):
        """Tags in bulk, each with its `name_key` (which save() sets one at a time)."""
        objs = list(objs)
        for tag in objs:
            tag.name_key = caseless(tag.name)
        return super().bulk_create(objs, *args, **kwargs)

    def expense_ids(self):
        """The ids of the expenses that carry any of these tags (a subquery on the M2M table)."""
        return Expense.tags.through.objects.filter(tag__in=self).values("expense_id")


class Tag(models.Model):
    # No reverse accessor on the user (`related_name="+"`): reads start from Tag.objects.owned_by(user).
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    # The name case-folded (xpenser_server.text.caseless), set by save(): a user's names are unique in any case.
    # Case folding can lengthen a name (ß: ss), hence the room.
    name_key = models.CharField(max_length=300, editable=False)
    created = models.DateTimeField(default=timezone.now, editable=False)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "name_key"], name="unique_tag_key_per_owner")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = caseless(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)


def receipt_upload_to(instance, filename):
    # Receipts are served without credentials at an unguessable path (an old client relies on it).
    return f"Receipts/{secrets.token_urlsafe(24)}/{filename[-100:]}"


class ExpenseQuerySet(OwnedQuerySet):
    def live(self):
        return self.filter(status=Expense.LIVE)

    def tag_links(self):
        """The (expense, tag) rows of the M2M table that belong to these expenses."""
        return Expense.tags.through.objects.filter(expense__in=self)

    def link_tags(self, links) -> None:
        """Store (expense id, tag id) links in bulk, for expenses and tags of these rows' owner that have no
        such link yet (an import's new expenses)."""
        through = Expense.tags.through
        through.objects.bulk_create([through(expense_id=e, tag_id=t) for e, t in links], batch_size=1000)

    def with_receipt(self, name: str):
        """Expenses whose stored receipt is `name`: the unguessable path is the credential of the public
        receipt URL, so this is the one lookup not scoped to a user."""
        return self.filter(receipt=name)

    def bulk_create(self, objs, *args, **kwargs):
        """As Django's, with each expense's money completed and `modified` stamped from its owner's sync clock,
        as save() does (one stamp per owner, in the INSERT's transaction)."""
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            stamps = {}
            for expense in objs:
                expense.money_defaults()
                if expense.owner_id not in stamps:
                    stamps[expense.owner_id] = SyncClock.next_stamp(expense.owner_id, using=self.db)
                expense.modified = stamps[expense.owner_id]
            return super().bulk_create(objs, *args, **kwargs)

    def awaiting_rate(self):
        """Expenses whose exchange rate was not on file yet. Started from the manager, every user's: the job
        that converts them once rates arrive serves everyone (and then works user by user)."""
        return self.filter(rate__isnull=True)


    def mark_modified(self, user, **fields) -> int:
        """UPDATE these expenses (all the user's) with `fields` and the user's next `modified` stamp; inside
        the caller's transaction."""
        return self.update(**fields, modified=SyncClock.next_stamp(user.pk))


REVIEW_CHOICES = [("", "reviewed"), ("to_review", "to review"), ("mismatch", "amount differs from the receipt")]


class Expense(models.Model):
    TO_REVIEW = "to_review"
    MISMATCH = "mismatch"
    LIVE = 1
    DELETED = -1
    STATUS_CHOICES = [(LIVE, "live"), (DELETED, "deleted")]

    # No index of its own: the (owner, ...) indexes below serve lookups by owner alone too, and each index
    # is one more B-tree to update on every insert. `modified` is the owner's sync clock (see save()).
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    report = models.ForeignKey("reports.Report", on_delete=models.PROTECT, related_name="expenses")
    type = models.CharField(max_length=100)
    # `rawamount` is what was entered (money, miles or minutes); `original_amount` the money it stands for in
    # `original_currency` (for mileage and time, what the user's rate made of it). `amount` is that money in
    # `amount_currency` (the base currency when it was converted) at `rate` (units of amount_currency per unit
    # of original_currency), the ECB rate of `rate_date`: stored, so later rate updates never rewrite it.
    # rate None: no rate was on file yet; amount stays 0.00 until one arrives.
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    rawamount = models.DecimalField(max_digits=12, decimal_places=2)
    original_amount = models.DecimalField(max_digits=12, decimal_places=2)
    original_currency = models.CharField(max_length=3)
    amount_currency = models.CharField(max_length=3)
    rate = models.DecimalField(max_digits=24, decimal_places=12, null=True, blank=True)
    rate_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True, default="")
    date = models.DateTimeField(default=timezone.now)
    status = models.SmallIntegerField(choices=STATUS_CHOICES, default=LIVE)
    sourceid = models.CharField(max_length=100, blank=True, default="")
    category = models.CharField(max_length=100, null=True, blank=True)  # noqa: DJ001 (legacy JSON has null)
    receipt = models.FileField(upload_to=receipt_upload_to, max_length=200, blank=True, default="")
    # Receipt reading asks the user to look: "to_review" (recorded from a receipt alone, its amount filled from
    # the reading) or "mismatch" (the amount entered differs from the receipt's total). Shown by v2 and the web
    # app only; the older families never see it.
    review = models.CharField(max_length=10, choices=REVIEW_CHOICES, blank=True, default="")
    created = models.DateTimeField(default=timezone.now, editable=False)
    modified = models.DateTimeField(default=timezone.now)
    tags = models.ManyToManyField(Tag, related_name="expenses", blank=True)

    objects = ExpenseQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "id"]
        indexes = [
            models.Index(fields=["owner", "report"], name="expense_owner_report"),
            # Delta sync and the v2 cursor walk: keyset on (modified, id) within the owner.
            models.Index(fields=["owner", "modified", "id"], name="expense_owner_modified_id"),
            models.Index(fields=["owner", "date"], name="expense_owner_date"),
            # Only the few expenses waiting for a rate are in it (inserts of others do not touch it).
            models.Index(fields=["owner"], condition=models.Q(rate__isnull=True), name="expense_awaiting_rate"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(original_currency="") & ~models.Q(amount_currency=""), name="expense_currencies_set"
            ),
        ]

    def __str__(self):
        return f"{self.type} {self.amount}"

    def save(self, *args, **kwargs):
        """Every save completes the expense's money (money_defaults) and stamps `modified` from the owner's sync
        clock, in the same transaction as the write.

        Delta-sync clients rely on it: a row changed by any path shows up as changed, after everything
        changed before it (also when `update_fields` names other fields only).
        """
        self.money_defaults()
        using = kwargs.get("using") or router.db_for_write(Expense, instance=self)
        with transaction.atomic(using=using, savepoint=False):
            self.modified = SyncClock.next_stamp(self.owner_id, using=using)
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "modified"}
            super().save(*args, **kwargs)

    def money_defaults(self) -> None:
        """Unless told otherwise, an expense is money entered in its owner's base currency, at rate 1."""
        if self.original_amount is None:
            self.original_amount = self.amount
        self.amount_currency = self.amount_currency or self.owner.base_currency
        self.original_currency = self.original_currency or self.amount_currency
        if self.rate is None and self.original_currency == self.amount_currency:
            self.rate = 1

    @property
    def awaiting_rate(self) -> bool:
        return self.rate is None

    @property
    def rate_text(self) -> str:
        """The rate as published, without trailing zeros ("1.12"); '' while waiting for one."""
        return "" if self.rate is None else f"{self.rate.normalize():f}"

    @property
    def converted(self) -> bool:
        """Entered in another currency than the one its amount is in."""
        return self.original_currency != self.amount_currency

    @property
    def deleted(self) -> bool:
        return self.status == self.DELETED


class Timer(models.Model):
    """A running `Time start` timer: at most one per user (the row exists while it runs)."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                 related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    notes = models.CharField(max_length=2000, blank=True, default="")
    tags = models.CharField(max_length=2000, blank=True, default="", help_text="Tag names, space-separated.")

    objects = OwnedQuerySet.as_manager()

    def __str__(self):
        return f"timer of user {self.owner_id} since {self.started_at}"

    @property
    def tag_names(self) -> list[str]:
        return self.tags.split()

"""factory_boy factories for the project's models."""

from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import User
from expenses.models import Expense, Tag
from reports.models import Report

DEFAULT_PASSWORD = "password"


def default_report(user) -> Report:
    return Report.objects.owned_by(user).default().get()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@test.com")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Report {n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"tag{n}")


class ExpenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expense
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    report = factory.LazyAttribute(lambda o: default_report(o.owner))
    type = "lunch"
    amount = Decimal("45.00")
    rawamount = factory.LazyAttribute(lambda o: o.amount)
    original_amount = factory.LazyAttribute(lambda o: o.amount)
    original_currency = factory.LazyAttribute(lambda o: o.owner.base_currency)
    amount_currency = factory.LazyAttribute(lambda o: o.original_currency)
    rate = Decimal(1)
    notes = "with jack"
    date = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.set(extracted)

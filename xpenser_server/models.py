"""Model behaviour shared by the apps (plain mixins and querysets: no fields, so no migrations)."""

from django.db import models
from django.utils import timezone


class ModifiedOnSave:
    """Bumps `modified` on every save(), also when `update_fields` names other fields only.

    Delta-sync clients (`?modified=`) rely on it: a row changed by any path must show up as changed.
    """

    def save(self, *args, **kwargs):
        self.modified = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "modified"}
        super().save(*args, **kwargs)


class OwnedQuerySet(models.QuerySet):
    """Rows that belong to one user. Every read of user data starts from `owned_by(user)`.

    `owner_field` names the foreign key to the user. Code outside the models never filters on it
    itself (tests/core/test_owner_scope.py checks the sources), so no query can forget the scope.
    """

    owner_field = "owner"

    def owned_by(self, user, *conditions, **lookups):
        """The user's rows (those matching `conditions` and `lookups` too, in the same filter); none for an
        anonymous user."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(*conditions, **lookups, **{self.owner_field: user})

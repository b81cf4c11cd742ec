"""Model behaviour shared by the apps (plain mixins: no fields, so no migrations)."""

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

"""Template filters of the web app's pages."""

from django import template

register = template.Library()

@register.filter
def attrs_for_row(field, expense_id):
    """A form field's widget with ids unique to one row of the list (several rows may be open at once)."""
    attrs = {"id": f"row-{expense_id}-{field.name}"}
    if field.errors:
        attrs.update({"aria-invalid": "true", "aria-describedby": f"row-{expense_id}-{field.name}-error"})
    if field.name == "tags":
        attrs["list"] = "tag-names"
    return field.as_widget(attrs=attrs)

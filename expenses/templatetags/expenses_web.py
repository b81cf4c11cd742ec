"""Template filters of the web app's pages."""

from django import template

register = template.Library()

# Stored receipt names end in the extension of the format detected from their content (services.receipts).
IMAGE_EXTENSIONS = (".jpg", ".png", ".gif", ".webp")


@register.filter
def is_image_receipt(name) -> bool:
    """Whether a stored receipt is an image a browser shows (a thumbnail in lists); PDFs and HEIC are not."""
    return str(name or "").lower().endswith(IMAGE_EXTENSIONS)


@register.filter
def attrs_for_row(field, expense_id):
    """A form field's widget with ids unique to one row of the list (several rows may be open at once)."""
    attrs = {"id": f"row-{expense_id}-{field.name}"}
    if field.errors:
        attrs.update({"aria-invalid": "true", "aria-describedby": f"row-{expense_id}-{field.name}-error"})
    if field.name == "tags":
        attrs["list"] = "tag-names"
    return field.as_widget(attrs=attrs)

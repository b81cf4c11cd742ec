"""Forms of the web app. They shape and display input; the services validate and write it. (Receipts have
their own forms on the editor page: views/receipt_pages.py.)"""

from django import forms

from currencies.codes import currency_choices


class ExpenseForm(forms.Form):
    type = forms.CharField(max_length=100)
    amount = forms.CharField(max_length=40, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    currency = forms.ChoiceField(
        required=False, help_text="Converted into your base currency at the rate of the expense's date"
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    date = forms.CharField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    report = forms.ChoiceField()
    tags = forms.CharField(
        required=False, help_text="Names separated by spaces or commas, e.g. cash clientx",
        widget=forms.TextInput(attrs={"list": "tag-names", "autocomplete": "off"}),
    )  # fmt: skip

    def __init__(self, *args, reports=(), currency="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].choices = [(str(r.pk), r.name) for r in reports]
        choices = currency_choices()
        if currency and currency not in dict(choices):  # a currency no longer in use keeps its place
            choices.append((currency, currency))
        self.fields["currency"].choices = choices

    def clean_currency(self):
        """Not sent (an older form): the currency it was in."""
        return self.cleaned_data["currency"] or self.initial.get("currency", "")

    def add_service_error(self, message: str):
        """Attach a service's 'field: problem' message to that field, else to the whole form."""
        field = message.replace(":", " ").split(" ", 1)[0]
        self.add_error(field if field in self.fields else None, message)

from django.contrib import admin

from .models import ExchangeRate


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ("day", "currency", "per_euro")
    list_filter = ("currency",)
    date_hierarchy = "day"
    search_fields = ("currency",)

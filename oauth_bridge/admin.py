from django.contrib import admin
from django.utils import timezone

from .models import AccessToken, Consumer, PersonalAccessToken, RequestToken


@admin.register(Consumer)
class ConsumerAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "owner", "legacy_oauth10", "is_active", "created"]
    list_filter = ["legacy_oauth10", "is_active"]
    search_fields = ["name", "key", "owner__email"]
    raw_id_fields = ["owner"]


@admin.action(description="Revoke selected tokens")
def revoke_tokens(modeladmin, request, queryset):
    queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    list_display = ["consumer", "user", "created", "last_used_at", "revoked_at"]
    list_filter = ["consumer", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "consumer__name", "key"]
    raw_id_fields = ["user", "consumer"]
    readonly_fields = ["key", "secret", "created", "last_used_at"]
    actions = [revoke_tokens]


@admin.register(RequestToken)
class RequestTokenAdmin(admin.ModelAdmin):
    list_display = ["consumer", "user", "callback", "created", "authorized_at"]
    raw_id_fields = ["user", "consumer"]
    readonly_fields = ["key", "secret", "verifier", "created", "authorized_at"]


@admin.register(PersonalAccessToken)
class PersonalAccessTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "hint", "scope", "created", "last_used_at", "revoked_at"]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "name", "hint"]
    raw_id_fields = ["user"]
    readonly_fields = ["hint", "token_hash", "created", "last_used_at"]
    actions = [revoke_tokens]

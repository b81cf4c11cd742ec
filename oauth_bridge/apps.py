from django.apps import AppConfig


class OauthBridgeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "oauth_bridge"
    verbose_name = "OAuth"

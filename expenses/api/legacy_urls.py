"""Routes of the legacy `/api/` family (also mounted at `/api/oauth/`)."""

urlpatterns = []

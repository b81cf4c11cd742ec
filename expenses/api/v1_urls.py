"""Routes of the versioned `/api/v1.0/` family."""

urlpatterns = []

"""Test-only routes: a protected and an anonymous API view, to exercise throttling on its own."""

from django.http import JsonResponse
from django.urls import path
from rest_framework.permissions import AllowAny

from xpenser_server.api import ApiView


class WhoAmIApi(ApiView):
    def get(self, request):
        return JsonResponse({"status": 200, "data": {"email": request.user.email}})


class PublicApi(ApiView):
    permission_classes = [AllowAny]

    def get(self, request):
        return JsonResponse({"status": 200, "data": {}})


urlpatterns = [
    path("whoami", WhoAmIApi.as_view()),
    path("public", PublicApi.as_view()),
]

"""A small protected API view for authentication tests (the real endpoints are built on other branches)."""

from django.http import JsonResponse

from xpenser_server.api import ApiView


class WhoAmIApi(ApiView):
    def get(self, request):
        return JsonResponse({"status": 200, "email": request.user.email})

    def post(self, request):
        return JsonResponse({"status": 200, "email": request.user.email, "posted": request.data.get("x", "")})

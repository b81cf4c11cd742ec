"""The floor `make bench` compares the API with: a bare Django view under the same server and settings.

Mounted at /bench/floor by bench/urls.py. It passes the full middleware stack and answers a JSON body of the
size of a created expense, without authentication or a database query.
"""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

_BODY = {
    "status": 200,
    "data": {
        "id": 1, "date": "2024-01-01 12:00:00", "report": 1, "amount": "45.00", "type": "lunch",
        "notes": "with jack", "rawamount": "45.00", "tags": [], "status": 1, "category": None,
        "sourceid": "", "created": "2024-01-01 12:00:00", "modified": "2024-01-01 12:00:00",
    },
}  # fmt: skip


@csrf_exempt
def floor_view(request):
    return JsonResponse({**_BODY, "q": request.GET.get("q", "")})

"""Django's WSGI handler with the simple API's fast lane in front of the middleware chain."""

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.urls import set_urlconf
from django.utils.log import log_response


class XpenserWSGIHandler(WSGIHandler):
    """Requests the lane answers (expenses/api/simple_lane.py) skip the middleware chain, URL resolver and
    DRF; the handler's own work (signals, connection upkeep, request and response objects) stays the same."""

    def load_middleware(self, is_async=False):
        super().load_middleware(is_async)
        from expenses.api.simple_lane import SimpleLane  # imports models: only once the apps are ready

        self.lane = SimpleLane()

    def get_response(self, request):
        set_urlconf(settings.ROOT_URLCONF)
        response = self.lane(request)
        if response is None:
            return super().get_response(request)
        response._resource_closers.append(request.close)
        if response.status_code >= 400:
            log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request)
        return response

"""`/api/v2/webhooks/`: a user's webhooks (CRUD), each hook's delivery log, and a test ping."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.response import Response

from expenses.api.v2.base import V2ViewMixin
from expenses.api.v2.idempotency import idempotent
from expenses.api.v2.pagination import KeysetPagination

from .. import selectors, services
from ..models import Webhook
from .serializers import DeliverySerializer, WebhookSerializer

FIELDS = ("url", "events", "description", "active", "rotate_secret")


class WebhookViewSet(V2ViewMixin, viewsets.GenericViewSet):
    serializer_class = WebhookSerializer
    queryset = Webhook.objects.none()  # the schema's model; requests read get_queryset()
    pagination_class = KeysetPagination
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.webhook_list(user=self.request.user)

    def get_object(self):
        pk = self.kwargs["pk"]
        webhook = selectors.webhook_get(user=self.request.user, webhook_id=pk)
        if webhook is None:
            raise exceptions.NotFound(f"webhook {pk} not found")
        return webhook

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses={201: WebhookSerializer})
    @idempotent
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k in FIELDS and k != "rotate_secret"}
        webhook = services.webhook_create(user=request.user, **data)
        response = Response(self.get_serializer(webhook).data, status=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(reverse("webhooks:webhook-detail", args=[webhook.pk]))
        return response

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    def update(self, request, pk=None):
        return self._change(request, partial=False)

    def partial_update(self, request, pk=None):
        return self._change(request, partial=True)

    def _change(self, request, partial):
        webhook = self.get_object()
        serializer = self.get_serializer(webhook, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        webhook = services.webhook_update(webhook=webhook, data=serializer.validated_data)
        return Response(self.get_serializer(webhook).data)

    @extend_schema(responses={204: None}, description="Delete the webhook and its delivery log.")
    def destroy(self, request, pk=None):
        services.webhook_delete(webhook=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={200: DeliverySerializer(many=True)},
                   description="The hook's deliveries (oldest first, keyset pages: `limit`, `cursor`).")
    def deliveries(self, request, pk=None):
        page = self.paginate_queryset(selectors.delivery_list(user=request.user, webhook=self.get_object()))
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)

    @extend_schema(request=None, responses={202: DeliverySerializer},
                   description="Queue a signed `ping` event to the hook (also while it is inactive); its "
                               "outcome shows in the deliveries.")
    @idempotent
    def ping(self, request, pk=None):
        delivery = services.ping_send(webhook=self.get_object())
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)

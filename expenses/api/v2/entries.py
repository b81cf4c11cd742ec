"""`/api/v2/entries/` (free-form text, read by the entry parser), `/api/v2/timer/` and `/api/v2/me/`."""

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.response import Response

from accounts.models import User

from ... import services
from . import conditional
from .base import V2ViewMixin
from .idempotency import idempotent
from .resource_serializers import (
    EntryRequestSerializer,
    EntryResponseSerializer,
    MeSerializer,
    TimerSerializer,
    TimerStartSerializer,
    TimerStopResponseSerializer,
    TimerStopSerializer,
    reading_data,
    timer_data,
)


def _new_expense(expense):
    """A just-recorded expense (or None): it has no receipts yet."""
    if expense is not None:
        expense.receipt_list = []
    return expense


class EntryViewSet(V2ViewMixin, viewsets.GenericViewSet):
    serializer_class = EntryRequestSerializer

    @extend_schema(request=EntryRequestSerializer, responses={201: EntryResponseSerializer},
                   description="Record free-form text as the one-line entry reads it (`lunch 45 with jack #cash`, "
                               "`mileage 12 client visit`, `Time 30 mins review`, `Time start` / `Time stop`).")
    @idempotent
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        entry = services.entry_create(user=request.user, text=data["text"], report=data.get("report"))
        timer = None
        if entry.timer is not None:
            timer = timer_data(services.timer_get(user=request.user))
        body = {"reading": reading_data(entry.reading), "expense": _new_expense(entry.expense),
                "timer": timer}
        return Response(EntryResponseSerializer(body, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


class TimerViewSet(V2ViewMixin, viewsets.GenericViewSet):
    serializer_class = TimerSerializer

    def _answer(self, status_code=status.HTTP_200_OK):
        timer = services.timer_get(user=self.request.user)
        return Response(TimerSerializer(timer_data(timer), context=self.get_serializer_context()).data,
                        status=status_code)

    @extend_schema(responses={200: TimerSerializer}, description="Whether the timer runs, since when, for what.")
    def retrieve(self, request):
        return self._answer()

    @extend_schema(request=TimerStartSerializer, responses={201: TimerSerializer},
                   description="Start the timer (one per user: refused while it runs).")
    @idempotent
    def start(self, request):
        serializer = TimerStartSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.timer_start(user=request.user, notes=data.get("notes", ""), tags=data.get("tags", ()))
        return self._answer(status.HTTP_201_CREATED)

    @extend_schema(request=TimerStopSerializer, responses={201: TimerStopResponseSerializer},
                   description="Stop the timer and record the time as an expense (hours x hourly rate).")
    @idempotent
    def stop(self, request):
        serializer = TimerStopSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = services.timer_stop(user=request.user, notes=data.get("notes", ""), tags=data.get("tags", ()),
                                     type=data.get("type", "Time"), report=data.get("report"))
        body = {"timer": timer_data(None), "expense": _new_expense(result.expense)}
        return Response(TimerStopResponseSerializer(body, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


class MeViewSet(V2ViewMixin, viewsets.GenericViewSet):
    serializer_class = MeSerializer
    queryset = User.objects.none()  # the schema's model; requests answer the requesting user

    def get_object(self):
        """The requesting user (there is no id in the URL; DRF's OPTIONS metadata asks for the object too)."""
        return self.request.user

    def retrieve(self, request):
        return Response(self.get_serializer(request.user).data)

    def _change(self, request, partial):
        serializer = self.get_serializer(request.user, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        conditional.check_if_match(request, conditional.data_etag(self.get_serializer(request.user).data),
                                   "your account")
        user = services.account_settings_update(user=request.user, data=serializer.validated_data)
        return Response(self.get_serializer(user).data)

    def update(self, request):
        return self._change(request, partial=False)

    def partial_update(self, request):
        return self._change(request, partial=True)

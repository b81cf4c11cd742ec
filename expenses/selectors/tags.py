"""Reads of tags, scoped to the requesting user."""

from xpenser_server.ids import parse_id

from ..models import Tag


def tag_list(*, user):
    return Tag.objects.owned_by(user).order_by("name", "id")


def tag_get(*, user, tag_id) -> Tag | None:
    tag_id = parse_id(tag_id)
    return Tag.objects.owned_by(user).filter(pk=tag_id).first() if tag_id is not None else None

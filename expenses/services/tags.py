"""Writes of tags, and the lookups that turn tag names from requests into the user's tags."""

from django.db import IntegrityError, transaction

from xpenser_server.errors import InvalidInput
from xpenser_server.ids import parse_id
from xpenser_server.text import caseless

from ..models import Expense, SyncClock, Tag
from .cleaning import clean_tag_name, split_tag_values


def tags_named(*, user, names) -> dict[str, Tag]:
    """The user's existing tags for `names` (one query), keyed by the name as given; missing ones are absent.

    Names are compared as the unique constraint compares them: in any case (`Tag.name_key`).
    """
    cleaned = {name: clean_tag_name(name) for name in names}
    if not cleaned:
        return {}
    found = {tag.name_key: tag for tag in Tag.objects.owned_by(user).named_any(cleaned.values()).order_by()}
    return {given: found[caseless(name)] for given, name in cleaned.items() if caseless(name) in found}


def tag_create_or_get(*, user, name: str) -> Tag:
    """A new tag with that name, or the one a concurrent request has just created."""
    name = clean_tag_name(name)
    try:
        with transaction.atomic():
            return Tag.objects.create(owner=user, name=name)
    except IntegrityError:
        # Created by a concurrent request meanwhile (the name is unique per owner, case-insensitively).
        tag = Tag.objects.owned_by(user).named(name).first()
        if tag is None:
            raise
        return tag


def tags_get_or_create(*, user, names, known=None) -> list[Tag]:
    """The user's tags for `names`, created where missing, each once, in the order first named.

    `known` holds the result of tags_named for these names when the caller looked them up already.
    """
    known = tags_named(user=user, names=names) if known is None else known
    tags, seen = [], set()
    for name in names:
        tag = known.get(name) or tag_create_or_get(user=user, name=name)
        if tag.pk not in seen:
            seen.add(tag.pk)
            tags.append(tag)
    return tags


def tags_resolve(*, user, values, ids_allowed=True) -> list[Tag]:
    """The user's tags for form values (names, created when missing) or, where allowed, tag ids."""
    names = split_tag_values(values)
    by_id = {}
    if ids_allowed:
        ids = {parse_id(name) for name in names} - {None}
        by_id = {str(tag.pk): tag for tag in Tag.objects.owned_by(user).filter(pk__in=ids)} if ids else {}
    known = tags_named(user=user, names=[name for name in names if name not in by_id])
    return tags_get_or_create(user=user, names=names, known={**known, **by_id})


def clean_new_tag_name(value, *, user, exclude_pk=None) -> str:
    """A tag name to store: valid, and not taken (case-insensitively) by another of the user's tags."""
    name = clean_tag_name(value, field="name")
    if Tag.objects.owned_by(user).named(name).exclude(pk=exclude_pk).exists():
        raise InvalidInput(f"a tag named {name!r} already exists")
    return name


@transaction.atomic
def tag_create(*, user, name) -> Tag:
    tag = Tag.objects.create(owner=user, name=clean_new_tag_name(name, user=user))
    SyncClock.next_stamp(user.pk)  # the user's tags changed (v2's Last-Modified of tag lists)
    return tag


@transaction.atomic
def tag_rename(*, tag: Tag, name) -> Tag:
    """Rename the tag; its expenses count as modified (delta sync sends them with the new name)."""
    tag.name = clean_new_tag_name(name, user=tag.owner, exclude_pk=tag.pk)
    tag.save(update_fields=["name"])
    Expense.objects.owned_by(tag.owner).filter(tags=tag).mark_modified(tag.owner)
    return tag


@transaction.atomic
def tag_delete(*, tag: Tag) -> None:
    """Delete the tag and detach it from its expenses, which count as modified (delta sync)."""
    Expense.objects.owned_by(tag.owner).filter(tags=tag).mark_modified(tag.owner)
    tag.delete()

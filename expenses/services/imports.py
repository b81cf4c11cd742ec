"""Import of an expense file (CSV, QIF, JSON, XML, OFX, XLSX): a preview (dry run) or all of its new rows stored
in one transaction; nothing is stored when any row fails."""

import contextlib
import datetime as dt
import re
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from reports.models import Report
from reports.services import report_create
from xpenser_server.errors import InvalidInput
from xpenser_server.text import caseless

from .. import imports
from ..events import expenses_changed_on_commit
from ..imports.results import ImportResult
from ..models import Expense, Tag
from .import_checks import Candidate, check_file
from .tags import tags_get_or_create

FILE_REQUIRED = "file is required: the expense file to import (CSV, QIF, JSON, XML, OFX or XLSX)"
# The web app's import page keeps an upload between its preview and the import (the browser cannot send a file
# twice): in the storage, under the owner's id and a random token, removed after the import or a day later.
PENDING_FOLDER = "Imports"
PENDING_KEPT = dt.timedelta(days=1)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
UPLOAD_GONE = "file: the uploaded file is no longer kept (imported already, or over a day old); choose it again"


class ImportTooLarge(InvalidInput):
    """An import file over the size limit: answered 413."""

    status_code = 413
    code = "too_large"


class ImportFailed(InvalidInput):
    """A non-dry run with rows in error: nothing was stored. `result` holds every row (as a dry run would)."""

    def __init__(self, result: ImportResult):
        super().__init__(result.error_summary())
        self.result = result


def import_max_bytes() -> int:
    return settings.XPENSER_IMPORT_MAX_BYTES


def import_max_rows() -> int:
    return settings.XPENSER_IMPORT_MAX_ROWS


def _upload_bytes(upload) -> tuple[bytes, str]:
    """The content and name of the upload (an UploadedFile, any binary file object, or bytes), size-checked."""
    limit = import_max_bytes()
    too_large = ImportTooLarge(f"file: larger than the limit of {limit} bytes; split it into smaller files")
    if upload is None or isinstance(upload, str):
        raise InvalidInput(FILE_REQUIRED)
    if isinstance(upload, bytes | bytearray):
        data, name = bytes(upload), ""
    else:
        if (getattr(upload, "size", None) or 0) > limit:
            raise too_large
        data, name = upload.read(limit + 1), str(getattr(upload, "name", "") or "")
        if isinstance(data, str):
            raise InvalidInput("file: send the file's bytes (a multipart upload), not text")
    if len(data) > limit:
        raise too_large
    return data, name.rsplit("/", 1)[-1]


def _target_report(user, value) -> Report:
    """The report named by the `report` option (an id or an existing report's name), else the default one."""
    reports = Report.objects.owned_by(user)
    if value is None:
        return reports.default().get()
    text = str(value).strip()
    found = reports.filter(pk=int(text)).first() if text.isascii() and text.isdigit() and len(text) < 19 else None
    if found is None:
        found = next((report for report in reports.order_by("pk") if report.name.casefold() == text.casefold()), None)
    if found is None:
        raise InvalidInput(f"report: {text!r} is neither the id nor the name of one of your reports")
    return found


def _store(user, candidates: list[Candidate]) -> None:
    """Create the reports and tags the rows name, then the expenses and their tag links, in bulk."""
    reports = {}
    for candidate in candidates:
        if candidate.report_name:
            key = candidate.report_name.casefold()
            if key not in reports:
                reports[key] = report_create(user=user, name=candidate.report_name)
            candidate.expense.report = reports[key]
    names = list(dict.fromkeys(name for c in candidates for name in c.tag_names))
    existing = {tag.name_key: tag for tag in Tag.objects.owned_by(user)}
    known = {name: existing[caseless(name)] for name in names if caseless(name) in existing}
    tags = {tag.name_key: tag for tag in tags_get_or_create(user=user, names=names, known=known)}
    expenses = Expense.objects.bulk_create([c.expense for c in candidates], batch_size=500)
    links = []
    for candidate, expense in zip(candidates, expenses, strict=True):
        candidate.row.expense_id = expense.pk
        linked = {tag.pk for tag in candidate.tags} | {tags[caseless(name)].pk for name in candidate.tag_names}
        links.extend((expense.pk, tag_id) for tag_id in sorted(linked))
    Expense.objects.owned_by(user).link_tags(links)
    expenses_changed_on_commit(user=user, expense_ids=[expense.pk for expense in expenses], action="created")


def expense_import(*, user, upload, fields=None) -> ImportResult:
    """Import the expenses of `upload` with the options in `fields` (imports.options: format, mapping, dry_run,
    date_order, decimal, encoding, report...).

    A dry run stores nothing and answers every row's status. Otherwise the new rows are stored in one
    transaction and duplicates and deleted rows are left out; when any row is in error nothing is stored and
    ImportFailed (a 400) carries the result. A file that cannot be read at all raises InvalidInput, one over
    the size limit ImportTooLarge (413).
    """
    options = imports.import_options(fields)
    data, filename = _upload_bytes(upload)
    source_file = imports.read_file(data, options, filename=filename, max_rows=import_max_rows())
    with transaction.atomic():
        target = _target_report(user, options.report)
        result, candidates = check_file(user=user, source_file=source_file, target=target, dry_run=options.dry_run)
        if options.dry_run:
            return result
        if result.failed:
            raise ImportFailed(result)
        _store(user, candidates)
        result.stored = True
    return result


def _pending_name(user, token: str) -> str:
    if not _TOKEN.match(str(token or "")):
        raise InvalidInput(UPLOAD_GONE)
    return f"{PENDING_FOLDER}/{user.pk}/{token}"


def _pending_sweep(user) -> None:
    """Remove the user's kept uploads older than PENDING_KEPT (imports that were never confirmed)."""
    folder = f"{PENDING_FOLDER}/{user.pk}"
    try:
        names = default_storage.listdir(folder)[1]
    except (FileNotFoundError, NotADirectoryError):
        return
    oldest = timezone.now() - PENDING_KEPT
    for name in names:
        try:
            if default_storage.get_modified_time(f"{folder}/{name}") < oldest:
                default_storage.delete(f"{folder}/{name}")
        except FileNotFoundError:
            continue


def import_upload_keep(*, user, upload) -> str:
    """Keep an import file (size-checked) for the user's next steps; returns the token that names it."""
    data, _ = _upload_bytes(upload)
    if not data.strip():
        raise InvalidInput("file: the file is empty")
    _pending_sweep(user)
    token = secrets.token_urlsafe(18)
    default_storage.save(_pending_name(user, token), ContentFile(data))
    return token


def import_upload_read(*, user, token: str) -> bytes:
    """The content of a kept upload of this user; InvalidInput when it is gone (or the token is not one)."""
    try:
        with default_storage.open(_pending_name(user, token), "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise InvalidInput(UPLOAD_GONE) from None


def import_upload_discard(*, user, token: str) -> None:
    """Remove a kept upload (after its import); a token that names nothing is ignored."""
    with contextlib.suppress(InvalidInput):
        default_storage.delete(_pending_name(user, token))

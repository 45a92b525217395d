"""Bulk import on the REST API: POST a JSON Lines body (docs/import.md), get the run's summary.

The body is bounded (Django's DATA_UPLOAD_MAX_MEMORY_SIZE, 2 MB by default): a migration of any
size goes through `casebridge import`, batch by batch. Here the request's one transaction holds
every batch (savepoints), so a failure writes nothing; rejected lines are reported, the others kept.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from casebridge.api.auth import token
from casebridge.api.errors import responses
from casebridge.errors import InvalidInput
from casebridge.imports import services
from casebridge.policy import Perm

router = Router(tags=["imports"])


class RejectionOut(Schema):
    line: int
    ref: str
    code: str
    reason: str


class ImportOut(Schema):
    run: int
    lines: int
    imported: int
    skipped: int
    rejected: int
    rejections: list[RejectionOut]


@router.post("/imports", response=responses(ImportOut), auth=token(Perm.IMPORT_RUN))
def import_records(request, source: str = Query(..., max_length=100),
                   batch_size: int = Query(services.BATCH, ge=1, le=services.MAX_BATCH)):
    """Import clients, cases and items of the caller's agency from a JSON Lines body
    (`Content-Type: application/x-ndjson`), one record a line. Lines imported before from the same
    `source` are skipped; the first 100 rejected lines come back with a stable code and a reason."""
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        raise InvalidInput(_("The body is larger than %(limit)s bytes; import large files with `casebridge import`.")
                           % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}, code="too_large")
    services.check_importer(request.user)
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(_("The body is not UTF-8 text."), code="not_json_lines") from None
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise InvalidInput(_("The body holds no records: send one JSON object a line."), code="not_json_lines")
    summary = services.import_records(actor=request.user, lines=lines, source=source, purpose=request.purpose,
                                      batch_size=batch_size)
    return {"run": summary.run, "lines": summary.lines, "imported": summary.imported, "skipped": summary.skipped,
            "rejected": summary.rejected, "rejections": [vars(r) for r in summary.rejections]}

"""Bulk import from an agency's legacy system (docs/import.md): clients, cases and information items
from JSON Lines, every line validated as the product validates the same record entered by a person,
in batches, each batch one transaction holding its rows, their mapping rows, the full-text index
and their audit events.

Unlike other services, `import_records` commits: batch by batch, so that a failure loses only the
batch it interrupted, and running the same file again resumes (lines imported already are
skipped, never written twice). Called inside a transaction (an API request), its batches are
savepoints of that one transaction.
"""

from dataclasses import dataclass, field
from itertools import islice

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge import policy
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.errors import Forbidden, InvalidInput
from casebridge.imports.batches import Importer, Rejection
from casebridge.imports.models import ImportRun
from casebridge.items.services import check_purpose
from casebridge.policy import Perm

BATCH = 2000
KEPT = 100
MAX_BATCH = 5000
RUN = "imports.importrun"


@dataclass
class Summary:
    """What a run did: lines read (blank lines aside), imported, skipped (imported already), rejected,
    and the first `KEPT` rejections (all of them go to the `rejected` callback)."""

    run: int
    lines: int = 0
    imported: int = 0
    skipped: int = 0
    rejected: int = 0
    rejections: list[Rejection] = field(default_factory=list)


def check_source(source) -> str:
    """The legacy system's name: what the refs of the file are unique within."""
    source = (source or "").strip() if isinstance(source, str) else ""
    if not source or len(source) > 100 or not source.isprintable():
        raise InvalidInput(_("Name the legacy system the records come from (1 to 100 characters)."), field="source")
    return source


def check_importer(actor) -> None:
    """Refuse anyone whose role does not grant `import:run` (agency administrators), or whose agency
    is deactivated."""
    if not policy.role_allows(actor, Perm.IMPORT_RUN):
        raise Forbidden(_("Only an agency administrator imports records."))
    if not getattr(actor, "agency_active", False):
        raise Forbidden(_("Your agency is deactivated."))


def import_records(*, actor, lines, source: str, purpose: str, batch_size: int = BATCH,
                   rejected=None, progress=None) -> Summary:
    """Import `lines` (texts or bytes, one JSON object each) for the actor's agency from `source`.

    `rejected(rejection)` is called for every line refused, after its batch committed;
    `progress(n)` after each batch with its number of lines. Returns the run's summary."""
    check_importer(actor)
    check_purpose(purpose, actor)
    source = check_source(source)
    if not 1 <= batch_size <= MAX_BATCH:
        raise InvalidInput(_("A batch holds 1 to %(most)s lines.") % {"most": MAX_BATCH}, field="batch_size")
    run = _start(actor, source, purpose, batch_size)
    importer, summary = Importer(actor=actor, run=run, purpose=purpose), Summary(run=run.pk)
    numbered = enumerate(lines, 1)
    while chunk := list(islice(numbered, batch_size)):
        outcome = importer.batch(chunk)
        summary.lines += outcome.lines
        summary.imported += outcome.imported
        summary.skipped += outcome.skipped
        summary.rejected += len(outcome.rejections)
        summary.rejections += outcome.rejections[:max(KEPT - len(summary.rejections), 0)]
        for rejection in outcome.rejections:
            if rejected:
                rejected(rejection)
        if progress:
            progress(len(chunk))
    _finish(actor, run, summary, purpose)
    return summary


def _start(actor, source: str, purpose: str, batch_size: int) -> ImportRun:
    with transaction.atomic():
        run = ImportRun.objects.create(agency_id=actor.agency_id, actor=actor, source=source,
                                       started_at=timezone.now())
        record(actor=actor, operation=Operation.CREATE, obj=run, purpose=purpose,
               detail={"source": source, "batch_size": batch_size})
    return run


def _finish(actor, run: ImportRun, summary: Summary, purpose: str) -> None:
    with transaction.atomic():
        ImportRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())
        record(actor=actor, operation=Operation.UPDATE, obj=run, purpose=purpose,
               detail={"finished": True, "lines": summary.lines, "imported": summary.imported,
                       "skipped": summary.skipped, "rejected": summary.rejected})

"""`casebridge import FILE --as USERNAME --source NAME`: load a legacy system's JSON Lines export
(docs/import.md), with a progress bar; rejected lines go to a JSON Lines file.

Exit status: 0 when every line was imported or skipped, 3 when some lines were rejected (the others
are imported: fix the rejected lines and run the same file again), 1 with one line on stderr when
the input cannot be used at all (no such file, not JSON Lines, unknown user).
"""

import json
import os

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from casebridge.agencies.models import Practitioner
from casebridge.imports.services import BATCH, import_records
from casebridge.vocabulary import Purpose

REJECTED_EXIT = 3


def _check(path: str) -> None:
    """Refuse, before anything is written, a file that cannot be read or is not JSON Lines at all:
    its first line that is not blank must be a JSON object."""
    try:
        with open(path, "rb") as handle:
            first = next((line for line in handle if line.strip()), None)
    except OSError as exc:
        raise CommandError(_("cannot read %(path)s: %(reason)s") % {"path": path, "reason": exc.strerror}) from None
    try:
        parsed = json.loads(first) if first else None
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise CommandError(_("%(path)s is not JSON Lines (one JSON object a line)") % {"path": path})


def _lines(path: str):
    with open(path, "rb") as handle:
        yield from handle


class Command(BaseCommand):
    help = "Import clients, cases and information items from a legacy system's JSON Lines export (docs/import.md)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="the JSON Lines file")
        parser.add_argument("--as", dest="username", required=True,
                            help="the agency administrator who imports (the records become their agency's)")
        parser.add_argument("--source", required=True,
                            help="the legacy system's name: refs are unique within it, and a run resumes by it")
        parser.add_argument("--purpose", default=Purpose.CASE_MANAGEMENT, choices=Purpose.values,
                            help="the purpose recorded on the audit events (default %(default)s)")
        parser.add_argument("--batch", type=int, default=BATCH, help="lines a transaction (default %(default)s)")
        parser.add_argument("--rejects", metavar="FILE",
                            help="where to write the rejected lines (default FILE.rejects.jsonl)")

    def handle(self, *args, **options):
        path = options["file"]
        if not os.path.isfile(path):
            raise CommandError(_("no such file: %(path)s") % {"path": path})
        actor = Practitioner.objects.select_related("agency").filter(username=options["username"]).first()
        if actor is None:
            raise CommandError(_("no such user: %(name)s") % {"name": options["username"]})
        _check(path)
        rejects_path = options["rejects"] or f"{path}.rejects.jsonl"
        with open(rejects_path, "w", encoding="utf-8") as rejects, \
                tqdm(total=_count(path), unit=" lines", desc=_("Importing"),
                     disable=None) as bar:
            summary = import_records(
                actor=actor, lines=_lines(path), source=options["source"], purpose=options["purpose"],
                batch_size=options["batch"], progress=bar.update,
                rejected=lambda r: rejects.write(json.dumps({"line": r.line, "ref": r.ref, "code": r.code,
                                                              "reason": r.reason}, ensure_ascii=False) + "\n"))
        self.stdout.write(_("Run %(run)s: %(lines)s lines, %(imported)s imported, %(skipped)s skipped (imported "
                            "before), %(rejected)s rejected.")
                          % {"run": summary.run, "lines": summary.lines, "imported": summary.imported,
                             "skipped": summary.skipped, "rejected": summary.rejected})
        if summary.rejected:
            self.stdout.write(_("Rejected lines, with their reasons: %(path)s") % {"path": rejects_path})
            raise CommandError(_("%(count)s lines rejected (see %(path)s)")
                               % {"count": summary.rejected, "path": rejects_path}, returncode=REJECTED_EXIT)
        os.remove(rejects_path)


def _count(path: str) -> int:
    with open(path, "rb") as handle:
        return sum(1 for _ in handle)

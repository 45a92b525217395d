"""`casebridge audit verify`, `casebridge audit report --case ID` and `casebridge audit fingerprint TEXT`.

Each reads the audit trail, and reading the trail is itself recorded (DESIGN.md §5). These are
operator commands on the server: the report covers every event of the case (the web pages and API
scope the trail per reader), and prints references only (ids, bases, fingerprints), never an item's
title or any other content, whatever shape an event's detail has.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from casebridge.audit.models import AuditEvent, Operation
from casebridge.audit.fingerprint import fingerprint
from casebridge.audit.services import record, verify_and_record
from casebridge.cases.models import Case
from casebridge.ops.operator import cli_detail
from casebridge.vocabulary import Purpose

ITEM = "items.informationitem"
PROGRESS_FROM = 5000  # below this many events verification is instant and a bar is noise


class Command(BaseCommand):
    help = "Verify the audit chain, or report who did what, when and for which purpose on a case."
    requires_system_checks = []

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{verify,report}")
        actions.add_parser("verify", help="recompute the hash chain and report the first broken link")
        report = actions.add_parser("report", help="list every audit event of one case")
        report.add_argument("--case", required=True, help="case id or reference (e.g. CB-2025-00012)")
        report.add_argument("--purpose", default=Purpose.DATA_PROTECTION, choices=Purpose.values,
                            help="why you are reading the trail (recorded; default data_protection)")
        check = actions.add_parser("fingerprint", help="the keyed fingerprint the trail holds for a search word, "
                                                       "looked-up name or date, justification or reason")
        check.add_argument("text", help="the value to compare (case and spacing do not matter)")

    def handle(self, *args, action, **options):
        if action == "verify":
            self.verify()
        elif action == "fingerprint":
            self.fingerprint(options["text"])
        else:
            self.report(options["case"], options["purpose"])

    def fingerprint(self, text: str):
        value = fingerprint(text)
        if not value:
            raise CommandError("give a non-empty value")
        with transaction.atomic():
            record(actor=None, operation=Operation.AUDIT_READ, object_type="audit.fingerprint",
                   purpose=Purpose.DATA_PROTECTION, detail=cli_detail(fingerprint=value))
        self.stdout.write(value)

    def verify(self):
        total = AuditEvent.objects.count()
        with tqdm(total=total, unit=" events", desc="Verifying audit chain",
                  disable=True if total < PROGRESS_FROM else None) as bar:
            result = verify_and_record(purpose=Purpose.DATA_PROTECTION, progress=bar.update, detail=cli_detail())
        if not result.ok:
            raise CommandError(f"Audit chain broken at event #{result.broken_seq}: {result.reason}")
        self.stdout.write(f"Audit chain intact: {result.checked} events verified")

    def report(self, case_ref: str, purpose: str):
        case_id, label = _resolve_case(case_ref)
        events = list(AuditEvent.objects.filter(case_id=case_id).order_by("seq"))
        with transaction.atomic():
            record(actor=None, operation=Operation.AUDIT_READ, object_type="audit.report", case_id=case_id,
                   purpose=purpose, detail=cli_detail(events=len(events)))
        self.stdout.write(f"Audit report for case {label}: {len(events)} events")
        for event in events:
            self.stdout.write(_line(event))
            for seen in _seen(event):
                self.stdout.write(seen)


def _resolve_case(case_ref: str) -> tuple[int, str]:
    """The case id and a label, from an id or a reference; refuses a case nobody ever touched."""
    ref = case_ref.strip()
    case = Case.objects.filter(reference__iexact=ref).first()
    if case is None and ref.isdigit():
        case = Case.objects.filter(pk=int(ref)).first()
    if case is not None:
        return case.pk, f"{case.reference} (id {case.pk})"
    if ref.isdigit() and AuditEvent.objects.filter(case_id=int(ref)).exists():
        return int(ref), f"id {ref} (no longer in the database)"
    raise CommandError(f"no case {ref!r} and no audit events for it")


def _seen(event: AuditEvent) -> list[str]:
    """What a read, listing or search showed, item by item, with the basis on which it was
    visible. Details are read defensively: the trail holds events of every shape ever written."""
    detail = event.detail if isinstance(event.detail, dict) else {}
    if event.operation == Operation.READ and isinstance(detail.get("basis"), str):
        what = f"item {event.object_id}" if event.object_type == ITEM else f"{event.object_type}:{event.object_id}"
        return [f"          saw {what} — basis: {detail['basis']}"]
    listed = detail.get("items")
    if event.operation in (Operation.LIST, Operation.SEARCH) and isinstance(listed, dict):
        return [f"          saw item {pk} — basis: {basis}" for pk, basis in listed.items()]
    return []


def _line(event: AuditEvent) -> str:
    detail = event.detail if isinstance(event.detail, dict) else {"detail": event.detail}
    when = timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S")
    who = event.actor_username or ("command line" if detail.get("via") == "command line" else "anonymous")
    if detail.get("actor_kind") == "service_account":
        who = f"{who} [service account]"
    if event.agency_name:
        who = f"{who} ({event.agency_name})"
    what = f"{event.operation} {event.object_type}:{event.object_id}".rstrip(":")
    shown = {k: v for k, v in detail.items() if k not in ("via", "os_user", "basis", "actor_kind")
             and not (k == "items" and isinstance(v, dict))}
    detail = json.dumps(shown, ensure_ascii=False, separators=(",", ":"), default=str)
    if len(detail) > 100:
        detail = detail[:97] + "..."
    purpose = event.purpose or "-"
    line = f"#{event.seq:<7} {when}  {who:<40} {what:<38} purpose={purpose:<22} {detail if detail != '{}' else ''}"
    return line.rstrip()

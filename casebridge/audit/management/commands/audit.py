"""`casebridge audit verify | checkpoint | keygen | grants | report --case ID | fingerprint TEXT`.

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

from casebridge.audit import checkpoints, roles
from casebridge.audit.models import AuditEvent, Operation
from casebridge.audit.fingerprint import fingerprint
from casebridge.audit.services import record
from casebridge.audit.verification import Verification, checkpoint, verify_and_record
from casebridge.cases.models import Case
from casebridge.ops.operator import cli_detail
from casebridge.vocabulary import Purpose

ITEM = "items.informationitem"
PROGRESS_FROM = 5000  # below this many events verification is instant and a bar is noise


class Command(BaseCommand):
    help = "Verify the audit chain, or report who did what, when and for which purpose on a case."
    requires_system_checks = []

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True,
                                        metavar="{verify,checkpoint,keygen,grants,report,fingerprint}")
        verify = actions.add_parser("verify", help="check the trail against the signed checkpoints, recompute the "
                                                   "hash chain, report the first broken link, sign the head")
        verify.add_argument("--incremental", action="store_true",
                            help="recompute the chain from the newest checkpoint on (fast) instead of from the start")
        actions.add_parser("checkpoint", help="verify from the newest checkpoint on and sign the chain head "
                                              "(run it from a timer)")
        actions.add_parser("keygen", help="make the Ed25519 key that signs checkpoints (never replaces one)")
        lock = actions.add_parser("lock-time", help="measure how long the chain lock is held under concurrent "
                                                    "requests, in a new database (never yours)")
        lock.add_argument("--database-url", help="an empty database to run in (default: a temporary SQLite file)")
        lock.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
        lock.add_argument("--requests", type=int, default=2000, help="requests in all (default 2000)")
        lock.add_argument("--jitter-samples", type=int, default=2000,
                          help="times 0.5 ms of computation is timed for comparison (default 2000)")
        lock.add_argument("--render-ms", type=float, default=40.0,
                          help="mean time a request goes on after recording its events (default 40)")
        grants = actions.add_parser("grants", help="print the SQL giving the application role (PostgreSQL) "
                                                   "what it needs: insert and read audit rows only")
        grants.add_argument("--role", default="casebridge_app", help="the application role (default casebridge_app)")
        report = actions.add_parser("report", help="list every audit event of one case")
        report.add_argument("--case", required=True, help="case id or reference (e.g. CB-2025-00012)")
        report.add_argument("--purpose", default=Purpose.DATA_PROTECTION, choices=Purpose.values,
                            help="why you are reading the trail (recorded; default data_protection)")
        check = actions.add_parser("fingerprint", help="the keyed fingerprint the trail holds for a search word, "
                                                       "looked-up name or date, justification or reason")
        check.add_argument("text", help="the value to compare (case and spacing do not matter)")

    def handle(self, *args, action, **options):
        if action == "verify":
            self.verify(options["incremental"])
        elif action == "checkpoint":
            self.checkpoint()
        elif action == "keygen":
            self.keygen()
        elif action == "lock-time":
            self.lock_time(options)
        elif action == "grants":
            self.stdout.write(";\n".join(roles.grant_statements(options["role"])) + ";")
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

    def verify(self, incremental: bool):
        total = AuditEvent.objects.count()
        with tqdm(total=total, unit=" events", desc="Verifying audit chain",
                  disable=True if total < PROGRESS_FROM or incremental else None) as bar:
            try:
                result = verify_and_record(purpose=Purpose.DATA_PROTECTION, progress=bar.update,
                                           detail=cli_detail(), incremental=incremental)
            except checkpoints.CheckpointError as exc:
                raise CommandError(str(exc)) from None
        self._state(result)
        if not result.ok:
            raise CommandError(_broken(result))
        self.stdout.write(f"Audit chain intact: {result.checked} events verified"
                          + (f" (from #{result.start}, the newest checkpoint)" if result.start > 1 else ""))
        if result.signed:
            self.stdout.write(f"Signed checkpoint: {result.signed.describe()}")

    def checkpoint(self):
        try:
            result = checkpoint()
        except checkpoints.CheckpointError as exc:
            raise CommandError(str(exc)) from None
        self._state(result)
        if not result.ok:
            raise CommandError(f"{_broken(result)}; no checkpoint signed")
        self.stdout.write(f"Signed checkpoint: {result.signed.describe()}" if result.signed
                          else "No new event since the newest checkpoint")

    def lock_time(self, options):
        from casebridge.audit.lockbench import machine_jitter, measure
        from casebridge.ops.bench.database import fresh_database

        if min(options["clients"], options["requests"], options["jitter_samples"]) <= 0 or options["render_ms"] < 0:
            raise CommandError("--clients, --requests and --jitter-samples must be positive, --render-ms not negative")
        with fresh_database(options["database_url"]) as described:
            result = measure(clients=options["clients"], requests=options["requests"],
                             render_ms=options["render_ms"])
        self.stdout.write(f"Database: {described}; {options['clients']} clients, {result.requests} requests "
                          f"in {result.seconds:.1f} s ({result.requests / result.seconds:.0f} requests/s)")
        self.stdout.write(f"Chain lock held (granted -> committed, as this process sees the COMMIT's reply): "
                          f"{result.summary(result.holds_ms)}")
        if result.server_ms:
            self.stdout.write(f"  of which in the server, granted -> events inserted (the COMMIT follows in the "
                              f"same pipeline): {result.summary(result.server_ms)}")
        self.stdout.write(f"Transaction (first audit write -> committed): {result.summary(result.transactions_ms)}")
        self.stdout.write(f"This machine, 0.5 ms of pure computation in one process, for comparison: "
                          f"{result.summary(machine_jitter(samples=options['jitter_samples']))}")
        self.stdout.write(f"Events: {result.events}; chain {'verifies' if result.verified else 'BROKEN'}")
        if not result.verified or result.events != 2 * result.requests:
            raise CommandError("the chain does not hold exactly the events recorded")

    def keygen(self):
        try:
            path = checkpoints.create_key()
            key = checkpoints.fingerprint(checkpoints.signing_key())
        except (checkpoints.CheckpointError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Audit signing key written to {path} (key {key}); keep it off the database server")

    def _state(self, result: Verification):
        """The head (to compare with what a checkpoint or another copy says) and the newest checkpoint."""
        self.stdout.write(f"Head: #{result.head[0]} {result.head[1]}" if result.head else "Head: no event yet")
        last = result.checkpoint
        self.stdout.write(f"Last checkpoint: {last.describe()}" if last else "Last checkpoint: none yet")

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


def _broken(result: Verification) -> str:
    if result.broken_seq is None:
        return f"Audit trail not verified: {result.reason}"
    return f"Audit chain broken at event #{result.broken_seq}: {result.reason}"


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
    lines = []
    if event.operation == Operation.READ and isinstance(detail.get("basis"), str):
        what = f"item {event.object_id}" if event.object_type == ITEM else f"{event.object_type}:{event.object_id}"
        lines.append(f"          saw {what} — basis: {detail['basis']}")
    listed = detail.get("items")  # a listing's or a search's items; a case page's, with the case read
    if event.operation in (Operation.READ, Operation.LIST, Operation.SEARCH) and isinstance(listed, dict):
        lines += [f"          saw item {pk} — basis: {basis}" for pk, basis in listed.items()]
    return lines


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

"""One line of an import file: parsed, its fields typed, then validated by the services that
validate the same record when a person enters it (cases.services, items.fields).

A line that cannot be imported raises `Rejected` with a stable code (docs/import.md) and a
one-line reason; nothing here reads the database: what a line refers to is resolved batch by batch
(casebridge.imports.batches).
"""

import json
from dataclasses import dataclass, field
from datetime import date
from hashlib import sha256

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from casebridge.cases import services as cases
from casebridge.cases.models import KeyDate
from casebridge.errors import Forbidden, InvalidInput
from casebridge.imports.models import RecordKind
from casebridge.items import fields as items

MAX_REF = 200
# The types of fields, named in rejections (marked here, translated where a reason is written).
STR, INT, BOOL = gettext_noop("text"), gettext_noop("whole number"), gettext_noop("true or false")
DATE, STRINGS = gettext_noop("date (YYYY-MM-DD)"), gettext_noop("list of texts")

# Each kind's fields: name → (type, required). Values are then checked by the product's own validators.
FIELDS = {
    RecordKind.CLIENT: {
        "given_name": (STR, True), "family_name": (STR, True), "date_of_birth": (DATE, True),
        "aliases": (STRINGS, False), "nationalities": (STRINGS, False), "languages": (STRINGS, False),
        "residency_status": (STR, False),
    },
    RecordKind.CASE: {
        "client": (STR, True), "phase": (STR, True), "opened_on": (DATE, True), "coordinator": (STR, False),
        **{key.value: (DATE, False) for key in KeyDate},
    },
    RecordKind.ITEM: {
        "case": (STR, False), "case_reference": (STR, False), "category": (STR, True), "nature": (STR, True),
        "title": (STR, True), "body": (STR, True), "fact_date": (DATE, True), "classification": (INT, False),
        "orcon": (BOOL, False), "no_decision": (BOOL, False), "no_cross_border": (BOOL, False),
        "intelligence": (BOOL, False), "source_reliability": (STR, False), "information_accuracy": (INT, False),
        "source_text": (STR, False), "method_text": (STR, False),
    },
}
# The longest text each field takes (the model's column, else the deployment's limit for free text).
LIMITS = {"given_name": 120, "family_name": 120, "title": 200, "coordinator": 150, "client": MAX_REF,
          "case": MAX_REF, "case_reference": 20}
TYPES = {STR: (str,), INT: (int,), BOOL: (bool,), DATE: (str,), STRINGS: (list,)}


class Rejected(Exception):
    """A line that is not imported: its stable code and a one-line reason."""

    def __init__(self, code: str, reason: str, ref: str = ""):
        super().__init__(reason)
        self.code, self.reason, self.ref = code, reason, ref


@dataclass(eq=False)
class Record:
    """A line that parsed and validated: its kind, ref, the digest of its text, its fields."""

    line: int
    kind: str
    ref: str
    digest: str
    fields: dict
    parent: str = ""          # the ref of the client (a case) or the case (an item) it belongs to
    data: dict = field(default_factory=dict)  # what the batch still checks (a case's coordinator, dates)
    pk: int | None = None     # given when the batch writes it


def parse(line_no: int, text, actor) -> Record | None:
    """The record of one line, or None for a blank line; raises Rejected."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise Rejected("not_json", _("The line is not UTF-8 text.")) from None
    text = text.strip()
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        raise Rejected("not_json", _("The line is not a JSON object.")) from None
    if not isinstance(data, dict):
        raise Rejected("not_json", _("The line is not a JSON object."))
    ref = data.pop("ref", None)
    if not isinstance(ref, str) or not ref.strip():
        raise Rejected("missing_field", _("Every record needs a \"ref\": its reference in the legacy system."))
    ref = ref.strip()
    if len(ref) > MAX_REF:
        raise Rejected("too_long", _("The ref is longer than %(limit)s characters.") % {"limit": MAX_REF})
    kind = data.pop("type", None)
    if kind not in FIELDS:
        raise Rejected("unknown_type", _("Unknown type %(type)s: expected client, case or item.")
                       % {"type": json.dumps(kind)[:40]}, ref)
    try:
        values = _typed(kind, data)
        digest = sha256(text.encode()).hexdigest()[:32]
        return _validated(line_no, kind, ref, digest, values, actor)
    except Rejected as exc:
        exc.ref = ref
        raise


def _typed(kind: str, data: dict) -> dict:
    """The line's fields, each of its type (dates as dates); unknown or missing fields refused."""
    spec = FIELDS[kind]
    unknown = sorted(set(data) - set(spec))
    if unknown:
        raise Rejected("unknown_field", _("Unknown field %(field)s for a %(kind)s.")
                       % {"field": json.dumps(unknown[0])[:60], "kind": kind})
    values = {}
    for name, (kind_of, required) in spec.items():
        value = data.get(name)
        if value is None or value == "":
            if required:
                raise Rejected("missing_field", _("The field %(field)s is required.") % {"field": name})
            continue
        if not isinstance(value, TYPES[kind_of]) or (kind_of == INT and isinstance(value, bool)):
            raise Rejected("invalid_value", _("The field %(field)s must be a %(type)s.")
                           % {"field": name, "type": _(kind_of)})
        if kind_of == STR and len(value) > LIMITS.get(name, settings.CASEBRIDGE_MAX_TEXT):
            raise Rejected("too_long", _("The field %(field)s is longer than %(limit)s characters.")
                           % {"field": name, "limit": LIMITS.get(name, settings.CASEBRIDGE_MAX_TEXT)})
        if kind_of == DATE:
            value = _date(name, value)
        values[name] = value
    return values


def _date(name: str, value: str) -> date:
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise Rejected("invalid_value", _("The field %(field)s must be a date (YYYY-MM-DD).")
                       % {"field": name}) from None


def _validated(line_no: int, kind: str, ref: str, digest: str, values: dict, actor) -> Record:
    """The record, its fields validated by the product's own validators."""
    try:
        if kind == RecordKind.CLIENT:
            return Record(line_no, kind, ref, digest, cases.client_fields(values))
        if kind == RecordKind.CASE:
            return Record(line_no, kind, ref, digest, {}, parent=values.pop("client").strip(), data=values)
        return _item(line_no, ref, digest, values, actor)
    except InvalidInput as exc:
        raise invalid(exc) from None


def invalid(exc: InvalidInput) -> Rejected:
    """A validator's refusal as a rejection: its field's value refused, its own message as reason."""
    reason = f"{exc.field}: {exc.message}" if exc.field else str(exc.message)
    return Rejected("invalid_value", reason.splitlines()[0] if reason else _("Invalid value."))


def _item(line_no: int, ref: str, digest: str, values: dict, actor) -> Record:
    case, reference = values.pop("case", "").strip(), values.pop("case_reference", "").strip()
    if bool(case) == bool(reference):
        raise Rejected("missing_field", _("An item names its case: either \"case\" (the case's ref in this "
                                          "import) or \"case_reference\" (a Casebridge case reference)."))
    try:
        fields = items.new_item_fields(actor, values)
    except Forbidden as exc:  # a marking or a source the agency's kind does not record (policy.roles)
        raise Rejected("not_permitted", str(exc) or _("Your agency does not record this.")) from None
    return Record(line_no, RecordKind.ITEM, ref, digest, fields, parent=case or reference,
                  data={"by_reference": bool(reference)})

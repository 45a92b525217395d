"""An event's detail (references: ids, bases, markings, fingerprints) as a list a person reads:
"Category: Programme and intervention", "Items shown: item 745, because sharing agreement 3 …".

Keys have labels here; values are put in words by what the key holds (an enumeration, an item number,
a date, a fingerprint). A key nobody labelled yet is still shown readably (`role_on_case` → "Role on
case"), and so is a value of an enumeration nobody named for it, when its code belongs to exactly one
enumeration (casebridge.labels.guess). The API keeps the stored JSON as it is.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casebridge import labels

KEYS = {
    "items": gettext_lazy("Items shown, each with why it was visible"),
    "shown": gettext_lazy("Also shown on the same page"),
    "basis": gettext_lazy("Basis"),
    "item": gettext_lazy("Item"),
    "version": gettext_lazy("Version"),
    "total": gettext_lazy("Total"),
    "offset": gettext_lazy("From position"),
    "count": gettext_lazy("Number listed"),
    "matched": gettext_lazy("Events matched"),
    "page": gettext_lazy("Page"),
    "filters": gettext_lazy("Filters"),
    "case_id": gettext_lazy("Case number"),
    "actor": gettext_lazy("Practitioner"),
    "agency_id": gettext_lazy("Agency number"),
    "date_from": gettext_lazy("From"),
    "date_to": gettext_lazy("To"),
    "event": gettext_lazy("Event"),
    "operation": gettext_lazy("Operation"),
    "object_type": gettext_lazy("Object"),
    "object_id": gettext_lazy("Number"),
    "carrier": gettext_lazy("Carries"),
    "category": gettext_lazy("Category"),
    "categories": gettext_lazy("Categories"),
    "classification": gettext_lazy("Classification"),
    "handling": gettext_lazy("Handling markings"),
    "lifted": gettext_lazy("Markings lifted"),
    "intelligence": gettext_lazy("Intelligence"),
    "derived_from": gettext_lazy("Derived from item"),
    "phase": gettext_lazy("Phase"),
    "phases": gettext_lazy("Phases"),
    "from": gettext_lazy("From"),
    "to": gettext_lazy("To"),
    "changes": gettext_lazy("Changed"),
    "changed": gettext_lazy("Changed"),
    "purpose": gettext_lazy("Purpose"),
    "for_purpose": gettext_lazy("For the purpose"),
    "role": gettext_lazy("Role"),
    "clearance": gettext_lazy("Clearance"),
    "clearance_ceiling": gettext_lazy("Highest clearance in the agency"),
    "participation": gettext_lazy("Participation"),
    "key_dates": gettext_lazy("Key dates changed"),
    "disclosure": gettext_lazy("Disclosure"),
    "allow_decision_use": gettext_lazy("May be used in a decision"),
    "justification": gettext_lazy("Justification"),
    "retracted": gettext_lazy("Retracted items"),
    "recipients": gettext_lazy("Recipients"),
    "agency": gettext_lazy("Agency"),
    "agreement": gettext_lazy("Agreement"),
    "parties": gettext_lazy("Parties"),
    "signed_for": gettext_lazy("Signed for"),
    "consent": gettext_lazy("Consent"),
    "given_on": gettext_lazy("Given on"),
    "evidence_note": gettext_lazy("Evidence noted"),
    "evidence_file": gettext_lazy("Evidence file (SHA-256)"),
    "withdrawn": gettext_lazy("Withdrawn"),
    "sha256": gettext_lazy("File fingerprint (SHA-256)"),
    "size": gettext_lazy("Size in bytes"),
    "query": gettext_lazy("Search words"),
    "hit": gettext_lazy("Found"),
    "date_of_birth": gettext_lazy("Date of birth"),
    "given_name": gettext_lazy("Given name"),
    "family_name": gettext_lazy("Family name"),
    "note_item": gettext_lazy("Handover note (item)"),
    "handover_item": gettext_lazy("Handover note (item)"),
    "responsibilities_item": gettext_lazy("Responsibilities (item)"),
    "text_item": gettext_lazy("Text (item)"),
    "end_item": gettext_lazy("Reason it ended (item)"),
    "summary_item": gettext_lazy("Summary (item)"),
    "reason_item": gettext_lazy("Reason (item)"),
    "phase_change": gettext_lazy("Phase change"),
    "effective_on": gettext_lazy("Effective on"),
    "starts_on": gettext_lazy("Starts on"),
    "ends_on": gettext_lazy("Ends on"),
    "due_on": gettext_lazy("Due on"),
    "expires_at": gettext_lazy("Expires"),
    "ok": gettext_lazy("Intact"),
    "checked": gettext_lazy("Events checked"),
    "broken_seq": gettext_lazy("First broken event"),
    "head": gettext_lazy("Last event"),
    "actor_kind": gettext_lazy("Acted as"),
    "via": gettext_lazy("By way of"),
    "os_user": gettext_lazy("Operating-system user"),
    "device": gettext_lazy("Second factor"),
    "account": gettext_lazy("Account"),
    "username": gettext_lazy("Username"),
    "service_account": gettext_lazy("Service account"),
    "name": gettext_lazy("Name"),
    "active": gettext_lazy("Active"),
    "reference": gettext_lazy("Case reference"),
    "coordinator": gettext_lazy("Coordinator"),
    "point_of_contact": gettext_lazy("Point of contact"),
    "practitioner": gettext_lazy("Practitioner"),
    "successor": gettext_lazy("Successor"),
    "released": gettext_lazy("Released from the team"),
    "continuity_liaison": gettext_lazy("Continuity liaison"),
    "discreet": gettext_lazy("Discreet membership"),
    "preview_as": gettext_lazy("Previewed as agency number"),
    "item_count": gettext_lazy("Number of items"),
    "withholding": gettext_lazy("Withholding"),
    "withheld_from_subject_access": gettext_lazy("Withheld from subject access"),
    "released_for_subject_access": gettext_lazy("Released for subject access"),
}

# Keys whose values are codes of an enumeration (casebridge.labels), or of a kind put in words here.
VALUES = {
    "carrier": "carrier", "category": "category", "categories": "category", "classification": "classification",
    "clearance": "classification", "clearance_ceiling": "classification", "max_classification": "classification",
    "handling": "marking", "lifted": "marking", "phase": "phase", "phases": "phase", "purpose": "purpose",
    "for_purpose": "purpose", "role": "role", "participation": "participation", "key_dates": "key_date",
    "operation": "operation", "trigger": "trigger", "reply": "reply", "attendance": "attendance",
    "audience": "audience", "stance": "stance", "strength": "strength", "nature": "nature",
}
# Keys whose enumeration depends on what the event is about.
OBJECT_VALUES = {
    ("agencies.agency", "kind"): "agency_kind", ("decisions.formaldecision", "kind"): "decision_kind",
    ("network.tie", "kind"): "tie_kind", ("network.tie", "relation"): "tie_relation",
    ("conferences.participant", "relation"): "participant_relation",
    ("sharing.agreementversion", "status"): "agreement_status",
    ("conferences.conference", "status"): "conference_status",
    ("conferences.action", "status"): "action_status", ("conferences.proposal", "status"): "proposal_status",
    ("reflector.goal", "status"): "goal_status",
}
ITEM_KEYS = {"item", "derived_from", "note_item", "handover_item", "responsibilities_item", "text_item", "end_item",
             "summary_item", "reason_item", "notes_item", "security_item"}
FINGERPRINT = re.compile(r"^hmac-sha256:(?P<hex>[0-9a-f]{64})$")
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Row:
    """One line of the detail: a label, the value in words, lines below it, and whether the value is
    a code to be shown as one (a hash)."""

    label: str
    text: str = ""
    rows: list["Row"] = field(default_factory=list)
    code: bool = False


def rows(detail, object_type: str = "") -> list[Row]:
    """The detail of an event on `object_type` as lines, in the order it was recorded."""
    if not isinstance(detail, dict):
        return [Row(_("Detail"), str(detail))] if detail not in (None, "", [], {}) else []
    return [_row(str(key), value, object_type) for key, value in detail.items()]


def _row(key: str, value, object_type: str) -> Row:
    name = str(KEYS.get(key) or labels.readable(key))
    if key == "items" and isinstance(value, dict):
        return Row(name, rows=[Row(_("item %(number)s") % {"number": pk}, labels.basis(basis))
                               for pk, basis in value.items()])
    if key == "basis" and isinstance(value, list):
        return Row(_("Items it was based on"), _items(value))
    if key == "basis" and isinstance(value, str):
        return Row(name, labels.basis(value))
    if key == "shown" and isinstance(value, list):
        return Row(name, rows=[_shown(entry) for entry in value if isinstance(entry, dict)])
    if key == "object_type" and isinstance(value, str):
        from casebridge.audit.display import noun

        return Row(name, noun(value))
    if key == "changes" and isinstance(value, dict):
        return Row(name, rows=[_change(str(k), v, object_type) for k, v in value.items()])
    if isinstance(value, dict):
        return Row(name, rows=rows(value, object_type))
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        return Row(name, rows=[Row(str(i + 1), rows=rows(v, object_type)) if isinstance(v, dict)
                               else _row(str(i + 1), v, object_type) for i, v in enumerate(value)])
    if key in ITEM_KEYS or key == "retracted":
        return Row(name, _items(value if isinstance(value, list) else [value]))
    code = isinstance(value, str) and bool(FINGERPRINT.match(value))
    return Row(name, words(key, value, object_type), code=code)


def _shown(entry: dict) -> Row:
    """Another listing of the same page: what it listed, then its own references."""
    from casebridge.audit.display import numbered

    entry = dict(entry)
    operation = labels.label("operation", entry.pop("operation", ""))
    what = numbered(str(entry.pop("object_type", "")), entry.pop("object_id", ""))
    return Row(f"{operation}: {what}" if operation else what, rows=rows(entry))


def _change(key: str, value, object_type: str) -> Row:
    if isinstance(value, list) and len(value) == 2 and not any(isinstance(v, (dict, list)) for v in value):
        before, after = (words(key, v, object_type) or "—" for v in value)
        return Row(str(KEYS.get(key) or labels.readable(key)), f"{before} → {after}")
    return _row(key, value, object_type)


def _items(numbers) -> str:
    return ", ".join(_("item %(number)s") % {"number": n} for n in numbers) or "—"


def words(key: str, value, object_type: str = "") -> str:
    """One value in words, as the key says what it holds."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(words(key, v, object_type) for v in value) or "—"
    kind = VALUES.get(key) or OBJECT_VALUES.get((object_type, key))
    if kind:
        return labels.label(kind, value)
    text = str(value)
    if found := FINGERPRINT.match(text):
        return _("keyed fingerprint %(start)s…") % {"start": found["hex"][:16]}
    if ISO_DAY.match(text):
        return labels.day(text)
    if key == "actor_kind" and text == "service_account":
        return _("a service account")
    return (labels.guess(text) or text) if "_" in text else text


def summary(detail, object_type: str = "", limit: int = 4) -> tuple[list[Row], int]:
    """The first `limit` lines for a table cell, lines below them counted rather than shown, and how
    many lines were left for the event's own page."""
    top = rows(detail, object_type)
    shown = [Row(r.label, r.text or (_("%(count)s entries") % {"count": len(r.rows)}), code=r.code)
             for r in top[:limit]]
    return shown, max(len(top) - limit, 0)

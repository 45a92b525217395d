"""Human words for machine values, in one place: every enumeration a person may meet, by a short name.

A page shows `Release preparation`, never `release_preparation`. Where the value sits on a model field,
`get_FOO_display` already says it; where it arrives as a bare value (an audit event's detail, a
dictionary built by a service, a form's cleaned data), `label("phase", value)` does, and templates use
the `label` filter (`{% load labels %}{{ value|label:"phase" }}`, casebridge/glossary/templatetags/).

The enumerations are named here by dotted path and imported on first use, so that any module (the
audit trail too, which must not import the apps it records) can ask for a label without depending on
the app that defines it. A test fails when a model field's choices are missing from `ENUMERATIONS`.
"""

import re
from datetime import date
from functools import cache
from importlib import import_module

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# Short name → "module:attribute" of a TextChoices/IntegerChoices class or of a list of (value, label).
ENUMERATIONS = {
    "phase": "casebridge.cases.models:Phase",
    "residency_status": "casebridge.cases.models:ResidencyStatus",
    "participation": "casebridge.cases.models:Participation",
    "key_date": "casebridge.cases.models:KeyDate",
    "category": "casebridge.vocabulary:Category",
    "purpose": "casebridge.vocabulary:Purpose",
    "agency_kind": "casebridge.vocabulary:AgencyKind",
    "role": "casebridge.vocabulary:Role",
    "operation": "casebridge.audit.models:Operation",
    "nature": "casebridge.items.models:Nature",
    "reliability": "casebridge.items.models:SourceReliability",
    "accuracy": "casebridge.items.models:InformationAccuracy",
    "carrier": "casebridge.items.models:Carrier",
    "agreement_status": "casebridge.sharing.models:AgreementStatus",
    "decision_kind": "casebridge.decisions.models:DecisionKind",
    "conference_status": "casebridge.conferences.models:Status",
    "trigger": "casebridge.conferences.models:Trigger",
    "proposal_status": "casebridge.conferences.models:ProposalStatus",
    "participant_relation": "casebridge.conferences.models:Relation",
    "reply": "casebridge.conferences.models:Reply",
    "attendance": "casebridge.conferences.models:Attendance",
    "action_status": "casebridge.conferences.models:ActionStatus",
    "minutes_status": "casebridge.conferences.models:MinutesStatus",
    "audience": "casebridge.conferences.kinds:Audience.CHOICES",
    "tie_kind": "casebridge.network.models:Kind",
    "tie_relation": "casebridge.network.models:Relation",
    "stance": "casebridge.network.models:Stance",
    "strength": "casebridge.network.models:Strength",
    "end_reason": "casebridge.network.models:EndReason",
    "knowledge": "casebridge.reflector.factors:Knowledge",
    "valence": "casebridge.reflector.factors:Valence",
    "priority": "casebridge.reflector.factors:Priority",
    "goal_status": "casebridge.reflector.factors:GoalStatus",
    "import_record_kind": "casebridge.imports.models:RecordKind",
}

# Kinds whose words are not an enumeration class: the deployment's classification labels, and the
# handling markings, whose codes (ORCON, NO-DECISION, NO-CROSS-BORDER) are the words people use.
CLASSIFICATION = "classification"
MARKING = "marking"


@cache
def choices(kind: str) -> tuple[tuple[object, str], ...]:
    """The (value, label) pairs of the enumeration named `kind`; KeyError for an unknown name."""
    module, _sep, attribute = ENUMERATIONS[kind].partition(":")
    found = import_module(module)
    for part in attribute.split("."):
        found = getattr(found, part)
    return tuple(found.choices if hasattr(found, "choices") else found)


def label(kind: str, value) -> str:
    """The human label of `value` in the enumeration `kind` (an unknown value made readable, never
    an error: the trail keeps values an older version wrote)."""
    if value in (None, ""):
        return ""
    if kind == CLASSIFICATION:
        from casebridge.vocabulary import classification_label

        try:
            return classification_label(int(value))
        except (TypeError, ValueError):
            return str(value)
    if kind == MARKING:
        return _("Intelligence") if value == "intelligence" else str(value)
    for known, text in choices(kind):
        if str(known) == str(value):
            return str(text)
    return readable(str(value))


def readable(code: str) -> str:
    """A code no enumeration knows, made readable: `role_on_case` → `Role on case`."""
    words = code.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


@cache
def _by_value() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for kind in ENUMERATIONS:
        for value, text in choices(kind):
            found.setdefault(str(value), set()).add(kind)
    return found


def guess(value: str) -> str | None:
    """The label of a code that belongs to exactly one enumeration with a code like it (`release_preparation`),
    for values whose enumeration the caller does not know; None when it is not one, or is ambiguous."""
    kinds = _by_value().get(str(value), set())
    texts = {label(kind, value) for kind in kinds}
    return texts.pop() if len(texts) == 1 else None


def machine_values(*, with_underscore: bool = True) -> dict[str, str]:
    """Every code of every enumeration (with an underscore only, by default: codes like `custody` are
    also English words) → its label: what a page must never show as it is."""
    return {str(value): str(text) for kind in ENUMERATIONS for value, text in choices(kind)
            if not with_underscore or "_" in str(value)}


def day(value) -> str:
    """A date (or an ISO date string) in the active language's format; anything else as it is."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    return formats.date_format(value, "DATE_FORMAT") if isinstance(value, date) else str(value)


# The policy's bases (casebridge/policy/items.py), as the trail stores them: kept stable there, since
# they are references an auditor compares, and put into words here for people.
_ORIGINATOR = "your agency originated this item"
_ONWARD = "may be passed on under agreements of its own: "  # the right to reshare, on an agreement's basis
_DISCLOSURE = re.compile(r"^disclosure (?P<number>\d+) of (?P<day>\d{4}-\d{2}-\d{2}) by the originator$")
_CASE_TEAM = re.compile(r"^on the case team; agency is an active (?P<kind>core|on-request) member covering phase "
                        r"(?P<phase>[a-z_]+)$")
_AGREEMENT = re.compile(r"^agreement (?P<number>\d+) v(?P<version>\d+): (?P<parties>.*), (?P<category>[a-z_]+) "
                        r"up to (?P<level>[^;]+?)(?:; consent of (?P<consent>\d{4}-\d{2}-\d{2}))?$")


# The conference policy's bases (casebridge/policy/conferences.py): fixed sentences, translated as they are.
_CONFERENCE_BASES = {gettext_noop("you chair the conference"), gettext_noop("you convened the conference"),
                     gettext_noop("you are invited to the conference"),
                     gettext_noop("the case team knows of its conferences")}


def basis(text: str) -> str:
    """Why an item (or a case) is visible, in words: the policy's basis (`agreement 3 v1: A → B,
    programme_and_intervention up to OPEN`) with labels and dates in the reader's language. A text
    of another shape is returned as it is."""
    text = str(text or "")
    if text.startswith(_ONWARD):
        return _("may be passed on under agreements of its own: %(basis)s") % {"basis": basis(text[len(_ONWARD):])}
    if text in _CONFERENCE_BASES:
        return _(text)
    if text == _ORIGINATOR:
        return _("your agency recorded this item")
    if found := _CASE_TEAM.match(text):
        words = (_("on the case team; your agency is a core member in the phase %(phase)s") if found["kind"] == "core"
                 else _("on the case team; your agency is a member on request in the phase %(phase)s"))
        return words % {"phase": label("phase", found["phase"])}
    if found := _DISCLOSURE.match(text):
        return _("disclosure %(number)s by the agency that recorded it, on %(day)s") % {
            "number": found["number"], "day": day(found["day"])}
    if found := _AGREEMENT.match(text):
        words = _("sharing agreement %(number)s, version %(version)s (%(parties)s): %(category)s up to "
                  "%(level)s") % {"number": found["number"], "version": found["version"],
                                 "parties": found["parties"], "category": label("category", found["category"]),
                                 "level": found["level"]}
        if found["consent"]:
            words += _("; with the client's consent of %(day)s") % {"day": day(found["consent"])}
        return words
    return text

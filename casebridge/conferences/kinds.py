"""Conference kinds: configuration, not code.

Each kind says who may convene and chair it, who is always invited and who on request, whether
the client and family attend, whether the client's consent must be on record, its phases and its
default agenda. The four defaults follow what practitioners describe (shared/seeds 002, 003): the
*security conference* of the security authorities, confidential among cleared professionals; the
*social-network conference* an exit organisation or probation leads with the client, family and
friends, only with the client's consent; *release planning*; and the *review*.

A deployment adds kinds or replaces a default with a JSON file named by
CASEBRIDGE_CONFERENCE_KINDS (docs/conferences.md shows the format). Invitees are named by agency kind
or by their place on the case: `lead` (the lead agency) and `coordinator` (the case coordinator).
"""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from casebridge.vocabulary import AgencyKind


class Audience:
    """Who an agenda item is for."""

    EVERYONE = "everyone"
    PROFESSIONALS = "professionals"
    CLEARED = "cleared"
    CHOICES = [(EVERYONE, _("Everyone attending")), (PROFESSIONALS, _("Professionals only")),
               (CLEARED, _("Security-cleared professionals only"))]
    VALUES = [value for value, _label in CHOICES]


PLACES = {"lead", "coordinator"}  # invitees named by their place on the case, not their agency's kind


@dataclass(frozen=True)
class AgendaTemplate:
    heading: str
    audience: str = Audience.EVERYONE


@dataclass(frozen=True)
class ConferenceKind:
    code: str
    label: str
    purpose: str
    conveners: frozenset[str]
    chairs: frozenset[str]
    core: frozenset[str]
    on_request: frozenset[str] = frozenset()
    client_attends: bool = False
    family_attends: bool = False
    requires_consent: bool = False
    confidential: bool = False  # known to its participants and convener only
    min_clearance: int = 0  # every professional taking part is cleared at least this high
    phases: tuple[str, ...] = ()
    agenda: tuple[AgendaTemplate, ...] = field(default_factory=tuple)

    def may_convene(self, agency_kind: str) -> bool:
        return agency_kind in self.conveners

    def may_chair(self, agency_kind: str) -> bool:
        return agency_kind in self.chairs

    def invites(self, agency_kind: str, *, coordinator: bool = False, lead: bool = False) -> bool:
        """Whether someone of this agency kind (or the case's coordinator, or of its lead agency) takes
        part in this kind at all: a core or an on-request participant, or one who may convene or chair it."""
        invited = self.core | self.on_request
        return (agency_kind in invited or agency_kind in self.conveners or agency_kind in self.chairs
                or (coordinator and "coordinator" in invited) or (lead and "lead" in invited))

    @property
    def attendee_relations(self) -> list[str]:
        """Which non-user attendees this kind admits (values of `models.Relation`)."""
        relations = ["client"] if self.client_attends else []
        if self.family_attends:
            relations += ["family", "friend"]
        if self.client_attends or self.family_attends:
            relations += ["lawyer", "mentor", "other"]
        return relations


SECURITY = "security"
SOCIAL_NETWORK = "social_network"
RELEASE_PLANNING = "release_planning"
REVIEW = "review"
FOLLOW_UP_HEADING = _("Review of the open actions")

_SECURITY_AGENCIES = frozenset({AgencyKind.POLICE, AgencyKind.INTELLIGENCE})
_SUPPORT = frozenset({AgencyKind.MUNICIPALITY, AgencyKind.SOCIAL_SERVICES, AgencyKind.HOUSING,
                      AgencyKind.EMPLOYMENT, AgencyKind.EDUCATION, AgencyKind.HEALTH,
                      AgencyKind.FAITH_OR_CULTURAL_MEDIATOR})

DEFAULTS = (
    ConferenceKind(
        SECURITY, _("Security conference"),
        _("The security authorities exchange what they know and agree measures. The client and family "
          "never attend; only security-cleared professionals take part."),
        conveners=_SECURITY_AGENCIES, chairs=_SECURITY_AGENCIES,
        core=_SECURITY_AGENCIES | {AgencyKind.PRISON, AgencyKind.PROBATION},
        on_request=frozenset({AgencyKind.PROSECUTION, AgencyKind.MUNICIPALITY}),
        confidential=True, min_clearance=2,
        phases=(_("Preparation"), _("Information exchange"), _("Assessment"), _("Decision"), _("Follow-up")),
        agenda=(AgendaTemplate(_("Threat picture and new information"), Audience.CLEARED),
                AgendaTemplate(_("Assessment of the risk"), Audience.CLEARED),
                AgendaTemplate(_("Measures and who takes them"), Audience.PROFESSIONALS))),
    ConferenceKind(
        SOCIAL_NETWORK, _("Social-network conference"),
        _("The client, family and friends make a plan with the professionals. Led by an exit "
          "organisation or probation, and convened only with the client's consent on record."),
        conveners=frozenset({AgencyKind.CSO, AgencyKind.PROBATION}),
        chairs=frozenset({AgencyKind.CSO, AgencyKind.PROBATION}),
        core=frozenset({AgencyKind.CSO, AgencyKind.PROBATION, "coordinator"}),
        on_request=_SUPPORT | {AgencyKind.PRISON},
        client_attends=True, family_attends=True, requires_consent=True,
        phases=(_("Referral"), _("Preparation"), _("Information"), _("Family-only time"), _("Decision"),
                _("Release and review")),
        agenda=(AgendaTemplate(_("Information round: what the professionals can offer")),
                AgendaTemplate(_("Family-only time")),
                AgendaTemplate(_("The plan: who does what, by when")))),
    ConferenceKind(
        RELEASE_PLANNING, _("Release planning conference"),
        _("Prison, probation and the support services prepare the release: date and conditions, "
          "housing, income, health and support."),
        conveners=frozenset({AgencyKind.PROBATION, AgencyKind.PRISON}),
        chairs=frozenset({AgencyKind.PROBATION, AgencyKind.PRISON}),
        core=frozenset({AgencyKind.PRISON, AgencyKind.PROBATION, "lead"}),
        on_request=_SUPPORT | {AgencyKind.CSO, AgencyKind.POLICE},
        client_attends=True,
        phases=(_("Preparation"), _("Information"), _("Decision"), _("Follow-up")),
        agenda=(AgendaTemplate(_("Release date and conditions")),
                AgendaTemplate(_("Housing, work and income")),
                AgendaTemplate(_("Health and support")),
                AgendaTemplate(_("Community and support network map")),
                AgendaTemplate(_("Risk and protective factors"), Audience.PROFESSIONALS))),
    ConferenceKind(
        REVIEW, _("Review conference"),
        _("The team reviews progress, changes in circumstances and the open actions."),
        conveners=frozenset({AgencyKind.PROBATION, AgencyKind.PRISON, AgencyKind.CSO, AgencyKind.MUNICIPALITY}),
        chairs=frozenset({AgencyKind.PROBATION, AgencyKind.PRISON, AgencyKind.CSO, AgencyKind.MUNICIPALITY}),
        core=frozenset({"lead", "coordinator"}),
        on_request=_SUPPORT | {AgencyKind.CSO, AgencyKind.PRISON, AgencyKind.POLICE, AgencyKind.PROSECUTION,
                               AgencyKind.COURT},
        phases=(_("Preparation"), _("Review"), _("Decision")),
        agenda=(AgendaTemplate(_("Progress since the last conference")),
                AgendaTemplate(_("Changes in circumstances")),
                AgendaTemplate(_("Next steps")))),
)


def _kinds(raw: list, where: str) -> tuple[ConferenceKind, ...]:
    """Kinds from a deployment's JSON, each checked; a bad one refuses with a one-line reason."""
    allowed = set(AgencyKind.values) | PLACES
    found = []
    for number, entry in enumerate(raw, 1):
        try:
            groups = {name: frozenset(entry.get(name, ())) for name in ("conveners", "chairs", "core", "on_request")}
            for name, values in groups.items():
                unknown = sorted(values - (allowed if name in ("core", "on_request") else set(AgencyKind.values)))
                if unknown:
                    raise ValueError(f"{name}: unknown agency kind {unknown[0]!r}")
            agenda = tuple(AgendaTemplate(str(a["heading"]), a.get("audience", Audience.EVERYONE))
                           for a in entry.get("agenda", ()))
            if any(a.audience not in Audience.VALUES for a in agenda):
                raise ValueError(f"agenda audience must be one of {', '.join(Audience.VALUES)}")
            found.append(ConferenceKind(
                str(entry["code"]), str(entry["label"]), str(entry.get("purpose", "")), **groups,
                **{flag: bool(entry.get(flag, False)) for flag in
                   ("client_attends", "family_attends", "requires_consent", "confidential")},
                min_clearance=int(entry.get("min_clearance", 0)),
                phases=tuple(str(p) for p in entry.get("phases", ())), agenda=agenda))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ImproperlyConfigured(f"{where}: conference kind {number}: {exc}") from None
    return tuple(found)


@cache
def _configured(path: str) -> dict[str, ConferenceKind]:
    kinds = {kind.code: kind for kind in DEFAULTS}
    if path:
        try:
            raw = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ImproperlyConfigured(f"CASEBRIDGE_CONFERENCE_KINDS={path}: {exc}") from None
        if not isinstance(raw, list):
            raise ImproperlyConfigured(f"CASEBRIDGE_CONFERENCE_KINDS={path}: expected a JSON list of kinds")
        kinds.update({kind.code: kind for kind in _kinds(raw, path)})
    return kinds


def all_kinds() -> dict[str, ConferenceKind]:
    """Every conference kind in force, by code: the defaults and the deployment's own."""
    return _configured(str(settings.CASEBRIDGE_CONFERENCE_KINDS or ""))


def kind(code: str) -> ConferenceKind | None:
    return all_kinds().get(code)


def choices() -> list[tuple[str, str]]:
    return [(k.code, k.label) for k in all_kinds().values()]

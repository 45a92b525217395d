"""Recording structured assessments, and reading several side by side in the crosswalk's common language.

An assessment's formulation is an item of the assessor's agency (category risk and needs assessment),
recorded and audited like any item; the assessment is shown only to those the sharing rule lets read
that item (`decisions` works the same way).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.assessments import instruments
from casebridge.assessments.models import Assessment
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.cases import services as cases
from casebridge.errors import InvalidInput
from casebridge.items import services as items
from casebridge.items.models import Carrier
from casebridge.items.reading import CaseReading, confirmed_records

LONGEST_VALIDITY = timedelta(days=3 * 366)


def _ratings(values, allowed_codes, scale, field_name: str) -> dict[str, str]:
    if not isinstance(values, dict):
        raise InvalidInput(_("Ratings are given per code."), field=field_name)
    found = {}
    for code, value in values.items():
        if value in (None, ""):
            continue
        if code not in allowed_codes:
            raise InvalidInput(_("%(code)s is not a code of this instrument.") % {"code": str(code)[:20]},
                               field=field_name)
        if value not in scale:
            raise InvalidInput(_("%(value)s is not on this instrument's scale (%(scale)s).")
                               % {"value": str(value)[:40], "scale": ", ".join(scale)}, field=field_name)
        found[str(code)] = str(value)
    return found


def _categorisations(given) -> dict[str, str]:
    """Vocabulary code -> term code, each term one of its vocabulary's (a professional judgement, optional)."""
    from casebridge.glossary import categorisations

    if not isinstance(given, dict):
        raise InvalidInput(_("Categorisations are given per vocabulary."), field="categorisations")
    found = {}
    for vocabulary, term in given.items():
        if term in (None, ""):
            continue
        if categorisations.term(str(vocabulary), str(term)) is None:
            raise InvalidInput(_("%(term)s is not a term of the vocabulary %(vocabulary)s.") % {
                "term": str(term)[:40], "vocabulary": str(vocabulary)[:40]}, field="categorisations")
        found[str(vocabulary)] = str(term)
    return found


def record_assessment(*, actor, case_id, instrument: str, assessed_on: date, overall: str, formulation: str,
                      purpose: str, ratings=None, domain_ratings=None, valid_until: date | None = None,
                      classification=None, categorisations=None) -> Assessment:
    """Record an assessment of the actor's agency with one of the instruments in force (`code@version`)."""
    case, _decision = cases.get_case(actor=actor, case_id=case_id, purpose=purpose, audit=False)
    tool = instruments.get(instrument)
    if tool is None:
        raise InvalidInput(_("Choose an instrument."), field="instrument")
    today = cases.today()
    if not isinstance(assessed_on, date) or not today - LONGEST_VALIDITY <= assessed_on <= today:
        raise InvalidInput(_("The assessment date is today or in the last three years."), field="assessed_on")
    valid_until = valid_until or assessed_on + timedelta(days=tool.review_interval_days)
    if not isinstance(valid_until, date) or not assessed_on < valid_until <= assessed_on + LONGEST_VALIDITY:
        raise InvalidInput(_("Valid until a date after the assessment, within three years."), field="valid_until")
    if overall not in tool.overall_scale:
        raise InvalidInput(_("Choose the overall judgement on the instrument's scale."), field="overall")
    indicator_ratings = _ratings(ratings or {}, set(tool.indicators), tool.rating_scale, "ratings")
    by_domain = _ratings(domain_ratings or {}, {d.code for d in tool.domains}, tool.rating_scale, "domain_ratings")
    categorised = _categorisations(categorisations or {})
    text_item = items.record_carried_text(
        actor=actor, case=case, carrier=Carrier.ASSESSMENT, text=cases.text(formulation, "formulation", required=True),
        title=_("%(tool)s assessment") % {"tool": tool.name}, fact_date=assessed_on, purpose=purpose,
        field="formulation", classification=classification)
    assessment = Assessment.objects.create(
        case=case, agency_id=actor.agency_id, instrument=tool.code, version=tool.version, assessed_on=assessed_on,
        valid_until=valid_until, assessor=actor, overall=overall, ratings=indicator_ratings, domain_ratings=by_domain,
        categorisations=categorised, text_item=text_item, recorded_at=timezone.now())
    record(actor=actor, operation=Operation.CREATE, obj=assessment, case_id=case.pk, purpose=purpose,
           detail={"instrument": tool.key, "text_item": text_item.pk})
    return assessment


@dataclass
class Reading:
    """One assessment as its reader may see it, in the common language."""

    assessment: Assessment
    instrument: instruments.Instrument | None
    formulation: object
    common: dict = field(default_factory=dict)  # common domain -> [(domain name, rating)]

    def categorised(self) -> list[tuple]:
        """[(vocabulary, term, counterparts)] of the assessor's categorisations, read through the mapping."""
        from casebridge.glossary import categorisations

        found = []
        for code, term_code in self.assessment.categorisations.items():
            vocabulary = categorisations.vocabularies().get(code)
            term = vocabulary.term(term_code) if vocabulary else None
            if term is not None:
                found.append((vocabulary, term, categorisations.counterparts(code, term_code)))
        return found


def readable_assessments(*, actor, case_id, purpose: str) -> list[Reading]:
    """The case's assessments whose formulation the actor may read, newest first, each read through the
    crosswalk; the others are absent. Audited as one listing of the formulations shown."""
    case = cases.decided_case(actor=actor, case_id=case_id, purpose=purpose)
    reading = CaseReading(actor, case, purpose)
    found = list(Assessment.objects.filter(case=case).select_related("agency", "assessor"))
    shown = confirmed_records(reading, [a.text_item_id for a in found])
    walk = instruments.crosswalk()
    result = []
    for assessment in found:
        if assessment.text_item_id not in shown:
            continue
        tool = instruments.get(f"{assessment.instrument}@{assessment.version}")
        common = {}
        for domain in tool.domains if tool else ():
            value = assessment.domain_ratings.get(domain.code)
            target = walk.common_of(tool, domain.code)
            if value and target:
                common.setdefault(target, []).append((domain.name, value))
        result.append(Reading(assessment, tool, shown[assessment.text_item_id][0], common))
    if result:
        record(actor=actor, operation=Operation.LIST, object_type="items.informationitem", case_id=case.pk,
               purpose=purpose, detail={"assessments": [r.assessment.pk for r in result], "items": {
                   str(r.formulation.pk): shown[r.formulation.pk][1].reason for r in result}},
               concerning=[r.formulation for r in result])
    return result



def _position(value: str, scale) -> float | None:
    """Where a rating stands on its own scale, 0 the lowest and 1 the highest: scales differ between
    instruments, so only positions can be drawn on one axis."""
    return scale.index(value) / (len(scale) - 1) if value in scale else None


def trend(shown: list[Reading], common: str | None = None) -> dict[str, list[tuple[date, float]]]:
    """The readable assessments over time, one series per instrument and agency: the overall judgement,
    or (with `common`) the mean position of the instrument's ratings under that common domain."""
    series: dict[str, list[tuple[date, float]]] = {}
    for reading in shown:
        a, tool = reading.assessment, reading.instrument
        if tool is None:
            continue
        if common is None:
            positions = [_position(a.overall, tool.overall_scale)]
        else:
            positions = [_position(value, tool.rating_scale) for _domain, value in reading.common.get(common, [])]
        positions = [p for p in positions if p is not None]
        if positions:
            name = f"{tool.name} · {a.agency.name}"
            series.setdefault(name, []).append((a.assessed_on, round(sum(positions) / len(positions), 3)))
    return series

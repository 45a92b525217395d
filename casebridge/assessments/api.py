"""Assessment instruments, the crosswalk and assessments on the REST API, through the same services."""

from datetime import date

from django.conf import settings
from ninja import Field, Router, Schema, Status

from casebridge.api.auth import token
from casebridge.api.errors import responses
from casebridge.assessments import instruments, services
from casebridge.policy import Perm

router = Router(tags=["assessments"])


class DomainOut(Schema):
    code: str
    name: str
    indicators: list[str]


class InstrumentOut(Schema):
    key: str
    code: str
    version: str
    name: str
    purpose: str
    licensed: bool
    rating_scale: list[str]
    overall_scale: list[str]
    review_interval_days: int
    domains: list[DomainOut]


class CrosswalkOut(Schema):
    version: str
    note: str
    common_domains: list[dict]
    maps: dict


class AssessmentIn(Schema):
    instrument: str = Field(..., max_length=100, description="`code@version`, from GET /api/instruments.")
    assessed_on: date
    valid_until: date | None = None
    overall: str = Field(..., max_length=60)
    ratings: dict[str, str] = Field(default_factory=dict, description="Indicator code -> rating.")
    domain_ratings: dict[str, str] = Field(default_factory=dict, description="Domain code -> rating.")
    formulation: str = Field(..., min_length=1, max_length=settings.CASEBRIDGE_MAX_TEXT)
    classification: int | None = Field(None, ge=0, le=20)
    categorisations: dict[str, str] = Field(default_factory=dict, description="Vocabulary code -> term code, from "
                                                                             "GET /api/categorisations.")


class AssessmentOut(Schema):
    id: int
    instrument: str
    version: str
    agency: str
    assessed_on: date
    valid_until: date
    overall: str
    ratings: dict
    domain_ratings: dict
    formulation: str
    categorisations: dict = Field(..., description="Vocabulary code -> term code.")
    common: dict = Field(..., description="Common domain -> [[instrument domain, rating]] (the crosswalk).")


def _instrument(tool) -> dict:
    return {**{name: getattr(tool, name) for name in ("key", "code", "version", "name", "purpose", "licensed",
                                                        "review_interval_days")},
            "rating_scale": list(tool.rating_scale), "overall_scale": list(tool.overall_scale),
            "domains": [{"code": d.code, "name": d.name, "indicators": list(d.indicators)} for d in tool.domains]}


@router.get("/instruments", response=responses(list[InstrumentOut]), auth=token(Perm.CASE_LIST))
def list_instruments(request):
    """The assessment instruments in force: domains, indicator codes and scales (no licensed wording)."""
    return [_instrument(tool) for tool in instruments.registry().values()]


@router.get("/crosswalk", response=responses(CrosswalkOut), auth=token(Perm.CASE_LIST))
def crosswalk(request):
    """The crosswalk between instruments: an aid to reading assessments side by side, not a score."""
    walk = instruments.crosswalk()
    return {"version": walk.version, "note": walk.note,
            "common_domains": [{"code": code, "name": name} for code, name in walk.common], "maps": walk.maps}


def _out(reading) -> dict:
    a = reading.assessment
    return {"id": a.pk, "instrument": a.instrument, "version": a.version, "agency": a.agency.name,
            "assessed_on": a.assessed_on, "valid_until": a.valid_until, "overall": a.overall, "ratings": a.ratings,
            "domain_ratings": a.domain_ratings, "formulation": reading.formulation.body,
            "categorisations": a.categorisations,
            "common": {code: [list(pair) for pair in pairs] for code, pairs in reading.common.items()}}


@router.get("/cases/{int:case_id}/assessments", response=responses(list[AssessmentOut]), auth=token(Perm.CASE_VIEW))
def list_assessments(request, case_id: int):
    """The case's assessments whose formulation you may read, newest first, read through the crosswalk."""
    return [_out(r) for r in services.readable_assessments(actor=request.user, case_id=case_id,
                                                           purpose=request.purpose)]


@router.post("/cases/{int:case_id}/assessments", response=responses(AssessmentOut, 201), auth=token(Perm.CASE_VIEW))
def record_assessment(request, case_id: int, payload: AssessmentIn):
    """Record an assessment of your agency."""
    made = services.record_assessment(actor=request.user, case_id=case_id, instrument=payload.instrument,
                                      assessed_on=payload.assessed_on, valid_until=payload.valid_until,
                                      overall=payload.overall, ratings=payload.ratings,
                                      domain_ratings=payload.domain_ratings, formulation=payload.formulation,
                                      categorisations=payload.categorisations,
                                      classification=payload.classification, purpose=request.purpose)
    shown = [r for r in services.readable_assessments(actor=request.user, case_id=case_id, purpose=request.purpose)
             if r.assessment.pk == made.pk]
    return Status(201, _out(shown[0]))

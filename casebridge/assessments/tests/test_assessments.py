"""Recording assessments and reading them side by side: case content under the sharing rule."""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse

from casebridge.assessments import services
from casebridge.assessments.models import Assessment
from casebridge.conftest import PURPOSE, sign_in
from casebridge.errors import InvalidInput

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def assess(person, case, instrument, overall, domains, level=1, **extra):
    with transaction.atomic():
        return services.record_assessment(actor=person, case_id=case.pk, instrument=instrument, overall=overall,
                                          assessed_on=extra.pop("assessed_on", TODAY), domain_ratings=domains,
                                          formulation=f"{instrument} formulation.", classification=level,
                                          purpose=PURPOSE, **extra)


@pytest.fixture
def three(exchange, cast, case):
    return [assess(cast["ivo"], case, "vera-2r@1", "moderate", {"BA": "moderate", "P": "high"}),
            assess(cast["omar"], case, "erg22@1", "high", {"E": "strongly present", "I": "partly present"}),
            assess(cast["petra"], case, "threat-level@1", "2 - medium", {"T": "2 - medium"})]


def test_assessments_are_read_side_by_side_in_the_common_language(three, cast, case):
    with transaction.atomic():
        shown = {r.assessment.instrument: r for r in services.readable_assessments(actor=cast["petra"], case_id=case.pk,
                                                                                    purpose=PURPOSE)}
    # Prison and police share risk assessments with probation up to RESTRICTED (the exchange's agreement).
    assert set(shown) == {"vera-2r", "erg22", "threat-level"}
    assert shown["vera-2r"].common == {"ideology": [("Beliefs, attitudes and ideology", "moderate")],
                                       "protective": [("Protective and resilience indicators", "high")]}
    assert shown["erg22"].common["intent"] == [("Intent", "partly present")]


def test_an_assessment_the_rule_does_not_let_someone_read_is_not_there_for_them(three, cast, case):
    with transaction.atomic():
        clara = services.readable_assessments(actor=cast["clara"], case_id=case.pk, purpose=PURPOSE)
        ivo = {r.assessment.instrument for r in services.readable_assessments(actor=cast["ivo"], case_id=case.pk,
                                                                                purpose=PURPOSE)}
    assert clara == []  # no risk assessments reach the exit programme
    assert ivo == {"vera-2r"}  # his own: neither police nor probation share risk assessments with the prison


@pytest.mark.parametrize("change, field", [
    ({"instrument": "vera-9@1"}, "instrument"),
    ({"overall": "extreme"}, "overall"),
    ({"domains": {"ZZ": "high"}}, "domain_ratings"),
    ({"domains": {"BA": "sky-high"}}, "domain_ratings"),
    ({"assessed_on": TODAY + dt.timedelta(days=1)}, "assessed_on"),
])
def test_bad_assessments_are_refused_on_their_field(exchange, cast, case, change, field):
    values = {"instrument": "vera-2r@1", "overall": "low", "domains": {"BA": "low"}, **change}
    with pytest.raises(InvalidInput) as refused:
        assess(cast["ivo"], case, values.pop("instrument"), values.pop("overall"), values.pop("domains"), **values)
    assert refused.value.field == field and not Assessment.objects.exists()


def test_the_side_by_side_page_says_it_is_an_aid_to_reading_and_records_an_assessment(client, exchange, cast, case):
    sign_in(client, cast["ivo"])
    page = client.get(reverse("assessments:case", args=[case.pk]) + "?instrument=trap-18@1").content.decode()
    assert "An aid to reading, not a score." in page and "Proximal warning behaviours" in page
    answer = client.post(reverse("assessments:case", args=[case.pk]), {
        "assessment-instrument": "trap-18@1", "assessment-assessed_on": TODAY.isoformat(),
        "assessment-overall": "monitor", "assessment-domain_PWB": "absent",
        "assessment-formulation": "No warning behaviours seen.", "assessment-classification": "1"})
    assert answer.status_code == 302
    made = Assessment.objects.get()
    assert made.domain_ratings == {"PWB": "absent"} and made.text_item.category == "risk_and_needs_assessment"
    assert made.valid_until == TODAY + dt.timedelta(days=90)


def test_assessments_through_the_api(api, exchange, cast, case):
    tools = {t["key"] for t in api(cast["ivo"]).get("/api/instruments").json()}
    assert "erg22@1" in tools
    made = api(cast["ivo"]).post(f"/api/cases/{case.pk}/assessments", {
        "instrument": "vera-2r@1", "assessed_on": TODAY.isoformat(), "overall": "low",
        "domain_ratings": {"CM": "low"}, "formulation": "Stable.", "classification": 1})
    assert made.status_code == 201, made.content
    assert made.json()["common"] == {"commitment": [["Commitment and motivation", "low"]]}
    assert [a["id"] for a in api(cast["clara"]).get(f"/api/cases/{case.pk}/assessments").json()] == []


def test_the_chart_draws_each_readable_instrument_over_time_and_nothing_else(client, three, exchange, cast, case):
    assess(cast["ivo"], case, "vera-2r@1", "high", {"BA": "high"}, assessed_on=TODAY - dt.timedelta(days=200))
    with transaction.atomic():
        shown = services.readable_assessments(actor=cast["petra"], case_id=case.pk, purpose=PURPOSE)
    series = services.trend(shown)
    vera = next(points for name, points in series.items() if name.startswith("VERA-2R"))
    assert vera == [(TODAY, 0.5), (TODAY - dt.timedelta(days=200), 1.0)]  # moderate now, high before
    assert services.trend(shown, "ideology") == {next(n for n in series if n.startswith("VERA-2R")): [
        (TODAY, 0.5), (TODAY - dt.timedelta(days=200), 1.0)]}
    sign_in(client, cast["ivo"])  # the prison reads only its own VERA-2R
    answer = client.get(reverse("assessments:chart", args=[case.pk]))
    assert answer["Content-Type"].startswith("image/svg+xml") and "no-store" in answer["Cache-Control"]
    svg = answer.content.decode()
    assert "VERA-2R" in svg and "ERG22" not in svg and "National threat level" not in svg
    assert client.get(reverse("assessments:chart", args=[case.pk]) + "?domain=nonsense").status_code == 404


def test_the_chart_of_a_case_someone_may_not_see_is_a_404(client, three, cast, case):
    sign_in(client, cast["xavier"])
    assert client.get(reverse("assessments:chart", args=[case.pk])).status_code == 404


def test_a_categorisation_is_recorded_in_its_vocabulary_and_read_through_the_mapping(client, exchange, cast, case):
    assess(cast["ivo"], case, "vera-2r@1", "high", {"BA": "high"}, categorisations={"vught": "leader"})
    with pytest.raises(InvalidInput) as refused:
        assess(cast["ivo"], case, "vera-2r@1", "high", {}, categorisations={"vught": "transmitter"})
    assert refused.value.field == "categorisations" and Assessment.objects.count() == 1
    sign_in(client, cast["petra"])
    page = client.get(reverse("assessments:case", args=[case.pk])).content.decode()
    assert "<strong>Leader</strong>" in page and "narrower than Transmitter" in page


def test_the_chart_of_a_case_with_nothing_readable_to_draw_says_so(client, three, cast, case):
    sign_in(client, cast["clara"])  # no risk assessment reaches the exit programme
    answer = client.get(reverse("assessments:chart", args=[case.pk]))
    assert answer.status_code == 200 and "Nothing to draw" in answer.content.decode()


def test_the_crosswalk_page_lists_every_domain_under_its_common_domain_and_says_it_is_no_score(client, cast):
    sign_in(client, cast["clara"])
    page = client.get(reverse("assessments:crosswalk")).content.decode()
    assert "An aid to reading, not a score." in page
    assert "Beliefs, attitudes and ideology <span class=\"muted\">(BA)</span>" in page and "TRAP-18" in page

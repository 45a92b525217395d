"""The glossary and the categorisations, as pages every signed-in practitioner may read: they hold no
case content, only the words of the field."""

from django.shortcuts import render

from casebridge.glossary import categorisations, terms
from casebridge.glossary.legend import legend as the_legend
from casebridge.glossary.builtin import Kind
from casebridge.permissions import requires
from casebridge.policy import Perm
from casebridge.vocabulary import AgencyKind


def _choice(value: str, allowed) -> str:
    # An unknown filter value is ignored rather than refused: the page then simply shows everything.
    return value if value in allowed else ""


@requires(Perm.CASE_LIST)
def index(request):
    kind = _choice(request.GET.get("kind", ""), Kind.values)
    agency_kind = _choice(request.GET.get("agency_kind", ""), AgencyKind.values)
    country = _choice(request.GET.get("country", "").upper(), terms.countries())
    chosen = terms.select(kind=kind, agency_kind=agency_kind, country=country)
    return render(request, "glossary/index.html", {
        "groups": terms.grouped(chosen), "kinds": Kind.choices, "agency_kinds": AgencyKind.choices,
        "countries": terms.countries(), "kind": kind, "agency_kind": agency_kind, "country": country,
        "filtered": bool(kind or agency_kind or country)})


@requires(Perm.CASE_LIST)
def categorisations_page(request):
    vocabularies = categorisations.vocabularies()
    rows = [(vocabularies[m.vocabulary], vocabularies[m.vocabulary].term(m.term), m.relation,
             vocabularies[m.other_vocabulary],
             vocabularies[m.other_vocabulary].term(m.other_term) if m.other_term else None, m.note)
            for m in categorisations.mappings()]
    return render(request, "glossary/categorisations.html", {
        "vocabularies": vocabularies.values(), "rows": rows})


@requires(Perm.CASE_LIST)
def legend(request):
    """The key to the badges items wear: classification, markings, gradings (every one of the 4x4)."""
    return render(request, "glossary/legend.html", {"legend": the_legend()})

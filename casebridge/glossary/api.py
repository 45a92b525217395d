"""The glossary and the categorisations on the REST API: the same terms, synonyms and mappings as the pages."""

from django.utils.translation import gettext as _
from ninja import Router, Schema

from casebridge.api.auth import token
from casebridge.api.errors import responses
from casebridge.errors import InvalidInput
from casebridge.glossary import categorisations, terms
from casebridge.glossary.builtin import Kind
from casebridge.policy import Perm
from casebridge.vocabulary import AgencyKind

router = Router(tags=["glossary"])


class SynonymOut(Schema):
    word: str
    agency_kind: str
    country: str


class TermOut(Schema):
    key: str
    kind: str
    label: str
    definition: str
    synonyms: list[SynonymOut]


class VocabularyTermOut(Schema):
    code: str
    name: str
    definition: str


class VocabularyOut(Schema):
    code: str
    name: str
    source: str
    context: str
    terms: list[VocabularyTermOut]


class MappingOut(Schema):
    vocabulary: str
    term: str
    other_vocabulary: str
    other_term: str
    relation: str
    note: str


class CategorisationsOut(Schema):
    vocabularies: list[VocabularyOut]
    mappings: list[MappingOut]


def _checked(value: str, allowed, field: str) -> str:
    if value and value not in allowed:
        raise InvalidInput(_("Unknown %(field)s %(value)r; use one of: %(allowed)s.")
                           % {"field": field, "value": value[:40], "allowed": ", ".join(allowed)}, field=field)
    return value


@router.get("/glossary", response=responses(list[TermOut]), auth=token(Perm.CASE_LIST))
def glossary(request, kind: str = "", agency_kind: str = "", country: str = ""):
    """Every term of the glossary with its definition and synonyms. With `agency_kind` or `country`, only
    the terms that have a word used there, each with those words (a word without an agency kind or a
    country is used by every one)."""
    _checked(kind, Kind.values, "kind")
    _checked(agency_kind, AgencyKind.values, "agency_kind")
    if country and (len(country) != 2 or not country.isalpha()):
        raise InvalidInput(_("A country is a two-letter code, e.g. NL."), field="country")
    return [{"key": t.key, "kind": t.kind.value, "label": str(t.label), "definition": str(t.definition),
             "synonyms": [s.__dict__ for s in t.synonyms]}
            for t in terms.select(kind=kind, agency_kind=agency_kind, country=country.upper())]


@router.get("/categorisations", response=responses(CategorisationsOut), auth=token(Perm.CASE_LIST))
def categorisation_vocabularies(request):
    """The categorisation vocabularies with their definitions, and the mapping between their terms. A
    categorisation is a professional judgement, not a score."""
    return {"vocabularies": [{**v.__dict__, "terms": [t.__dict__ for t in v.terms]}
                             for v in categorisations.vocabularies().values()],
            "mappings": [{**m.__dict__, "relation": m.relation.value} for m in categorisations.mappings()]}

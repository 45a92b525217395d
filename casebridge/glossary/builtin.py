"""The terms Casebridge itself knows, generated from where each is defined once: the phases, the
deployment's classification labels, the handling markings, the gradings (each of the sixteen of the 4x4
too, put together from its two halves), the nature of information, the categories, the purposes, the
instruments in force and the crosswalk's common domains, and the conference kinds. A deployment's new
instrument or conference kind appears in the glossary without anyone writing it down twice.
"""

from django.conf import settings
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from casebridge.assessments import instruments
from casebridge.cases.models import Phase
from casebridge.conferences import kinds as conference_kinds
from casebridge.glossary import definitions as d
from casebridge.items.models import InformationAccuracy, Nature, SourceReliability
from casebridge.vocabulary import Category, Purpose


class Kind(models.TextChoices):
    """What a glossary term names; the glossary page shows them in this order."""

    PHASE = "phase", _("Case phases")
    CLASSIFICATION = "classification", _("Classification levels")
    MARKING = "marking", _("Handling markings")
    GRADING = "grading", _("Gradings of intelligence")
    NATURE = "nature", _("Nature of information")
    CATEGORY = "category", _("Categories of information")
    PURPOSE = "purpose", _("Purposes")
    INSTRUMENT_DOMAIN = "instrument_domain", _("Domains of the assessment instruments")
    COMMON_DOMAIN = "common_domain", _("Common domains of the crosswalk")
    CONFERENCE_KIND = "conference_kind", _("Kinds of case conference")
    CATEGORISATION = "categorisation", _("Categorisations")
    FIELD = "field", _("Terms of the field")


def _classifications():
    labels = settings.CASEBRIDGE_CLASSIFICATION_LABELS
    for rank, label in enumerate(labels):
        generic = format_lazy(_("Level {rank} of {count}, lowest first: readable only by practitioners cleared for "
                                "{label} or higher, and only under the sharing rule."),
                              rank=rank + 1, count=len(labels), label=label)
        yield Kind.CLASSIFICATION, f"classification:{rank}", label, d.CLASSIFICATIONS.get(label, generic)


def _gradings():
    yield Kind.GRADING, "grading:code", _("Grading"), d.GRADING
    for value, label in SourceReliability.choices:
        yield Kind.GRADING, f"reliability:{value}", format_lazy(_("Source reliability {label}"), label=label), \
            d.RELIABILITY[value]
    for value, label in InformationAccuracy.choices:
        yield Kind.GRADING, f"accuracy:{value}", format_lazy(_("Information accuracy {label}"), label=label), \
            d.ACCURACY[str(value)]
    for reliability in SourceReliability.values:
        for accuracy in InformationAccuracy.values:
            code = f"{reliability}{accuracy}"
            yield Kind.GRADING, f"grading:{code}", code, format_lazy(
                _("The source: {source} The information: {information}"),
                source=d.RELIABILITY[reliability], information=d.ACCURACY[str(accuracy)])


def _domains():
    walk = instruments.crosswalk()
    common = dict(walk.common)
    gathered = {code: [] for code in common}
    for tool in instruments.registry().values():  # a later version of an instrument replaces its domains
        for domain in tool.domains:
            target = walk.common_of(tool, domain.code)
            gathered[target].append(f"{domain.name} ({tool.name})")
            yield Kind.INSTRUMENT_DOMAIN, f"domain:{tool.code}:{domain.code}", domain.name, format_lazy(
                _("A domain of {instrument} ({count} indicators: {first}–{last}). Side by side it is read under "
                  "the common domain \"{common}\"."), instrument=tool.name, count=len(domain.indicators),
                first=domain.indicators[0] if domain.indicators else "", common=common[target],
                last=domain.indicators[-1] if domain.indicators else "")
    for code, name in walk.common:
        yield Kind.COMMON_DOMAIN, f"common:{code}", name, format_lazy(
            _("A common domain of the crosswalk, where assessments made with different instruments are read side "
              "by side (an aid to reading, not a score). It gathers: {domains}."),
            domains="; ".join(dict.fromkeys(gathered[code])) or "—")


def terms():
    """Every built-in term as (kind, key, label, definition), in reading order."""
    for value, label in Phase.choices:
        yield Kind.PHASE, f"phase:{value}", label, d.PHASES[value]
    yield from _classifications()
    for code in ("ORCON", "NO-DECISION", "NO-CROSS-BORDER"):
        yield Kind.MARKING, f"marking:{code}", code, d.MARKINGS[code]
    yield Kind.MARKING, "marking:intelligence", _("Intelligence"), d.MARKINGS["intelligence"]
    yield from _gradings()
    for value, label in Nature.choices:
        yield Kind.NATURE, f"nature:{value}", label, d.NATURES[value]
    yield Kind.FIELD, "field:retracted", _("Retracted"), d.RETRACTED
    for value, label in Category.choices:
        yield Kind.CATEGORY, f"category:{value}", label, d.CATEGORIES[value]
    for value, label in Purpose.choices:
        yield Kind.PURPOSE, f"purpose:{value}", label, d.PURPOSES[value]
    yield from _domains()
    for kind in conference_kinds.all_kinds().values():
        yield Kind.CONFERENCE_KIND, f"conference:{kind.code}", kind.label, kind.purpose or kind.label

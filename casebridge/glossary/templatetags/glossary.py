"""Terms linked to the glossary wherever they appear.

    {% term "phase" case.phase case.get_phase_display %}
    {% term "marking" code %}                       (the label defaults to the term's own)
    {% term "domain" code within=assessment.instrument %}
    {% domain_term reading.instrument domain_name %}  (an instrument's domain known by its name)
    {% grading item.source_reliability item.information_accuracy %}  ("Grading B2", to its line on the legend)
    {% classification_badge item %}                  (the classification badge, linked to the legend)

renders `<a class="term" href="/glossary/#phase-custody" title="definition">Custody</a>`; a term the
glossary does not know (or an empty code) renders its label alone, escaped.
"""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext as _

from casebridge.glossary import terms

register = template.Library()


def _link(found, text) -> str:
    if found is None:
        return conditional_escape(text)
    return format_html('<a class="term" href="{}" title="{}">{}</a>', found.url, found.definition, text)


@register.simple_tag
def term(prefix, code, label=None, within=""):
    """The term `prefix:code` (or `prefix:within:code`) as a link to its definition."""
    if code in (None, ""):
        return conditional_escape(label or "")
    found = terms.get(f"{prefix}:{within}:{code}" if within else f"{prefix}:{code}")
    return _link(found, label if label not in (None, "") else (found.label if found else code))


@register.simple_tag
def domain_term(instrument, name):
    """An instrument's domain, known by its name (the side-by-side table holds names), as a link."""
    domain = next((d for d in getattr(instrument, "domains", ()) if d.name == name), None)
    found = terms.get(f"domain:{instrument.code}:{domain.code}") if domain else None
    return _link(found, name)


@register.simple_tag
def grading(reliability, accuracy):
    """An item's 4x4 grading ("Grading B2") as a link to that grading on the legend; with only one half
    graded, to that half ("Grading B–")."""
    reliability = str(reliability or "")
    accuracy = "" if accuracy in (None, "") else str(accuracy)
    if not (reliability or accuracy):
        return ""
    key = (f"grading:{reliability}{accuracy}" if reliability and accuracy
           else f"reliability:{reliability}" if reliability else f"accuracy:{accuracy}")
    text = _("Grading %(code)s") % {"code": f"{reliability or '–'}{accuracy or '–'}"}
    return _link(terms.get(key), text)


@register.simple_tag
def classification_badge(item):
    """The badge of an item's (or any marked text's) classification, its label linked to the legend."""
    return format_html('<span class="badge level-{}">{}</span>', item.classification,
                       term("classification", item.classification, item.classification_label))

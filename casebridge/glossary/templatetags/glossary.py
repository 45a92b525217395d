"""Terms linked to the glossary wherever they appear.

    {% term "phase" case.phase case.get_phase_display %}
    {% term "marking" code %}                       (the label defaults to the term's own)
    {% term "domain" code within=assessment.instrument %}
    {% domain_term reading.instrument domain_name %}  (an instrument's domain known by its name)

renders `<a class="term" href="/glossary/#phase-custody" title="definition">Custody</a>`; a term the
glossary does not know (or an empty code) renders its label alone, escaped.
"""

from django import template
from django.utils.html import conditional_escape, format_html

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

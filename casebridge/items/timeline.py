"""The case page's timeline: the information a reader may read, newest first, with the phase
changes between, filtered and paged on the server.

The filters (category, originating agency, phase, marking, new since the reader's last visit) narrow
the records the request's `CaseReading` allows: they choose among what the policy decided, they never
widen it. The agencies offered are those of records the reader may read, so the list names no agency
whose information they cannot see. Paging is by offset in plain links that carry the filters, so it
works without JavaScript. (No HTMX swap here: the page's classification banner names the highest
level shown, and a timeline swapped in alone would leave it stale.)
"""

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.db import transaction
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from casebridge import policy
from casebridge.agencies.models import Agency
from casebridge.cases.models import Phase
from casebridge.forms import Form
from casebridge.items import services
from casebridge.items.reading import CaseReading
from casebridge.vocabulary import Category, classification_choices

PAGE_SIZE = 10  # keeps the case page short; the filters find the rest
HANDLING = [("orcon", _("ORCON (originator controls)")), ("no_decision", _("NO-DECISION")),
            ("no_cross_border", _("NO-CROSS-BORDER")), ("intelligence", _("Intelligence"))]
FILTERS = ("category", "agency", "phase", "marking", "new")


class TimelineFilterForm(Form):
    names = {"category": _("a category"), "agency": _("an agency"), "phase": _("a phase"),
             "marking": _("a marking"), "offset": _("a page")}

    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("All categories")), *Category.choices])
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    phase = forms.ChoiceField(label=_("Phase"), required=False, choices=[("", _("All phases")), *Phase.choices])
    marking = forms.ChoiceField(label=_("Marking"), required=False)
    new = forms.BooleanField(label=_("Only new since my last visit"), required=False)
    offset = forms.IntegerField(label=_("Page"), required=False, min_value=0, max_value=10**6,
                                widget=forms.HiddenInput)

    def __init__(self, data=None, *, agencies=(), has_visited: bool = True, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["agency"].choices = [("", _("All agencies")), *((str(pk), name) for pk, name in agencies)]
        self.fields["marking"].choices = [
            ("", _("Any marking")),
            (_("Classification"), [(f"level-{rank}", label) for rank, label in classification_choices()]),
            (_("Handling"), HANDLING)]
        if not has_visited:
            del self.fields["new"]  # a first visit has nothing "new since the last one"


def has_marking(facts: policy.ItemFacts, marking: str) -> bool:
    """Whether an item carries a marking of the filter: its classification level, ORCON, or a marking
    it carries itself or inherits unlifted from its original (`policy.marked`)."""
    if marking.startswith("level-"):
        return str(facts.classification) == marking.removeprefix("level-")
    if marking == "orcon":
        return facts.orcon
    return policy.marked(facts, marking)


class PhaseCalendar:
    """Which phase a case was in on a day, from its phase changes (an item dated before the case
    opened belongs to the phase it opened in)."""

    def __init__(self, changes):
        ordered = sorted(changes, key=lambda c: (c.effective_on, c.recorded_at, c.pk))
        self.days = [c.effective_on for c in ordered]
        self.phases = [c.to_phase for c in ordered]

    def phase_on(self, day: date) -> str | None:
        if not self.phases:
            return None
        return self.phases[max(bisect_right(self.days, day) - 1, 0)]


@dataclass(frozen=True)
class Entry:
    """One line of the case timeline: a phase change or an item with its basis."""

    when: date
    phase: object = None
    item: object = None
    decision: object = None
    new: bool = False  # recorded by someone else since the reader's last visit


@dataclass
class Timeline:
    entries: list
    total: int
    offset: int
    filter: TimelineFilterForm
    levels: list
    valid: bool = True
    # (purpose, label, count): items the chosen purpose hides that another purpose would show.
    hidden: list = field(default_factory=list)
    chosen: dict = field(default_factory=dict)  # the filters in force, by name

    @property
    def category(self) -> str:
        return self.chosen.get("category", "")

    @property
    def category_label(self) -> str:
        return Category(self.category).label if self.category else ""

    @property
    def query(self) -> str:
        """The filters in force as a query string, for the pager's links."""
        return urlencode({name: "1" if value is True else value for name, value in self.chosen.items()})

    @property
    def newer(self) -> int | None:
        return max(self.offset - PAGE_SIZE, 0) if self.offset > 0 else None

    @property
    def older(self) -> int | None:
        return self.offset + PAGE_SIZE if self.offset + PAGE_SIZE < self.total else None

    @property
    def shown(self) -> tuple[int, int]:
        count = sum(1 for e in self.entries if e.item is not None)
        return (self.offset + 1, self.offset + count) if count else (0, 0)


def _agencies(reading: CaseReading) -> list[tuple[int, str]]:
    """The originating agencies of the records the reader may read, by name."""
    ids = {reading.facts(pk).originating_agency_id for pk in reading.records()}
    return list(Agency.objects.filter(pk__in=ids).order_by("name").values_list("pk", "name"))


def _where(chosen: dict, calendar: PhaseCalendar, new_ids: set[int] | None):
    """The test on each readable record that the chosen filters (besides the category) make."""
    tests = []
    if chosen.get("agency"):
        tests.append(lambda item: str(item.facts.originating_agency_id) == chosen["agency"])
    if chosen.get("phase"):
        tests.append(lambda item: calendar.phase_on(item.fact_date) == chosen["phase"])
    if chosen.get("marking"):
        tests.append(lambda item: has_marking(item.facts, chosen["marking"]))
    if chosen.get("new"):
        tests.append(lambda item: item.facts.id in (new_ids or ()))
    if not tests:
        return None
    return lambda item: all(test(item) for test in tests)


def case_timeline(request, case, reading: CaseReading, *, changes, new_ids: set[int] | None) -> Timeline:
    """The case page's one timeline: a page of the items the actor may read (newest first, each
    with its basis) that the filters keep and, between them, the phase changes of the same period.
    `changes` are the case's phase changes; `new_ids` the records new since the reader's last visit
    (None on a first visit)."""
    form = TimelineFilterForm(request.GET, agencies=_agencies(reading), has_visited=new_ids is not None)
    valid = form.is_valid()
    chosen = {name: form.cleaned_data[name] for name in FILTERS
              if valid and form.cleaned_data.get(name)}
    offset = (form.cleaned_data.get("offset") or 0) if valid else 0
    where = _where(chosen, PhaseCalendar(changes), new_ids)
    with transaction.atomic():
        shown, total = services.timeline(actor=request.user, case_id=case.pk, purpose=request.purpose,
                                         offset=offset, limit=PAGE_SIZE, category=chosen.get("category"),
                                         reading=reading, where=where)
    phases = _phases_on_page(changes, reading, shown, offset, total, chosen.get("category"), where)
    entries = [Entry(p.effective_on, phase=p) for p in phases]
    entries += [Entry(item.fact_date, item=item, decision=decision, new=item.pk in (new_ids or ()))
                for item, decision in shown]
    # Newest first; on one day the phase change heads the items of that day.
    entries.sort(key=lambda e: (e.when, e.phase is not None), reverse=True)
    return Timeline(entries, total, offset, form, [i.classification for i, _ in shown], valid,
                    reading.hidden_by_purpose(), chosen)


def _phases_on_page(changes, reading: CaseReading, shown, offset, total, category, where):
    """Each phase change appears once, on the page holding the first item at or before its date."""
    if offset and offset >= total:
        return []  # past the last page
    last_page = offset + PAGE_SIZE >= total
    lower = None if last_page or not shown else shown[-1][0].fact_date
    upper = None
    if offset:
        # The date of the last item on the previous page: a date of an item the actor may read,
        # taken from the same reading the timeline pages, and never shown.
        above = reading.records(category or None, where)[offset - 1:offset]
        if not above:
            return []  # the items changed under us; the next request places them again
        upper = reading.fact_date(above[0])
    newest_first = sorted(changes, key=lambda c: (c.effective_on, c.recorded_at, c.pk), reverse=True)
    return [c for c in newest_first if (lower is None or c.effective_on >= lower)
            and (upper is None or c.effective_on < upper)]


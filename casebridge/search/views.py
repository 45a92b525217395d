"""Pages of the search app: search for clients, cases and readable items, and the hit / no-hit lookup."""

from django.db import transaction
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from casebridge.audit import services as audit
from casebridge.cases import services as cases
from casebridge.errors import DomainError
from casebridge.forms import posted
from casebridge.permissions import requires
from casebridge.policy import Perm
from casebridge.accounts import throttle
from casebridge.search import forms, lookup as lookups, services

PER_PAGE = 20


def _add_error(form, exc: DomainError) -> None:
    form.add_domain_error(exc)


@requires(Perm.ITEM_SEARCH)
@require_GET
def search(request):
    # One event for the page: the search, naming the cases offered as its filter.
    with transaction.atomic(), audit.consultation(actor=request.user, purpose=request.purpose):
        return _search_page(request)


def _search_page(request):
    with transaction.atomic():
        my_cases = cases.list_cases(actor=request.user, purpose=request.purpose)
    form = forms.SearchForm(request.GET if "q" in request.GET else None, cases=my_cases)
    context = {"form": form, "results": None}
    if not form.is_bound:
        return render(request, "search/search.html", context)
    if not form.is_valid():
        return render(request, "search/search.html", context, status=400)
    data = form.cleaned_data
    number = data["page"] or 1
    case_hits, case_total = [], 0
    try:
        with transaction.atomic():
            # Clients and cases first, on the first page of a search over all the actor's cases.
            if number == 1 and not data["case"]:
                case_hits, case_total = services.search_cases(actor=request.user, query=data["q"],
                                                              purpose=request.purpose)
            results, total = services.search_items(
                actor=request.user, query=data["q"], purpose=request.purpose, case_id=data["case"],
                offset=(number - 1) * PER_PAGE, limit=PER_PAGE)
    except DomainError as exc:
        _add_error(form, exc)
        return render(request, "search/search.html", context, status=exc.status)
    # The banner shows the highest classification on the page, as on every page that shows items.
    request.page_classification = max((r.item.classification for r in results), default=None)
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    context.update(results=results, total=total, number=number, pages=pages, case_hits=case_hits,
                   case_total=case_total, searched_cases=number == 1 and not data["case"],
                   previous=number - 1 if number > 1 else None, next=number + 1 if number < pages else None)
    return render(request, "search/search.html", context)


@requires(Perm.PERSON_LOOKUP)
@require_http_methods(["GET", "POST"])
def lookup(request):
    # POST, not GET: the names asked about stay out of addresses, browser history and server logs.
    form = forms.LookupForm(posted(request))
    context = {"form": form, "answer": None}
    if not form.is_bound:
        return render(request, "search/lookup.html", context)
    if not form.is_valid():
        return render(request, "search/lookup.html", context, status=400)
    try:
        throttle.count(request, throttle.Scope.LOOKUP, request.user.pk)
        with transaction.atomic():
            context["answer"] = lookups.lookup_person(actor=request.user, purpose=request.purpose, **form.cleaned_data)
    except DomainError as exc:
        _add_error(form, exc)
        response = render(request, "search/lookup.html", context, status=exc.status)
        if isinstance(exc, throttle.Throttled):
            response["Retry-After"] = str(exc.retry_after)
        return response
    return render(request, "search/lookup.html", context)

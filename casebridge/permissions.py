"""Declaring, per view, the permission it needs — and refusing every view that declares none.

Every web view carries either `@requires(Perm.X)` or `@public`. `DenyByDefaultMiddleware`
enforces the declaration before the view runs, so a view someone forgot to mark is unreachable
rather than open. API operations declare theirs through `casebridge.api.auth.token(Perm.X)`.
A guard test walks every URL and API route and fails on any without a declaration.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from casebridge.policy import Perm, role_allows

PERMISSION_ATTR = "casebridge_permission"
PUBLIC_ATTR = "casebridge_public"


def requires(perm: Perm):
    def mark(view):
        setattr(view, PERMISSION_ATTR, perm)
        return view

    return mark


def public(view):
    setattr(view, PUBLIC_ATTR, True)
    return view


def declared(view) -> Perm | bool | None:
    """What a view declared: its Perm, True for public, None for nothing."""
    view = getattr(view, "view_class", view)
    if getattr(view, PUBLIC_ATTR, False):
        return True
    return getattr(view, PERMISSION_ATTR, None)


class DenyByDefaultMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/"):
            return None  # the API authenticates by token and checks each operation itself
        if request.path.startswith(settings.STATIC_URL):
            return None
        declaration = declared(view_func)
        if declaration is True:
            return None
        if declaration is None:
            raise Http404("no permission declared")
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.get_full_path()}")
        if not user.is_verified():
            return redirect("accounts:second_factor")
        if not role_allows(user, declaration):
            raise Http404("not permitted")
        return None

"""Guard: every URL and every API route declares its permission or is explicitly public."""

from django.urls import URLPattern, URLResolver, get_resolver

from casebridge.permissions import declared


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def _api_operations():
    from casebridge.api.api import api

    for _, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                yield path, operation


def test_every_web_url_declares_a_permission_or_is_public():
    undeclared = [route for route, view in _walk(get_resolver().url_patterns)
                  if not route.startswith("api/") and declared(view) is None]
    assert undeclared == []


def test_the_web_has_public_pages_only_for_signing_in():
    public = sorted(route for route, view in _walk(get_resolver().url_patterns)
                    if not route.startswith("api/") and declared(view) is True)
    # The language switch too: the sign-in page is offered in every interface language.
    assert public == ["accounts/enrol/", "accounts/language/", "accounts/login/", "accounts/second-factor/"]


def test_every_api_route_declares_a_permission_or_is_public():
    operations = list(_api_operations())
    assert len(operations) > 20
    undeclared = []
    for path, operation in operations:
        if declared(operation.view_func) is True:
            continue
        permissions = [getattr(cb, "permission", None) for cb in operation.auth_callbacks]
        if not permissions or None in permissions:
            undeclared.append(f"{sorted(operation.methods)} {path}")
    assert undeclared == []


def test_an_undeclared_view_is_unreachable_even_for_a_signed_in_user(rf, cast):
    from django.http import HttpResponse

    from casebridge.permissions import DenyByDefaultMiddleware

    def forgotten(request):
        return HttpResponse("secret")

    request = rf.get("/forgotten/")
    request.user = cast["petra"]
    middleware = DenyByDefaultMiddleware(lambda r: HttpResponse())
    try:
        middleware.process_view(request, forgotten, (), {})
    except Exception as refused:
        assert type(refused).__name__ == "Http404"
    else:
        raise AssertionError("an undeclared view was let through")

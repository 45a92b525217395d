"""The interface language: a signed-in person's own choice, else the browser's (docs/i18n.md).

Django's LocaleMiddleware picks the language of every request from the language cookie, then
Accept-Language, then LANGUAGE_CODE. Once the person is known (the web session's middleware, or the
API's token authentication), the language they chose wins over both: it follows them to any browser
and to the API's messages."""

from django.conf import settings
from django.utils import translation


def supported(code) -> bool:
    """Whether `code` is one of the interface languages (settings.LANGUAGES)."""
    return isinstance(code, str) and code in dict(settings.LANGUAGES)


def use_preferred(request, person) -> None:
    """Activate `person`'s chosen language for the rest of this request, if they chose one."""
    code = getattr(person, "language", "")
    if supported(code):
        translation.activate(code)
        request.LANGUAGE_CODE = code


def remember(response, code: str):
    """Set the language cookie, which LocaleMiddleware reads on the next request, signed in or not."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    return response

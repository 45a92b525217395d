"""Token authentication for the API, one instance per operation carrying the permission it needs.

`token(Perm.X)` is the only way an operation declares what it requires; the API's default is
`token(None)`, which refuses everything, so an operation someone forgot to declare is closed
rather than open. Role checks here are coarse; the services decide per record.
"""

from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from casebridge.accounts import throttle
from casebridge.accounts.language import use_preferred
from casebridge.accounts.services import authenticate_token
from casebridge.errors import InvalidInput, NotVisible
from casebridge.permissions import public
from casebridge.policy import Perm, decide_purpose, role_allows
from casebridge.vocabulary import Purpose

PURPOSE_HEADER = "X-Casebridge-Purpose"

__all__ = ["PURPOSE_HEADER", "TokenAuth", "public", "token"]


class TokenAuth(HttpBearer):
    """`Authorization: Bearer cb_<key>_<secret>` for a practitioner whose role grants `permission`."""

    def __init__(self, permission: Perm | None):
        self.permission = permission
        super().__init__()

    def authenticate(self, request, token: str):
        # Every attempt counts against the address, unknown tokens included; a known token's
        # requests count against its practitioner too.
        throttle.count(request, throttle.Scope.TOKEN, None)
        practitioner = authenticate_token(token)
        if practitioner is None:
            return None  # ninja answers 401
        throttle.count(request, throttle.Scope.TOKEN, f"practitioner:{practitioner.pk}")
        # From here on the messages are for this person: in the language they chose, if they did
        # (else LocaleMiddleware's, from Accept-Language).
        use_preferred(request, practitioner)
        _check_purpose(request, practitioner)
        if self.permission is None or not role_allows(practitioner, self.permission):
            # 404, not 403: a role that may not use an operation learns nothing from it.
            raise NotVisible(f"role does not grant {self.permission}")
        request.user = practitioner
        return practitioner


def _check_purpose(request, practitioner) -> None:
    # The middleware falls back to case management for the web, where the purpose comes from the
    # session; an API client that declares a purpose we do not know, or one reserved to another
    # role, must hear so, not be relabelled.
    raw = getattr(request, "purpose_raw", Purpose.CASE_MANAGEMENT)
    if raw not in Purpose.values:
        raise InvalidInput(_("Unknown purpose %(purpose)r; use one of: %(purposes)s.")
                           % {"purpose": raw[:40], "purposes": ", ".join(Purpose.values)},
                           field=PURPOSE_HEADER, code="invalid_purpose")
    decision = decide_purpose(practitioner, raw)
    if not decision:
        raise InvalidInput(f"{decision.reason[0].upper()}{decision.reason[1:]}.", field=PURPOSE_HEADER,
                           code="purpose_reserved")
    request.purpose = raw


def token(perm: Perm | None) -> TokenAuth:
    """The auth for an operation that requires `perm` (None: refuse every caller)."""
    return TokenAuth(perm)

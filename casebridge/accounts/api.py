"""The caller's own account and API tokens on the REST API.

Tokens are listed and revoked here, never issued: a bearer token does not carry the second
factor, and a token that could mint tokens would outlive its own expiry. People issue their own
tokens on their account page (/accounts/tokens/), service accounts get theirs from an
administrator of their agency on the administration page.
"""

from datetime import datetime

from ninja import Field, Router, Schema

from casebridge.accounts import services
from casebridge.api.auth import token
from casebridge.api.errors import responses
from casebridge.policy import Perm
from casebridge.policy.roles import decide_agency_kind
from casebridge.vocabulary import Purpose, Role

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    agency_id: int
    agency_name: str
    role: Role
    clearance: int
    clearance_label: str
    permissions: list[Perm]
    is_service_account: bool
    purpose: Purpose = Field(..., description="The purpose this request declared (X-Casebridge-Purpose).")


class TokenOut(Schema):
    id: int
    name: str
    key_id: str
    practitioner_id: int
    practitioner_username: str
    agency_id: int
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @staticmethod
    def resolve_practitioner_username(obj) -> str:
        return obj.practitioner.username


@router.get("/me", response=responses(MeOut), auth=token(Perm.ACCOUNT_SELF))
def me(request):
    """Who the token stands for, what their role and their agency's kind allow, and the purpose declared."""
    user = request.user
    return {
        "id": user.pk, "username": user.username, "display_name": user.display_name,
        "agency_id": user.agency_id, "agency_name": user.agency.name, "role": user.role,
        "clearance": user.clearance, "clearance_label": user.clearance_label,
        "permissions": [perm for perm in Perm if decide_agency_kind(user, perm)], "purpose": request.purpose,
        "is_service_account": user.is_service_account,
    }


@router.get("/me/tokens", response=responses(list[TokenOut]), auth=token(Perm.ACCOUNT_SELF))
def list_own_tokens(request):
    """The caller's own tokens, newest first (the secrets are never shown again)."""
    return services.own_tokens(request.user).select_related("practitioner")


@router.get("/tokens", response=responses(list[TokenOut]), auth=token(Perm.TOKEN_MANAGE))
def list_tokens(request):
    """The tokens of the agencies the caller administers, newest first."""
    return services.administered_tokens(request.user)


@router.post("/tokens/{int:token_id}/revoke", response=responses(TokenOut), auth=token(Perm.ACCOUNT_SELF))
def revoke_token(request, token_id: int):
    """Revoke a token at once: one's own, or one of an agency the caller administers (others: 404).
    Revoking one already revoked changes nothing."""
    return services.revoke_token(actor=request.user, token_id=token_id, purpose=request.purpose)

"""The caller's own account and API tokens on the REST API.

A token's secret is shown once, in the response that issues it; only its hash is stored.
"""

from datetime import datetime

from ninja import Field, Router, Schema, Status

from casebridge.accounts import services
from casebridge.api.auth import token
from casebridge.api.errors import responses
from casebridge.policy import Perm, role_allows
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
    purpose: Purpose = Field(..., description="The purpose this request declared (X-Casebridge-Purpose).")


class TokenOut(Schema):
    id: int
    name: str
    key_id: str
    practitioner_id: int
    practitioner_username: str
    agency_id: int
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @staticmethod
    def resolve_practitioner_username(obj) -> str:
        return obj.practitioner.username


class IssuedTokenOut(TokenOut):
    token: str = Field(..., description="The bearer token. Shown once: store it now, it cannot be read again.")


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=120, description="What system uses this token.")
    expires_at: datetime | None = Field(None, description="Never expires when left out.")


@router.get("/me", response=responses(MeOut), auth=token(Perm.ACCOUNT_SELF))
def me(request):
    """Who the token stands for, what their role allows, and the purpose declared."""
    user = request.user
    return {
        "id": user.pk, "username": user.username, "display_name": user.display_name,
        "agency_id": user.agency_id, "agency_name": user.agency.name, "role": user.role,
        "clearance": user.clearance, "clearance_label": user.clearance_label,
        "permissions": [perm for perm in Perm if role_allows(user, perm)], "purpose": request.purpose,
    }


@router.get("/tokens", response=responses(list[TokenOut]), auth=token(Perm.TOKEN_MANAGE))
def list_tokens(request):
    """The tokens of the agencies the caller administers, newest first."""
    return services.administered_tokens(request.user)


@router.post("/practitioners/{int:practitioner_id}/tokens", response=responses(IssuedTokenOut, 201),
             auth=token(Perm.TOKEN_MANAGE))
def issue_token(request, practitioner_id: int, payload: TokenIn):
    """Issue a token for a practitioner of an agency the caller administers."""
    issued, raw = services.issue_token(actor=request.user, practitioner_id=practitioner_id, name=payload.name,
                                       expires_at=payload.expires_at, purpose=request.purpose)
    issued.token = raw  # on this response only; the model has no field for it and stores only the hash
    return Status(201, issued)


@router.post("/tokens/{int:token_id}/revoke", response=responses(TokenOut), auth=token(Perm.TOKEN_MANAGE))
def revoke_token(request, token_id: int):
    """Revoke a token at once; revoking one already revoked changes nothing."""
    return services.revoke_token(actor=request.user, token_id=token_id, purpose=request.purpose)

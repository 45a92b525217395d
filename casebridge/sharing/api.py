"""Agreements, consents and disclosures on the REST API: the same services as the web pages.

Each operation names the role permission it needs (`token(Perm.X)`); whether the caller may see
this agreement or case, or change it, is the services' decision, so the answers (404 for what is
not theirs to see, 403 for what they may see but not change) are those of the web.
"""

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from ninja import File, Form, Router, Status, UploadedFile

from casebridge.api.auth import token
from casebridge.api.errors import responses
from casebridge.items.attachments import MAX_BYTES
from casebridge.policy import Perm
from casebridge.sharing import agreements, services
from casebridge.sharing.schemas import (AgreementIn, AgreementVersionOut, ConsentIn, ConsentOut, DisclosureOut,
                                        ReasonIn, TermsIn, WithdrawIn, consent_out)

router = Router(tags=["sharing"])


@router.get("/agreements", response=responses(list[AgreementVersionOut]), auth=token(Perm.AGREEMENT_VIEW))
def list_agreements(request):
    """Every version of the agreements the caller's agency is party to, newest first."""
    return agreements.list_agreements(actor=request.user, purpose=request.purpose)


@router.post("/agreements", response=responses(AgreementVersionOut, 201), auth=token(Perm.AGREEMENT_MANAGE))
def draft_agreement(request, payload: AgreementIn):
    """Draft a new agreement (version 1). It gives no access until an administrator of every party signs."""
    version = agreements.draft_agreement(actor=request.user, data=payload.dict(), purpose=request.purpose)
    return Status(201, version)


@router.get("/agreements/versions/{int:version_id}", response=responses(AgreementVersionOut),
            auth=token(Perm.AGREEMENT_VIEW))
def get_version(request, version_id: int):
    """One version with its parties, signatures and rules."""
    return agreements.get_version(actor=request.user, version_id=version_id, purpose=request.purpose)


@router.post("/agreements/{int:agreement_id}/versions", response=responses(AgreementVersionOut, 201),
             auth=token(Perm.AGREEMENT_MANAGE))
def amend_agreement(request, agreement_id: int, payload: TermsIn):
    """Draft the next version. The version in force stays in force until every party signs the new one."""
    version = agreements.amend_agreement(actor=request.user, agreement_id=agreement_id, data=payload.dict(),
                                         purpose=request.purpose)
    return Status(201, version)


@router.post("/agreements/versions/{int:version_id}/sign", response=responses(AgreementVersionOut),
             auth=token(Perm.AGREEMENT_MANAGE))
def sign_agreement(request, version_id: int):
    """Sign a draft for the caller's agency; the last party's signature puts it in force."""
    return agreements.sign_agreement(actor=request.user, version_id=version_id, purpose=request.purpose)


@router.post("/agreements/versions/{int:version_id}/withdraw", response=responses(AgreementVersionOut),
             auth=token(Perm.AGREEMENT_MANAGE))
def withdraw_draft(request, version_id: int):
    """Withdraw a draft awaiting sign-off (an administrator of a party): it can no longer be signed."""
    return agreements.withdraw_draft(actor=request.user, version_id=version_id, purpose=request.purpose)


@router.post("/agreements/versions/{int:version_id}/suspend", response=responses(AgreementVersionOut),
             auth=token(Perm.AGREEMENT_MANAGE))
def suspend_agreement(request, version_id: int, payload: ReasonIn):
    """Stop all sharing under a version in force, from the next request on."""
    return agreements.set_suspended(actor=request.user, version_id=version_id, suspended=True,
                                    reason=payload.reason, purpose=request.purpose)


@router.post("/agreements/versions/{int:version_id}/resume", response=responses(AgreementVersionOut),
             auth=token(Perm.AGREEMENT_MANAGE))
def resume_agreement(request, version_id: int, payload: ReasonIn):
    """Resume a suspended version: only an administrator of the party that suspended it may (403 otherwise)."""
    return agreements.set_suspended(actor=request.user, version_id=version_id, suspended=False,
                                    reason=payload.reason, purpose=request.purpose)


@router.get("/cases/{int:case_id}/consents", response=responses(list[ConsentOut]), auth=token(Perm.CASE_VIEW))
def list_consents(request, case_id: int):
    """The consents of the case's client, given and withdrawn; the evidence only where you may read it."""
    _, rows = services.consents_for_case(actor=request.user, case_id=case_id, purpose=request.purpose)
    return [consent_out(row) for row in rows]


def _given(request, case_id: int, payload: ConsentIn, form=None):
    consent = services.give_consent(actor=request.user, case_id=case_id, data=payload.dict(), form=form,
                                    purpose=request.purpose)
    return Status(201, consent_out(services.consent_row(actor=request.user, case_id=case_id, consent=consent)))


@router.post("/cases/{int:case_id}/consents", response=responses(ConsentOut, 201), auth=token(Perm.CONSENT_MANAGE))
def give_consent(request, case_id: int, payload: ConsentIn):
    """Record the client's consent for one agency or every agency of a kind × categories × purpose, with a
    note of how and where it was given. Recorded by the lead agency or the coordinator, never by an agency
    that receives under it (403 `consent_not_allowed`)."""
    return _given(request, case_id, payload)


@router.post("/cases/{int:case_id}/consents/signed", response=responses(ConsentOut, 201),
             auth=token(Perm.CONSENT_MANAGE))
def give_consent_with_form(request, case_id: int, payload: Form[ConsentIn], file: File[UploadedFile]):
    """The same, as multipart form data with the signed consent form in `file` (PDF, PNG, JPEG or plain
    text, at most 5 MB); the note (`evidence`) is then optional."""
    # One byte past the limit is enough for the service to refuse; the rest is never read.
    return _given(request, case_id, payload, form=(file.name, file.read(MAX_BYTES + 1)))


@router.post("/cases/{int:case_id}/consents/{int:consent_id}/withdraw", response=responses(ConsentOut),
             auth=token(Perm.CONSENT_MANAGE))
def withdraw_consent(request, case_id: int, consent_id: int, payload: WithdrawIn):
    """Withdraw a consent at once (any member of the case team): what only it allowed is hidden from the
    next request on."""
    consent = services.withdraw_consent(actor=request.user, case_id=case_id, consent_id=consent_id,
                                        note=payload.note, purpose=request.purpose)
    return consent_out(services.consent_row(actor=request.user, case_id=case_id, consent=consent))


@router.get("/cases/{int:case_id}/consents/{int:consent_id}/form", response=responses(None),
            auth=token(Perm.CASE_VIEW),
            openapi_extra={"responses": {"200": {"description": "The signed consent form, as uploaded.",
                                                 "content": {"application/octet-stream": {}}}}})
def consent_form(request, case_id: int, consent_id: int):
    """The signed form of a consent, for those who may read its evidence (404 otherwise)."""
    document = services.open_consent_form(actor=request.user, case_id=case_id, consent_id=consent_id,
                                          purpose=request.purpose)
    response = HttpResponse(bytes(document.data), content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(True, document.filename)
    response["Cache-Control"] = "no-store, private"
    return response


@router.get("/cases/{int:case_id}/disclosures", response=responses(list[DisclosureOut]), auth=token(Perm.CASE_VIEW))
def list_disclosures(request, case_id: int):
    """Disclosures on the case made by the caller's agency, or to it of items the caller may read."""
    _, disclosures = services.disclosures_for_case(actor=request.user, case_id=case_id, purpose=request.purpose)
    return disclosures


@router.post("/cases/{int:case_id}/disclosures/{int:disclosure_id}/revoke", response=responses(DisclosureOut),
             auth=token(Perm.ITEM_DISCLOSE))
def revoke_disclosure(request, case_id: int, disclosure_id: int):
    """The originator revokes a disclosure; the recipient loses that basis from the next request on."""
    return services.revoke_disclosure(actor=request.user, disclosure_id=disclosure_id, case_id=case_id,
                                      purpose=request.purpose)

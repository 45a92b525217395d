"""Data protection on the REST API: subject access (JSON and PDF), withholding, transparency notice."""

from ninja import Router, Status

from casebridge.api.auth import token
from casebridge.api.errors import ERRORS, responses
from casebridge.dataprotection import export, pdf, services, transparency
from casebridge.documents.pdf import as_response
from casebridge.dataprotection.schemas import (PendingOut, ReleaseOut, SubjectAccessOut, TransparencyOut, WithheldOut,
                                               WithholdIn)
from casebridge.policy import Perm

router = Router(tags=["data protection"])
PDF_RESPONSE = {"responses": {200: {"description": "A PDF document.", "content": {"application/pdf": {}}}}}


@router.get("/clients/{int:client_id}/subject-access", response=responses(SubjectAccessOut),
            auth=token(Perm.SUBJECT_ACCESS))
def subject_access(request, client_id: int):
    """The client's subject access export (for a DPO of an agency that is or was on one of the client's cases)."""
    return export.subject_access_export(actor=request.user, client_id=client_id, purpose=request.purpose)


@router.get("/clients/{int:client_id}/subject-access.pdf", response=ERRORS, auth=token(Perm.SUBJECT_ACCESS),
            openapi_extra=PDF_RESPONSE)
def subject_access_pdf(request, client_id: int):
    """The same export as a PDF to hand to the client."""
    document = export.subject_access_export(actor=request.user, client_id=client_id, purpose=request.purpose,
                                            fmt="pdf")
    return as_response(pdf.subject_access_pdf(document), f"subject-access-{client_id}.pdf")


def _withheld(item) -> dict:
    held = item.withholding
    return {"item_id": item.pk, "case_reference": item.case.reference, "title": item.title,
            "legal_reason": held.legal_reason, "recorded_by": held.recorded_by.display_name,
            "recorded_at": held.recorded_at}


@router.get("/clients/{int:client_id}/withholdings", response=responses(list[WithheldOut]),
            auth=token(Perm.SUBJECT_ACCESS))
def withholdings(request, client_id: int):
    """The items of the caller's agency withheld from subject access, with their legal reasons (never part of
    the export)."""
    overview = services.subject_access_overview(actor=request.user, client_id=client_id, purpose=request.purpose)
    return [_withheld(item) for item in overview.withheld]


@router.post("/clients/{int:client_id}/items/{int:item_id}/withholding", response=responses(WithheldOut, 201),
             auth=token(Perm.SUBJECT_ACCESS))
def withhold(request, client_id: int, item_id: int, payload: WithholdIn):
    """Withhold one item on the client's cases from subject access, with the legal reason."""
    held = services.withhold_item(actor=request.user, client_id=client_id, item_id=item_id,
                                  legal_reason=payload.legal_reason, purpose=request.purpose)
    return Status(201, _withheld(held.item))


@router.delete("/clients/{int:client_id}/items/{int:item_id}/withholding", response={204: None, **ERRORS},
               auth=token(Perm.SUBJECT_ACCESS))
def lift(request, client_id: int, item_id: int):
    """Lift a withholding: the item goes into the client's next export."""
    services.lift_withholding(actor=request.user, client_id=client_id, item_id=item_id, purpose=request.purpose)
    return Status(204, None)


@router.get("/clients/{int:client_id}/subject-access/pending", response=responses(list[PendingOut]),
            auth=token(Perm.SUBJECT_ACCESS))
def pending(request, client_id: int):
    """Items the caller's agency received that await their originating agency's release."""
    overview = services.subject_access_overview(actor=request.user, client_id=client_id, purpose=request.purpose)
    return [{"item_id": item.pk, "case_reference": item.case.reference, "category": item.category,
             "recorded_by_agency": item.originating_agency.name, "classification_label": item.classification_label}
            for item in overview.pending]


@router.post("/clients/{int:client_id}/items/{int:item_id}/release", response=responses(ReleaseOut, 201),
             auth=token(Perm.SUBJECT_ACCESS))
def release(request, client_id: int, item_id: int):
    """Release an item of the caller's agency for the subject access answers of the agencies that received it."""
    done = services.release_for_subject_access(actor=request.user, client_id=client_id, item_id=item_id,
                                               purpose=request.purpose)
    return Status(201, {"item_id": done.item_id, "released_by": done.released_by.display_name,
                        "released_at": done.released_at})


@router.delete("/clients/{int:client_id}/items/{int:item_id}/release", response={204: None, **ERRORS},
               auth=token(Perm.SUBJECT_ACCESS))
def withdraw_release(request, client_id: int, item_id: int):
    """Withdraw a release: receiving agencies list the item as awaiting the originator again."""
    services.withdraw_release(actor=request.user, client_id=client_id, item_id=item_id, purpose=request.purpose)
    return Status(204, None)


@router.get("/cases/{int:case_id}/transparency", response=responses(TransparencyOut), auth=token(Perm.CASE_VIEW))
def transparency_notice(request, case_id: int, language: str | None = None):
    """The client's transparency notice: who may share what with whom, on which basis; disclosures counted; the
    contacts of each agency's controller and data protection officer; the client's rights and how to complain. In
    `language` (one the deployment has the notice in), else the client's."""
    return transparency.transparency_notice(actor=request.user, case_id=case_id, purpose=request.purpose, fmt="json",
                                            language=language)


@router.get("/cases/{int:case_id}/transparency.pdf", response=ERRORS, auth=token(Perm.CASE_VIEW),
            openapi_extra=PDF_RESPONSE)
def transparency_notice_pdf(request, case_id: int, language: str | None = None):
    """The transparency notice as a PDF to give to the client, in `language` or else the client's."""
    notice = transparency.transparency_notice(actor=request.user, case_id=case_id, purpose=request.purpose, fmt="pdf",
                                              language=language)
    return as_response(pdf.transparency_pdf(notice), f"transparency-{notice.case_reference}-{notice.language}.pdf")

"""Information items on the REST API: the same operations as the web pages, through the same services.

Each operation names the role permission it needs (`token(Perm.X)`); whether the caller may read
or change this particular item is the services' decision, through the policy, so an item the
caller may not read is a 404 here exactly as on the web. Source and method leave only through
`schemas.item_out`, for the originating agency.
"""

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from ninja import File, Query, Router, Status, UploadedFile

from casebridge.api.auth import token
from casebridge.api.errors import responses
from casebridge.cases import services as cases
from casebridge.items import attachments, readership, services
from casebridge.items.reading import CaseReading
from casebridge.items.schemas import (AttachmentOut, DeriveIn, DiscloseIn, ItemDisclosureOut, ItemIn, ItemOut,
                                      ItemPatch, PreviewOut, ReaderOut, RetractIn, RetractOut, TimelineOut, UseRightOut,
                                      item_out)
from casebridge.policy import USE_RIGHTS, Perm, role_allows
from casebridge.sharing import services as sharing
from casebridge.vocabulary import Category

router = Router(tags=["items"])

CLEARANCE_NOTE = ("Clearance is personal: each of the agency's people sees only the items up to their own clearance, "
                  "and only while on the case team.")


def _after_edit(request, item_id) -> ItemOut:
    # The change is audited by its service; echoing the record just changed is part of that
    # operation, not a second consultation.
    item, decision = services.get_item(actor=request.user, item_id=item_id, purpose=request.purpose, audit=False,
                                       display=False)
    return item_out(request.user, item, decision)


@router.get("/cases/{int:case_id}/items", response=responses(TimelineOut), auth=token(Perm.ITEM_READ))
def list_items(request, case_id: int, offset: int = Query(0, ge=0, le=10**6), limit: int = Query(50, ge=1, le=200),
               category: Category | None = None):
    """One page of the items on the case the caller may read, newest first, each with its basis."""
    reading = CaseReading(request.user, cases.load_case(case_id, display=False), request.purpose)
    shown, total = services.timeline(actor=request.user, case_id=case_id, purpose=request.purpose, offset=offset,
                                     limit=limit, category=category, reading=reading)
    hidden = reading.hidden_by_purpose()
    for item, decision in shown:
        item.visible_because = decision.reason
    # The records themselves: the response's schema (ItemOut) reads each once. An ItemOut built
    # here would be read a second time by it, at twice the cost of a page's decisions.
    return {"total": total, "offset": offset, "limit": limit, "items": [item for item, _ in shown],
            "hidden_by_purpose": [{"purpose": p, "label": str(label), "count": n} for p, label, n in hidden]}


@router.post("/cases/{int:case_id}/items", response=responses(ItemOut, 201), auth=token(Perm.ITEM_RECORD))
def record_item(request, case_id: int, payload: ItemIn):
    """Record an item on a case the caller works on; the caller's agency is its originator."""
    item = services.record_item(actor=request.user, case_id=case_id, data=payload.dict(), purpose=request.purpose)
    return Status(201, _after_edit(request, item.pk))


@router.get("/items/{int:item_id}", response=responses(ItemOut), auth=token(Perm.ITEM_READ))
def get_item(request, item_id: int):
    """One item, why the caller may read it, and (originating agency only) its source and method."""
    item, decision = services.get_item(actor=request.user, item_id=item_id, purpose=request.purpose, display=False)
    return item_out(request.user, item, decision)


@router.patch("/items/{int:item_id}", response=responses(ItemOut), auth=token(Perm.ITEM_RECORD))
def amend_item(request, item_id: int, payload: ItemPatch):
    """Amend an item of the caller's agency; fields not sent keep their values, the old text is kept."""
    # Ownership first: another agency's item is refused before its fields (source, method) are read.
    item = services.own_item(request.user, item_id, request.purpose)
    data = {name: getattr(item, name) for name in services.EDITABLE}
    data.update(payload.dict(exclude_unset=True, exclude={"expected_version", "change_note"}))
    services.amend_item(actor=request.user, item_id=item.pk, data=data, change_note=payload.change_note,
                        expected_version=payload.expected_version, purpose=request.purpose)
    return _after_edit(request, item.pk)


@router.post("/items/{int:item_id}/derivatives", response=responses(ItemOut, 201), auth=token(Perm.ITEM_RECORD))
def derive_item(request, item_id: int, payload: DeriveIn):
    """Create a sanitised derivative (tearline) at a lower classification, without source or method."""
    derivative = services.derive_item(actor=request.user, item_id=item_id, data=payload.dict(), purpose=request.purpose)
    return Status(201, _after_edit(request, derivative.pk))


@router.post("/items/{int:item_id}/retract", response=responses(RetractOut), auth=token(Perm.ITEM_RECORD))
def retract_item(request, item_id: int, payload: RetractIn):
    """Retract an item of the caller's agency and its derivatives; answers who had read them."""
    item, events = readership.retract_item(actor=request.user, item_id=item_id, reason=payload.reason,
                                         purpose=request.purpose)
    family = {item.pk, *item.derivatives.values_list("pk", flat=True)}
    return {"item": _after_edit(request, item.pk), "readers": readership.reader_rows(events, family)}


@router.get("/items/{int:item_id}/readers", response=responses(list[ReaderOut]), auth=token(Perm.ITEM_READ))
def item_readers(request, item_id: int):
    """Who read an item of the caller's agency, when, for which purpose and on which basis."""
    events = readership.item_readers(actor=request.user, item_id=item_id, purpose=request.purpose)
    return readership.reader_rows(events, {item_id})


@router.get("/items/{int:item_id}/use-rights", response=responses(list[UseRightOut]), auth=token(Perm.ITEM_READ))
def use_rights(request, item_id: int):
    """What the caller may do with the item (read, reshare, use in a decision …) and why, or why not."""
    item, _ = services.get_item(actor=request.user, item_id=item_id, purpose=request.purpose, audit=False)
    return [{"action": str(perm), "allowed": bool(decision), "reason": decision.reason}
            for perm, decision in ((perm, services.decide(request.user, perm, item, request.purpose))
                                   for perm in USE_RIGHTS if role_allows(request.user, perm))]


@router.post("/items/{int:item_id}/disclosures", response=responses(ItemDisclosureOut, 201),
             auth=token(Perm.ITEM_DISCLOSE))
def disclose_item(request, item_id: int, payload: DiscloseIn):
    """Release one item of the caller's agency to one member agency, with a justification."""
    disclosure = sharing.disclose_item(actor=request.user, item_id=item_id, recipient_id=payload.recipient,
                                       justification=payload.justification,
                                       allow_decision_use=payload.allow_decision_use, purpose=request.purpose)
    return Status(201, disclosure)


@router.post("/disclosures/{int:disclosure_id}/revoke", response=responses(ItemDisclosureOut),
             auth=token(Perm.ITEM_DISCLOSE))
def revoke_disclosure(request, disclosure_id: int):
    """Revoke a disclosure: the recipient stops seeing the item on its very next request."""
    return sharing.revoke_disclosure(actor=request.user, disclosure_id=disclosure_id, purpose=request.purpose)


@router.post("/items/{int:item_id}/attachments", response=responses(AttachmentOut, 201), auth=token(Perm.ITEM_RECORD))
def attach(request, item_id: int, file: File[UploadedFile]):
    """Attach a file (multipart field `file`): PDF, PNG, JPEG or plain text, at most 5 MB."""
    # One byte past the limit is enough for the service to refuse; the rest is never read.
    attachment = attachments.attach(actor=request.user, item_id=item_id, filename=file.name,
                                    content=file.read(attachments.MAX_BYTES + 1), purpose=request.purpose)
    return Status(201, attachment)


@router.get("/attachments/{int:attachment_id}", response=responses(None), auth=token(Perm.ITEM_READ),
            openapi_extra={"responses": {"200": {"description": "The file, as uploaded.",
                                                 "content": {"application/octet-stream": {}}}}})
def download(request, attachment_id: int):
    """The file of an attachment of an item the caller may read."""
    attachment = attachments.open_attachment(actor=request.user, attachment_id=attachment_id, purpose=request.purpose)
    response = HttpResponse(bytes(attachment.data), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.filename)
    response["Cache-Control"] = "no-store, private"
    return response


@router.get("/cases/{int:case_id}/preview", response=responses(PreviewOut), auth=token(Perm.ITEM_DISCLOSE))
def preview(request, case_id: int, agency: int = Query(..., ge=1)):
    """Which of the caller's agency's items on the case another agency could read, and on which basis."""
    found, member, rows = readership.preview_as(actor=request.user, case_id=case_id, agency_id=agency,
                                              purpose=request.purpose)
    return {"agency": found, "member": member, "note": CLEARANCE_NOTE, "items": [
        {"id": item.pk, "title": item.title, "category": item.category, "classification": item.classification,
         "classification_label": item.classification_label, "handling_codes": item.handling_codes,
         "visible": basis is not None, "basis": basis} for item, basis in rows]}

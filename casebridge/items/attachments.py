"""Files attached to items: size-limited, type-checked by content, stored with their SHA-256."""

import hashlib
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.errors import InvalidInput, NotVisible
from casebridge.items import services as items
from casebridge.items.models import Attachment

MAX_BYTES = 5 * 1024 * 1024
# Accepted types, recognised by their first bytes rather than by the name the uploader gave.
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}


def sniff(content: bytes) -> str | None:
    for content_type, prefixes in SIGNATURES.items():
        if content.startswith(prefixes):
            return content_type
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text/plain" if b"\x00" not in content else None


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int
    sha256: str


def check_file(filename: str, content: bytes, *, field: str = "file") -> CheckedFile:
    """A file fit to store: a plain name, not empty, at most MAX_BYTES, of an accepted type
    recognised by its content. Used for item attachments and signed consent forms alike."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or len(name) > 200:
        raise InvalidInput(_("The file needs a name of at most 200 characters."), field=field)
    if not content:
        raise InvalidInput(_("The file is empty."), field=field)
    if len(content) > MAX_BYTES:
        raise InvalidInput(_("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)}, field=field)
    content_type = sniff(content)
    if content_type is None:
        raise InvalidInput(_("Only PDF, PNG, JPEG and plain-text files are accepted."), field=field)
    return CheckedFile(name, content_type, len(content), hashlib.sha256(content).hexdigest())


def attach(*, actor, item_id, filename: str, content: bytes, purpose: str) -> Attachment:
    """Attach a file to an item of the actor's agency."""
    item = items.own_item(actor, item_id, purpose)
    checked = check_file(filename, content)
    name = checked.name
    attachment = Attachment.objects.create(item=item, filename=name, content_type=checked.content_type,
                                           size=checked.size, sha256=checked.sha256, data=content,
                                           uploaded_at=timezone.now(), uploaded_by=actor)
    record(actor=actor, operation=Operation.CREATE, obj=attachment, case_id=item.case_id, purpose=purpose,
           detail={"item": item.pk, "sha256": attachment.sha256, "size": attachment.size})
    return attachment


def open_attachment(*, actor, attachment_id, purpose: str) -> Attachment:
    """An attachment of an item the actor may read (404 otherwise); audited as a read."""
    attachment = Attachment.objects.filter(pk=attachment_id).first() if str(attachment_id).isdigit() else None
    if attachment is None:
        raise NotVisible("no such attachment")
    item, decision = items.get_item(actor=actor, item_id=attachment.item_id, purpose=purpose, audit=False)
    record(actor=actor, operation=Operation.READ, obj=attachment, case_id=item.case_id, purpose=purpose,
           recipients=[actor.agency.name] if item.originating_agency_id != actor.agency_id else [],
           detail={"item": item.pk, "basis": decision.reason, "sha256": attachment.sha256},
           concerning=[item])
    return attachment

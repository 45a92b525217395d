"""Signed checkpoints of the chain head, kept outside the database.

A checkpoint says "event #seq of this installation's trail had hash H at time T", signed with an
Ed25519 key read from a file (CASEBRIDGE_AUDIT_SIGNING_KEY), and is written as one small JSON file
in a directory (CASEBRIDGE_AUDIT_CHECKPOINT_DIR). Neither is in the database: an insider who can
rewrite the audit tables, even recompute every hash after a change, cannot make the trail agree
with a checkpoint signed before, nor sign a new one. `casebridge audit checkpoint` (run by a timer)
and `casebridge audit verify` write them; `casebridge.audit.verification` checks the trail
against them.
"""

import base64
import json
import os
import tempfile
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.utils import timezone

CHAIN = "casebridge-audit"


class CheckpointError(Exception):
    """The key or a checkpoint cannot be used; the message is one line for the operator."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str  # ISO 8601, when it was signed
    key: str  # fingerprint of the public key that signed it
    signature: str  # base64
    name: str = ""  # its file name

    def describe(self) -> str:
        return f"#{self.seq} {self.hash} signed {self.at}"


def _message(seq: int, digest: str, at: str) -> bytes:
    return json.dumps({"chain": CHAIN, "seq": seq, "hash": digest, "at": at},
                      sort_keys=True, separators=(",", ":")).encode()


def key_path() -> Path:
    return Path(settings.CASEBRIDGE_AUDIT_SIGNING_KEY)


def directory() -> Path:
    return Path(settings.CASEBRIDGE_AUDIT_CHECKPOINT_DIR)


def create_key(path: Path | None = None) -> Path:
    """Write a new Ed25519 private key (PEM, readable by its owner only); refuses to replace one."""
    path = path or key_path()
    if path.exists():
        raise CheckpointError(f"a signing key already exists at {path}; it is never replaced")
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                     serialization.NoEncryption())
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    return path


def signing_key() -> Ed25519PrivateKey:
    """The installation's key. Demo and development make one in the data directory the first time;
    production refuses to run without one made on purpose (`casebridge audit keygen`)."""
    path = key_path()
    if not path.exists():
        if settings.MODE == "production":
            raise CheckpointError(f"no audit signing key at {path}: run `casebridge audit keygen` once")
        create_key(path)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise CheckpointError(f"the audit signing key at {path} cannot be read: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError(f"the audit signing key at {path} is not an Ed25519 key")
    return key


def fingerprint(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return sha256(raw).hexdigest()[:16]


def sign(seq: int, digest: str) -> Checkpoint:
    """Sign "event #seq has hash `digest`" and write it to the checkpoint directory."""
    key, at = signing_key(), timezone.now().isoformat(timespec="seconds")
    signature = base64.b64encode(key.sign(_message(seq, digest, at))).decode()
    checkpoint = Checkpoint(seq, digest, at, fingerprint(key), signature, f"{seq:012d}-{digest[:16]}.json")
    folder = directory()
    folder.mkdir(parents=True, exist_ok=True)
    body = {"chain": CHAIN, "seq": seq, "hash": digest, "at": at, "key": checkpoint.key, "signature": signature}
    with tempfile.NamedTemporaryFile("w", dir=folder, suffix=".tmp", delete=False, encoding="utf-8") as handle:
        json.dump(body, handle, sort_keys=True, indent=1)
    os.replace(handle.name, folder / checkpoint.name)  # a reader never sees half a checkpoint
    return checkpoint


def load() -> list[Checkpoint]:
    """Every checkpoint in the directory, oldest first, each checked against the key. Raises
    CheckpointError naming the first that is unreadable or not signed by this installation's key."""
    folder = directory()
    if not folder.is_dir():
        return []
    names = sorted(path.name for path in folder.glob("*.json"))
    if not names:
        return []
    key = signing_key()
    found = [_checked(folder / name, key) for name in names]
    return sorted(found, key=lambda checkpoint: (checkpoint.seq, checkpoint.at))


def _checked(path: Path, key: Ed25519PrivateKey) -> Checkpoint:
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        checkpoint = Checkpoint(int(body["seq"]), str(body["hash"]), str(body["at"]), str(body["key"]),
                                str(body["signature"]), path.name)
        signature = base64.b64decode(checkpoint.signature, validate=True)
    except (OSError, ValueError, KeyError, TypeError):
        raise CheckpointError(f"checkpoint {path.name} is unreadable") from None
    if checkpoint.key != fingerprint(key):
        raise CheckpointError(f"checkpoint {path.name} was signed by another key ({checkpoint.key})")
    try:
        key.public_key().verify(signature, _message(checkpoint.seq, checkpoint.hash, checkpoint.at))
    except InvalidSignature:
        raise CheckpointError(f"checkpoint {path.name} does not carry a valid signature") from None
    return checkpoint

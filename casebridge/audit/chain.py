"""The chain's arithmetic: an event's hash covers its fields and the previous event's hash."""

import json
from hashlib import sha256

GENESIS = "0" * 64

# The canonical form of an event: what json.dumps(..., sort_keys=True, separators=(",", ":"),
# ensure_ascii=False) gives, from one encoder built once instead of one per event.
_canonical = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def canonical(value) -> str:
    """A JSON value in the chain's canonical form: what SQLite stores for the trail's JSON columns,
    so that verification can hash the stored text as it stands (casebridge.audit.stored_text)."""
    return _canonical(value)


def compute_hash(seq, at, operation, purpose, actor_id, actor_username, agency_id, agency_name,
                 object_type, object_id, case_id, recipients, detail, prev_hash, concerns=None) -> str:
    return hash_values(seq, at.isoformat(), operation, purpose, actor_id, actor_username, agency_id, agency_name,
                       object_type, object_id, case_id, recipients, detail, prev_hash, concerns=concerns)


def hash_template(at, operation, purpose, actor_id, actor_username, agency_id, agency_name, object_type,
                  object_id, case_id, recipients, detail, concerns=None) -> tuple[str, str]:
    """An event's canonical form around its place in the chain, for the database to hash once it
    knows the place (PostgreSQL, casebridge_audit_append): the hash is
    sha256("[" + seq + middle + '"' + prev_hash + '"' + tail), the same as `compute_hash` gives."""
    between = [at.isoformat(), operation, purpose, actor_id, actor_username, agency_id, agency_name, object_type,
               object_id, case_id, recipients, detail]
    after = [sorted([agency, sorted(items)] for agency, items in concerns.items())] if concerns else []
    return f",{_canonical(between)[1:-1]},", f"{',' + _canonical(after)[1:-1] if after else ''}]"


def templates(entries: list[tuple[dict, dict]]) -> list[tuple[str, str]]:
    """`hash_template` of many events' (fields, concerns) at once: the part the events of a bulk
    load share (time, operation, purpose, actor, agency) is encoded once, not once an event."""
    shared: dict[tuple, str] = {}
    made = []
    for fields, concerns in entries:
        key = (fields["at"], fields["operation"], fields["purpose"], fields["actor_id"], fields["actor_username"],
               fields["agency_id"], fields["agency_name"])
        head = shared.get(key)
        if head is None:
            head = shared[key] = _canonical([key[0].isoformat(), *key[1:]])[1:-1]
        own = _canonical([fields["object_type"], fields["object_id"], fields["case_id"], fields["recipients"],
                          fields["detail"]])[1:-1]
        after = [sorted([agency, sorted(items)] for agency, items in concerns.items())] if concerns else []
        made.append((f",{head},{own},", f"{',' + _canonical(after)[1:-1] if after else ''}]"))
    return made


def templated_hash(seq: int, prev_hash: str, template: tuple[str, str]) -> str:
    """The hash `compute_hash` gives, from the event's `hash_template`."""
    middle, tail = template
    return sha256(f'[{seq}{middle}"{prev_hash}"{tail}'.encode()).hexdigest()


def hash_values(*values, concerns=None) -> str:
    """The hash of an event's values in `services._FIELDS` order, its time already in ISO 8601, and
    the items it concerns by agency ({agency id: [item ids]}). An event that concerns none hashes
    exactly as events did before agencies were recorded, so older chains still verify."""
    if concerns:
        values = (*values, sorted([agency, sorted(items)] for agency, items in concerns.items()))
    return sha256(_canonical(list(values)).encode()).hexdigest()

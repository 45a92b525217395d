"""Keyed fingerprints: how the audit trail keeps a value checkable without holding it.

Search words, looked-up names and dates of birth, disclosure justifications and the reasons of a
withholding must never stand in the trail in clear, yet a data protection officer must be able to
answer "did anyone look up this name?" or "is this the justification that was given?". The trail
holds an HMAC-SHA256 of the normalised value under a key derived from the deployment's
SECRET_KEY: the same value always gives the same fingerprint, and without the key nobody can
recover a name by hashing a dictionary of names. `casebridge audit fingerprint TEXT` computes one
on the server for comparison.
"""

from django.utils.crypto import salted_hmac

# Changing this salt (or SECRET_KEY) changes every fingerprint written after: older ones can then
# only be checked with the old key.
_SALT = "casebridge.audit.fingerprint"
PREFIX = "hmac-sha256:"


def normalised(value) -> str:
    """The text a fingerprint covers: case and runs of white space do not matter."""
    return " ".join(str(value).split()).casefold()


def fingerprint(value) -> str:
    """`hmac-sha256:<hex>` of the normalised value; the empty string for no value."""
    if value is None or normalised(value) == "":
        return ""
    return PREFIX + salted_hmac(_SALT, normalised(value), algorithm="sha256").hexdigest()

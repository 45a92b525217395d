"""API tokens for system-to-system clients."""

import hashlib
import secrets

from django.conf import settings
from django.db import models

from casebridge.agencies.models import Agency

TOKEN_PREFIX = "cb_"


def hash_secret(secret: str) -> str:
    # Tokens are 256 random bits: a fast hash is enough, and keeps every API call cheap.
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token bound to one practitioner and their agency. Only its hash is stored."""

    name = models.CharField(max_length=120, help_text="What system uses this token.")
    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="api_tokens")
    key_id = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField(help_text="Every token expires, at most 90 days after issue.")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.key_id})"

    @staticmethod
    def new_secret() -> tuple[str, str]:
        """A fresh (key_id, secret); the full token shown once is `cb_<key_id>_<secret>`."""
        return secrets.token_hex(8), secrets.token_urlsafe(32)

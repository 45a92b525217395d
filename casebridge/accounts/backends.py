"""Signing in with a password: Django's model backend, refusing people of a deactivated agency."""

from django.contrib.auth.backends import ModelBackend


class ActiveAgencyBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        # Deactivating an agency ends its practitioners' access; they cannot sign in again either.
        return super().user_can_authenticate(user) and bool(getattr(user, "agency_active", False))

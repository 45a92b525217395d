"""Password sign-in for people of active agencies only."""

from django.contrib.auth.backends import ModelBackend


class PeopleOnlyBackend(ModelBackend):
    """Django's password backend, refusing service accounts (they stand for a system, have no person
    to pass the second factor, and work through API tokens only) and the people of a deactivated
    agency (deactivating an agency ends its practitioners' access; they cannot sign in again either)."""

    def user_can_authenticate(self, user) -> bool:
        return (super().user_can_authenticate(user) and not getattr(user, "is_service_account", False)
                and bool(getattr(user, "agency_active", False)))

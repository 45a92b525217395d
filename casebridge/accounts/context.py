from django.conf import settings

from casebridge import policy
from casebridge.policy.roles import decide_agency_kind
from casebridge.vocabulary import Purpose, classification_label


def casebridge_context(request):
    """Values every page template may use: mode, purposes, and the actor's coarse permissions."""
    user = getattr(request, "user", None)
    perms = set()
    if user is not None and user.is_authenticated:
        # What the role grants and, for role-fitting actions, the agency's kind allows: the pages
        # offer only what the actor may do.
        perms = {str(p) for p in policy.ROLE_PERMISSIONS.get(user.role, ()) if decide_agency_kind(user, p)}
    level = getattr(request, "page_classification", None)
    return {
        "casebridge_mode": settings.MODE,
        # Only the purposes the person's role may declare (policy.decide_purpose).
        "purposes": policy.purposes_for(user) if user is not None and user.is_authenticated else Purpose.choices,
        "current_purpose": getattr(request, "purpose", Purpose.CASE_MANAGEMENT),
        "current_purpose_label": Purpose(getattr(request, "purpose", Purpose.CASE_MANAGEMENT)).label,
        "actor_perms": perms,
        # Later issues raise this to the highest level shown on the page.
        "page_classification": level,
        "page_classification_label": classification_label(level) if level is not None else "",
    }

"""REST endpoints of the search app (mounted under /api by casebridge.api.api)."""

from ninja import Router

router = Router(tags=["search"])

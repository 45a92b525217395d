"""REST endpoints of the decisions app (mounted under /api by casebridge.api.api)."""

from ninja import Router

router = Router(tags=["decisions"])

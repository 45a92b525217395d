"""REST endpoints of the sharing app (mounted under /api by casebridge.api.api)."""

from ninja import Router

router = Router(tags=["sharing"])

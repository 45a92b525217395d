"""REST endpoints of the items app (mounted under /api by casebridge.api.api)."""

from ninja import Router

router = Router(tags=["items"])

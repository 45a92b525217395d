"""REST endpoints of the dataprotection app (mounted under /api by casebridge.api.api)."""

from ninja import Router

router = Router(tags=["dataprotection"])

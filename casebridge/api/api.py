"""The REST API under /api, described by the OpenAPI 3 document at /api/openapi.json.

Every operation declares the permission it needs with `token(Perm.X)`; the default, `token(None)`,
refuses everyone, so an operation without a declaration is closed. The one public operation,
/api/health, says so with `@public`. There is no interactive docs page: it loads scripts from a CDN
that the Content-Security-Policy forbids.
"""

from ninja import NinjaAPI, Schema

from casebridge.accounts.api import router as accounts_router
from casebridge.agencies.api import router as agencies_router
from casebridge.api import errors
from casebridge.api.auth import PURPOSE_HEADER, token
from casebridge.api.edge import bounded
from casebridge.audit.api import router as audit_router
from casebridge.cases.api import router as cases_router
from casebridge.dataprotection.api import router as dataprotection_router
from casebridge.assessments.api import router as assessments_router
from casebridge.network.api import router as network_router
from casebridge.conferences.api import router as conferences_router
from casebridge.decisions.api import router as decisions_router
from casebridge.glossary.api import router as glossary_router
from casebridge.imports.api import router as imports_router
from casebridge.items.api import router as items_router
from casebridge.reflector.api import router as reflector_router
from casebridge.search.api import router as search_router
from casebridge.sharing.api import router as sharing_router
from casebridge.permissions import public
from casebridge.vocabulary import Purpose

DESCRIPTION = f"""
Multi-agency case management along the prison-exit continuum.

Authenticate with `Authorization: Bearer <token>` (tokens are issued by an agency administrator).
Declare why you process the data with the `{PURPOSE_HEADER}` header, one of:
{", ".join(f"`{p}`" for p in Purpose.values)} (default `{Purpose.CASE_MANAGEMENT}`); it is recorded
on every audit event.

Errors are `{{"error": {{"code", "message", "field", "details"}}}}` with a stable code:
`invalid_input`, `invalid_purpose` (400), `unauthenticated` (401), `forbidden` (403),
`not_found` (404, also for records you may not see), `stale_version` (409: someone changed the
record after you read it, so `expected_version` is stale; the error's `current_version` is the one to
reload), `conflict` (409, e.g. the request clashes with the record's state), `method_not_allowed` (405),
`validation_error` (422), `internal_error` (500).
"""

api = NinjaAPI(
    title="Casebridge API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url=None,
    docs_decorator=public,  # marks the OpenAPI document itself as public
    auth=token(None),
)
errors.install(api)
# Every operation's validated arguments are held to the edge bounds (64-bit integers, sane dates,
# no NUL, bounded paging) before its view runs: one check instead of one per schema.
api.add_decorator(bounded)


class HealthOut(Schema):
    status: str


@api.get("/health", auth=None, response=HealthOut, tags=["meta"])
@public
def health(request):
    """Liveness probe for load balancers; needs no token and says nothing about data."""
    return {"status": "ok"}


api.add_router("", cases_router)
api.add_router("", agencies_router)
api.add_router("", accounts_router)
api.add_router("", audit_router)
api.add_router("", items_router)
api.add_router("", imports_router)
api.add_router("", sharing_router)
api.add_router("", decisions_router)
api.add_router("", conferences_router)
api.add_router("", assessments_router)
api.add_router("", reflector_router)
api.add_router("", glossary_router)
api.add_router("", network_router)
api.add_router("", dataprotection_router)
api.add_router("", search_router)


def operations():
    """Every (path, methods, operation) the API serves, with auth as ninja applies it, for the
    guard test that refuses any operation without a declared permission or a public mark."""
    for bound in api._get_bound_routers():  # ninja keeps the effective auth on the bound copies
        for path, path_view in bound.path_operations.items():
            for operation in path_view.operations:
                yield f"{bound.prefix}{path}", operation.methods, operation

"""The OpenAPI document, and the guard that no operation is reachable without a declaration."""

import json
from types import SimpleNamespace

import pytest

from casebridge.api.api import operations
from casebridge.api.auth import TokenAuth, token
from casebridge.errors import NotVisible
from casebridge.permissions import PUBLIC_ATTR
from casebridge.policy import Perm


def test_the_openapi_document_is_valid_json_describing_the_case_paths(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Casebridge API"
    for path in ["/api/cases", "/api/cases/{case_id}", "/api/cases/{case_id}/transitions",
                 "/api/cases/{case_id}/team/{assignment_id}/release", "/api/reminders"]:
        assert path in document["paths"], path
    assert document["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}


def test_every_operation_documents_the_error_shape(client, db):
    document = client.get("/api/openapi.json").json()
    for path, methods in document["paths"].items():
        if path == "/api/health":
            continue
        for method, operation in methods.items():
            assert operation["responses"]["404"]["content"]["application/json"]["schema"] == \
                {"$ref": "#/components/schemas/ErrorOut"}, (method, path)


def test_every_api_operation_declares_a_permission_or_is_marked_public():
    seen = 0
    for path, methods, operation in operations():
        seen += 1
        if getattr(operation.view_func, PUBLIC_ATTR, False):
            assert not operation.auth_callbacks, f"{methods} {path} is public but asks for a token"
            continue
        assert operation.auth_callbacks, f"{methods} {path} has no auth"
        for auth in operation.auth_callbacks:
            assert isinstance(auth, TokenAuth) and auth.permission is not None, f"{methods} {path} declares nothing"
    assert seen > 20


def test_an_operation_without_a_declared_permission_refuses_even_a_valid_token(api, cast):
    raw = api(cast["sam"]).headers["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
    request = SimpleNamespace(purpose_raw="case_management")
    with pytest.raises(NotVisible):
        token(None).authenticate(request, raw)
    assert token(Perm.AUDIT_READ).authenticate(request, raw) == cast["sam"]


def test_health_needs_no_token(client, db):
    assert client.get("/api/health").json() == {"status": "ok"}

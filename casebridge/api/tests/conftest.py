"""`api(user).get(path)`: the Django test client speaking JSON with a bearer token for `user`."""

import json

import pytest

from casebridge.conftest import bearer


class ApiClient:
    def __init__(self, client, headers: dict):
        self.client, self.headers = client, headers

    def request(self, method: str, path: str, data=None, **headers):
        body = {} if data is None else {"data": json.dumps(data, default=str), "content_type": "application/json"}
        return getattr(self.client, method)(path, **body, **self.headers, **headers)

    def get(self, path, **headers):
        return self.client.get(path, **self.headers, **headers)

    def post(self, path, data=None, **headers):
        return self.request("post", path, data, **headers)

    def put(self, path, data=None, **headers):
        return self.request("put", path, data, **headers)

    def patch(self, path, data=None, **headers):
        return self.request("patch", path, data, **headers)


@pytest.fixture
def api(client):
    """`api(user)` signs requests with a fresh token for `user` (one per user per test);
    `api(None)` sends no token."""
    tokens = {}

    def for_user(user):
        if user is None:
            return ApiClient(client, {})
        if user.pk not in tokens:
            tokens[user.pk] = bearer(user)
        return ApiClient(client, tokens[user.pk])

    return for_user


def error_of(response) -> dict:
    """The error object of a JSON error response, after checking the shape every error shares."""
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = response.json()
    assert set(body) == {"error"}
    assert {"code", "message", "field"} <= set(body["error"])
    return body["error"]

"""A bounded schemathesis sweep over every operation of the OpenAPI document, in the suite on both
engines: no input may give a server error, and every error answers in the documented shape. The
full sweep against a live server is `bash scripts/fuzz.sh` (docs/testing.md)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings

from casebridge.api.api import api
from casebridge.conftest import bearer
from casebridge.ops.fuzz import well_formed_error
from casebridge.wsgi import application

# Few examples per operation and no deadline: the point is every operation and both engines in CI
# (well under a minute each), not depth; scripts/fuzz.sh goes deep.
EXAMPLES = 3


def _schema():
    # The same document /api/openapi.json serves, built without a request (no database at import).
    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))
    loaded.app = application  # requests go to the WSGI application in this process, this transaction
    return loaded


@pytest.fixture
def keep_connection():
    """Calling the WSGI application directly would close the database connection at the end of
    each request (Django's request_finished signal), and with it the test's transaction; Django's
    own test client disconnects that handler in the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def petra_token(cast, keep_connection):
    return {"Authorization": bearer(cast["petra"])["HTTP_AUTHORIZATION"]}


schema = _schema()


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
@pytest.mark.django_db
def test_no_input_gives_a_server_error_and_every_error_is_in_the_documented_shape(case, petra_token):
    response = case.call(headers=petra_token)
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:300]}"
    if response.status_code >= 400:
        assert well_formed_error(response.text), f"{case.method} {case.formatted_path}: {response.text[:300]}"

from casebridge.api.tests.conftest import api  # noqa: F401  (a fixture, used by name)

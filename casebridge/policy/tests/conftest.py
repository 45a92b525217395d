"""Hypothesis profiles for the policy's property tests (docs/testing.md).

`ci` (the default) runs 60 examples per property; `thorough` runs 2,000 for a deeper search on
demand: `HYPOTHESIS_PROFILE=thorough .venv/bin/python -m pytest casebridge/policy`; `dev` runs 30
for a quick loop while editing a rule."""

import os

from hypothesis import HealthCheck, settings

_COMMON = {"deadline": None, "derandomize": False, "print_blob": True,
           "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large, HealthCheck.filter_too_much]}
settings.register_profile("ci", max_examples=60, **_COMMON)
settings.register_profile("thorough", max_examples=2000, **_COMMON)
settings.register_profile("dev", max_examples=30, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

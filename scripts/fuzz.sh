#!/usr/bin/env bash
# Fuzz the whole REST API with schemathesis against a live server, on SQLite and on PostgreSQL
# (docs/testing.md, "Fuzzing the API"). For each engine: a throwaway database with the demo world,
# an API token for a demo practitioner, `casebridge serve`, then `schemathesis run` over
# /api/openapi.json. Prints per engine the requests sent, server errors (5xx) and error responses
# not in the documented JSON shape; exits non-zero if any engine has one of either.
#   bash scripts/fuzz.sh                                  # both engines, 100 examples per operation
#   bash scripts/fuzz.sh --engine sqlite --max-examples 20
#   FUZZ_DATABASE_URL=postgres://user@host:5432/postgres bash scripts/fuzz.sh   # where the throwaway
#                                                         # PostgreSQL database may be created
# Options: --engine sqlite|postgresql|both, --persona USERNAME, --max-examples N, --seed N, --keep.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/_venv.sh

ensure_venv fuzz.sh
.venv/bin/python -c 'import schemathesis, pytest_django' >/dev/null 2>&1 || pip_install ".[test]"
unset DJANGO_SETTINGS_MODULE
exec .venv/bin/python -m casebridge.ops.fuzz "$@"

#!/usr/bin/env bash
# Mutation testing of the policy package (docs/testing.md, "Mutation testing"): mutmut mutates the
# pure rule modules of casebridge/policy/ (not cedar.py, not the tests) and runs the policy's
# table-driven scenario tests against every mutant; then prints the score and the survivors.
# What is mutated and which tests run is configured in pyproject.toml, [tool.mutmut].
# Not part of CI. Installs mutmut into .venv if it is missing.
#   bash scripts/mutate.sh              # everything
#   bash scripts/mutate.sh 'casebridge.policy.items*'   # only the mutants whose name matches
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/_venv.sh

ensure_venv mutate.sh
.venv/bin/python -c 'import pytest_django, hypothesis' >/dev/null 2>&1 || pip_install ".[test]"
.venv/bin/python -c 'import mutmut' >/dev/null 2>&1 || pip_install ".[mutation]"

# The scenario tests run on SQLite, with the quick Hypothesis profile for the two small
# property tests among them (the case and audit-scope agreement).
export HYPOTHESIS_PROFILE=${HYPOTHESIS_PROFILE:-dev}
unset DATABASE_URL CASEBRIDGE_MODE
export CASEBRIDGE_DATA_DIR=${CASEBRIDGE_DATA_DIR:-$PWD/mutants/var}

JOBS=${MUTATE_JOBS:-$(nproc)}
start=$(date +%s)
.venv/bin/mutmut run --max-children "$JOBS" "$@" || true
echo "mutate.sh: mutmut ran for $(( $(date +%s) - start )) s"

.venv/bin/python scripts/mutation_report.py .venv/bin/mutmut | tee mutants/report.txt

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

.venv/bin/mutmut results --all true > mutants/results.txt || true
.venv/bin/python - <<'PY'
import collections, re
total, survived = collections.Counter(), collections.defaultdict(list)
for line in open("mutants/results.txt"):
    m = re.match(r"\s*(casebridge\.policy\.(\w+)\.\S+): (.+)", line)
    if not m:
        continue
    name, module, status = m.group(1), m.group(2), m.group(3).strip()
    total[module, status] += 1
    if status != "killed":
        survived[module].append(f"{name}: {status}")
modules = sorted({module for module, _ in total})
print(f"{'module':16} {'killed':>7} {'total':>6}")
for module in modules:
    all_ = sum(n for (mod, _), n in total.items() if mod == module)
    print(f"{module:16} {total[module, 'killed']:>7} {all_:>6}")
killed = sum(n for (_, status), n in total.items() if status == "killed")
print(f"{'all':16} {killed:>7} {sum(total.values()):>6}")
for module in modules:
    for line in survived[module]:
        print("  not killed:", line)
print("Show one with: .venv/bin/mutmut show <name>")
PY

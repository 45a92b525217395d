#!/usr/bin/env bash
# The whole test suite, twice: on SQLite and on a throwaway PostgreSQL started here and removed at
# exit, side by side. Installs what is missing (.venv, test dependencies, Chromium, PostgreSQL when root).
# CI runs exactly this (.ci/run). Exits non-zero if either run fails or runs no test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/_venv.sh

say() { printf 'test.sh: %s\n' "$*"; }
die() { printf 'test.sh: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }

ensure_venv test.sh
pip_install ".[test]"

APT_UPDATED=""
apt_install() {  # apt_install WHAT PACKAGE
  is_root || die "$1 is missing and installing it needs root: apt-get install -y $2"
  command -v apt-get >/dev/null 2>&1 || die "$1 is missing and there is no apt-get to install it"
  if [ -z "$APT_UPDATED" ]; then apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}

# Every PDF embeds DejaVu Sans from the system.
ensure_pdf_fonts test.sh

# The end-to-end tests drive the system Chromium.
[ -x /usr/bin/chromium ] || apt_install "Chromium (/usr/bin/chromium)" chromium
# The test that the catalogues hold every marked string extracts them with GNU gettext's xgettext.
command -v xgettext >/dev/null 2>&1 || apt_install "GNU gettext (xgettext)" gettext

pg_bindir() {
  # The directory holding initdb, pg_ctl and createdb, following /usr/local/bin symlinks.
  if command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
  else
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true
  fi
}
PG_BIN=$(pg_bindir)
if [ -z "$PG_BIN" ]; then
  apt_install "PostgreSQL" postgresql
  PG_BIN=$(pg_bindir)
fi
[ -x "$PG_BIN/initdb" ] || die "PostgreSQL's initdb was not found"

# PostgreSQL refuses to run as root: as root, run it as the postgres user.
as_pg() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}
if is_root; then
  id postgres >/dev/null 2>&1 || die "there is no postgres user to run PostgreSQL as"
fi

WORK=$(mktemp -d)   # logs and the test data directory
PG_DIR=$(mktemp -d) # the cluster, owned by the user PostgreSQL runs as
is_root && chown postgres:postgres "$PG_DIR"
cleanup() {
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR" "$WORK"
}
trap cleanup EXIT

# The interface's translations, compiled as an install compiles them (docs/i18n.md).
env -u DATABASE_URL -u CASEBRIDGE_MODE CASEBRIDGE_DATA_DIR="$WORK/data-messages" .venv/bin/casebridge messages compile >/dev/null

PG_PORT=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth-local=trust --auth-host=trust -E UTF8 --no-locale \
  >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
# Loopback only, socket inside the private directory; fsync off because the cluster is thrown away.
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w \
  -o "-h 127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c full_page_writes=off" start >/dev/null \
  || { tail -n 20 "$PG_DIR/postgres.log" >&2; die "PostgreSQL did not start"; }
as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres casebridge
say "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"

TOTAL_PASSED=0
TOTAL_FAILED=0
SUMMARIES=()
count() { grep -oE "[0-9]+ $1" <<<"$2" | head -n 1 | grep -oE '^[0-9]+' || echo 0; }

run_suite() {  # run_suite ENGINE [VAR=value ...]: in the background, into $WORK/ENGINE.log and .rc
  local engine=$1
  shift
  say "running the whole suite on $engine"
  ( rc=0
    env -u DATABASE_URL -u CASEBRIDGE_MODE CASEBRIDGE_DATA_DIR="$WORK/data-$engine" "$@" \
      .venv/bin/python -m pytest -q --durations=30 >"$WORK/$engine.log" 2>&1 || rc=$?
    echo "$rc" >"$WORK/$engine.rc" ) &
}

summarise() {  # summarise ENGINE: print its log and add its counts to the totals
  local engine=$1 rc last passed failed errors
  rc=$(cat "$WORK/$engine.rc" 2>/dev/null || echo 1)
  say "--- $engine ---"
  cat "$WORK/$engine.log"
  last=$(grep -E '[0-9]+ (passed|failed|errors?)|no tests ran' "$WORK/$engine.log" | tail -n 1 | tr -d '=' | sed -E 's/^ +| +$//g')
  passed=$(count passed "$last")
  failed=$(count failed "$last")
  errors=$(count 'errors?' "$last")
  TOTAL_PASSED=$((TOTAL_PASSED + passed))
  TOTAL_FAILED=$((TOTAL_FAILED + failed + errors))
  case $rc in
    0) SUMMARIES+=("$engine: OK - ${last:-no summary}") ;;
    5) SUMMARIES+=("$engine: FAILED - no tests ran") ;;
    *) SUMMARIES+=("$engine: FAILED (pytest exit $rc) - ${last:-no summary}") ;;
  esac
  return "$rc"
}

# The two engines run side by side (one process each, on a machine with two cores or more); each
# log is printed whole once both have finished.
STATUS=0
run_suite SQLite
run_suite PostgreSQL DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/casebridge"
wait
summarise SQLite || STATUS=1
summarise PostgreSQL || STATUS=1

echo
for line in "${SUMMARIES[@]}"; do say "$line"; done
say "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
exit "$STATUS"

#!/usr/bin/env bash
# The Casebridge demo on a fresh machine: install into .venv, create the database, build the demo
# world, then serve it on http://127.0.0.1:8000 (Ctrl+C stops it). Running it again reuses all of it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/_venv.sh

ensure_venv demo.sh
pip_install . --quiet  # twice quiet: errors only, the demo's output stays readable
ensure_pdf_fonts demo.sh  # every PDF embeds DejaVu Sans from the system (installed when root)

export CASEBRIDGE_MODE=demo
# The demo keeps its own database, apart from a development one in var/.
export CASEBRIDGE_DATA_DIR="${CASEBRIDGE_DATA_DIR:-var/demo}"
.venv/bin/casebridge messages compile >/dev/null  # the interface's translations (docs/i18n.md)
.venv/bin/casebridge migrate --verbosity 0
.venv/bin/casebridge demo
echo "Sign in as petra (password demo-password-2026); the code page shows the current second-factor code."
exec .venv/bin/casebridge serve --host 127.0.0.1 --port 8000

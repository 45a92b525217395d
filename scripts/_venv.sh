# Sourced by demo.sh and test.sh: make sure the checkout has a .venv with Python 3.11 or newer.

_new_enough() {
  "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1
}

ensure_venv() {  # ensure_venv SCRIPT_NAME
  if [ -x .venv/bin/python ] && _new_enough .venv/bin/python; then
    return 0
  fi
  local candidate
  for candidate in ${PYTHON:-} python3 python3.13 python3.12 python3.11; do
    if command -v "$candidate" >/dev/null 2>&1 && _new_enough "$candidate"; then
      "$candidate" -m venv --clear .venv || {
        echo "$1: could not create .venv (on Debian: apt-get install python3-venv)" >&2
        exit 1
      }
      return 0
    fi
  done
  echo "$1: Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)" >&2
  exit 1
}

pip_install() {  # pip_install SPEC [PIP OPTION ...]: quietly, editable, into .venv
  local spec=$1
  shift
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "$@" -e "$spec"
}

ensure_pdf_fonts() {  # ensure_pdf_fonts SCRIPT_NAME: the fonts every PDF embeds (docs/documents.md)
  local dir=${CASEBRIDGE_PDF_FONT_DIR:-/usr/share/fonts/truetype/dejavu}
  [ -f "$dir/DejaVuSans.ttf" ] && [ -f "$dir/DejaVuSans-Bold.ttf" ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null \
      && [ -f "$dir/DejaVuSans.ttf" ] && return 0
  fi
  echo "$1: the PDF fonts are missing from $dir: install the fonts-dejavu-core package (as root:" \
       "apt-get install fonts-dejavu-core) or set CASEBRIDGE_PDF_FONT_DIR to a directory holding" \
       "DejaVuSans.ttf and DejaVuSans-Bold.ttf" >&2
  exit 1
}

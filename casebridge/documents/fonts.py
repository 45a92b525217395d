"""The fonts every Casebridge PDF embeds: DejaVu Sans, regular and bold, from CASEBRIDGE_PDF_FONT_DIR.

DejaVu Sans covers Latin with every diacritic, Greek, Cyrillic and Arabic (with the presentation
forms text shaping needs), so one family writes any client's name. Casebridge does not ship the files:
it uses the system's copy (Debian and Ubuntu package fonts-dejavu-core, which scripts/test.sh and
scripts/demo.sh install), so security and packaging updates reach them. Without them no PDF can be
made, and Casebridge says so in one line: `casebridge serve` and `casebridge check` refuse to start,
and a PDF asked for anyway fails with the same reason.
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FAMILY = "DejaVuSans"
FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}  # fpdf2 style → file name
PACKAGE = "fonts-dejavu-core"


class FontsMissing(ImproperlyConfigured):
    """The PDF fonts are not where CASEBRIDGE_PDF_FONT_DIR says."""


def font_files() -> dict[str, Path]:
    """Each style's font file, checked to exist; raises FontsMissing with a one-line reason."""
    directory = Path(settings.CASEBRIDGE_PDF_FONT_DIR)
    files = {style: directory / name for style, name in FILES.items()}
    missing = [path.name for path in files.values() if not path.is_file()]
    if missing:
        raise FontsMissing(f"the PDF font {missing[0]} is not in CASEBRIDGE_PDF_FONT_DIR={directory}: install the "
                           f"{PACKAGE} package or point the setting at a directory holding {', '.join(FILES.values())}")
    return files


def require_fonts() -> None:
    """Refuse to go on (FontsMissing) when no PDF could be made."""
    font_files()

"""The text of a PDF written by casebridge.dataprotection.pdf, for tests to search.

Its pages use the core font, so their text sits in (compressed) content streams as string literals.
Every stream is inflated and every literal read, so a search covers all the text a reader shows.
"""

import re
import zlib

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_LITERAL = re.compile(rb"\(((?:\\.|[^\\)])*)\)", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(literal: bytes) -> bytes:
    return re.sub(rb"\\([nrtbf()\\])", lambda m: _ESCAPES.get(m.group(1), m.group(1)), literal)


def pdf_text(content: bytes) -> str:
    """Every string in the PDF's content streams, one per line; the PDF must start as a PDF does."""
    assert content.startswith(b"%PDF-"), "not a PDF"
    parts = []
    for stream in _STREAM.findall(content):
        try:
            stream = zlib.decompress(stream)
        except zlib.error:
            pass  # an uncompressed stream is searched as it is
        parts.extend(_unescape(m) for m in _LITERAL.findall(stream))
    return b"\n".join(parts).decode("latin-1")

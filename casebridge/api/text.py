"""`Text`: a string field of an API schema that also takes a lazy translation.

Enumeration labels are lazy (`gettext_lazy`) and turn into text in the language of the request
only when used; pydantic refuses anything that is not already a `str`. A schema field that carries
a label (or text built from one) is declared `Text` and gets it as text in the caller's language."""

from typing import Annotated

from django.utils.functional import Promise
from pydantic import BeforeValidator


def _as_text(value):
    return str(value) if isinstance(value, Promise) else value


Text = Annotated[str, BeforeValidator(_as_text)]

"""The API's share of the edge bounds (`casebridge.bounds`): every operation's validated arguments
— path, query, body and form fields, nested schemas included — are walked once before the view
runs, so no schema has to repeat the limits and no value the databases cannot hold reaches them.
A value out of bounds is a 422 `validation_error` naming its field, like any other invalid value."""

from functools import wraps

from ninja.errors import ValidationError
from pydantic import BaseModel

from casebridge.bounds import problems


def bounded(view):
    """An operation decorator (ninja's "operation" mode: it sees the validated arguments)."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        # A body schema's own name means nothing to the client: ("body", name, ...) drops it.
        errors = [{"loc": ("body" if isinstance(kwargs.get(path[0]), BaseModel) else "query", *path),
                   "msg": reason, "type": "out_of_bounds"} for path, reason in problems(kwargs)]
        if errors:
            raise ValidationError(errors)
        return view(request, *args, **kwargs)

    return checked

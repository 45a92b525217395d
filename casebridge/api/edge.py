"""The API's share of the edge bounds (`casebridge.bounds`): every operation's validated arguments
— path, query, body and form fields, nested schemas included — are walked once before the view
runs, so no schema has to repeat the limits and no value the databases cannot hold reaches them.
A value out of bounds is a 422 `validation_error` naming its field, like any other invalid value."""

from functools import wraps

from ninja.errors import ValidationError
from pydantic import BaseModel

from casebridge.bounds import paging_problem, problems


def bounded(view):
    """An operation decorator (ninja's "operation" mode: it sees the validated arguments)."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        errors = []
        for name, value in kwargs.items():
            reason = paging_problem(name, value)
            if reason:
                errors.append({"loc": ("query", name), "msg": reason, "type": "out_of_bounds"})
            # A body schema's own name means nothing to the client: ("body", name, ...) drops it.
            source = "body" if isinstance(value, BaseModel) else "query"
            errors += [{"loc": (source, name, *path), "msg": reason, "type": "out_of_bounds"}
                       for path, reason in problems(value)]
        if errors:
            raise ValidationError(errors)
        return view(request, *args, **kwargs)

    return checked

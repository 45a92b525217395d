"""Reading rows without work the reader does not need.

Django compiles an ORDER BY by hashing every selected column (each column's identity is built
through `inspect.signature`): about a millisecond of CPU for a wide `select_related` query, paid
on every request. A lookup by key has one row to return and needs no order; a query whose rows are
put in order by the caller (by a list of ids, by a Python sort) needs none either.
"""

from django.db.models import QuerySet


def by_key(queryset: QuerySet):
    """The one row of `queryset`, filtered on a unique key, or None: `.first()` without the ORDER BY."""
    return next(iter(queryset.order_by()), None)

"""Building the demo world for tests: once, with fast password hashing, inside a transaction rolled back
at the end (conftest.py), and running the CLI as a user would."""

import io
from contextlib import contextmanager, redirect_stderr, redirect_stdout

from django.db import transaction

from casebridge.cli import main

# Argon2 costs a third of a second per account; the demo's behaviour does not depend on it.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def rolled_back():
    atomic = transaction.atomic()
    atomic.__enter__()
    try:
        yield
    finally:
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def run(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()

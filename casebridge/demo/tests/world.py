"""Building the demo world for tests: once, with fast password hashing, inside a transaction rolled back
at the end (conftest.py, casebridge/tests/once.py), and running the CLI as a user would."""

import io
from contextlib import redirect_stderr, redirect_stdout

from casebridge.cli import main


def run(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()

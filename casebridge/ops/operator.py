"""Who is acting when an operation comes from the command line rather than a signed-in person."""

import getpass
import os


def os_user() -> str:
    # getpass.getuser() raises in containers whose user has no passwd entry; the uid still
    # identifies the operator well enough for the audit trail.
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"


def cli_detail(**extra) -> dict:
    """Audit detail naming the command line and the operating-system account that used it."""
    return {"via": "command line", "os_user": os_user(), **extra}

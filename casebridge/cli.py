"""The `casebridge` command: a thin front door to Casebridge's management commands.

Every failure ends with a non-zero exit and one line on stderr, `casebridge: <reason>`, never a
traceback: the operator needs the reason, not our stack.
"""

import os
import sys

COMMANDS = {
    # subcommand: (management command, one-line help)
    "serve": ("serve", "run the web server (waitress) on --host/--port"),
    "migrate": ("migrate", "create or update the database tables"),
    "demo": ("demo", "build the demo world (refused in production)"),
    "createadmin": ("createadmin", "create a system administrator and, if needed, their agency"),
    "audit": ("audit", "audit verify [--incremental] | checkpoint | keygen | grants | lock-time | report | fingerprint"),
    "check": ("check_config", "check the configuration and the database, print the values in force"),
    "totp": ("totp", "print an account's current second-factor code (demo/development only)"),
    "conferences": ("conferences", "conferences propose [--date YYYY-MM-DD]: propose the conferences cases call for"),
    "messages": ("messages", "messages compile | update | harvest | check: the interface's translations"),
    "import": ("import_records", "import FILE --as USERNAME --source NAME: load a legacy system's JSON Lines export"),
    "bench": ("bench", "build a world at scale in a new database and measure what need-to-know costs"),
}
USAGE = f"usage: casebridge {{{','.join(COMMANDS)}}} [options]  (casebridge COMMAND --help for more)"


def _help() -> str:
    width = max(map(len, COMMANDS))
    lines = [USAGE, "", "commands:"]
    lines += [f"  {name:<{width}}  {text}" for name, (_, text) in COMMANDS.items()]
    return "\n".join(lines)


def _fail(reason: str, code: int = 1) -> int:
    line = (str(reason).strip().splitlines() or ["failed"])[0]
    sys.stderr.write(f"casebridge: {line}\n")
    return code


def main(argv=None) -> int:
    """Run one subcommand; returns the process exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        (sys.stdout if argv else sys.stderr).write(_help() + "\n")
        return 0 if argv else 2
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        sys.stderr.write(f"casebridge: unknown command {name!r}\n{USAGE}\n")
        return 2
    try:
        return _run(COMMANDS[name][0], rest)
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        return 130


def _run(command: str, args: list[str]) -> int:
    from casebridge import config

    try:
        config.load()
    except config.ConfigError as exc:
        return _fail(f"configuration error: {exc}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casebridge.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured, PermissionDenied
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import DatabaseError
    from django.http import Http404

    from casebridge.errors import DomainError

    try:
        django.setup()
        if {"-h", "--help"} & set(args):
            _print_help(command, args)
        else:
            call_command(command, *args)
    except CommandError as exc:
        return _fail(str(exc).removeprefix("Error: "), exc.returncode or 1)
    except DomainError as exc:
        return _fail(exc.message)
    except ImproperlyConfigured as exc:  # a deployment's data file (glossary, instruments) Casebridge cannot use
        return _fail(f"configuration error: {exc}")
    except (config.ConfigError, PermissionDenied, Http404) as exc:  # a service refusing, e.g. no access
        return _fail(str(exc) or type(exc).__name__)
    except DatabaseError as exc:
        return _fail(f"database error: {exc}")
    except OSError as exc:  # e.g. a data directory that cannot be created
        return _fail(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc))
    except SystemExit as exc:  # --help, or settings refusing the configuration (already explained)
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else _fail(exc.code))
    return 0


def _print_help(command: str, args: list[str]) -> None:
    """Help that names `casebridge <subcommand>` rather than an empty program name."""
    from django.core.management import get_commands, load_command_class

    subcommand = next(name for name, (target, _) in COMMANDS.items() if target == command)
    parser = load_command_class(get_commands()[command], command).create_parser("casebridge", subcommand)
    parser.parse_args(args)  # argparse prints the help (of a sub-action too) and exits 0


if __name__ == "__main__":
    sys.exit(main())

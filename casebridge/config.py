"""Configuration from environment variables.

Every setting Casebridge reads is declared here once, with its default and help text. The README's
configuration table lists them all (a test fails when one is undocumented), and `casebridge check`
reports the values in force. Bad values refuse to start with a one-line reason.
"""

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable


class ConfigError(Exception):
    """A setting has a value Casebridge refuses to run with."""


MODES = ("demo", "development", "production")
INSECURE_SECRET = "insecure-development-key-never-use-in-production"


def _bool(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError("expected true or false")


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value <= 0:
        raise ValueError("expected a positive whole number")
    return value


def _mode(raw: str) -> str:
    if raw not in MODES:
        raise ValueError(f"expected one of {', '.join(MODES)}")
    return raw


def _csv(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


def _labels(raw: str) -> list[str]:
    labels = _csv(raw)
    if len(labels) < 2 or len(set(labels)) != len(labels):
        raise ValueError("expected at least two distinct comma-separated labels, lowest first")
    return labels


def _agency_kinds(raw: str) -> frozenset[str]:
    from casebridge.vocabulary import AgencyKind  # Django's TextChoices; needs no configured settings

    kinds = _csv(raw)
    unknown = [kind for kind in kinds if kind not in AgencyKind.values]
    if unknown:
        raise ValueError(f"unknown agency kind {unknown[0]!r}; expected some of {', '.join(AgencyKind.values)}")
    return frozenset(kinds)


def _rate(raw: str) -> tuple[int, int]:
    count, _, seconds = raw.partition("/")
    return _positive_int(count), _positive_int(seconds)


def _cache(raw: str) -> str:
    if raw not in ("memory", "database"):
        raise ValueError("expected memory or database")
    return raw


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    help: str
    parse: Callable[[str], object] = str


SETTINGS = [
    Setting("CASEBRIDGE_MODE", "development",
            "demo, development or production. Production refuses insecure defaults.", _mode),
    Setting("CASEBRIDGE_SECRET_KEY", None,
            "Secret used to sign sessions and CSRF tokens. Required in production; "
            "demo and development use a fixed insecure key."),
    Setting("DATABASE_URL", None,
            "Database to use, e.g. postgres://user:pass@host:5432/casebridge. "
            "Default: SQLite file casebridge.sqlite3 in CASEBRIDGE_DATA_DIR."),
    Setting("CASEBRIDGE_DATA_DIR", "var",
            "Directory for the SQLite database and other local data (created if missing)."),
    Setting("CASEBRIDGE_ALLOWED_HOSTS", "127.0.0.1,localhost",
            "Comma-separated host names the web server answers to.", _csv),
    Setting("CASEBRIDGE_SECURE_COOKIES", None,
            "Send session and CSRF cookies only over HTTPS. Default: true in production, "
            "false in demo and development (plain http://127.0.0.1). Production refuses false.",
            _bool),
    Setting("CASEBRIDGE_SESSION_MINUTES", "30",
            "Idle minutes after which a web session ends.", _positive_int),
    Setting("CASEBRIDGE_LOCKOUT_FAILURES", "5",
            "Failed logins for one account before it is locked.", _positive_int),
    Setting("CASEBRIDGE_LOCKOUT_MINUTES", "30",
            "Minutes an account stays locked after too many failures.", _positive_int),
    Setting("CASEBRIDGE_RATE_LOGIN", "10/300",
            "Sign-in attempts allowed per account in a window, as N/SECONDS (per address: times "
            "CASEBRIDGE_RATE_ADDRESS_FACTOR).", _rate),
    Setting("CASEBRIDGE_RATE_SECOND_FACTOR", "5/300",
            "Second-factor codes allowed per account in a window, as N/SECONDS.", _rate),
    Setting("CASEBRIDGE_RATE_LOOKUP", "30/60",
            "Hit/no-hit person lookups allowed per account in a window, as N/SECONDS.", _rate),
    Setting("CASEBRIDGE_RATE_TOKEN", "600/60",
            "API requests allowed per account with a token in a window, as N/SECONDS (per address: "
            "times the factor, counting requests with unknown tokens too).", _rate),
    Setting("CASEBRIDGE_RATE_ADDRESS_FACTOR", "5",
            "How many times an account's limit one network address may use (offices share an address).",
            _positive_int),
    Setting("CASEBRIDGE_CACHE", "memory",
            "Where rate-limit counters are kept: memory (per server process) or database (a cache table "
            "shared by every server process on the same database; use it with several processes).", _cache),
    Setting("CASEBRIDGE_REMINDER_DAYS", "60",
            "How many days ahead the dashboard shows upcoming key dates.", _positive_int),
    Setting("CASEBRIDGE_CONFERENCE_KINDS", "",
            "A JSON file of conference kinds to add to the defaults or replace them (docs/conferences.md). "
            "Empty: the four default kinds."),
    Setting("CASEBRIDGE_CONFERENCE_RELEASE_WEEKS", "8",
            "How many weeks before the earliest release date a release planning conference is proposed.",
            _positive_int),
    Setting("CASEBRIDGE_CONFERENCE_REVIEW_DAYS", "182",
            "Days after the last conference (or the opening of the case) when a review conference is proposed.",
            _positive_int),
    Setting("CASEBRIDGE_INSTRUMENTS_DIR", "",
            "A directory of the deployment's own assessment instrument files (docs/shared-language.md). Empty: "
            "the instruments Casebridge ships."),
    Setting("CASEBRIDGE_INSTRUMENT_WORDING_DIR", "",
            "A directory of licensed instruments' indicator wording, kept by a licensed deployment. Empty: codes only."),
    Setting("CASEBRIDGE_GLOSSARY_DIR", "",
            "A directory of the deployment's own glossary files: terms, synonyms, categorisation vocabularies and "
            "their mappings (docs/shared-language.md). Empty: the glossary Casebridge ships."),
    Setting("CASEBRIDGE_PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu",
            "Directory holding the fonts embedded in every PDF, DejaVuSans.ttf and DejaVuSans-Bold.ttf (Debian "
            "and Ubuntu package fonts-dejavu-core; docs/documents.md). Without them no PDF is made and "
            "`casebridge serve` refuses to start."),
    Setting("CASEBRIDGE_NOTICE_DIR", "",
            "A directory of the deployment's own transparency notice texts, one <language>.json file each, adding "
            "languages or overriding the shipped en, nl, fr, de and ar (docs/documents.md). Empty: the shipped texts."),
    Setting("CASEBRIDGE_BASE_URL", "http://127.0.0.1:8000",
            "The address people open Casebridge at; links in e-mails point there."),
    Setting("CASEBRIDGE_MAIL_FROM", "casebridge@localhost",
            "The sender of the e-mails Casebridge sends (conference invitations)."),
    Setting("CASEBRIDGE_SMTP_HOST", "",
            "SMTP server for e-mail. Empty: e-mails are written to the server's console (the demo)."),
    Setting("CASEBRIDGE_SMTP_PORT", "587", "SMTP port.", _positive_int),
    Setting("CASEBRIDGE_SMTP_USER", "", "SMTP user name (empty: no authentication)."),
    Setting("CASEBRIDGE_SMTP_PASSWORD", "", "SMTP password; keep it in the environment, never in a file in the "
                                            "repository."),
    Setting("CASEBRIDGE_SMTP_TLS", "true", "Use STARTTLS with the SMTP server.", _bool),
    Setting("CASEBRIDGE_CLASSIFICATION_LABELS", "OPEN,RESTRICTED,CONFIDENTIAL,SECRET",
            "Classification levels, lowest first, comma-separated (national or EU names).",
            _labels),
    Setting("CASEBRIDGE_TIME_ZONE", "Europe/Brussels",
            "Time zone used to show dates and times."),
    Setting("CASEBRIDGE_MAX_TEXT", "20000",
            "Longest accepted free text (notes, responsibilities), in characters.", _positive_int),
    Setting("CASEBRIDGE_DECISION_AGENCY_KINDS", "prosecution,court,prison,probation,police,municipality,social_services",
            "Kinds of agency that record formal decisions, comma-separated (empty: none). Others are not "
            "offered the form and are refused.", _agency_kinds),
    Setting("CASEBRIDGE_INTELLIGENCE_AGENCY_KINDS", "police,intelligence",
            "Kinds of agency that mark items as intelligence and grade source reliability and information "
            "accuracy, comma-separated (empty: none).", _agency_kinds),
    Setting("CASEBRIDGE_SOURCE_METHOD_AGENCY_KINDS", "police,intelligence",
            "Kinds of agency that record an item's source and method (seen by their own agency only), "
            "comma-separated (empty: none).", _agency_kinds),
    Setting("CASEBRIDGE_DISTANCING_AGENCY_KINDS",
            "cso,probation,social_services,municipality,faith_or_cultural_mediator",
            "Kinds of agency that run distancing work and keep a CaseReflector, comma-separated (empty: none).",
            _agency_kinds),
    Setting("CASEBRIDGE_AUDIT_SIGNING_KEY", None,
            "Ed25519 private key file (PEM) that signs audit chain checkpoints; keep it off the database "
            "server, readable by the Casebridge user only. Default: audit-signing-key.pem in "
            "CASEBRIDGE_DATA_DIR (made on first use in demo and development; production needs "
            "`casebridge audit keygen`)."),
    Setting("CASEBRIDGE_AUDIT_CHECKPOINT_DIR", None,
            "Directory for the signed checkpoints of the audit chain, outside the database (ideally "
            "append-only or copied elsewhere). Default: audit-checkpoints in CASEBRIDGE_DATA_DIR."),
    Setting("CASEBRIDGE_LOCK_TIMES", "",
            "Directory where each server process writes how long every commit held the audit chain "
            "lock, one line each (`casebridge bench --http` reads them). Empty: not written."),
    Setting("CASEBRIDGE_DEMO_TOTP_HINT", None,
            "Show the current second-factor code of demo accounts on the code page. "
            "Default: true in demo mode, false otherwise; refused in production.", _bool),
]

BY_NAME = {setting.name: setting for setting in SETTINGS}


def read(name: str, environ=os.environ):
    """The parsed value of one declared setting, or its parsed default (None if none)."""
    setting = BY_NAME[name]
    raw = environ.get(name, setting.default)
    if raw is None:
        return None
    try:
        return setting.parse(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} is not valid: {exc}") from None


def load(environ=os.environ) -> dict:
    """All settings, parsed and cross-checked. Raises ConfigError with a one-line reason."""
    values = {setting.name: read(setting.name, environ) for setting in SETTINGS}
    mode = values["CASEBRIDGE_MODE"]
    production = mode == "production"
    if values["CASEBRIDGE_SECURE_COOKIES"] is None:
        values["CASEBRIDGE_SECURE_COOKIES"] = production
    if values["CASEBRIDGE_DEMO_TOTP_HINT"] is None:
        values["CASEBRIDGE_DEMO_TOTP_HINT"] = mode == "demo"
    if production:
        secret = values["CASEBRIDGE_SECRET_KEY"]
        if not secret or secret == INSECURE_SECRET or len(secret) < 40:
            raise ConfigError("production needs CASEBRIDGE_SECRET_KEY of at least 40 random characters")
        if not values["CASEBRIDGE_SECURE_COOKIES"]:
            raise ConfigError("production refuses CASEBRIDGE_SECURE_COOKIES=false")
        if values["CASEBRIDGE_DEMO_TOTP_HINT"]:
            raise ConfigError("production refuses CASEBRIDGE_DEMO_TOTP_HINT=true")
        if not values["DATABASE_URL"]:
            raise ConfigError("production needs DATABASE_URL (PostgreSQL)")
    else:
        values["CASEBRIDGE_SECRET_KEY"] = values["CASEBRIDGE_SECRET_KEY"] or INSECURE_SECRET
    data_dir = Path(values["CASEBRIDGE_DATA_DIR"]).resolve()
    values["CASEBRIDGE_DATA_DIR"] = data_dir
    if not values["DATABASE_URL"]:
        values["DATABASE_URL"] = f"sqlite:///{data_dir / 'casebridge.sqlite3'}"
    key, checkpoints = values["CASEBRIDGE_AUDIT_SIGNING_KEY"], values["CASEBRIDGE_AUDIT_CHECKPOINT_DIR"]
    values["CASEBRIDGE_AUDIT_SIGNING_KEY"] = Path(key).resolve() if key else data_dir / "audit-signing-key.pem"
    values["CASEBRIDGE_AUDIT_CHECKPOINT_DIR"] = (Path(checkpoints).resolve() if checkpoints
                                                 else data_dir / "audit-checkpoints")
    return values

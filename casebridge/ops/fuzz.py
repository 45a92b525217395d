"""Fuzz the whole REST API with schemathesis against a live server: `bash scripts/fuzz.sh`.

For each engine (SQLite in a throwaway data directory, PostgreSQL in a throwaway database) it runs
`casebridge migrate` and `casebridge demo`, issues an API token for a demo practitioner, starts
`casebridge serve`, runs `schemathesis run` over /api/openapi.json with that token, and reads the
recorded exchanges (HAR) to count requests, server errors (5xx) and error responses that are not in
the documented shape `{"error": {"code": str, "message": str, ...}}`. It exits non-zero when any
engine has a server error or a malformed error response.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from casebridge.ops.scratch import CLI, scratch_database, served

ISSUE_TOKEN = """
import datetime, django
django.setup()
from django.db import transaction
from casebridge.accounts.services import issue_token
from casebridge.agencies.models import Practitioner
from casebridge.vocabulary import Purpose
who = Practitioner.objects.get(username=%r)
with transaction.atomic():
    _, plain = issue_token(actor=who, owner_id=who.pk, name="fuzz", second_factor=True,
                           valid_until=datetime.date.today() + datetime.timedelta(days=1),
                           purpose=Purpose.ADMINISTRATION)
print(plain)
"""
# Rate limits would turn most of a sweep into 429s; the sweep is about input validation.
FUZZ_ENV = {"CASEBRIDGE_MODE": "demo", "CASEBRIDGE_RATE_TOKEN": "1000000/60",
            "CASEBRIDGE_RATE_LOOKUP": "1000000/60"}


_REVOKE_OWN_TOKEN = "casebridge_accounts_api_revoke_token"


def well_formed_error(text: str) -> bool:
    """Whether a response body is the API's documented error shape."""
    try:
        body = json.loads(text or "")
    except ValueError:
        return False
    error = body.get("error") if isinstance(body, dict) else None
    return isinstance(error, dict) and isinstance(error.get("code"), str) and isinstance(error.get("message"), str)


def summarise(har_path: Path) -> dict:
    """Counts from a schemathesis HAR file: requests, 5xx, error responses not in the format."""
    entries = json.loads(har_path.read_text(encoding="utf-8"))["log"]["entries"]
    counts = {"requests": len(entries), "server_errors": 0, "format_violations": 0, "by_status": {}}
    examples = []
    for entry in entries:
        status = entry["response"]["status"]
        counts["by_status"][str(status)] = counts["by_status"].get(str(status), 0) + 1
        text = entry["response"].get("content", {}).get("text", "")
        if status >= 500:
            counts["server_errors"] += 1
        if status >= 400 and not well_formed_error(text):
            counts["format_violations"] += 1
        if (status >= 500 or status >= 400 and not well_formed_error(text)) and len(examples) < 5:
            examples.append(f"{entry['request']['method']} {entry['request']['url'][:160]} -> {status}")
    counts["examples"] = examples
    return counts


def run_engine(engine: str, *, database_url: str | None, persona: str, max_examples: int,
               seed: int, workdir: Path) -> dict:
    data = workdir / engine
    data.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **FUZZ_ENV, "CASEBRIDGE_DATA_DIR": str(data)}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    for step in (["migrate"], ["demo"]):
        subprocess.run(CLI + step, env=env, check=True, capture_output=True, timeout=900)
    token = subprocess.run([sys.executable, "-c", ISSUE_TOKEN % persona],
                           env={**env, "DJANGO_SETTINGS_MODULE": "casebridge.settings"},
                           check=True, capture_output=True, text=True, timeout=120).stdout.strip().splitlines()[-1]
    har = data / "exchanges.har"
    with served(env, data / "server.log") as url:
        command = [shutil.which("schemathesis") or str(Path(sys.executable).with_name("schemathesis")), "run",
                   f"{url}/api/openapi.json", "-H", f"Authorization: Bearer {token}",
                   "--checks", "not_a_server_error", "--max-examples", str(max_examples), "--seed", str(seed),
                   "--workers", "2", "--report", "har", "--report-har-path", str(har), "--no-color",
                   "--suppress-health-check", "all", "--request-timeout", "30",
                   # Revoking a token with the sweep's own token would turn the rest into 401s; the
                   # in-suite sweep (casebridge/api/tests/test_fuzz.py) covers that operation.
                   "--exclude-operation-id", _REVOKE_OWN_TOKEN]
        finished = subprocess.run(command, env=env, capture_output=True, text=True)
    (data / "schemathesis.log").write_text(finished.stdout + finished.stderr, encoding="utf-8")
    counts = summarise(har)
    counts["schemathesis_exit"] = finished.returncode
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--database-url", default=os.environ.get("FUZZ_DATABASE_URL",
                                                                 "postgres://postgres@127.0.0.1:5432/postgres"),
                        help="a PostgreSQL server where a throwaway database may be created")
    parser.add_argument("--persona", default="petra", help="demo account whose token the sweep uses")
    parser.add_argument("--max-examples", type=int, default=100, help="test cases per operation and phase")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs, HAR)")
    args = parser.parse_args(argv)
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    workdir = Path(tempfile.mkdtemp(prefix="casebridge-fuzz-"))
    failed = False
    try:
        for engine in engines:
            options = dict(persona=args.persona, max_examples=args.max_examples, seed=args.seed, workdir=workdir)
            if engine == "postgresql":
                with scratch_database(args.database_url, "casebridge_fuzz") as url:
                    counts = run_engine(engine, database_url=url, **options)
            else:
                counts = run_engine(engine, database_url=None, **options)
            failed |= bool(counts["server_errors"] or counts["format_violations"])
            print(f"{engine}: {counts['requests']} requests, {counts['server_errors']} server errors (5xx), "
                  f"{counts['format_violations']} error responses not in the documented format; "
                  f"by status {json.dumps(counts['by_status'], sort_keys=True)}", flush=True)
            for example in counts["examples"]:
                print(f"  {example}", flush=True)
    finally:
        if args.keep:
            print(f"work directory kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Lines of a small legacy export: two clients, two cases, items; and how to run an import."""

import json

import pytest

from casebridge.conftest import PURPOSE
from casebridge.imports.services import import_records

SOURCE = "LegacyCMS"


def line(**fields) -> str:
    return json.dumps(fields)


def _line(fields: dict, extra: dict) -> str:
    fields.update(extra)
    return line(**{k: v for k, v in fields.items() if v is not None})


def client_line(ref="C-1", **extra):
    return _line(dict(type="client", ref=ref, given_name="Aziz", family_name="Example", date_of_birth="1990-04-02",
                      nationalities=["BE"], residency_status="citizen"), extra)


def case_line(ref="K-1", client="C-1", **extra):
    return _line(dict(type="case", ref=ref, client=client, phase="custody", opened_on="2024-02-01"), extra)


def item_line(ref="I-1", case="K-1", **extra):
    return _line(dict(type="item", ref=ref, case=case, category="programme_and_intervention", nature="fact",
                      title=f"Programme session {ref}", body="Attended the anger management course.",
                      fact_date="2024-03-04", classification=1), extra)


def legacy_file(items: int = 10) -> list[str]:
    lines = [client_line("C-1"), client_line("C-2", given_name="Bea"), case_line("K-1", "C-1"),
             case_line("K-2", "C-2")]
    lines += [item_line(f"I-{n}", "K-1" if n % 2 else "K-2") for n in range(items)]
    return lines


@pytest.fixture
def run_import(cast):
    """`run_import(lines, actor=adam, **options)`: the summary and the rejections."""
    def run(lines, actor=None, **options):
        rejected = []
        summary = import_records(actor=actor or cast["adam"], lines=lines, source=options.pop("source", SOURCE),
                                 purpose=options.pop("purpose", PURPOSE), rejected=rejected.append, **options)
        return summary, rejected
    return run

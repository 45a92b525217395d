"""The benchmark's results as a table for people and JSON for machines, with the targets of
DESIGN.md §7 and docs/benchmarks.md and whether each is met."""

import json
import os
import platform
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable


@dataclass(frozen=True)
class Target:
    label: str
    met: Callable[[dict], bool]


TARGETS = [
    Target("filtered timeline page p95 <= 1.5 x its unfiltered twin", lambda r: r["timeline_p95_ratio"] <= 1.5),
    Target("filtered timeline page p95 <= 20 ms", lambda r: r["timeline_p95_ms"] <= 20),
    Target("filtered timeline over HTTP p95 <= 1.5 x its unfiltered twin", lambda r: r["http_timeline_p95_ratio"] <= 1.5),
    Target("filtered search page p95 <= 50 ms", lambda r: r["search_p95_ms"] <= 50),
    Target("filtered search over HTTP p95 <= 50 ms", lambda r: r["http_search_p95_ms"] <= 50),
    Target("Python decisions >= 100 x Cedar decisions", lambda r: r["decide_per_s"] >= 100 * r["cedar_decide_per_s"]),
    Target("ingest >= 20,000 items/s with audit events", lambda r: r["ingest_items_per_s"] >= 20_000),
    Target("audit verification >= 200,000 events/s", lambda r: r["audit_verify_events_per_s"] >= 200_000),
    Target("a day's audit events verified from the last checkpoint in < 1 s",
           lambda r: r["audit_verify_incremental_day_s"] < 1),
]


def _page_rows(prefix: str, label: str) -> list[tuple[str, str, str]]:
    return [(f"{prefix}_p50_ms", f"{label}, filtered, p50", "ms"), (f"{prefix}_p95_ms", f"{label}, filtered, p95", "ms"),
            (f"{prefix}_unfiltered_p50_ms", f"{label}, unfiltered twin, p50", "ms"),
            (f"{prefix}_unfiltered_p95_ms", f"{label}, unfiltered twin, p95", "ms"),
            (f"{prefix}_p95_ratio", "  filtered / unfiltered at p95", "x")]


ROWS = [  # (key, label, unit)
    ("cases", "cases", ""), ("items", "items", ""), ("practitioners", "practitioners", ""),
    ("agreements", "agreements", ""), ("audit_events", "audit events", ""),
    *_page_rows("timeline", "timeline page (service)"),
    *_page_rows("http_timeline", "timeline page (HTTP)"),
    *_page_rows("search", "search page (service)"),
    *_page_rows("http_search", "search page (HTTP)"),
    ("decide_per_s", "read decisions, Python", "/s"),
    ("cedar_decide_per_s", "read decisions, Cedar (batch)", "/s"),
    ("cedar_requests_per_decision", "Cedar requests per decision", ""),
    ("cedar_disagreements", "Cedar disagreements with Python", ""),
    ("ingest_items_per_s", "ingest, items with audit events", "/s"),
    ("audit_work_events", "audit events of people at work", ""),
    ("audit_verify_events_per_s", "audit verification, people at work", "events/s"),
    ("audit_verify_cpu_events_per_s", "  per CPU second", "events/s"),
    ("audit_verify_chain_events_per_s", "audit verification, whole chain", "events/s"),
    ("audit_day_events", "audit events in a day", ""),
    ("audit_verify_incremental_day_s", "  verified from the last checkpoint", "s"),
    ("cpu_share", "CPU share the benchmark got", ""),
]


def machine() -> dict:
    """What the numbers were measured on."""
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                    if line.startswith("model name")), "")
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") if hasattr(os, "sysconf") else 0
    return {"cpus": os.cpu_count(), "cpu_model": cpu or platform.processor(), "memory_gib": round(memory / 2**30, 1),
            "python": sys.version.split()[0], "sqlite": sqlite3.sqlite_version, "platform": platform.platform(),
            "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else []}


def with_targets(results: dict) -> dict:
    return {**results, "targets": {t.label: t.met(results) for t in TARGETS}}


def _value(value, unit: str) -> str:
    if isinstance(value, float):
        text = f"{value:,.2f}" if unit in ("ms", "x") or value < 100 else f"{value:,.0f}"
    else:
        text = f"{value:,}"
    return f"{text} {unit}".rstrip()


def table(results: dict) -> str:
    """The results as aligned text: one measurement a line, then the targets."""
    lines = [f"{label:<44} {_value(results[key], unit):>20}" for key, label, unit in ROWS if key in results]
    lines.append("")
    lines += [f"{'met    ' if met else 'NOT met'}  {label}" for label, met in results.get("targets", {}).items()]
    lines.append("")
    lines.append(f"database: {results.get('database', '')}")
    return "\n".join(lines)


def write_json(results: dict, path: str) -> None:
    Path(path).write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")

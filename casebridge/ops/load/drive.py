"""Concurrent clients: each an asyncio task with its own HTTP connection, acting as one
practitioner, sending one request after another for a fixed time: at once (a closed loop, which
saturates the servers: throughput) or after a pause to read what came back (`think`: people at work).

The mix is what a working day looks like: case pages and item pages on the web (session cookie),
timeline pages and searches on the API (bearer token), and new items recorded on the API."""

import asyncio
import random
import time
from dataclasses import dataclass, field
from datetime import date

import httpx

from casebridge.ops.load.setup import Subject

# endpoint: weight in the mix
MIX = {"case_page": 30, "item_page": 25, "timeline_api": 20, "search_api": 15, "record_item_api": 10}
READS = ("case_page", "item_page", "timeline_api", "search_api")


@dataclass
class Tally:
    """Latencies (ms) of answered requests and error counts, per endpoint."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: {name: [] for name in MIX})
    errors: dict[str, int] = field(default_factory=lambda: {name: 0 for name in MIX})
    warmup: dict[str, int] = field(default_factory=lambda: {name: 0 for name in MIX})
    error_samples: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @classmethod
    def combined(cls, tallies: list["Tally"]) -> "Tally":
        """The tallies of clients of several servers run side by side, as one."""
        total = cls(seconds=max(tally.seconds for tally in tallies))
        for tally in tallies:
            for name in MIX:
                total.latencies[name] += tally.latencies[name]
                total.errors[name] += tally.errors[name]
                total.warmup[name] += tally.warmup[name]
            total.error_samples += tally.error_samples
        return total

    def answered(self, endpoint: str) -> int:
        """Successful requests of `endpoint`, warm-up included: what the audit trail must show."""
        return len(self.latencies[endpoint]) + self.warmup[endpoint]


def _request(endpoint: str, subject: Subject, rng: random.Random, words: list[str]) -> tuple[str, str, dict]:
    """(method, path, httpx keyword arguments) of one request of `endpoint`."""
    bearer = {"headers": {"Authorization": f"Bearer {subject.token}"}}
    if endpoint == "case_page":
        return "GET", f"cases/{subject.case_id}/", {}
    if endpoint == "item_page":
        return "GET", f"items/{rng.choice(subject.item_ids)}/", {}
    if endpoint == "timeline_api":
        return "GET", f"api/cases/{subject.case_id}/items", {**bearer, "params": {"limit": 50}}
    if endpoint == "search_api":
        return "GET", "api/search", {**bearer, "params": {"q": rng.choice(words), "limit": 20}}
    body = {"category": rng.choice(subject.categories), "title": f"Load note {rng.randrange(10**6)}",
            "body": " ".join(rng.choices(words, k=12)), "fact_date": date.today().isoformat()}
    return "POST", f"api/cases/{subject.case_id}/items", {**bearer, "json": body}


async def _client(base_url: str, subject: Subject, seed: int, words: list[str], timed_from: float, stop_at: float,
                  tally: Tally, mix: dict[str, int], think: tuple[float, float] | None):
    rng = random.Random(seed)
    endpoints, weights = list(mix), list(mix.values())
    async with httpx.AsyncClient(base_url=base_url, cookies={"sessionid": subject.session_key}, timeout=60,
                                 follow_redirects=False) as client:
        while time.perf_counter() < stop_at:
            endpoint = rng.choices(endpoints, weights)[0]
            method, path, kwargs = _request(endpoint, subject, rng, words)
            started = time.perf_counter()
            try:
                response = await client.request(method, path, **kwargs)
                ok = response.status_code == (201 if method == "POST" else 200)
                problem = f"{endpoint}: HTTP {response.status_code} {response.text[:120]!r}"
            except httpx.HTTPError as exc:
                ok, problem = False, f"{endpoint}: {type(exc).__name__} {exc}"
            if ok and started < timed_from:
                tally.warmup[endpoint] += 1
            elif ok:
                tally.latencies[endpoint].append((time.perf_counter() - started) * 1000)
            else:
                tally.errors[endpoint] += 1
                if len(tally.error_samples) < 10:
                    tally.error_samples.append(problem)
            if think:  # a person reading the answer; never past the end of the run
                await asyncio.sleep(min(rng.uniform(*think), max(0.0, stop_at - time.perf_counter())))


def drive(*, base_url: str, subjects: list[Subject], clients: int, seconds: float, words: list[str],
          seed: int, warmup: float = 3.0, mix: dict[str, int] = MIX, think: tuple[float, float] | None = None) -> Tally:
    """Run `clients` concurrent clients (round-robin over `subjects`) for `warmup` + `seconds`; only
    requests sent after the warm-up are timed (the first ones load code and templates in each
    worker process), but every answer is counted and every error reported. With `think` (seconds,
    least and most), each client pauses a random time in that range after every answer."""
    tally = Tally()

    async def main():
        timed_from = time.perf_counter() + warmup
        stop_at = timed_from + seconds
        await asyncio.gather(*(_client(base_url, subjects[n % len(subjects)], seed + n, words, timed_from, stop_at,
                                       tally, mix, think) for n in range(clients)))
        return timed_from

    timed_from = asyncio.run(main())
    tally.seconds = time.perf_counter() - timed_from
    return tally

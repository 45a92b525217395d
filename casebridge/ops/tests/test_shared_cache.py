"""With several server processes the rate limits count in the database (`CASEBRIDGE_CACHE=database`),
on a connection of their own (accounts.throttle.CacheRouter): a refused token is an error, errors roll
the request back, and the count must survive that, or guessing tokens would never be slowed down."""

import httpx
from django.db import connection

from casebridge.conftest import clear_of_a_rate_window
from casebridge.ops.bench.database import fresh_database
from casebridge.ops.load.server import serving
from casebridge.ops.tests.test_load import empty_database_url  # noqa: F401 - a fixture

WINDOW = 86400  # the counters' fixed window (accounts.throttle): the five requests must fall in one
SHARED_CACHE = {"CASEBRIDGE_CACHE": "database", "CASEBRIDGE_RATE_TOKEN": f"3/{WINDOW}",
                "CASEBRIDGE_RATE_ADDRESS_FACTOR": "1"}


def test_refused_tokens_are_counted_in_the_shared_cache_and_then_throttled(empty_database_url, tmp_path):  # noqa: F811
    with fresh_database(empty_database_url):
        connection.close()
    with serving(database_url=empty_database_url, data_dir=tmp_path, workers=None, threads=2,
                 settings=SHARED_CACHE) as url:
        clear_of_a_rate_window(WINDOW, margin=120)
        answers = [httpx.get(f"{url}api/cases", headers={"Authorization": "Bearer cb_guess_guess"}, timeout=30)
                   for _ in range(5)]
    assert [a.status_code for a in answers] == [401, 401, 401, 429, 429]
    assert answers[3].json()["error"]["code"] == "rate_limited" and int(answers[3].headers["Retry-After"]) > 0

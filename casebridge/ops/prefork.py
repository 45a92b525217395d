"""Several server processes for `casebridge serve --workers N`: gunicorn, pre-forking.

Each worker is a separate process with its own database connections (a pool per process on
PostgreSQL) and its own Python interpreter, so N workers use N cores. With one thread (the default
of `casebridge serve --workers N`) a worker is gunicorn's `sync` worker: it accepts a connection
only when it is free, so requests go to whichever worker is idle, and a page's Python work never
waits for another thread's. With `--threads T` above 1 it is the `gthread` worker. On the load
benchmark (docs/benchmarks.md) sync workers served twice the requests of 8-thread ones: threads
of one process take turns on the interpreter, and a kept-alive connection stays with the worker
that accepted it, however busy. Sync workers need a buffering reverse proxy in front (nginx
buffers by default), so a slow client never holds a worker.

The master process holds no database connection when it forks: every connection is opened by the
worker that uses it.
"""

from gunicorn.app.base import BaseApplication


class Prefork(BaseApplication):
    """gunicorn configured from `casebridge serve`'s options, not from a gunicorn.conf.py."""

    def __init__(self, *, host: str, port: int, workers: int, threads: int, trusted_proxy: str | None):
        self.options = {
            "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "workers": workers,
            "worker_class": "sync" if threads == 1 else "gthread",
            "threads": threads,
            "proc_name": "casebridge",
            # A request that takes longer than this is killed and its worker replaced.
            "timeout": 60,
            "graceful_timeout": 20,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            # Behind the TLS reverse proxy: trust its X-Forwarded-* headers, from its address only.
            "forwarded_allow_ips": trusted_proxy or "",
        }
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        # Imported in each worker after the fork (no preload): nothing is shared between processes.
        from casebridge.wsgi import application

        return application

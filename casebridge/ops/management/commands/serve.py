"""`casebridge serve`: the production-grade WSGI server in front of Casebridge.

One process with threads (waitress) by default; `--workers N` pre-forks N processes (gunicorn,
casebridge/ops/prefork.py), for a deployment with several cores: by default each serves one request
at a time (a page is Python work, which threads of one process cannot do at once), with `--threads T`
T at a time."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from casebridge.ops.health import require_migrated, require_pdf_fonts

# Behind a TLS reverse proxy, waitress must trust the proxy's X-Forwarded-* headers, or Django
# sees plain http and the production HTTPS redirect loops forever.
PROXY_HEADERS = {"x-forwarded-proto", "x-forwarded-for", "x-forwarded-host"}


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


class Command(BaseCommand):
    help = "Serve Casebridge over HTTP with waitress (put a TLS reverse proxy in front in production)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
        parser.add_argument("--threads", type=int, default=None,
                            help="threads per process (default 8 for one process, 1 with --workers)")
        parser.add_argument("--workers", type=int, default=None,
                            help="pre-fork this many server processes (gunicorn); default: one process (waitress)")
        parser.add_argument("--trusted-proxy", default=None,
                            help="address of the TLS reverse proxy whose X-Forwarded-* headers are trusted "
                                 "(default: 127.0.0.1 in production mode, none otherwise)")

    def handle(self, *args, host, port, threads, workers, trusted_proxy, **options):
        threads = threads if threads is not None else (1 if workers is not None else 8)
        if not 0 < port < 65536:
            raise CommandError(f"port {port} is out of range (1-65535)")
        if threads < 1:
            raise CommandError("--threads must be at least 1")
        if workers is not None and not 0 < workers <= 64:
            raise CommandError("--workers must be between 1 and 64")
        require_migrated()
        require_pdf_fonts()
        if trusted_proxy is None and settings.MODE == "production":
            trusted_proxy = "127.0.0.1"
        if workers is not None:
            return self._prefork(host=host, port=port, workers=workers, threads=threads, trusted_proxy=trusted_proxy)
        proxy = {"trusted_proxy": trusted_proxy, "trusted_proxy_headers": PROXY_HEADERS} if trusted_proxy else {}
        from waitress.server import create_server

        from casebridge.wsgi import application

        try:
            server = create_server(application, host=host, port=port, threads=threads, ident="Casebridge", **proxy)
        except OSError as exc:
            raise CommandError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        self.stdout.write(f"Casebridge ({settings.MODE} mode) serving on {_url(host, port)} - press Ctrl+C to stop")
        self.stdout.flush()
        try:
            server.run()
        finally:
            server.close()

    def _prefork(self, *, host, port, workers, threads, trusted_proxy):
        from casebridge.ops.prefork import Prefork

        # The workers must not inherit this process's connection (or its pool): close them first.
        for connection in connections.all(initialized_only=True):
            connection.close()
            if hasattr(connection, "close_pool"):
                connection.close_pool()
        self.stdout.write(f"Casebridge ({settings.MODE} mode) serving on {_url(host, port)} with {workers} "
                          f"process(es) of {threads} thread(s) - press Ctrl+C to stop")
        self.stdout.flush()
        server = Prefork(host=host, port=port, workers=workers, threads=threads, trusted_proxy=trusted_proxy)
        try:
            server.run()
        except SystemExit as exc:  # gunicorn exits this way, e.g. when it cannot listen
            if exc.code not in (0, None):
                raise CommandError(f"the server stopped (cannot listen on {host}:{port}?)") from None

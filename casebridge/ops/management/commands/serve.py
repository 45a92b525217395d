"""`casebridge serve`: the production-grade WSGI server (waitress) in front of Casebridge."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from casebridge.ops.health import require_migrated

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
        parser.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")
        parser.add_argument("--trusted-proxy", default=None,
                            help="address of the TLS reverse proxy whose X-Forwarded-* headers are trusted "
                                 "(default: 127.0.0.1 in production mode, none otherwise)")

    def handle(self, *args, host, port, threads, trusted_proxy, **options):
        if not 0 < port < 65536:
            raise CommandError(f"port {port} is out of range (1-65535)")
        if threads < 1:
            raise CommandError("--threads must be at least 1")
        require_migrated()
        if trusted_proxy is None and settings.MODE == "production":
            trusted_proxy = "127.0.0.1"
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

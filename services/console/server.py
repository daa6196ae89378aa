"""``zorgtafel serve console``: the console over HTTP on port 8080 (behind the ingress's TLS in
production), until SIGTERM or Ctrl-C. The sessions' database is migrated first, in a child
process (Alembic and Mako never load here); replicas starting together take turns (the shared
Alembic environment locks the schema on PostgreSQL)."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from types import FrameType

from services.console.settings import ConsoleSettings


class _NoRequestLines(logging.Filter):
    """Werkzeug's request lines hold paths with ids only, but query strings could carry what a
    person typed into a stray link: the console logs no request lines at all."""

    def filter(self, record: logging.LogRecord) -> bool:
        return False


def migrate_in_child() -> None:
    """Forked before grpc is imported here (gRPC's threads do not survive a fork); where that
    cannot be, in a fresh interpreter."""
    if "grpc" in sys.modules or not hasattr(os, "fork"):
        subprocess.run([sys.executable, "-m", "services.console.migrations"], check=True)
        return
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's exit code is checked by the parent
        code = 1
        try:
            from services.console.migrations import main

            code = main()
        except BaseException as exc:  # noqa: BLE001 - reported, then the child exits
            print(f"console: migration failed: {type(exc).__name__}", file=sys.stderr)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("console: migrations failed; not serving")


def serve(settings: ConsoleSettings | None = None) -> int:
    settings = settings or ConsoleSettings.from_env()
    logging.getLogger("werkzeug").addFilter(_NoRequestLines())
    migrate_in_child()
    # Imported only now: the migration child is forked before grpc exists in this process.
    from werkzeug.serving import make_server

    from services.console.app import create_app

    app = create_app(settings, migrate=False)
    server = make_server(settings.host, settings.port, app, threaded=True)
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print(
        f"console: http://{settings.host}:{server.server_port}"
        f"{'  (development login enabled)' if settings.dev else ''}",
        flush=True,
    )
    server.serve_forever(0.2)
    return 0

"""``zorgtafel serve console``: the console over HTTP on port 8080 (behind the ingress's TLS in
production), until SIGTERM or Ctrl-C."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

from werkzeug.serving import make_server

from services.console.app import create_app
from services.console.settings import ConsoleSettings


class _NoRequestLines(logging.Filter):
    """Werkzeug's request lines hold paths with ids only, but query strings could carry what a
    person typed into a stray link: the console logs no request lines at all."""

    def filter(self, record: logging.LogRecord) -> bool:
        return False


def serve(settings: ConsoleSettings | None = None) -> int:
    settings = settings or ConsoleSettings.from_env()
    logging.getLogger("werkzeug").addFilter(_NoRequestLines())
    app = create_app(settings)
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

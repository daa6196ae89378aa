"""A small in-process stand-in for an OPA server: it speaks OPA's REST data API and evaluates
with the embedded engine, so the same decision tests run through the OPA client.

Modes make it misbehave the ways a real sidecar can: "slow" (sleeps past the client's
timeout), "garbage" (200 with a non-JSON body), "undefined" (no ``result``), "error" (500).
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from zorgtafel.policy.embedded import EmbeddedEngine


class OpaDouble:
    def __init__(self, engine: EmbeddedEngine):
        self.engine = engine
        self.mode = "ok"
        self.requests: list[str] = []
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def _send(self, status: int, body: bytes, content_type: str = "application/json"):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                double.requests.append(f"GET {self.path}")
                if urlsplit(self.path).path == "/v1/data/system/bundles":
                    manifest = {
                        "zorgtafel": {
                            "manifest": {"revision": double.engine.revision, "roots": ["zorgtafel"]}
                        }
                    }
                    return self._send(200, json.dumps({"result": manifest}).encode())
                return self._send(404, b'{"code":"not_found"}')

            def do_POST(self):
                double.requests.append(f"POST {self.path}")
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length) or b"{}")
                if double.mode == "slow":
                    time.sleep(1.0)
                if double.mode == "garbage":
                    return self._send(200, b"<html>proxy error</html>", "text/html")
                if double.mode == "error":
                    return self._send(500, b'{"code":"internal_error"}')
                parts = urlsplit(self.path)
                path = parts.path.removeprefix("/v1/data/").strip("/").split("/")
                body = {}
                if double.mode != "undefined":
                    policy, rule = ".".join(path[:-1]), path[-1]
                    defined, value, _ = double.engine._query(policy, rule, payload.get("input", {}))
                    if defined:
                        body["result"] = value
                if "provenance" in parse_qs(parts.query, keep_blank_values=True):
                    body["provenance"] = {
                        "version": "double",
                        "bundles": {"zorgtafel": {"revision": double.engine.revision}},
                    }
                return self._send(200, json.dumps(body).encode())

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "OpaDouble":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

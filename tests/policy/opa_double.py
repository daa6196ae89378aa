"""A small in-process stand-in for an OPA server: it speaks OPA's REST data API and evaluates
with regorus (the Rust Rego engine), so the decision tests parametrised with the "opa" engine run
through the OPA client on an engine independent of the embedded one (regopy).

Modes make it misbehave the ways a real sidecar can: "slow" (sleeps past the client's
timeout), "garbage" (200 with a non-JSON body), "undefined" (no ``result``), "error" (500).
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from zorgtafel.policy import bundle, sources


class RegorusPolicy:
    """The policy directory on regorus: ``query(policy, rule, input) -> (defined, value)``.

    A regorus Engine may only be used on the thread that made it: one worker thread owns it
    (which also serialises the input it holds).
    """

    def __init__(self, policy_dir: Path):
        os.environ.setdefault("RUST_BACKTRACE", "0")
        self.revision = bundle.revision_of(policy_dir)
        self._worker = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        self._local = threading.local()  # the engine lives (and dies) on the worker thread
        self._worker.submit(self._load, Path(policy_dir)).result()

    def _load(self, policy_dir: Path) -> None:
        import regorus

        engine = regorus.Engine()
        for module in sources.modules(policy_dir):
            engine.add_policy(module.name, module.text)
        engine.add_data_json(json.dumps(sources.data_document(policy_dir)))
        self._local.engine = engine

    def _eval(self, query: str, input_text: str):
        self._local.engine.set_input_json(input_text)
        return self._local.engine.eval_rule(query)

    def _drop(self) -> None:
        self._local.__dict__.pop("engine", None)

    def close(self) -> None:
        self._worker.submit(self._drop).result()
        self._worker.shutdown()

    def query(self, policy: str, rule: str, input: object) -> tuple[bool, object]:
        text = json.dumps(input, ensure_ascii=False)
        value = self._worker.submit(self._eval, f"data.{policy}.{rule}", text).result()
        return value is not None, value


class OpaDouble:
    def __init__(self, engine: RegorusPolicy):
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
                if urlsplit(self.path).path == "/health":
                    return self._send(200 if double.mode == "ok" else 500, b"{}")
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
                    try:
                        defined, value = double.engine.query(policy, rule, payload.get("input", {}))
                    except Exception:  # noqa: BLE001 - OPA answers an evaluation error with 500
                        return self._send(500, b'{"code":"internal_error"}')
                    if defined:
                        body["result"] = value
                if "provenance" in parse_qs(parts.query, keep_blank_values=True):
                    body["provenance"] = {
                        "version": "double",
                        "bundles": {"zorgtafel": {"revision": double.engine.revision}},
                    }
                return self._send(200, json.dumps(body, ensure_ascii=False).encode())

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
        if isinstance(self.engine, RegorusPolicy):
            self.engine.close()

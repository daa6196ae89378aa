"""A small in-process stand-in for an OPA server: it speaks OPA's REST data API and evaluates
with regorus (the Rust Rego engine), so the decision tests parametrised with the "opa" engine run
through the OPA client on an engine independent of the embedded one (regopy).

With ``bundle_url`` it is a production sidecar instead: it loads signed bundles only from
governance's bundle endpoint (see ``OpaDouble``).

Modes make it misbehave the ways a real sidecar can: "slow" (sleeps past the client's
timeout), "garbage" (200 with a non-JSON body), "undefined" (no ``result``), "error" (500).
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from zorgtafel.policy import bundle, signing, sources


class RegorusPolicy:
    """The policy directory (or a bundle's contents) on regorus:
    ``query(policy, rule, input) -> (defined, value)``.

    A regorus Engine may only be used on the thread that made it: one worker thread owns it
    (which also serialises the input it holds).
    """

    def __init__(
        self,
        policy_dir: Path | None = None,
        *,
        modules: list[sources.Module] | None = None,
        data: dict | None = None,
        revision: str = "",
    ):
        os.environ.setdefault("RUST_BACKTRACE", "0")
        if policy_dir is not None:
            revision = bundle.revision_of(policy_dir)
            modules = sources.modules(Path(policy_dir))
            data = sources.data_document(Path(policy_dir))
        self.revision = revision
        self._worker = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        self._local = threading.local()  # the engine lives (and dies) on the worker thread
        try:
            self._worker.submit(self._load, modules or [], data or {}).result()
        except BaseException:
            self._worker.shutdown()
            raise

    @classmethod
    def from_bundle(cls, files: list[tuple[str, bytes]]) -> "RegorusPolicy":
        """What OPA activates from a (verified) bundle: its modules, its data, its revision."""
        modules, data = bundle.contents(files)
        return cls(modules=modules, data=data, revision=bundle.manifest_revision(files))

    def _load(self, modules: list[sources.Module], data: dict) -> None:
        import regorus

        engine = regorus.Engine()
        for module in modules:
            engine.add_policy(module.name, module.text)
        engine.add_data_json(json.dumps(data))
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
    """``OpaDouble(engine)`` answers with a fixed policy. ``OpaDouble(bundle_url=...,
    public_key_pem=...)`` is a sidecar as production runs it: no policy of its own, it loads
    bundles ONLY by polling governance's bundle endpoint (ETag, like OPA's bundle plugin),
    activates one only when its signature verifies with governance's key, and otherwise keeps the
    one it has (``refused`` says why); ``/health?bundles`` is 200 only with a bundle active and
    ``/v1/data/system/bundles`` reports the active revision, as OPA does."""

    def __init__(
        self,
        engine: RegorusPolicy | None = None,
        *,
        bundle_url: str | None = None,
        public_key_pem: bytes | None = None,
        key_id: str = signing.DEFAULT_KEY_ID,
        poll_interval_s: float = 0.2,
    ):
        if bundle_url is not None and public_key_pem is None:
            raise ValueError("a polling double verifies signatures: give public_key_pem")
        self.engine = engine
        self.mode = "ok"
        self.requests: list[str] = []
        self.bundle_url = bundle_url
        self.public_key_pem = public_key_pem
        self.key_id = key_id
        self.poll_interval_s = poll_interval_s
        self.refused: list[str] = []  # why a downloaded bundle was not activated
        self.loaded: list[str] = []  # the revisions activated, in order
        self._etag: str | None = None
        self._retired: list[RegorusPolicy] = []
        self._stop = threading.Event()
        self._poller: threading.Thread | None = None
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def _send(self, status: int, body: bytes, content_type: str = "application/json"):
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    # The client gave up first (a deadline test's engine, as it should):
                    # nobody is left to answer, and a traceback here only clutters the run.
                    pass

            def do_GET(self):
                double.requests.append(f"GET {self.path}")
                parts = urlsplit(self.path)
                if parts.path == "/health":
                    wants_bundles = "bundles" in parse_qs(parts.query, keep_blank_values=True)
                    ok = double.mode == "ok" and not (wants_bundles and double.engine is None)
                    return self._send(200 if ok else 500, b"{}")
                if parts.path == "/v1/data/system/bundles":
                    engine = double.engine
                    manifest = (
                        {
                            "zorgtafel": {
                                "manifest": {"revision": engine.revision, "roots": ["zorgtafel"]}
                            }
                        }
                        if engine is not None
                        else {}
                    )
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
                engine = double.engine  # one engine for the whole answer, even mid-swap
                if double.mode != "undefined" and engine is not None:
                    policy, rule = ".".join(path[:-1]), path[-1]
                    try:
                        defined, value = engine.query(policy, rule, payload.get("input", {}))
                    except Exception:  # noqa: BLE001 - OPA answers an evaluation error with 500
                        return self._send(500, b'{"code":"internal_error"}')
                    if defined:
                        body["result"] = value
                if "provenance" in parse_qs(parts.query, keep_blank_values=True):
                    bundles = {"zorgtafel": {"revision": engine.revision}} if engine else {}
                    body["provenance"] = {"version": "double", "bundles": bundles}
                return self._send(200, json.dumps(body, ensure_ascii=False).encode())

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def revision(self) -> str | None:
        return self.engine.revision if self.engine is not None else None

    def poll_once(self) -> None:
        """One poll of the bundle service, as OPA's bundle plugin does it."""
        request = urllib.request.Request(self.bundle_url or "")
        if self._etag:
            request.add_header("If-None-Match", self._etag)
        try:
            # the bundle service's URL, given by the test (governance's ops port)
            with urllib.request.urlopen(request, timeout=5) as response:  # nosec B310
                data, etag = response.read(), response.headers.get("ETag")
        except urllib.error.HTTPError as exc:
            if exc.code != 304:  # 304: unchanged; 404 etc.: nothing to load yet
                self._etag = None
            return
        except OSError:
            return  # not up yet: try again later, as OPA does
        try:
            files = signing.verify(data, self.public_key_pem or b"", self.key_id)
            engine = RegorusPolicy.from_bundle(files)
        except Exception as exc:  # noqa: BLE001 - OPA logs the error and keeps the old bundle
            self.refused.append(f"{type(exc).__name__}: {exc}")
            self._etag = etag  # the same bad bundle is not fetched again until it changes
            return
        old, self.engine = self.engine, engine
        self._etag = etag
        self.loaded.append(engine.revision)
        if old is not None:  # closed at exit: a decision may still be using it
            self._retired.append(old)

    def _poll(self) -> None:
        while not self._stop.is_set():
            self.poll_once()
            self._stop.wait(self.poll_interval_s)

    def __enter__(self) -> "OpaDouble":
        self.thread.start()
        if self.bundle_url is not None:
            self._poller = threading.Thread(target=self._poll, name="opa-double-bundles")
            self._poller.daemon = True
            self._poller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._poller is not None:
            self._poller.join(timeout=10)
        self.server.shutdown()
        self.server.server_close()
        for engine in [self.engine, *self._retired]:
            if isinstance(engine, RegorusPolicy):
                engine.close()

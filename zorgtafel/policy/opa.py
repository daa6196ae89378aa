"""The OPA engine: decisions from an OPA server (the Kubernetes sidecar) over its REST data API.

``POST /v1/data/<package path>/decision?provenance`` with ``{"input": ...}``; the decision is
under ``result`` (absent when undefined) and the revision of the bundle that decided is under
``provenance.bundles.<name>.revision``. Down, timeout, non-JSON or non-object answers raise
``PolicyUnavailable``; undefined is a deny.

A real deadline: ``timeout_s`` bounds the WHOLE exchange (connect, send, every read), not each
socket operation. A small HTTP/1.1 client on ``http.client`` gives every socket operation only
the time left until the deadline, so a sidecar that trickles one byte at a time cannot hold a
call past ``timeout_s``; an answer completed after the deadline is discarded, never obeyed.
(``opa-python-client``, ADR 0002, applies its timeout per socket read: 18 s were measured for a
0.5 s budget.) One connection per exchange: nothing half-read is ever reused.

``healthy()`` is true when OPA's ``/health?bundles`` (200 once a bundle is active) answered 200
within the deadline in the last ``health_ttl_s`` seconds (checked again when older): readiness
follows a dead sidecar. ``revision`` is asked of OPA again once ``revision_ttl_s`` old (decisions
refresh it too), so readiness follows an adoption without a restart.
"""

from __future__ import annotations

import http.client
import io
import json
import socket
import ssl
import threading
import time
from typing import Any, Mapping
from urllib.parse import urlsplit

from zorgtafel.policy.engine import BaseEngine, policy_path
from zorgtafel.policy.errors import PolicyUnavailable


class _DeadlineExceeded(TimeoutError):
    pass


class _DeadlineSocket:
    """A socket whose every operation may only use the time left until ``deadline``."""

    def __init__(self, sock: socket.socket, deadline: float):
        self._sock = sock
        self._deadline = deadline

    def _arm(self) -> None:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise _DeadlineExceeded("deadline passed")
        self._sock.settimeout(remaining)

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        self._arm()
        return self._sock.recv_into(buffer, nbytes, flags)

    def sendall(self, data: bytes, flags: int = 0) -> None:
        self._arm()
        self._sock.sendall(data, flags)

    def makefile(self, mode: str = "rb", buffering: int = -1) -> io.BufferedReader:
        return io.BufferedReader(_Reader(self))

    def close(self) -> None:
        # http.client closes the connection while the response still reads from it (a real
        # socket counts its open files); the exchange closes the raw socket when done.
        pass

    def close_now(self) -> None:
        self._sock.close()


class _Reader(io.RawIOBase):
    def __init__(self, sock: _DeadlineSocket):
        self._socket = sock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        return self._socket.recv_into(buffer)


class _Connection(http.client.HTTPConnection):
    """``HTTPConnection`` (or TLS) whose socket obeys one deadline for the whole exchange."""

    def __init__(self, host: str, port: int, deadline: float, tls: ssl.SSLContext | None):
        super().__init__(host, port, timeout=max(deadline - time.monotonic(), 0.001))
        self._deadline = deadline
        self._tls = tls
        self.raw: _DeadlineSocket | None = None

    def connect(self) -> None:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise _DeadlineExceeded("deadline passed before connecting")
        sock = socket.create_connection((self.host, self.port), timeout=remaining)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self._tls is not None:
            sock = self._tls.wrap_socket(sock, server_hostname=self.host)
        self.raw = _DeadlineSocket(sock, self._deadline)
        self.sock = self.raw


def _bundle_revision(body: Mapping[str, Any]) -> str | None:
    bundles = (body.get("provenance") or {}).get("bundles") or {}
    revisions = sorted(
        {b["revision"] for b in bundles.values() if isinstance(b, Mapping) and b.get("revision")}
    )
    return ",".join(revisions) or None


class OpaEngine(BaseEngine):
    def __init__(
        self,
        url: str,
        timeout_s: float = 0.5,
        health_ttl_s: float = 2.0,
        revision_ttl_s: float = 2.0,
    ):
        self.url = url.rstrip("/")
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an OPA URL: {url!r}")
        self._host = parts.hostname
        self._port = parts.port or (443 if parts.scheme == "https" else 80)
        self._tls = ssl.create_default_context() if parts.scheme == "https" else None
        self.timeout_s = timeout_s
        self.health_ttl_s = health_ttl_s
        self.revision_ttl_s = revision_ttl_s
        self._revision: str | None = None
        self._revision_at: float | None = None
        self._revision_lock = threading.Lock()
        self._healthy_at: float | None = None
        self._health_lock = threading.Lock()
        self._closed = False

    def _exchange(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        """One request and its whole answer within ``timeout_s``, or ``PolicyUnavailable``."""
        if self._closed:
            raise PolicyUnavailable("the OPA engine is closed")
        deadline = time.monotonic() + self.timeout_s
        connection = _Connection(self._host, self._port, deadline, self._tls)
        try:
            headers = {"Connection": "close"}
            if body is not None:
                headers["Content-Type"] = "application/json"
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            status = response.status
        except (_DeadlineExceeded, TimeoutError, socket.timeout) as exc:
            raise PolicyUnavailable(
                f"OPA at {self.url} did not answer within {self.timeout_s}s"
            ) from exc
        except (OSError, http.client.HTTPException) as exc:
            raise PolicyUnavailable(
                f"OPA at {self.url} did not answer: {type(exc).__name__}: {exc}"
            ) from exc
        finally:
            connection.close()
            if connection.raw is not None:
                connection.raw.close_now()
        if time.monotonic() > deadline:  # a late answer is never obeyed
            raise PolicyUnavailable(f"OPA at {self.url} answered after {self.timeout_s}s")
        return status, payload

    def _json(self, method: str, path: str, body: bytes | None = None) -> Any:
        status, payload = self._exchange(method, path, body)
        if status != 200:
            raise PolicyUnavailable(f"OPA at {self.url} answered HTTP {status}")
        try:
            return json.loads(payload)
        except ValueError as exc:
            raise PolicyUnavailable(
                f"OPA at {self.url} answered something that is not JSON"
            ) from exc

    @property
    def revision(self) -> str:
        """The revision of the bundle OPA has active (``data.system.bundles``), or "unknown".

        Asked again once ``revision_ttl_s`` old, independently of decisions: readiness compares
        it with the adopted revision, and an unready pod gets no decisions, so a revision
        learnt only from decisions would never follow an adoption (issue #18)."""
        now = time.monotonic()
        with self._revision_lock:
            fresh = self._revision_at is not None and now - self._revision_at < self.revision_ttl_s
            if not fresh:
                self._revision = self._loaded_revision()
                self._revision_at = time.monotonic()
            return self._revision or "unknown"

    def _loaded_revision(self) -> str | None:
        try:
            body = self._json("GET", "/v1/data/system/bundles")
        except PolicyUnavailable:  # a sidecar that cannot say its revision: unknown
            return None
        manifests = (body or {}).get("result") if isinstance(body, Mapping) else None
        if not isinstance(manifests, Mapping):
            return None
        revisions = sorted(
            {
                m.get("manifest", {}).get("revision")
                for m in manifests.values()
                if isinstance(m, Mapping) and isinstance(m.get("manifest"), Mapping)
            }
            - {None}
        )
        return ",".join(revisions) or None

    def healthy(self) -> bool:
        """OPA's ``/health`` answered 200 within the deadline in the last ``health_ttl_s`` s."""
        if self._closed:
            return False
        now = time.monotonic()
        with self._health_lock:
            if self._healthy_at is not None and now - self._healthy_at < self.health_ttl_s:
                return True
            try:
                # ``?bundles``: 200 only once a bundle is active; a sidecar still waiting for
                # governance's first bundle (or refusing one) has no policy to answer with.
                status, _ = self._exchange("GET", "/health?bundles")
            except PolicyUnavailable:
                self._healthy_at = None
                return False
            self._healthy_at = time.monotonic() if status == 200 else None
            return status == 200

    ready = healthy

    def _query(self, policy: str, rule: str, input: Mapping[str, Any]) -> tuple[bool, Any, str]:
        try:
            body_bytes = json.dumps(
                {"input": dict(input)}, ensure_ascii=False, allow_nan=False
            ).encode()
        except (TypeError, ValueError) as exc:
            raise PolicyUnavailable(f"input is not JSON: {exc}") from exc
        body = self._json(
            "POST", f"/v1/data/{policy_path(policy)}/{rule}?provenance=true", body_bytes
        )
        if not isinstance(body, Mapping):
            raise PolicyUnavailable(f"OPA at {self.url} answered something that is not an object")
        revision = _bundle_revision(body)
        if revision:
            with self._revision_lock:
                self._revision, self._revision_at = revision, time.monotonic()
        if "result" not in body:
            return False, None, revision or self.revision
        return True, body["result"], revision or self.revision

    def close(self) -> None:
        self._closed = True

"""The OPA engine: decisions from an OPA server (the Kubernetes sidecar) over its REST data API.

``POST /v1/data/<package path>/decision?provenance`` with ``{"input": ...}``; the decision is
under ``result`` (absent when undefined) and the revision of the bundle that decided is under
``provenance.bundles.<name>.revision``. The client is ``opa-python-client`` with retries off, so
one decision costs at most one request bounded by ``timeout_s`` (see docs/adr/0002-opa-client.md).
Down, timeout, non-JSON or non-object answers raise ``PolicyUnavailable``; undefined is a deny.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping
from urllib.parse import urlsplit

from zorgtafel.policy.engine import BaseEngine, policy_path
from zorgtafel.policy.errors import PolicyUnavailable

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from opa_client.opa import OpaClient


def _client(url: str, timeout_s: float) -> OpaClient:
    from opa_client.opa import OpaClient

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an OPA URL: {url!r}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    # retries=0: the client's default retries would multiply the time budget.
    return OpaClient(
        host=parts.hostname, port=port, ssl=parts.scheme == "https", retries=0, timeout=timeout_s
    )


def _bundle_revision(body: Mapping[str, Any]) -> str | None:
    bundles = (body.get("provenance") or {}).get("bundles") or {}
    revisions = sorted(
        {b["revision"] for b in bundles.values() if isinstance(b, Mapping) and b.get("revision")}
    )
    return ",".join(revisions) or None


class OpaEngine(BaseEngine):
    def __init__(self, url: str, timeout_s: float = 0.5):
        self.url = url.rstrip("/")
        self.timeout_s = timeout_s
        self._client = _client(self.url, timeout_s)
        self._revision: str | None = None

    @property
    def revision(self) -> str:
        """The revision of the bundle OPA has loaded (``data.system.bundles``), or "unknown"."""
        if self._revision is None:
            try:
                body = self._client.get_data("system/bundles")
                manifests = (body or {}).get("result") or {}
                revisions = sorted(
                    {
                        m.get("manifest", {}).get("revision")
                        for m in manifests.values()
                        if isinstance(m, Mapping)
                    }
                    - {None}
                )
                self._revision = ",".join(revisions) or None
            except Exception:  # noqa: BLE001 - a sidecar that cannot say its revision: unknown
                return "unknown"
        return self._revision or "unknown"

    def _query(self, policy: str, rule: str, input: Mapping[str, Any]) -> tuple[bool, Any, str]:
        try:
            body = self._client.query_rule(
                dict(input), policy_path(policy), rule, query_params={"provenance": "true"}
            )
        except Exception as exc:  # connection refused, timeout, HTTP error, invalid JSON
            raise PolicyUnavailable(
                f"OPA at {self.url} did not answer: {type(exc).__name__}: {exc}"
            ) from exc
        if not isinstance(body, Mapping):
            raise PolicyUnavailable(f"OPA at {self.url} answered something that is not an object")
        revision = _bundle_revision(body)
        if revision:
            self._revision = revision
        if "result" not in body:
            return False, None, revision or self.revision
        return True, body["result"], revision or self.revision

    def close(self) -> None:
        self._client.close_connection()

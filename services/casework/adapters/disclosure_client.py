"""The pre-read check (12.2f) as the disclosure service decides it, over gRPC.

Casework never decides whether an item may be shown: for each pre-read it asks
``zorgtafel.disclosure.v1.DisclosureService/RequestDisclosure`` with action ``pre_read`` *on
behalf of the calling participant* (its own credentials are relayed, so the disclosure service
decides and logs for the person who will read). Whatever is not explicitly released is withheld.
When the disclosure service is not configured, unreachable or too slow, nothing is shown and the
caller gets UNAVAILABLE (fail closed). Content passes through in memory only: it is never
stored, logged or put in an event by casework.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import grpc
from grpc_status import rpc_status

from zorgtafel.disclosure.v1 import disclosure_pb2 as dpb
from zorgtafel.disclosure.v1 import disclosure_pb2_grpc as dpb_grpc
from zorgtafel.kernel.errors import Unavailable
from zorgtafel.kernel.logging import get_logger

log = get_logger(__name__)

METHOD = "/zorgtafel.disclosure.v1.DisclosureService/RequestDisclosure"
RELAYED_METADATA = ("authorization",)


@dataclass(frozen=True)
class Released:
    item_id: str
    category: str
    provider: str
    content_type: str
    content: bytes
    redacted_fields: tuple[str, ...]
    decision_id: str


@dataclass(frozen=True)
class Withheld:
    item_id: str
    decision_id: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class PreReadOutcome:
    released: list[Released] = field(default_factory=list)
    withheld: list[Withheld] = field(default_factory=list)


class DisclosureClient:
    """One channel per running casework (gRPC channels are thread-safe); no per-call state."""

    def __init__(self, address: str, timeout_s: float = 5.0) -> None:
        self._address = address
        self._timeout = timeout_s
        self._lock = threading.Lock()
        self._channel: grpc.Channel | None = None

    def _stub(self) -> dpb_grpc.DisclosureServiceStub:
        if not self._address:
            raise Unavailable("the disclosure service is not configured "
                              "(ZORGTAFEL_DISCLOSURE_ADDRESS): nothing is shown (fail closed)")
        with self._lock:
            if self._channel is None:
                self._channel = grpc.insecure_channel(self._address)
            return dpb_grpc.DisclosureServiceStub(self._channel)

    def close(self) -> None:
        with self._lock:
            if self._channel is not None:
                self._channel.close()
                self._channel = None

    def pre_read(self, case_id: str, item_ids: list[str], purpose: str,
                 caller_metadata: dict[str, str]) -> PreReadOutcome:
        if not item_ids:
            return PreReadOutcome()
        metadata = tuple((k, v) for k, v in caller_metadata.items() if k in RELAYED_METADATA)
        request = dpb.RequestDisclosureRequest(
            item_ids=item_ids, case_id=case_id, purpose=purpose,
            action=dpb.DISCLOSURE_ACTION_PRE_READ)
        try:
            reply = self._stub().RequestDisclosure(request, metadata=metadata,
                                                   timeout=self._timeout)
        except grpc.RpcError as err:
            code = err.code() if hasattr(err, "code") else None
            if code == grpc.StatusCode.PERMISSION_DENIED:
                # Every item was denied: the reasons travel in the status message.
                reasons = tuple(r for r in (err.details() or "").split("; ") if r) or \
                    ("denied by the disclosure service",)
                return PreReadOutcome(withheld=[Withheld(i, _decision_id(err), reasons)
                                                for i in item_ids])
            log.warning("disclosure_unavailable", code=getattr(code, "name", "unknown"))
            raise Unavailable("the disclosure service did not decide the pre-read: nothing is "
                              "shown (fail closed)") from err
        released = [Released(i.item_id, i.category, i.provider, i.content_type, i.content,
                             tuple(i.redacted_fields), i.decision_id) for i in reply.items]
        got = {r.item_id for r in released}
        withheld = [Withheld(d.item_id, d.decision_id, tuple(d.reasons)) for d in reply.denied]
        seen = got | {w.item_id for w in withheld}
        # Anything the reply does not account for is withheld (fail closed).
        withheld += [Withheld(i, "", ("no decision from the disclosure service",))
                     for i in item_ids if i not in seen]
        released = [r for r in released if r.item_id in set(item_ids)]
        return PreReadOutcome(released=released, withheld=withheld)


def _decision_id(err: grpc.RpcError) -> str:
    try:
        status = rpc_status.from_call(err)
    except Exception:  # noqa: BLE001 - details are optional
        return ""
    if status is None:
        return ""
    from google.rpc import error_details_pb2

    for detail in status.details:
        info = error_details_pb2.ErrorInfo()
        if detail.Unpack(info):
            return info.metadata.get("decision_id", "")
    return ""

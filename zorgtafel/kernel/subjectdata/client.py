"""Asking the other services for their part of a subject access report, on behalf of the
privacy officer who asked (issue #14). The caller's token is relayed, as casework relays an
invitee's token to disclosure for the pre-read: each service authenticates the person and
decides by its own facts, and logs the look in its own access log.

Channel security follows the suite's (see ``services/casework/adapters/disclosure_client``):
plaintext only when the asking service serves plaintext itself (development); in TLS mode it
presents its own certificate and key (or ``ZORGTAFEL_RELAY_CLIENT_CERT_FILE``/``_KEY_FILE``: a
certificate from the suite's relay CA naming this service in a URI SAN, which makes the call a
relay at the other end, ``ZORGTAFEL_TLS_RELAY_SERVICES`` there) and trusts
``ZORGTAFEL_PEER_CA_FILE`` (else ``ZORGTAFEL_TLS_CLIENT_CA_FILE``). A peer's address is
``ZORGTAFEL_<PEER>_ADDRESS``; ``ZORGTAFEL_<PEER>_TLS_SERVER_NAME`` overrides the name checked.

Fail closed: a peer that is not configured, unreachable, too slow or failing makes the whole
report UNAVAILABLE (retryable). A report that silently lacks a service's part would tell the
subject less than is held (GDPR art. 15 asks for all of it). A peer that refuses the caller
(PERMISSION_DENIED: nothing held there for the caller's party as controller, alike whether held
for others or not at all, 8.4c) is an answer, reported as such in that service's section; so is
NOT_FOUND, from a peer of an earlier release."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import grpc
from google.rpc import error_details_pb2

from zorgtafel.generated.subjectdata.v1 import subjectdata_pb2 as pb
from zorgtafel.generated.subjectdata.v1 import subjectdata_pb2_grpc as pb_grpc
from zorgtafel.kernel.config import Settings
from zorgtafel.kernel.errors import Unavailable
from zorgtafel.kernel.grpc_errors import details_of, policy_reasons, relayed_turn_away
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.relaytls import RelaySettings, RelayTls

log = get_logger(__name__)

RELAYED_METADATA = ("authorization",)
ROUTE = RelaySettings(
    ca="peer_ca_file",
    client_cert="relay_client_cert_file",
    client_key="relay_client_key_file",
    target="the other services",
)


@dataclass(frozen=True)
class PeerTls:
    root_certificates: bytes
    certificate_chain: bytes
    private_key: bytes

    @classmethod
    def from_settings(cls, settings: Settings) -> "PeerTls | None":
        """``None`` (plaintext) only when this service serves plaintext itself; an incomplete
        TLS setting fails at start, not at the first report (zorgtafel/kernel/relaytls.py)."""
        tls = RelayTls.from_settings(settings, ROUTE)
        return (
            None
            if tls is None
            else cls(tls.root_certificates, tls.certificate_chain, tls.private_key)
        )


@dataclass(frozen=True)
class PeerAnswer:
    """One service's part: its export, or why there is none (refused, nothing held)."""

    service: str
    status: pb.SectionStatus
    data: pb.ExportSubjectDataResponse | None = None
    reasons: tuple[str, ...] = ()


@dataclass
class SubjectDataPeers:
    """One channel per peer service (thread-safe, opened on first use)."""

    addresses: dict[str, str]
    tls: PeerTls | None = None
    server_names: dict[str, str] = field(default_factory=dict)
    timeout_s: float = 10.0
    _channels: dict[str, grpc.Channel] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def from_settings(cls, settings: Settings, peers: tuple[str, ...]) -> "SubjectDataPeers":
        return cls(
            addresses={p: settings.setting(f"{p}_address") for p in peers},
            tls=PeerTls.from_settings(settings),
            server_names={p: settings.setting(f"{p}_tls_server_name") for p in peers},
            timeout_s=float(settings.setting("subject_report_timeout_s", "10") or 10),
        )

    def _channel(self, peer: str) -> grpc.Channel:
        address = self.addresses.get(peer, "")
        if not address:
            raise Unavailable(
                f"the {peer} service is not configured (ZORGTAFEL_{peer.upper()}_ADDRESS): "
                "no report without its part (fail closed)"
            )
        with self._lock:
            channel = self._channels.get(peer)
            if channel is None:
                if self.tls is None:
                    channel = grpc.insecure_channel(address)
                else:
                    creds = grpc.ssl_channel_credentials(
                        root_certificates=self.tls.root_certificates,
                        private_key=self.tls.private_key,
                        certificate_chain=self.tls.certificate_chain,
                    )
                    name = self.server_names.get(peer, "")
                    options = [("grpc.ssl_target_name_override", name)] if name else []
                    channel = grpc.secure_channel(address, creds, options=options)
                self._channels[peer] = channel
            return channel

    def close(self) -> None:
        with self._lock:
            for channel in self._channels.values():
                channel.close()
            self._channels.clear()

    def export(self, peer: str, by: str, value: str, caller_metadata: dict[str, str]) -> PeerAnswer:
        metadata = tuple((k, v) for k, v in caller_metadata.items() if k in RELAYED_METADATA)
        request = pb.ExportSubjectDataRequest(**{by: value})
        stub = pb_grpc.SubjectDataServiceStub(self._channel(peer))
        try:
            reply = stub.ExportSubjectData(request, metadata=metadata, timeout=self.timeout_s)
        except grpc.RpcError as err:
            code = err.code() if hasattr(err, "code") else None
            if code == grpc.StatusCode.PERMISSION_DENIED:
                return PeerAnswer(peer, pb.SECTION_STATUS_NOT_A_CONTROLLER, None, _reasons(err))
            if code == grpc.StatusCode.NOT_FOUND:
                return PeerAnswer(
                    peer,
                    pb.SECTION_STATUS_NOTHING_HELD,
                    None,
                    (f"The {peer} service holds no data of this case or subject.",),
                )
            turned_away = relayed_turn_away(err)
            if turned_away is not None:
                raise turned_away from None
            name = getattr(code, "name", "UNKNOWN")
            log.warning("subject_data_peer_unavailable", peer=peer, code=name)
            raise Unavailable(
                f"the {peer} service did not give its part of the report ({name}): "
                "try again (fail closed)"
            ) from err
        return PeerAnswer(peer, pb.SECTION_STATUS_ANSWERED, reply)


def _reasons(err: grpc.RpcError) -> tuple[str, ...]:
    """The policy's reasons from a PERMISSION_DENIED's ErrorInfo (``reason_<n>``)."""
    for info in details_of(err, error_details_pb2.ErrorInfo):
        reasons = policy_reasons(info)
        if reasons:
            return reasons
    return ("Refused by the service: the caller's party is no controller of its data.",)

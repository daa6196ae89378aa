"""The pre-read check (12.2f) as the disclosure service decides it, over gRPC.

Casework never decides whether an item may be shown: for each pre-read it asks
``zorgtafel.disclosure.v1.DisclosureService/RequestDisclosure`` with action ``pre_read`` *on
behalf of the calling participant* (its own credentials are relayed, so the disclosure service
decides and logs for the person who will read). Whatever is not explicitly released is withheld.
When the disclosure service is not configured, unreachable or too slow, nothing is shown and the
caller gets UNAVAILABLE (fail closed); when it finds the request malformed (INVALID_ARGUMENT), the
caller gets that, naming the field, as its own mistake. Content passes through in memory only: it is never
stored, logged or put in an event by casework.

Channel security is the suite's: when casework serves TLS (``ZORGTAFEL_TLS_CERT_FILE``), it calls
disclosure over TLS too, presenting its own certificate and key (the pair it serves with) and
trusting ``ZORGTAFEL_DISCLOSURE_CA_FILE`` (else ``ZORGTAFEL_TLS_CLIENT_CA_FILE``, the CA its
partners' certificates come from); ``ZORGTAFEL_DISCLOSURE_TLS_SERVER_NAME`` overrides the name
checked in disclosure's certificate (default: the host of the address). A plaintext channel is
used only when casework itself serves plaintext (development): never a downgrade in mTLS mode.

The certificate casework presents makes the call a *relay* at disclosure (the reader's party is
taken from the relayed token, not from casework's certificate, whose OIN is the host's): one
issued by disclosure's relay CA (``ZORGTAFEL_TLS_RELAY_CA_FILE`` there) with the URI SAN
``urn:zorgtafel:service:casework``. When the certificate casework serves with is not that one
(it is a partner-facing certificate, e.g. from PKIoverheid), ``ZORGTAFEL_DISCLOSURE_CLIENT_CERT_FILE``
and ``_CLIENT_KEY_FILE`` name the relay certificate and key presented to disclosure instead.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import grpc
from google.rpc import error_details_pb2

from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as dpb
from zorgtafel.generated.disclosure.v1 import disclosure_pb2_grpc as dpb_grpc
from zorgtafel.kernel.config import Settings
from zorgtafel.kernel.errors import InvalidArgument, Unavailable
from zorgtafel.kernel.grpc_errors import details_of, policy_reasons, relayed_turn_away
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.relaytls import RelaySettings, RelayTls

log = get_logger(__name__)

METHOD = "/zorgtafel.disclosure.v1.DisclosureService/RequestDisclosure"
RELAYED_METADATA = ("authorization",)
ROUTE = RelaySettings(
    ca="disclosure_ca_file",
    client_cert="disclosure_client_cert_file",
    client_key="disclosure_client_key_file",
    target="the disclosure service",
)


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


@dataclass(frozen=True)
class ChannelSecurity:
    """TLS for the call to disclosure: the CA that signed disclosure's server certificate, and
    casework's own certificate chain and key (disclosure requires a client certificate in mTLS
    mode). ``None`` where a ``ChannelSecurity`` is expected means a plaintext channel."""

    root_certificates: bytes
    certificate_chain: bytes | None = None
    private_key: bytes | None = None
    server_name: str = ""

    @classmethod
    def from_settings(cls, settings: Settings) -> "ChannelSecurity | None":
        """The suite's channel security from casework's settings: plaintext only when casework
        serves plaintext itself; a TLS setting that is incomplete or unreadable fails at start,
        not at the first pre-read."""
        tls = RelayTls.from_settings(settings, ROUTE)
        if tls is None:
            return None
        return cls(
            root_certificates=tls.root_certificates,
            certificate_chain=tls.certificate_chain,
            private_key=tls.private_key,
            server_name=settings.setting("disclosure_tls_server_name"),
        )

    def channel(self, address: str) -> grpc.Channel:
        creds = grpc.ssl_channel_credentials(
            root_certificates=self.root_certificates,
            private_key=self.private_key,
            certificate_chain=self.certificate_chain,
        )
        options = [("grpc.ssl_target_name_override", self.server_name)] if self.server_name else []
        return grpc.secure_channel(address, creds, options=options)


class DisclosureClient:
    """One channel per running casework (gRPC channels are thread-safe); no per-call state.

    ``security`` is the channel's TLS (``ChannelSecurity.from_settings(platform.settings)``, as
    the composition root passes it), or ``None`` for plaintext.
    """

    def __init__(
        self,
        address: str,
        timeout_s: float = 5.0,
        security: ChannelSecurity | None = None,
    ) -> None:
        self._address = address
        self._timeout = timeout_s
        self._security = security
        self._lock = threading.Lock()
        self._channel: grpc.Channel | None = None

    def _open(self) -> grpc.Channel:
        security = self._security
        if isinstance(security, ChannelSecurity):
            return security.channel(self._address)
        return grpc.insecure_channel(self._address)

    def _stub(self) -> dpb_grpc.DisclosureServiceStub:
        if not self._address:
            raise Unavailable(
                "the disclosure service is not configured "
                "(ZORGTAFEL_DISCLOSURE_ADDRESS): nothing is shown (fail closed)"
            )
        with self._lock:
            if self._channel is None:
                self._channel = self._open()
            return dpb_grpc.DisclosureServiceStub(self._channel)

    def close(self) -> None:
        with self._lock:
            if self._channel is not None:
                self._channel.close()
                self._channel = None

    def pre_read(
        self, case_id: str, item_ids: list[str], purpose: str, caller_metadata: dict[str, str]
    ) -> PreReadOutcome:
        """One decision per item (a missing or refused item never hides the others), each asked
        with the meeting's case: disclosure answers for an item of another case as for one it
        does not hold (never decided on, nor logged for, its own case); such an item is withheld
        here too whatever disclosure says. An item the reader's party does not need is left
        out altogether: not released, not listed as withheld (art. 8.4c)."""
        metadata = tuple((k, v) for k, v in caller_metadata.items() if k in RELAYED_METADATA)
        outcome = PreReadOutcome()
        for item_id in item_ids:
            request = dpb.RequestDisclosureRequest(
                item_ids=[item_id],
                case_id=case_id,
                purpose=purpose,
                action=dpb.DISCLOSURE_ACTION_PRE_READ,
            )
            try:
                reply = self._stub().RequestDisclosure(
                    request, metadata=metadata, timeout=self._timeout
                )
            except grpc.RpcError as err:
                code = err.code() if hasattr(err, "code") else None
                if code == grpc.StatusCode.PERMISSION_DENIED:
                    if _outside_need(err):
                        continue
                    decision_id, reasons = _denial(err)
                    outcome.withheld.append(Withheld(item_id, decision_id, reasons))
                    continue
                if code == grpc.StatusCode.NOT_FOUND:
                    outcome.withheld.append(
                        Withheld(
                            item_id,
                            "",
                            (
                                "The disclosure service holds no such item of this case (it "
                                "may have been erased, or be another case's).",
                            ),
                        )
                    )
                    continue
                if code == grpc.StatusCode.INVALID_ARGUMENT:
                    # The caller's mistake (a malformed purpose the caller gave), not the peer
                    # being down: passed on naming the field, nothing shown.
                    raise _invalid_argument(err) from None
                turned_away = relayed_turn_away(err)
                if turned_away is not None:
                    raise turned_away from None
                name = getattr(code, "name", "UNKNOWN")
                log.warning("disclosure_unavailable", code=name)
                raise Unavailable(
                    f"the disclosure service did not decide the pre-read ({name}): "
                    "nothing is shown (fail closed)"
                ) from err
            released = [i for i in reply.items if i.item_id == item_id]
            if released and released[0].case_id == case_id:
                i = released[0]
                outcome.released.append(
                    Released(
                        i.item_id,
                        i.category,
                        i.provider,
                        i.content_type,
                        i.content,
                        tuple(i.redacted_fields),
                        i.decision_id,
                    )
                )
            elif released:
                outcome.withheld.append(
                    Withheld(
                        item_id,
                        released[0].decision_id,
                        (
                            "The item belongs to another case; a pre-read set holds only items of "
                            "its own case (art. 8.4c).",
                        ),
                    )
                )
            else:
                denied = [d for d in reply.denied if d.item_id == item_id]
                if denied and denied[0].outside_need:
                    continue
                outcome.withheld.append(
                    Withheld(
                        item_id,
                        denied[0].decision_id if denied else "",
                        tuple(denied[0].reasons)
                        if denied
                        else ("No decision from the disclosure service: withheld (fail closed).",),
                    )
                )
        return outcome


def _invalid_argument(err: grpc.RpcError) -> InvalidArgument:
    """The disclosure service's INVALID_ARGUMENT with the fields its BadRequest names (the
    pre-read passes the caller's ``purpose`` as disclosure's ``purpose``); without them,
    ``purpose``, the only field of the pre-read request the caller chose."""
    for bad in details_of(err, error_details_pb2.BadRequest):
        if bad.field_violations:
            first, *more = [(v.field, v.description) for v in bad.field_violations]
            return InvalidArgument(first[0], first[1], *more)
    return InvalidArgument("purpose", "refused by the disclosure service as malformed")


def _outside_need(err: grpc.RpcError) -> bool:
    """Whether disclosure refused the item because the reader's party does not need it (the
    reader has a part in the case): such an item is not listed, not even as withheld, so the
    reader learns nothing of it, its id, category or the provider's terms (art. 8.4c, 15.1).
    Disclosure's access log holds the refusal."""
    return any(
        info.metadata.get("outside_need") == "true"
        for info in details_of(err, error_details_pb2.ErrorInfo)
    )


def _denial(err: grpc.RpcError) -> tuple[str, tuple[str, ...]]:
    """The decision id and the policy's reasons from a PERMISSION_DENIED's ErrorInfo."""
    for info in details_of(err, error_details_pb2.ErrorInfo):
        reasons = policy_reasons(info)
        return info.metadata.get("decision_id", ""), reasons or (
            "Denied by the disclosure service.",
        )
    return "", ("Denied by the disclosure service.",)

"""Pre-reads (12.2f) in the production channel mode: casework and disclosure both serve gRPC with
mTLS (client certificates required, the party taken from the certificate's OIN and matched with
the token), and casework asks disclosure for each pre-read over an mTLS channel of its own,
presenting the certificate it serves with and relaying the caller's token. Before, casework
called over a plaintext channel, so a suite in mTLS mode answered every pre-read UNAVAILABLE.

Every partner call in these tests is made as that partner: a channel with the party's own
client certificate (from the partners' test CA, standing in for PKIoverheid) and its token, like a
partner system would. The services' certificates come from the suite's internal CA, which
disclosure also takes as its relay CA: casework presents a certificate of that CA naming
``urn:zorgtafel:service:casework``, so disclosure takes the reader's party from the relayed token
(``mtls_relay``) instead of binding it to casework's certificate (the host's OIN)."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

import grpc
import jwt
import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from services.casework.adapters.disclosure_client import ChannelSecurity, _denial
from tests.integration.casework.conftest import (
    ACTIVE,
    DIRECTOR_PERSON,
    FARENT,
    GGD,
    LUMENS,
    POLICE,
    SHELTER,
    Env,
)
from tests.integration.casework.test_pre_read import _has_delegate, _involved, _status
from zorgtafel.generated.casework.v1 import casework_pb2 as pb
from zorgtafel.generated.casework.v1 import casework_pb2_grpc as pb_grpc
from zorgtafel.generated.common.v1 import common_pb2
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as dpb
from zorgtafel.generated.disclosure.v1 import disclosure_pb2_grpc as dpb_grpc
from zorgtafel.kernel.config import Settings
from zorgtafel.testing import Keys, Publisher, rid, running_service, wait_for
from zorgtafel.testing_pki import TestCA

pytestmark = pytest.mark.integration


class AsTheCaller:
    """A stub whose every call goes out over mTLS with the client certificate of the party named
    in the call's token (as that party's own system would call)."""

    def __init__(
        self,
        ca: TestCA,
        port: int,
        stub_class: Callable[[grpc.Channel], Any],
        server_ca: TestCA | None = None,
    ) -> None:
        self._ca, self._port, self._stub_class = ca, port, stub_class
        self._root = (server_ca or ca).cert_pem
        self._stubs: dict[str, Any] = {}
        self._channels: list[grpc.Channel] = []

    def _stub(self, party: str) -> Any:
        if party not in self._stubs:
            client = self._ca.client(party)
            creds = grpc.ssl_channel_credentials(
                root_certificates=self._root,
                private_key=client.key_pem,
                certificate_chain=client.cert_pem,
            )
            channel = grpc.secure_channel(f"127.0.0.1:{self._port}", creds)
            self._channels.append(channel)
            self._stubs[party] = self._stub_class(channel)
        return self._stubs[party]

    def __getattr__(self, method: str) -> Callable[..., Any]:
        def call(request: Any, metadata: tuple, **kw: Any) -> Any:
            token = dict(metadata)["authorization"].removeprefix("Bearer ")
            party = jwt.decode(token, options={"verify_signature": False})["party"]
            return getattr(self._stub(party), method)(request, metadata=metadata, **kw)

        return call

    def close(self) -> None:
        for channel in self._channels:
            channel.close()


def service_tls_files(
    ca: TestCA, directory, oin: str, client_ca_pem: bytes | None = None
) -> dict[str, str]:
    """A service's certificate as the cert-manager component issues it: server and client
    usage (it serves partners and calls disclosure), the host organisation's OIN, the names it
    is called by; ``client_ca_pem`` the bundle partner certificates are verified with (default:
    the issuing CA)."""
    issued = ca.issue(
        [
            (NameOID.COMMON_NAME, "localhost"),
            (NameOID.ORGANIZATION_NAME, "Host organisation"),
            (NameOID.SERIAL_NUMBER, oin),
        ],
        eku=(ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH),
        san=[x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))],
    )
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "tls.crt").write_bytes(issued.cert_pem)
    (directory / "tls.key").write_bytes(issued.key_pem)
    (directory / "ca.crt").write_bytes(ca.cert_pem)
    (directory / "client-ca.crt").write_bytes(client_ca_pem or ca.cert_pem)
    return {
        "tls_cert_file": str(directory / "tls.crt"),
        "tls_key_file": str(directory / "tls.key"),
        "tls_client_ca_file": str(directory / "client-ca.crt"),
    }


def relay_files(ca: TestCA, directory, oin: str) -> dict[str, str]:
    """Casework's relay certificate (components/cert-manager: zorgtafel-casework-relay): the
    internal CA, client usage, ``urn:zorgtafel:service:casework``, presented to disclosure."""
    issued = ca.service("casework", oin=oin)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "tls.crt").write_bytes(issued.cert_pem)
    (directory / "tls.key").write_bytes(issued.key_pem)
    return {
        "disclosure_client_cert_file": str(directory / "tls.crt"),
        "disclosure_client_key_file": str(directory / "tls.key"),
    }


@pytest.fixture(scope="module", params=["host is the reader's party", "host is another party"])
def suite(request, broker, tmp_path_factory):
    """Disclosure and casework in mTLS mode, casework running with the certificate of the host
    organisation (SHELTER's OIN, or GGD's). Its disclosure client takes its channel security
    from casework's settings (the composition root), as in a production pod."""
    host = SHELTER if request.param == "host is the reader's party" else GGD
    data_dir = tmp_path_factory.mktemp("preread-mtls")
    keys = Keys(data_dir)
    partners = TestCA("PKIoverheid test CA")  # the partners' certificates
    internal = TestCA("Zorgtafel internal CA")  # the services' certificates, and the relay CA
    files = service_tls_files(
        internal, data_dir / "tls", host, client_ca_pem=partners.cert_pem + internal.cert_pem
    )
    relay = relay_files(internal, data_dir / "relay", host)
    publisher = Publisher(broker.bootstrap)
    try:
        with (
            running_service(
                "disclosure",
                data_dir,
                broker.bootstrap,
                auth_mode="mtls",
                refusal_burst=60,  # the default budget (off in tests unless asked for)
                tls_relay_ca_file=str(data_dir / "tls" / "ca.crt"),
                tls_relay_services=("casework",),
                **files,
            ) as dis,
            running_service(
                "casework",
                data_dir,
                broker.bootstrap,
                auth_mode="mtls",
                disclosure_address=f"127.0.0.1:{dis.grpc_port}",
                disclosure_ca_file=str(data_dir / "tls" / "ca.crt"),
                **relay,
                **files,
            ) as cw,
        ):
            e = Env(cw, keys, publisher)
            e.stub = AsTheCaller(partners, cw.grpc_port, pb_grpc.CaseworkServiceStub, internal)
            dis_stub = AsTheCaller(
                partners, dis.grpc_port, dpb_grpc.DisclosureServiceStub, internal
            )
            as_casework = grpc.secure_channel(
                f"127.0.0.1:{dis.grpc_port}",
                grpc.ssl_channel_credentials(
                    root_certificates=internal.cert_pem,
                    private_key=(data_dir / "relay" / "tls.key").read_bytes(),
                    certificate_chain=(data_dir / "relay" / "tls.crt").read_bytes(),
                ),
            )
            try:
                e.register_parties(ACTIVE)
                e.appoint(LUMENS, DIRECTOR_PERSON)
                wait_for(lambda: all(_status(dis, p) == "active" for p in ACTIVE), timeout=60)
                yield request.param, e, dis, dis_stub, as_casework
            finally:
                as_casework.close()
                dis_stub.close()
                e.stub.close()
    finally:
        publisher.close()


def provide(env, dis_stub, case_id: str, party: str, content: bytes, *, pre_read: bool) -> str:
    terms = common_pb2.UsageTerms(purposes=["care_coordination"], pre_read_allowed=pre_read)
    return dis_stub.Provide(
        dpb.ProvideRequest(
            request_id=rid(),
            case_id=case_id,
            category="safety",
            classification=dpb.CLASSIFICATION_CONFIDENTIAL,
            legal_basis=dpb.LEGAL_BASIS_PUBLIC_TASK,
            content_type="text/plain",
            content=content,
            terms=terms,
        ),
        metadata=env.md(party),
    ).item_id


def pre_read_set(suite) -> tuple[pb.GetPreReadSetResponse, str, str]:
    """A case whose follow-up meeting has a pre-read set of two police items, one agreed to
    pre-reading, one not; SHELTER's delegate asks for the set."""
    _mode, env, dis, dis_stub, _as_casework = suite
    case_id = env.open_case()
    wait_for(lambda: _has_delegate(dis, case_id, POLICE), timeout=30)  # POLICE's part, 15.1
    agreed = provide(env, dis_stub, case_id, POLICE, b"risico", pre_read=True)
    refused = provide(env, dis_stub, case_id, POLICE, b"bron", pre_read=False)
    first = env.meeting_held(case_id, invitees=(SHELTER, POLICE, FARENT))
    env.roles(case_id, first, {SHELTER: ("shelter", ["safety"]), POLICE: ("safety", ["safety"])})
    wait_for(lambda: _involved(dis, case_id, SHELTER), timeout=30)
    meeting = env.schedule(case_id, invitees=(SHELTER, POLICE), pre_read=[agreed, refused])
    reply = env.stub.GetPreReadSet(
        pb.GetPreReadSetRequest(case_id=case_id, meeting_id=meeting.meeting_id),
        metadata=env.md(SHELTER),
        timeout=30,
    )
    return reply, agreed, refused


def test_an_invitee_gets_the_pre_read_set_over_mtls(suite):
    reply, agreed, refused = pre_read_set(suite)
    assert [i.item_id for i in reply.items] == [agreed]
    assert reply.items[0].content == b"risico" and reply.items[0].decision_id
    assert [w.item_id for w in reply.withheld] == [refused]


def _refusal_reasons(call: Callable[[], Any], item_id: str) -> tuple[str, ...]:
    """The reasons a RequestDisclosure was refused for the item: a PERMISSION_DENIED's, or the
    item's entry among the denied."""
    try:
        reply = call()
    except grpc.RpcError as err:
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED, err
        return _denial(err)[1]
    assert not any(i.item_id == item_id for i in reply.items)
    return tuple(r for d in reply.denied if d.item_id == item_id for r in d.reasons)


def test_a_relayed_call_may_only_ask_for_a_pre_read(suite):
    """With casework's relay certificate and a reader's token, a pre-read is decided for the
    reader; a read of the same item, or any other method, is refused."""
    mode, env, _dis, _dis_stub, as_casework = suite
    if mode != "host is another party":
        pytest.skip("the relay's limits are the same whoever hosts; checked once")
    _reply, agreed, _refused = pre_read_set(suite)
    relayed = dpb_grpc.DisclosureServiceStub(as_casework)

    def ask(action: int) -> Any:
        return relayed.RequestDisclosure(
            dpb.RequestDisclosureRequest(
                item_ids=[agreed], purpose="care_coordination", action=action
            ),
            metadata=env.md(SHELTER),
            timeout=30,
        )

    pre_read = ask(dpb.DISCLOSURE_ACTION_PRE_READ)
    assert [i.item_id for i in pre_read.items] == [agreed]
    reasons = _refusal_reasons(lambda: ask(dpb.DISCLOSURE_ACTION_READ), agreed)
    assert any("may only ask for a pre-read" in r for r in reasons), reasons
    with pytest.raises(grpc.RpcError) as provided:
        provide(env, relayed, rid(), SHELTER, b"x", pre_read=True)
    assert provided.value.code() == grpc.StatusCode.PERMISSION_DENIED


def test_casework_in_mtls_mode_calls_disclosure_over_tls_with_its_own_certificate(tmp_path):
    ca = TestCA()
    files = service_tls_files(ca, tmp_path, SHELTER)
    security = ChannelSecurity.from_settings(
        Settings(service="casework", auth_mode="mtls", **files)
    )
    assert security is not None
    assert security.root_certificates == ca.cert_pem
    assert security.certificate_chain == (tmp_path / "tls.crt").read_bytes()
    assert security.private_key == (tmp_path / "tls.key").read_bytes()
    relay = relay_files(ca, tmp_path / "relay", SHELTER)
    relayed = ChannelSecurity.from_settings(
        Settings(service="casework", auth_mode="mtls", **files, extra=relay)
    )
    assert relayed is not None
    assert relayed.certificate_chain == (tmp_path / "relay" / "tls.crt").read_bytes()
    assert relayed.private_key == (tmp_path / "relay" / "tls.key").read_bytes()
    with pytest.raises(ValueError, match="CLIENT_KEY_FILE"):
        ChannelSecurity.from_settings(
            Settings(
                service="casework",
                auth_mode="mtls",
                **files,
                extra={"disclosure_client_cert_file": relay["disclosure_client_cert_file"]},
            )
        )
    assert ChannelSecurity.from_settings(Settings(service="casework")) is None  # dev: plaintext
    with pytest.raises(ValueError, match="TLS_CERT_FILE"):
        ChannelSecurity.from_settings(Settings(service="casework", auth_mode="mtls"))


def test_refusals_of_relayed_calls_are_budgeted_where_the_person_called_not_per_item_here(suite):
    """Casework asks disclosure once per pre-read item; a delegate's pre-read of a case with many
    withheld items must not use up the delegate's budget of refusals (kernel/refusals.py) at
    disclosure: a relayed call is budgeted by the service that relayed it."""
    mode, env, _dis, _dis_stub, as_casework = suite
    if mode != "host is another party":
        pytest.skip("the budget is the same whoever hosts; checked once")
    relayed = dpb_grpc.DisclosureServiceStub(as_casework)
    for _ in range(70):  # more than the default burst of 60
        with pytest.raises(grpc.RpcError) as provided:
            provide(env, relayed, rid(), SHELTER, b"x", pre_read=True)
        assert provided.value.code() == grpc.StatusCode.PERMISSION_DENIED

"""TLS and token probes against a service with mTLS on: everything but a well-formed client
certificate from the partners' CA, carrying exactly one 20-digit OIN that matches a valid token,
is refused before any handler runs."""

from __future__ import annotations

import socket
import ssl
import time

import grpc
import jwt
import pytest
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.generated.governance.v1 import governance_pb2_grpc as pb_grpc
from zorgtafel.testing import running_service
from zorgtafel.testing_pki import TestCA

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

OIN = "00000099000000000037"


@pytest.fixture(scope="module")
def secured(tmp_path_factory, broker):
    from zorgtafel.testing import Keys

    data_dir = tmp_path_factory.mktemp("mtls")
    keys = Keys(data_dir)
    ca = TestCA()
    files = ca.write_server_files(data_dir / "tls")
    with running_service(
        "governance", data_dir, broker.bootstrap, auth_mode="mtls", **files
    ) as app:
        yield app, ca, keys


def stub_for(app, ca, client=None, root=None):
    creds = grpc.ssl_channel_credentials(
        root_certificates=root or ca.cert_pem,
        private_key=client.key_pem if client else None,
        certificate_chain=client.cert_pem if client else None,
    )
    ch = grpc.secure_channel(
        f"127.0.0.1:{app.grpc_port}",
        creds,
        options=[("grpc.ssl_target_name_override", "localhost")],
    )
    return pb_grpc.GovernanceServiceStub(ch)


def list_parties(stub, md):
    return stub.ListParties(pb.ListPartiesRequest(), metadata=md, timeout=5)


def handler_calls(app) -> float:
    total = 0.0
    for metric in app.metrics.rpc_total.collect():
        for sample in metric.samples:
            if sample.name.endswith("_total") and sample.labels.get("code") == "OK":
                total += sample.value
    return total


def test_a_partner_with_its_certificate_and_token_is_served(secured):
    app, ca, keys = secured
    reply = list_parties(stub_for(app, ca, ca.client(OIN)), keys.metadata(OIN, "council_delegate"))
    assert len(reply.parties) > 30


@pytest.mark.parametrize(
    "case", ["no client certificate", "foreign CA", "expired", "server-only key usage"]
)
def test_bad_client_certificates_fail_the_handshake(secured, case):
    app, ca, keys = secured
    if case == "no client certificate":
        client = None
    elif case == "foreign CA":
        client = TestCA("Evil CA").client(OIN)
    elif case == "expired":
        client = ca.client(OIN, expired=True)
    else:
        client = ca.client(OIN, eku=(ExtendedKeyUsageOID.SERVER_AUTH,))
    before = handler_calls(app)
    with pytest.raises(grpc.RpcError) as err:
        list_parties(stub_for(app, ca, client), keys.metadata(OIN, "council_delegate"))
    assert err.value.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.UNAUTHENTICATED)
    assert handler_calls(app) == before


@pytest.mark.parametrize(
    "subject",
    [
        [(NameOID.COMMON_NAME, f"serialNumber={OIN}")],
        [(NameOID.SERIAL_NUMBER, OIN), (NameOID.SERIAL_NUMBER, "00000099000000000001")],
        [(NameOID.SERIAL_NUMBER, "123456789")],
        [(NameOID.ORGANIZATION_NAME, f"Party+serialNumber={OIN}")],
    ],
    ids=["oin in common name", "two serial numbers", "not 20 digits", "oin in organisation"],
)
def test_certificates_without_exactly_one_proper_oin_are_refused(secured, subject):
    app, ca, keys = secured
    before = handler_calls(app)
    with pytest.raises(grpc.RpcError) as err:
        list_parties(stub_for(app, ca, ca.issue(subject)), keys.metadata(OIN, "council_delegate"))
    assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert handler_calls(app) == before


def test_a_token_for_another_party_than_the_certificate_is_refused(secured):
    app, ca, keys = secured
    with pytest.raises(grpc.RpcError) as err:
        list_parties(
            stub_for(app, ca, ca.client(OIN)),
            keys.metadata("00000099000000000001", "council_delegate"),
        )
    assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED


@pytest.mark.parametrize(
    "case", ["expired", "wrong issuer", "wrong audience", "alg none", "other algorithm family"]
)
def test_bad_tokens_are_refused_over_mtls(secured, case):
    app, ca, keys = secured
    now = int(time.time())
    claims = {
        "iss": "zorgtafel-dev-idp",
        "aud": "zorgtafel",
        "iat": now,
        "exp": now + 60,
        "sub": "p",
        "role": "council_delegate",
        "party": OIN,
    }
    if case == "expired":
        claims["exp"] = now - 3600
    elif case == "wrong issuer":
        claims["iss"] = "someone-else"
    elif case == "wrong audience":
        claims["aud"] = "other-system"
    if case == "alg none":
        token = jwt.encode(claims, None, algorithm="none")
    elif case == "other algorithm family":
        token = jwt.encode(claims, "a-shared-secret-that-is-long-enough", algorithm="HS256")
    else:
        token = jwt.encode(claims, keys.private, algorithm="ES256")
    with pytest.raises(grpc.RpcError) as err:
        list_parties(stub_for(app, ca, ca.client(OIN)), (("authorization", f"Bearer {token}"),))
    assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED


@pytest.mark.parametrize("version", [ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1])
def test_tls_below_1_2_is_refused(secured, version):
    app, ca, _ = secured
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    try:
        ctx.minimum_version = version
        ctx.maximum_version = version
        ctx.set_ciphers("ALL:@SECLEVEL=0")
    except (ValueError, ssl.SSLError):
        pytest.skip(f"this OpenSSL cannot even offer {version.name}")
    with socket.create_connection(("127.0.0.1", app.grpc_port), timeout=5) as raw:
        with pytest.raises((ssl.SSLError, ConnectionResetError, OSError)):
            with ctx.wrap_socket(raw, server_hostname="localhost") as tls:
                tls.do_handshake()

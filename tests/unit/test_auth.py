"""Who is calling: certificates parsed with cryptography, tokens checked strictly."""

from __future__ import annotations

import datetime as dt
import time

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from zorgtafel.kernel.auth import (
    Authenticator,
    RelayTrust,
    TokenVerifier,
    oin_from_certificate,
)
from zorgtafel.kernel.config import Settings
from zorgtafel.kernel.errors import Unauthenticated
from zorgtafel.testing_pki import TestCA

OIN = "00000099000000000042"


def make_cert(subject_attrs, eku=(ExtendedKeyUsageOID.CLIENT_AUTH,)) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(oid, value) for oid, value in subject_attrs])
    now = dt.datetime.now(dt.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
    )
    if eku is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(eku)), critical=False)
    return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)


def test_oin_is_read_from_the_single_serial_number():
    pem = make_cert([(NameOID.COMMON_NAME, "politie"), (NameOID.SERIAL_NUMBER, OIN)])
    assert oin_from_certificate(pem) == OIN


@pytest.mark.parametrize(
    "attrs",
    [
        [(NameOID.SERIAL_NUMBER, OIN), (NameOID.SERIAL_NUMBER, "00000099000000000001")],
        [(NameOID.SERIAL_NUMBER, "1234")],
        [(NameOID.COMMON_NAME, f"serialNumber={OIN}")],  # an OIN smuggled into another field
        [(NameOID.ORGANIZATION_NAME, f"x/serialNumber={OIN}"), (NameOID.SERIAL_NUMBER, "abc")],
    ],
)
def test_crafted_subjects_are_refused(attrs):
    with pytest.raises(Unauthenticated):
        oin_from_certificate(make_cert(attrs))


def test_certificate_without_client_auth_usage_is_refused():
    pem = make_cert([(NameOID.SERIAL_NUMBER, OIN)], eku=(ExtendedKeyUsageOID.SERVER_AUTH,))
    with pytest.raises(Unauthenticated):
        oin_from_certificate(pem)


@pytest.fixture(scope="module")
def idp():
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, TokenVerifier(public, "idp", "zorgtafel")


def claims(**over):
    now = int(time.time())
    base = {
        "iss": "idp",
        "aud": "zorgtafel",
        "iat": now,
        "exp": now + 60,
        "sub": "p1",
        "role": "process_director",
        "party": OIN,
    }
    base.update(over)
    return base


def test_valid_token_gives_a_principal(idp):
    private, verifier = idp
    token = jwt.encode(claims(), private, algorithm="ES256")
    p = Authenticator(verifier, "dev").authenticate({"authorization": f"Bearer {token}"}, None)
    assert (p.party, p.role, p.person, p.authenticated_by) == (
        OIN,
        "process_director",
        "p1",
        "dev_token",
    )


@pytest.mark.parametrize(
    "case", ["expired", "issuer", "audience", "none", "hmac", "rsa", "party", "missing_role"]
)
def test_bad_tokens_are_rejected(idp, case):
    private, verifier = idp
    if case == "expired":
        token = jwt.encode(claims(exp=int(time.time()) - 3600), private, algorithm="ES256")
    elif case == "issuer":
        token = jwt.encode(claims(iss="evil"), private, algorithm="ES256")
    elif case == "audience":
        token = jwt.encode(claims(aud="other"), private, algorithm="ES256")
    elif case == "none":
        token = jwt.encode(claims(), None, algorithm="none")
    elif case == "hmac":
        token = jwt.encode(claims(), "secret-secret-secret-secret-secret!", algorithm="HS256")
    elif case == "rsa":
        rkey = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        token = jwt.encode(claims(), rkey, algorithm="RS256")
    elif case == "party":
        token = jwt.encode(claims(party="12"), private, algorithm="ES256")
    else:
        c = claims()
        del c["role"]
        token = jwt.encode(c, private, algorithm="ES256")
    with pytest.raises(Unauthenticated):
        verifier.verify(token)


def test_mtls_mode_requires_the_certificate_party_to_match_the_token(idp):
    private, verifier = idp
    auth = Authenticator(verifier, "mtls")
    token = jwt.encode(claims(), private, algorithm="ES256")
    md = {"authorization": f"Bearer {token}"}
    with pytest.raises(Unauthenticated):
        auth.authenticate(md, None)
    other = make_cert([(NameOID.SERIAL_NUMBER, "00000099000000000001")])
    with pytest.raises(Unauthenticated):
        auth.authenticate(md, other)
    same = make_cert([(NameOID.SERIAL_NUMBER, OIN)])
    assert auth.authenticate(md, same).authenticated_by == "mtls"


def test_missing_bearer_is_unauthenticated(idp):
    with pytest.raises(Unauthenticated):
        Authenticator(idp[1], "dev").authenticate({}, None)


# -- token hygiene (issue #13) ----------------------------------------------------------------
def test_a_token_living_longer_than_the_maximum_is_refused(idp):
    private, verifier = idp
    now = int(time.time())
    token = jwt.encode(claims(iat=now, exp=now + 3601), private, algorithm="ES256")
    with pytest.raises(Unauthenticated, match="lifetime"):
        verifier.verify(token)


def test_the_maximum_lifetime_is_configurable(idp):
    private, _ = idp
    public = (
        serialization.load_pem_private_key(private, None)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    strict = TokenVerifier(public, "idp", "zorgtafel", max_lifetime_s=300)
    now = int(time.time())
    assert strict.verify(jwt.encode(claims(iat=now, exp=now + 300), private, algorithm="ES256"))
    with pytest.raises(Unauthenticated, match="lifetime"):
        strict.verify(jwt.encode(claims(iat=now, exp=now + 301), private, algorithm="ES256"))


def test_a_token_issued_in_the_future_is_refused(idp):
    private, verifier = idp
    now = int(time.time())
    token = jwt.encode(claims(iat=now + 600, exp=now + 900), private, algorithm="ES256")
    with pytest.raises(Unauthenticated):
        verifier.verify(token)


def test_more_than_one_authorization_header_is_refused(idp):
    private, verifier = idp
    token = jwt.encode(claims(), private, algorithm="ES256")
    auth = Authenticator(verifier, "dev")
    with pytest.raises(Unauthenticated, match="more than one authorization"):
        auth.authenticate({"authorization": f"Bearer {token}"}, None, authorization_headers=2)


@pytest.mark.parametrize("end", ["\n", "\x00"])  # a NUL: no database's text could hold it
@pytest.mark.parametrize("field", ["party", "role"])
def test_claims_are_matched_whole_a_trailing_newline_does_not_pass(idp, field, end):
    private, verifier = idp
    value = {"party": OIN, "role": "caseworker"}[field] + end
    token = jwt.encode(claims(**{field: value}), private, algorithm="ES256")
    with pytest.raises(Unauthenticated):
        verifier.verify(token)


@pytest.mark.parametrize(
    "sub", ["Jürgen Ødegård-Çelik", "J. de Vries", "p1\n", "p1\x00", "<script>", "a" * 129]
)
def test_a_token_subject_that_is_no_person_id_is_refused_without_being_repeated(idp, sub):
    """The token's subject is the person id every log line, access-log record and event
    carries: a pseudonymous id (as every person id a request names), never a name typed by
    an identity provider's administrator; the refusal does not repeat it."""
    private, verifier = idp
    token = jwt.encode(claims(sub=sub), private, algorithm="ES256")
    with pytest.raises(Unauthenticated) as refused:
        verifier.verify(token)
    assert sub.strip() not in refused.value.message


# -- the verified-token cache (issue #16) -------------------------------------------------------
@pytest.fixture
def counted_decode(monkeypatch):
    """Counts the signature checks (``jwt.decode``) a verifier really does."""
    calls = []
    real = jwt.decode

    def decode(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(jwt, "decode", decode)
    return calls


def public_of(private: bytes) -> bytes:
    return (
        serialization.load_pem_private_key(private, None)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


def test_a_verified_token_is_checked_once_until_it_expires(idp, counted_decode):
    private, _ = idp
    clock = [time.time()]
    verifier = TokenVerifier(public_of(private), "idp", "zorgtafel", clock=lambda: clock[0])
    token = jwt.encode(claims(exp=int(clock[0]) + 60), private, algorithm="ES256")
    first = verifier.verify(token)
    assert verifier.verify(token) == first and verifier.verify(token) == first
    assert len(counted_decode) == 1
    clock[0] += 61  # past the token's exp: never answered from the cache again
    verifier.verify(token)  # (the real clock still accepts it: verified afresh)
    assert len(counted_decode) == 2


def test_a_refused_token_is_refused_every_time(idp, counted_decode):
    private, _ = idp
    verifier = TokenVerifier(public_of(private), "idp", "zorgtafel")
    token = jwt.encode(claims(iss="evil"), private, algorithm="ES256")
    for _ in range(2):
        with pytest.raises(Unauthenticated):
            verifier.verify(token)
    assert len(counted_decode) == 2


def test_the_token_cache_is_bounded_least_recently_used_first(idp, counted_decode):
    private, _ = idp
    verifier = TokenVerifier(public_of(private), "idp", "zorgtafel", cache_size=2)
    tokens = [jwt.encode(claims(sub=f"p{i}"), private, algorithm="ES256") for i in range(3)]
    for token in tokens:
        verifier.verify(token)
    assert len(counted_decode) == 3
    verifier.verify(tokens[2])  # still cached
    assert len(counted_decode) == 3
    verifier.verify(tokens[0])  # pushed out by the third
    assert len(counted_decode) == 4


def test_per_call_checks_stay_outside_the_cache(idp):
    private, _ = idp
    verifier = TokenVerifier(public_of(private), "idp", "zorgtafel")
    auth = Authenticator(verifier, "mtls")
    token = jwt.encode(claims(), private, algorithm="ES256")
    md = {"authorization": f"Bearer {token}"}
    same = make_cert([(NameOID.SERIAL_NUMBER, OIN)])
    assert auth.authenticate(md, same).party == OIN  # the token is now cached
    with pytest.raises(Unauthenticated):
        auth.authenticate(md, make_cert([(NameOID.SERIAL_NUMBER, "00000099000000000001")]))
    with pytest.raises(Unauthenticated):
        auth.authenticate(md, same, authorization_headers=2)


def test_cached_claims_cannot_be_changed_by_a_caller(idp):
    private, _ = idp
    verifier = TokenVerifier(public_of(private), "idp", "zorgtafel")
    token = jwt.encode(claims(), private, algorithm="ES256")
    with pytest.raises(TypeError):
        verifier.verify(token)["party"] = "00000099000000000001"  # type: ignore[index]


# -- relay authentication (casework relays a reader's token to disclosure) -----------------

HOST = "00000099000000000007"  # the host organisation: the OIN in casework's certificate


@pytest.fixture(scope="module")
def relay_ca():
    return TestCA("Zorgtafel internal CA")


def relay_auth(idp, relay_ca, services=("casework",)):
    _private, verifier = idp
    return Authenticator(verifier, "mtls", relay=RelayTrust(relay_ca.cert_pem, services))


def bearer(idp, **over):
    private, _verifier = idp
    return {"authorization": f"Bearer {jwt.encode(claims(**over), private, algorithm='ES256')}"}


def test_a_relay_certificate_takes_the_party_from_the_token(idp, relay_ca):
    casework = relay_ca.service("casework", oin=HOST)
    p = relay_auth(idp, relay_ca).authenticate(bearer(idp), casework.cert_pem)
    assert (p.party, p.person, p.authenticated_by, p.relayed_by) == (
        OIN,
        "p1",
        "mtls_relay",
        "casework",
    )


def test_a_certificate_from_another_ca_with_the_service_san_is_not_a_relay(idp, relay_ca):
    # A partner's CA (PKIoverheid) can put any SAN in the certificates it issues: the SAN
    # alone proves nothing, so the party binding applies and the host's OIN does not match.
    forged = TestCA("Some partner CA").service("casework", oin=HOST)
    with pytest.raises(Unauthenticated, match="does not match"):
        relay_auth(idp, relay_ca).authenticate(bearer(idp), forged.cert_pem)
    # ...and its own party's token is served as an ordinary mTLS call, not as a relay.
    p = relay_auth(idp, relay_ca).authenticate(bearer(idp, party=HOST), forged.cert_pem)
    assert (p.authenticated_by, p.relayed_by) == ("mtls", "")


def test_a_partner_certificate_with_the_service_san_not_issued_by_the_relay_ca_is_bound(
    idp, relay_ca
):
    partner = TestCA("PKIoverheid test CA").client(
        "00000099000000000001",
        san=[x509.UniformResourceIdentifier("urn:zorgtafel:service:casework")],
    )
    with pytest.raises(Unauthenticated, match="does not match"):
        relay_auth(idp, relay_ca).authenticate(bearer(idp), partner.cert_pem)


def test_a_certificate_of_the_relay_ca_without_the_service_san_is_not_a_relay(idp, relay_ca):
    plain = relay_ca.client(HOST)  # the shared serving certificate: no URI SAN
    with pytest.raises(Unauthenticated, match="does not match"):
        relay_auth(idp, relay_ca).authenticate(bearer(idp), plain.cert_pem)
    p = relay_auth(idp, relay_ca).authenticate(bearer(idp, party=HOST), plain.cert_pem)
    assert p.authenticated_by == "mtls"


def test_only_the_configured_services_relay(idp, relay_ca):
    intake = relay_ca.service("intake", oin=HOST)
    with pytest.raises(Unauthenticated, match="does not match"):
        relay_auth(idp, relay_ca).authenticate(bearer(idp), intake.cert_pem)
    two = relay_ca.issue(
        [(NameOID.SERIAL_NUMBER, HOST)],
        san=[
            x509.UniformResourceIdentifier("urn:zorgtafel:service:casework"),
            x509.UniformResourceIdentifier("urn:zorgtafel:service:intake"),
        ],
    )
    with pytest.raises(Unauthenticated, match="does not match"):
        relay_auth(idp, relay_ca).authenticate(bearer(idp), two.cert_pem)


def test_an_expired_or_server_only_relay_certificate_is_not_a_relay(idp, relay_ca):
    san = [x509.UniformResourceIdentifier("urn:zorgtafel:service:casework")]
    expired = relay_ca.issue([(NameOID.SERIAL_NUMBER, HOST)], san=san, expired=True)
    server_only = relay_ca.issue(
        [(NameOID.SERIAL_NUMBER, HOST)], san=san, eku=(ExtendedKeyUsageOID.SERVER_AUTH,)
    )
    with pytest.raises(Unauthenticated):
        relay_auth(idp, relay_ca).authenticate(bearer(idp), expired.cert_pem)
    with pytest.raises(Unauthenticated):
        relay_auth(idp, relay_ca).authenticate(bearer(idp), server_only.cert_pem)


def test_without_a_relay_ca_the_service_certificate_is_bound_as_before(idp, relay_ca):
    _private, verifier = idp
    casework = relay_ca.service("casework", oin=HOST)
    with pytest.raises(Unauthenticated, match="does not match"):
        Authenticator(verifier, "mtls").authenticate(bearer(idp), casework.cert_pem)


def test_relay_configuration_is_checked_at_start(tmp_path, relay_ca):
    assert RelayTrust.from_settings("", ()) is None
    with pytest.raises(ValueError, match="both"):
        RelayTrust.from_settings("", ("casework",))
    ca_file = tmp_path / "relay-ca.crt"
    ca_file.write_bytes(relay_ca.cert_pem)
    with pytest.raises(ValueError, match="both"):
        RelayTrust.from_settings(str(ca_file), ())
    with pytest.raises(ValueError, match="cannot be read"):
        RelayTrust.from_settings(str(tmp_path / "missing.crt"), ("casework",))
    leaf = tmp_path / "leaf.crt"
    leaf.write_bytes(relay_ca.service("casework").cert_pem)
    with pytest.raises(ValueError, match="not a CA"):
        RelayTrust.from_settings(str(leaf), ("casework",))
    with pytest.raises(ValueError, match="service names"):
        RelayTrust.from_settings(str(ca_file), ("Case Work",))
    assert RelayTrust.from_settings(str(ca_file), ("casework",)) is not None


def test_relay_settings_come_from_the_environment():
    settings = Settings.from_env(
        "disclosure",
        {
            "ZORGTAFEL_TLS_RELAY_CA_FILE": "/etc/zorgtafel/relay-ca/ca.crt",
            "ZORGTAFEL_TLS_RELAY_SERVICES": " casework, ",
        },
    )
    assert settings.tls_relay_ca_file == "/etc/zorgtafel/relay-ca/ca.crt"
    assert settings.tls_relay_services == ("casework",)
    assert "tls_relay_services" not in settings.extra
    assert Settings.from_env("disclosure", {}).tls_relay_services == ()


def test_a_remembered_relay_certificate_stops_relaying_when_it_expires(relay_ca):
    casework = relay_ca.service("casework")
    now = [time.time()]
    trust = RelayTrust(relay_ca.cert_pem, ("casework",), cache_size=1, clock=lambda: now[0])
    assert trust.relaying_service(casework.cert_pem) == "casework"
    now[0] += 30 * 24 * 3600  # past the certificate's end (TestCA leaves live five days)
    assert trust.relaying_service(casework.cert_pem) is None
    # A verdict pushed out of the bounded cache is made afresh, the same way.
    other = relay_ca.service("intake")
    assert trust.relaying_service(other.cert_pem) is None
    now[0] = time.time()
    assert trust.relaying_service(casework.cert_pem) == "casework"

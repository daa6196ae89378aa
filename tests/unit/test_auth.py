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

from zorgtafel.kernel.auth import Authenticator, TokenVerifier, oin_from_certificate
from zorgtafel.kernel.errors import Unauthenticated

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


@pytest.mark.parametrize("field", ["party", "role"])
def test_claims_are_matched_whole_a_trailing_newline_does_not_pass(idp, field):
    private, verifier = idp
    value = {"party": OIN, "role": "caseworker"}[field] + "\n"
    token = jwt.encode(claims(**{field: value}), private, algorithm="ES256")
    with pytest.raises(Unauthenticated):
        verifier.verify(token)


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

"""Who is calling: the party (mTLS client certificate, or a signed development token) and the
person and role (a JWT signed by the identity provider). No call is served without both.

Certificates are parsed with ``cryptography``, never by splitting the subject string: a crafted
subject can carry two serialNumber attributes or an OIN hidden in another field.

Relay (issue #18, pre-reads): one of the suite's own services may call another on behalf of the
person whose token it forwards (casework asks disclosure for a pre-read of a reader of another
party). Such a call's certificate is the relaying service's, not the reader's party's, so the
party-to-certificate binding cannot hold. A call is accepted as a relay only when the peer
certificate is *directly issued* by the configured relay CA (``ZORGTAFEL_TLS_RELAY_CA_FILE``,
checked by signature here, not only by the TLS layer, whose client CA bundle also admits the
partners' PKIoverheid chains) *and* names an allowed service as a URI SAN
``urn:zorgtafel:service:<service>`` (``ZORGTAFEL_TLS_RELAY_SERVICES``). Then the party comes from
the token and the principal says ``authenticated_by="mtls_relay"`` and ``relayed_by``; the
policies limit what a relayed call may do. Any other certificate keeps the binding.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Mapping, Sequence

import jwt
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from zorgtafel.kernel.errors import Unauthenticated
from zorgtafel.kernel.validate import PERSON

OIN_RE = re.compile(r"[0-9]{20}")  # always matched whole (fullmatch): "$" admits a trailing newline
ROLE_RE = re.compile(r"[a-z_]{1,40}")
DEFAULT_MAX_LIFETIME_S = 3600  # a token lives at most an hour (ZORGTAFEL_JWT_MAX_LIFETIME_S)
ALGORITHMS = ("ES256",)  # one family (ECDSA P-256); "none" and HMAC are never accepted
DEFAULT_CACHE_SIZE = 1024  # verified tokens kept (~1 KB each): a partner reuses its token
SERVICE_URI_PREFIX = "urn:zorgtafel:service:"
SERVICE_NAME_RE = re.compile(r"[a-z][a-z0-9_-]{0,39}")


@dataclass(frozen=True)
class Principal:
    party: str
    person: str
    role: str
    authenticated_by: str  # "mtls", "mtls_relay" or "dev_token"
    relayed_by: str = ""  # the suite's service that relayed the call ("mtls_relay" only)
    # The token's ``exp`` (seconds since the epoch): a stream opened with it ends when it does
    # (``zorgtafel.kernel.streams``). Not a fact for the policy: a call is made with a valid one.
    expires_at: float = 0.0

    def as_input(self, party_status: str) -> dict[str, str]:
        return {
            "party": self.party,
            "person": self.person,
            "role": self.role,
            "authenticated_by": self.authenticated_by,
            "party_status": party_status,
            # Which suite service relayed the call: the policy binds each relayable method to
            # the service whose route it serves (casework's pre-read, disclosure's report).
            **({"relayed_by": self.relayed_by} if self.authenticated_by == "mtls_relay" else {}),
        }


def oin_from_certificate(pem: bytes) -> str:
    """The party's OIN from a PKIoverheid-style certificate: exactly one subject serialNumber
    of exactly 20 digits, and (when the extension is present) clientAuth usage."""
    try:
        cert = x509.load_pem_x509_certificate(pem)
    except ValueError as exc:
        raise Unauthenticated("client certificate unreadable") from exc
    serials = cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
    if len(serials) != 1:
        raise Unauthenticated("client certificate must carry exactly one subject serialNumber")
    oin = str(serials[0].value)
    if not OIN_RE.fullmatch(oin):
        raise Unauthenticated("client certificate serialNumber is not a 20-digit OIN")
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        if ExtendedKeyUsageOID.CLIENT_AUTH not in eku:
            raise Unauthenticated("client certificate is not for client authentication")
    except x509.ExtensionNotFound:
        pass
    return oin


class TokenVerifier:
    def __init__(
        self,
        public_key_pem: bytes,
        issuer: str,
        audience: str,
        algorithms: Sequence[str] = ALGORITHMS,
        leeway_s: int = 30,
        max_lifetime_s: int = DEFAULT_MAX_LIFETIME_S,
        cache_size: int = DEFAULT_CACHE_SIZE,
        clock: Callable[[], float] = time.time,
    ) -> None:
        # Several PEM blocks = several accepted keys: the identity provider's keys rotate by
        # publishing the new key beside the old one for a while.
        blocks = re.findall(
            rb"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", public_key_pem, re.S
        )
        self._keys = blocks or [public_key_pem]
        self._issuer = issuer
        self._audience = audience
        self._algorithms = list(algorithms)
        self._leeway = leeway_s
        self._max_lifetime = max_lifetime_s
        # A partner sends the same token for every call of its session: the signature check
        # (0.5 ms) is done once per token. Keyed by the token's hash, bounded (least recently
        # used goes first), and an entry is served only before the token's own ``exp``: an
        # expired token is verified afresh, and so refused.
        self._cache: OrderedDict[bytes, tuple[float, Mapping[str, Any]]] = OrderedDict()
        self._cache_size = cache_size
        self._cache_lock = threading.Lock()
        self._clock = clock

    @classmethod
    def from_file(
        cls,
        path: Path,
        issuer: str,
        audience: str,
        max_lifetime_s: int = DEFAULT_MAX_LIFETIME_S,
    ) -> "TokenVerifier":
        return cls(path.read_bytes(), issuer, audience, max_lifetime_s=max_lifetime_s)

    def verify(self, token: str) -> Mapping[str, Any]:
        """The token's claims when it is valid now; every check depends only on the token's
        bytes and the time, so a valid answer is cached until the token expires."""
        key = hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()
        now = self._clock()
        with self._cache_lock:
            hit = self._cache.get(key)
            if hit is not None:
                if now < hit[0]:
                    self._cache.move_to_end(key)
                    return hit[1]
                del self._cache[key]
        # Read-only: one cached answer is handed to many calls.
        claims = MappingProxyType(dict(self._verify(token)))
        expires = float(claims["exp"])
        if now < expires and self._cache_size > 0:
            with self._cache_lock:
                self._cache[key] = (expires, claims)
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return claims

    def _verify(self, token: str) -> Mapping[str, Any]:
        claims = None
        for i, key in enumerate(self._keys):
            try:
                claims = jwt.decode(
                    token,
                    key,
                    algorithms=self._algorithms,
                    issuer=self._issuer,
                    audience=self._audience,
                    leeway=self._leeway,
                    options={"require": ["exp", "iat", "iss", "aud", "sub", "role", "party"]},
                )
                break
            except jwt.InvalidSignatureError as exc:
                if i == len(self._keys) - 1:
                    raise Unauthenticated("token rejected: InvalidSignatureError") from exc
            except jwt.PyJWTError as exc:
                raise Unauthenticated(f"token rejected: {type(exc).__name__}") from exc
        assert claims is not None
        # A stolen long-lived token is a standing key to victims' files: the identity provider
        # must issue short ones, and a token issued in the future is refused too.
        iat, exp = claims["iat"], claims["exp"]
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (iat, exp)):
            raise Unauthenticated("token iat/exp are not numeric dates")
        if iat > self._clock() + self._leeway:
            raise Unauthenticated("token issued in the future (iat)")
        if exp - iat > self._max_lifetime:
            raise Unauthenticated(
                f"token lifetime exceeds the maximum of {self._max_lifetime} s (exp - iat)"
            )
        if not OIN_RE.fullmatch(str(claims["party"])):
            raise Unauthenticated("token party is not a 20-digit OIN")
        if not ROLE_RE.fullmatch(str(claims["role"])):
            raise Unauthenticated("token role is malformed")
        # The person id every log line, access-log record and event carries: pseudonymous, of
        # the characters of every person id a request names (never a name with spaces).
        if not isinstance(claims["sub"], str) or not PERSON.fullmatch(claims["sub"]):
            raise Unauthenticated(
                "token subject is malformed: a person id of [A-Za-z0-9._:@-], at most 128"
            )
        return claims


class RelayTrust:
    """Which peer certificates are the suite's own services relaying a person's call: directly
    issued by one of the relay CA certificates (several PEM blocks while the CA rotates) and
    naming an allowed service in a URI SAN. Never the SAN alone: anyone can put a SAN in a
    certificate their own CA issues, and the TLS layer admits the partners' CAs too."""

    def __init__(
        self,
        ca_pem: bytes,
        services: Sequence[str],
        *,
        cache_size: int = 256,
        clock: Callable[[], float] = time.time,
    ) -> None:
        try:
            self._cas = x509.load_pem_x509_certificates(ca_pem)
        except ValueError as exc:
            raise ValueError("the relay CA file holds no readable PEM certificate") from exc
        for ca in self._cas:
            try:
                constraints = ca.extensions.get_extension_for_class(x509.BasicConstraints).value
            except x509.ExtensionNotFound:
                constraints = None
            if constraints is None or not constraints.ca:
                raise ValueError("the relay CA file holds a certificate that is not a CA")
        names = frozenset(services)
        bad = sorted(n for n in names if not SERVICE_NAME_RE.fullmatch(n))
        if bad or not names:
            raise ValueError("relay services must be one or more service names (e.g. casework)")
        self._services = names
        self._cache: OrderedDict[bytes, tuple[str | None, float, float]] = OrderedDict()
        self._cache_size = max(cache_size, 1)
        self._cache_lock = threading.Lock()
        self._clock = clock

    @classmethod
    def from_settings(cls, ca_file: str, services: Sequence[str]) -> "RelayTrust | None":
        """``None`` when no relay CA is configured (no call is a relay); a relay CA without
        services, or services without a CA, is a configuration error found at start."""
        if not ca_file and not services:
            return None
        if not ca_file or not services:
            raise ValueError(
                "relay authentication needs both ZORGTAFEL_TLS_RELAY_CA_FILE and "
                "ZORGTAFEL_TLS_RELAY_SERVICES"
            )
        try:
            pem = Path(ca_file).read_bytes()
        except OSError as exc:
            raise ValueError(f"ZORGTAFEL_TLS_RELAY_CA_FILE cannot be read: {exc.strerror}") from exc
        return cls(pem, services)

    def relaying_service(self, peer_cert_pem: bytes) -> str | None:
        """The allowed service this certificate relays for, or ``None`` (not a relay)."""
        # A peer presents the same certificate on every call of its connection: the signature
        # check (~70 us) is done once per certificate. The verdict depends only on its bytes;
        # the validity window is checked against the clock on every call.
        key = hashlib.sha256(peer_cert_pem).digest()
        with self._cache_lock:
            verdict = self._cache.get(key)
            if verdict is not None:
                self._cache.move_to_end(key)
        if verdict is None:
            verdict = self._verdict(peer_cert_pem)
            with self._cache_lock:
                self._cache[key] = verdict
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        service, not_before, not_after = verdict
        return service if service and not_before <= self._clock() <= not_after else None

    def _verdict(self, peer_cert_pem: bytes) -> tuple[str | None, float, float]:
        try:
            cert = x509.load_pem_x509_certificate(peer_cert_pem)
        except ValueError as exc:
            raise Unauthenticated("client certificate unreadable") from exc
        window = (cert.not_valid_before_utc.timestamp(), cert.not_valid_after_utc.timestamp())
        if not any(_directly_issued_by(cert, ca) for ca in self._cas):
            return None, *window
        try:
            san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        except x509.ExtensionNotFound:
            return None, *window
        named = {
            uri[len(SERVICE_URI_PREFIX) :]
            for uri in san.get_values_for_type(x509.UniformResourceIdentifier)
            if uri.startswith(SERVICE_URI_PREFIX)
        }
        allowed = named & self._services
        # One service per certificate: a certificate naming two would leave "relayed_by"
        # ambiguous, so it relays for none.
        if len(named) != 1 or len(allowed) != 1 or not _for_client_auth(cert):
            return None, *window
        return next(iter(allowed)), *window


def _directly_issued_by(cert: x509.Certificate, ca: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(ca)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _for_client_auth(cert: x509.Certificate) -> bool:
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return True
    return ExtendedKeyUsageOID.CLIENT_AUTH in eku


class Authenticator:
    """Builds the principal of a call from its transport and metadata."""

    def __init__(
        self, verifier: TokenVerifier, mode: str, *, relay: RelayTrust | None = None
    ) -> None:
        if mode not in ("mtls", "dev"):
            raise ValueError("auth mode must be 'mtls' or 'dev'")
        self._verifier = verifier
        self._mode = mode
        # Relays exist only where the peer is authenticated by certificate.
        self._relay = relay if mode == "mtls" else None

    def authenticate(
        self,
        metadata: Mapping[str, str],
        peer_cert_pem: bytes | None,
        *,
        authorization_headers: int = 1,
    ) -> Principal:
        if authorization_headers > 1:
            raise Unauthenticated("more than one authorization header; exactly one is accepted")
        header = metadata.get("authorization", "")
        if not header.startswith("Bearer ") or len(header) > 8192:
            raise Unauthenticated("missing bearer token (authorization metadata)")
        claims = self._verifier.verify(header[len("Bearer ") :].strip())
        if self._mode == "mtls":
            if not peer_cert_pem:
                raise Unauthenticated("client certificate required")
            relayed_by = self._relaying_service(peer_cert_pem)
            if relayed_by:
                return Principal(
                    party=str(claims["party"]),
                    person=str(claims["sub"]),
                    role=str(claims["role"]),
                    authenticated_by="mtls_relay",
                    relayed_by=relayed_by,
                    expires_at=float(claims["exp"]),
                )
            party = oin_from_certificate(peer_cert_pem)
            if party != claims["party"]:
                raise Unauthenticated("token party does not match the client certificate")
            how = "mtls"
        else:
            party, how = str(claims["party"]), "dev_token"
        return Principal(
            party=party,
            person=str(claims["sub"]),
            role=str(claims["role"]),
            authenticated_by=how,
            expires_at=float(claims["exp"]),
        )

    def _relaying_service(self, peer_cert_pem: bytes) -> str | None:
        return None if self._relay is None else self._relay.relaying_service(peer_cert_pem)

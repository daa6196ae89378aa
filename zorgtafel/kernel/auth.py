"""Who is calling: the party (mTLS client certificate, or a signed development token) and the
person and role (a JWT signed by the identity provider). No call is served without both.

Certificates are parsed with ``cryptography``, never by splitting the subject string: a crafted
subject can carry two serialNumber attributes or an OIN hidden in another field.
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
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from zorgtafel.kernel.errors import Unauthenticated

OIN_RE = re.compile(r"[0-9]{20}")  # always matched whole (fullmatch): "$" admits a trailing newline
ROLE_RE = re.compile(r"[a-z_]{1,40}")
DEFAULT_MAX_LIFETIME_S = 3600  # a token lives at most an hour (ZORGTAFEL_JWT_MAX_LIFETIME_S)
ALGORITHMS = ("ES256",)  # one family (ECDSA P-256); "none" and HMAC are never accepted
DEFAULT_CACHE_SIZE = 1024  # verified tokens kept (~1 KB each): a partner reuses its token


@dataclass(frozen=True)
class Principal:
    party: str
    person: str
    role: str
    authenticated_by: str  # "mtls" or "dev_token"

    def as_input(self, party_status: str) -> dict[str, str]:
        return {
            "party": self.party,
            "person": self.person,
            "role": self.role,
            "authenticated_by": self.authenticated_by,
            "party_status": party_status,
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
        if not isinstance(claims["sub"], str) or not 0 < len(claims["sub"]) <= 128:
            raise Unauthenticated("token subject is malformed")
        return claims


class Authenticator:
    """Builds the principal of a call from its transport and metadata."""

    def __init__(self, verifier: TokenVerifier, mode: str) -> None:
        if mode not in ("mtls", "dev"):
            raise ValueError("auth mode must be 'mtls' or 'dev'")
        self._verifier = verifier
        self._mode = mode

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
            party = oin_from_certificate(peer_cert_pem)
            if party != claims["party"]:
                raise Unauthenticated("token party does not match the client certificate")
            how = "mtls"
        else:
            party, how = str(claims["party"]), "dev_token"
        return Principal(
            party=party, person=str(claims["sub"]), role=str(claims["role"]), authenticated_by=how
        )

"""The TLS a suite service presents when it relays a person's call to another suite service
(casework -> disclosure for a pre-read, disclosure -> each service for a subject access report):
one rule for both routes.

Plaintext only when the calling service serves plaintext itself (development); never a
downgrade in mTLS mode. In TLS mode it trusts the named CA setting (else
``ZORGTAFEL_TLS_CLIENT_CA_FILE``) and presents its own certificate and key, or the relay
certificate and key named by the two client settings (a certificate from the suite's relay CA
naming the service in a URI SAN, which makes the call a relay at the other end). An incomplete
or unreadable setting fails at start, not at the first relayed call."""

from __future__ import annotations

from dataclasses import dataclass

from zorgtafel.kernel.config import Settings


@dataclass(frozen=True)
class RelaySettings:
    """The setting names of one route (without the ``ZORGTAFEL_`` prefix)."""

    ca: str  # the CA that signed the callee's server certificate
    client_cert: str  # the relay certificate presented instead of the served one
    client_key: str
    target: str  # what the call goes to, for the messages


@dataclass(frozen=True)
class RelayTls:
    root_certificates: bytes
    certificate_chain: bytes
    private_key: bytes

    @classmethod
    def from_settings(cls, settings: Settings, names: RelaySettings) -> RelayTls | None:
        if not settings.tls_cert_file:
            if settings.auth_mode == "mtls":
                raise ValueError(
                    "auth mode mtls needs ZORGTAFEL_TLS_CERT_FILE and _KEY_FILE for the calls "
                    f"to {names.target} too"
                )
            return None
        ca_file = settings.setting(names.ca) or settings.tls_client_ca_file
        if not ca_file or not settings.tls_key_file:
            raise ValueError(
                f"TLS is served but {names.target} cannot be called over TLS: set "
                f"ZORGTAFEL_TLS_KEY_FILE and ZORGTAFEL_{names.ca.upper()} "
                "(or _TLS_CLIENT_CA_FILE)"
            )
        cert_file = settings.setting(names.client_cert)
        key_file = settings.setting(names.client_key)
        if bool(cert_file) != bool(key_file):
            raise ValueError(
                f"set both ZORGTAFEL_{names.client_cert.upper()} and "
                f"ZORGTAFEL_{names.client_key.upper()}, or neither"
            )
        with (
            open(ca_file, "rb") as ca,
            open(cert_file or settings.tls_cert_file, "rb") as cert,
            open(key_file or settings.tls_key_file, "rb") as key,
        ):
            return cls(ca.read(), cert.read(), key.read())

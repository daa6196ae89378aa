"""gRPC channels to the four services: plain on the development suite, mTLS with the console's
party's client certificate in production.

One console per party (docs/adr/0009-one-console-per-party.md): the services bind the client
certificate's party to the token's (zorgtafel/kernel/auth.py), so the certificate must name the
party the console signs people in for. That is checked at start with the kernel's own
certificate reading (``oin_from_certificate``), so a console given another party's certificate
does not start, rather than having every call refused."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import grpc

from services.console.settings import ConfigError, ConsoleSettings
from zorgtafel.kernel.auth import oin_from_certificate
from zorgtafel.kernel.errors import Unauthenticated


@dataclass(frozen=True)
class ClientTls:
    """What the console's channels present and trust, read once at start."""

    root_certificates: bytes
    certificate_chain: bytes | None
    private_key: bytes | None

    def credentials(self) -> grpc.ChannelCredentials:
        return grpc.ssl_channel_credentials(
            root_certificates=self.root_certificates,
            private_key=self.private_key,
            certificate_chain=self.certificate_chain,
        )


def client_tls(settings: ConsoleSettings) -> ClientTls | None:
    """The console's TLS material, or ``None`` for plaintext (development only: production
    settings cannot be made without it). A certificate that does not name the console's party
    is a configuration error."""
    if not settings.tls_ca_file:
        return None
    try:
        ca = Path(settings.tls_ca_file).read_bytes()
        cert = Path(settings.tls_cert_file).read_bytes() if settings.tls_cert_file else None
        key = Path(settings.tls_key_file).read_bytes() if settings.tls_key_file else None
    except OSError as exc:
        raise ConfigError(f"the console's TLS files cannot be read: {exc.strerror}") from exc
    if cert is not None and settings.party:
        try:
            oin = oin_from_certificate(cert)
        except Unauthenticated as exc:
            raise ConfigError(f"the console's client certificate: {exc}") from exc
        if oin != settings.party:
            raise ConfigError(
                "the console's client certificate names another party than "
                "ZORGTAFEL_CONSOLE_PARTY: the services would refuse every call"
            )
    return ClientTls(ca, cert, key)


def open_channel(
    settings: ConsoleSettings, address: str, tls: ClientTls | None = None
) -> grpc.Channel:
    tls = tls if tls is not None else client_tls(settings)
    if tls is None:
        return grpc.insecure_channel(address)
    options = []
    if settings.tls_server_name:
        options.append(("grpc.ssl_target_name_override", settings.tls_server_name))
    return grpc.secure_channel(address, tls.credentials(), options=options)

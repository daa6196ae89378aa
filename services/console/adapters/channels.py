"""gRPC channels to the four services: plain on the development suite, TLS (with the console's
client certificate when one is configured) in production."""

from __future__ import annotations

from pathlib import Path

import grpc

from services.console.settings import ConsoleSettings


def open_channel(settings: ConsoleSettings, address: str) -> grpc.Channel:
    if not settings.tls_ca_file:
        return grpc.insecure_channel(address)
    cert = Path(settings.tls_cert_file).read_bytes() if settings.tls_cert_file else None
    key = Path(settings.tls_key_file).read_bytes() if settings.tls_key_file else None
    creds = grpc.ssl_channel_credentials(
        root_certificates=Path(settings.tls_ca_file).read_bytes(),
        private_key=key,
        certificate_chain=cert,
    )
    options = []
    if settings.tls_server_name:
        options.append(("grpc.ssl_target_name_override", settings.tls_server_name))
    return grpc.secure_channel(address, creds, options=options)

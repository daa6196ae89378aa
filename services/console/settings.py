"""The console's settings, read from ``ZORGTAFEL_*`` environment variables.

Production is the default: the development login exists only when ``ZORGTAFEL_ENV=dev`` is set
explicitly (``zorgtafel up`` sets it), so a forgotten variable fails closed."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from zorgtafel.kernel.config import DEFAULT_GRPC_PORTS, SERVICES

DEFAULT_PORT = 8080


class ConfigError(ValueError):
    """The console cannot start safely with these settings."""


@dataclass(frozen=True)
class ConsoleSettings:
    env: str  # "dev" or "production"
    host: str
    port: int
    data_dir: Path
    # gRPC address of each of the four services.
    endpoints: Mapping[str, str]
    secret_key: str
    # Idle and absolute session timeouts (seconds).
    session_idle_s: int = 15 * 60
    session_max_s: int = 8 * 3600
    # TLS towards the services (production): CA, and the console's client certificate.
    tls_ca_file: str = ""
    tls_cert_file: str = ""
    tls_key_file: str = ""
    tls_server_name: str = ""
    # OpenID Connect against a party's identity provider.
    oidc_metadata_url: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_scope: str = "openid"
    # Which token of the IdP's answer the services are called with (they verify it).
    oidc_token: str = "access_token"
    default_locale: str = "nl"
    call_timeout_s: float = 20.0

    @property
    def dev(self) -> bool:
        return self.env == "dev"

    @property
    def oidc_configured(self) -> bool:
        return bool(self.oidc_metadata_url and self.oidc_client_id)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ConsoleSettings:
        e = os.environ if environ is None else environ

        def get(name: str, default: str = "") -> str:
            return e.get(f"ZORGTAFEL_{name}", default)

        env = get("ENV", "production").strip().lower()
        production_flag = get("PRODUCTION", "false").lower() in ("1", "true", "yes")
        if env != "dev" or production_flag:
            env = "production"
        endpoints = {}
        for service in SERVICES:
            port = get(f"{service.upper()}_GRPC_PORT", str(DEFAULT_GRPC_PORTS[service]))
            endpoints[service] = get(f"CONSOLE_{service.upper()}_ADDRESS", f"127.0.0.1:{port}")
        secret_file = get("CONSOLE_SECRET_KEY_FILE")
        secret = Path(secret_file).read_text().strip() if secret_file else None
        if not secret:
            if env != "dev":
                raise ConfigError(
                    "ZORGTAFEL_CONSOLE_SECRET_KEY_FILE is required outside development"
                )
            # Development: a fresh key per start signs out everyone, which is harmless there.
            secret = secrets.token_urlsafe(32)
        return cls(
            env=env,
            host=get("CONSOLE_HOST", "127.0.0.1"),
            port=int(get("CONSOLE_PORT", str(DEFAULT_PORT))),
            data_dir=Path(get("DATA_DIR", "var")),
            endpoints=endpoints,
            secret_key=secret,
            session_idle_s=int(get("CONSOLE_SESSION_IDLE_S", str(15 * 60))),
            session_max_s=int(get("CONSOLE_SESSION_MAX_S", str(8 * 3600))),
            tls_ca_file=get("CONSOLE_TLS_CA_FILE"),
            tls_cert_file=get("CONSOLE_TLS_CERT_FILE"),
            tls_key_file=get("CONSOLE_TLS_KEY_FILE"),
            tls_server_name=get("CONSOLE_TLS_SERVER_NAME"),
            oidc_metadata_url=get("CONSOLE_OIDC_METADATA_URL"),
            oidc_client_id=get("CONSOLE_OIDC_CLIENT_ID"),
            oidc_client_secret=_secret(get("CONSOLE_OIDC_CLIENT_SECRET_FILE")),
            oidc_scope=get("CONSOLE_OIDC_SCOPE", "openid"),
            oidc_token=get("CONSOLE_OIDC_TOKEN", "access_token"),
            default_locale=get("CONSOLE_DEFAULT_LOCALE", "nl"),
        )


def _secret(path: str) -> str:
    return Path(path).read_text().strip() if path else ""

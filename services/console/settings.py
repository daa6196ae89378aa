"""The console's settings, read from ``ZORGTAFEL_*`` environment variables.

Production is the default: the development login exists only when ``ZORGTAFEL_ENV=dev`` is set
explicitly (``zorgtafel up`` sets it), so a forgotten variable fails closed.

One console per party (docs/adr/0009-one-console-per-party.md): in production a console serves
the people of one party (``ZORGTAFEL_CONSOLE_PARTY``, its OIN) and calls the services over mTLS
with that party's client certificate (``ZORGTAFEL_CONSOLE_TLS_*``), since the services bind the
certificate's party to the token's. In development (no mTLS) one console serves every party."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from zorgtafel.kernel.auth import OIN_RE
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
    # The party (20-digit OIN) whose people this console signs in; its client certificate must
    # name it. Empty only in development: then one console serves every party.
    party: str = ""
    # OpenID Connect against a party's identity provider.
    oidc_metadata_url: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_scope: str = "openid"
    # Which token of the IdP's answer the services are called with (they verify it).
    oidc_token: str = "access_token"
    default_locale: str = "nl"
    call_timeout_s: float = 20.0
    # The sessions' database (adapters/sessions.py): a SQLite file in the data directory by
    # default (one host); PostgreSQL, the console's own schema, for several replicas.
    database_url: str = ""
    database_schema: str = "console"
    # Secrets before a rotation of the secret key: sessions sealed with them still open.
    previous_secret_keys: tuple[str, ...] = ()

    @property
    def dev(self) -> bool:
        return self.env == "dev"

    def serves(self, party: str) -> bool:
        """Whether a person of ``party`` may sign in here: the console's own party only, or
        anyone in a development console that names no party."""
        return party == self.party if self.party else self.dev

    @property
    def oidc_configured(self) -> bool:
        return bool(self.oidc_metadata_url and self.oidc_client_id)

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'console.db').resolve()}"

    @property
    def effective_schema(self) -> str | None:
        return None if self.effective_database_url.startswith("sqlite") else self.database_schema

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
        # The first line signs and seals; further lines are earlier keys still accepted for the
        # sessions sealed with them (rotate by prepending a new line, drop the old one later).
        text = Path(secret_file).read_text() if secret_file else ""
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        secret, previous = (lines[0], tuple(lines[1:])) if lines else (None, ())
        if not secret:
            if env != "dev":
                raise ConfigError(
                    "ZORGTAFEL_CONSOLE_SECRET_KEY_FILE is required outside development"
                )
            # Development: a fresh key per start signs out everyone, which is harmless there.
            secret = secrets.token_urlsafe(32)
        party = get("CONSOLE_PARTY").strip()
        if party and not OIN_RE.fullmatch(party):
            raise ConfigError("ZORGTAFEL_CONSOLE_PARTY must be the party's 20-digit OIN")
        tls = {n: get(f"CONSOLE_TLS_{n.upper()}_FILE") for n in ("ca", "cert", "key")}
        if env != "dev":
            missing = [f"ZORGTAFEL_CONSOLE_TLS_{n.upper()}_FILE" for n, v in tls.items() if not v]
            if not party or missing:
                raise ConfigError(
                    "outside development a console serves one party over mTLS: set "
                    + ", ".join((["ZORGTAFEL_CONSOLE_PARTY"] if not party else []) + missing)
                )
        if bool(tls["cert"]) != bool(tls["key"]) or (tls["cert"] and not tls["ca"]):
            raise ConfigError(
                "a client certificate needs ZORGTAFEL_CONSOLE_TLS_CERT_FILE, _KEY_FILE and "
                "_CA_FILE together"
            )
        return cls(
            env=env,
            host=get("CONSOLE_HOST", "127.0.0.1"),
            port=int(get("CONSOLE_PORT", str(DEFAULT_PORT))),
            data_dir=Path(get("DATA_DIR", "var")),
            endpoints=endpoints,
            secret_key=secret,
            session_idle_s=int(get("CONSOLE_SESSION_IDLE_S", str(15 * 60))),
            session_max_s=int(get("CONSOLE_SESSION_MAX_S", str(8 * 3600))),
            tls_ca_file=tls["ca"],
            tls_cert_file=tls["cert"],
            tls_key_file=tls["key"],
            tls_server_name=get("CONSOLE_TLS_SERVER_NAME"),
            party=party,
            oidc_metadata_url=get("CONSOLE_OIDC_METADATA_URL"),
            oidc_client_id=get("CONSOLE_OIDC_CLIENT_ID"),
            oidc_client_secret=_secret(get("CONSOLE_OIDC_CLIENT_SECRET_FILE")),
            oidc_scope=get("CONSOLE_OIDC_SCOPE", "openid"),
            oidc_token=get("CONSOLE_OIDC_TOKEN", "access_token"),
            default_locale=get("CONSOLE_DEFAULT_LOCALE", "nl"),
            database_url=get("CONSOLE_DATABASE_URL") or _secret(get("CONSOLE_DATABASE_URL_FILE")),
            database_schema=get("CONSOLE_DATABASE_SCHEMA", "console"),
            previous_secret_keys=previous,
        )


def _secret(path: str) -> str:
    return Path(path).read_text().strip() if path else ""

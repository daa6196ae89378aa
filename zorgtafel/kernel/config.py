"""Settings from ``ZORGTAFEL_*`` environment variables, with documented defaults.

``Settings.from_env(service)`` is the only place that reads the environment; everything else
receives a ``Settings``. The table in README.md lists the same variables.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

import zorgtafel

SERVICES = ("intake", "casework", "governance", "disclosure")
DEFAULT_GRPC_PORTS = {"intake": 50051, "casework": 50052, "governance": 50053, "disclosure": 50054}
DEFAULT_HTTP_PORTS = {"intake": 8081, "casework": 8082, "governance": 8083, "disclosure": 8084}
DEFAULT_POLICY_DIR = Path(zorgtafel.__file__).resolve().parent.parent / "policies" / "rego"


_KERNEL_VARIABLES = frozenset(
    f"ZORGTAFEL_{n}"
    for n in (
        "DATA_DIR",
        "DATABASE_URL",
        "DATABASE_URL_FILE",
        "DATABASE_SCHEMA",
        "KAFKA_BOOTSTRAP",
        "KAFKA_SECURITY_PROTOCOL",
        "KAFKA_SSL_CAFILE",
        "KAFKA_SSL_CERTFILE",
        "KAFKA_SSL_KEYFILE",
        "KAFKA_SESSION_TIMEOUT_MS",
        "GRPC_HOST",
        "GRPC_PORT",
        "HTTP_HOST",
        "HTTP_PORT",
        "GRPC_MAX_WORKERS",
        "POLICY_ENGINE",
        "POLICY_DIR",
        "OPA_URL",
        "POLICY_TIMEOUT_MS",
        "PRODUCTION",
        "AUTH_MODE",
        "TLS_CERT_FILE",
        "TLS_KEY_FILE",
        "TLS_CLIENT_CA_FILE",
        "TLS_RELAY_CA_FILE",
        "TLS_RELAY_SERVICES",
        "JWT_PUBLIC_KEY_FILE",
        "JWT_ISSUER",
        "JWT_AUDIENCE",
        "ENCRYPTION_KEYS_FILE",
        "LOG_LEVEL",
        "OTLP_ENDPOINT",
    )
)


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    service: str
    data_dir: Path = Path("var")
    database_url: str = ""
    database_schema: str = ""
    kafka_bootstrap: str = "127.0.0.1:9092"
    kafka_security_protocol: str = "PLAINTEXT"
    kafka_ssl_cafile: str = ""
    kafka_ssl_certfile: str = ""
    kafka_ssl_keyfile: str = ""
    kafka_session_timeout_ms: int = 6000
    grpc_host: str = "127.0.0.1"
    grpc_port: int = 0
    http_host: str = "127.0.0.1"
    http_port: int = 0
    grpc_max_workers: int = 16
    grpc_max_message_bytes: int = 4 * 1024 * 1024
    policy_engine: str = "embedded"
    policy_dir: Path = DEFAULT_POLICY_DIR
    opa_url: str = "http://127.0.0.1:8181"
    policy_timeout_ms: int = 500
    production: bool = False
    auth_mode: str = "dev"
    tls_cert_file: str = ""
    tls_key_file: str = ""
    tls_client_ca_file: str = ""
    # Relay authentication (mtls mode): the CA that issues the suite's own services' client
    # certificates, and the services (URI SAN urn:zorgtafel:service:<name>) allowed to call
    # this one on behalf of the person whose token they forward (casework -> disclosure).
    tls_relay_ca_file: str = ""
    tls_relay_services: tuple[str, ...] = ()
    jwt_public_key_file: str = ""
    jwt_issuer: str = "zorgtafel-dev-idp"
    jwt_audience: str = "zorgtafel"
    jwt_max_lifetime_s: int = 3600  # the longest token lifetime (exp - iat) accepted
    encryption_keys_file: str = ""
    log_level: str = "INFO"
    otlp_endpoint: str = ""
    relay_interval_s: float = 0.2
    health_interval_s: float = 2.0
    shutdown_grace_s: float = 5.0
    # Every other ZORGTAFEL_* variable, by its name without the prefix in lower case: what a
    # service's own settings class reads (services/<name>/settings.py).
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def topic(self) -> str:
        return f"zorgtafel.{self.service}.v1"

    @property
    def consumer_group(self) -> str:
        return f"zorgtafel-{self.service}"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / f'{self.service}.db').resolve()}"

    @property
    def effective_schema(self) -> str | None:
        """PostgreSQL schema owned by this service; SQLite files need none (one file each)."""
        if self.effective_database_url.startswith("sqlite"):
            return None
        return self.database_schema or self.service

    @property
    def effective_jwt_public_key_file(self) -> Path:
        return (
            Path(self.jwt_public_key_file)
            if self.jwt_public_key_file
            else self.data_dir / "dev-keys" / "jwt-public.pem"
        )

    @property
    def effective_encryption_keys_file(self) -> Path:
        return (
            Path(self.encryption_keys_file)
            if self.encryption_keys_file
            else self.data_dir / "dev-keys" / f"{self.service}-encryption.keys"
        )

    def setting(self, name: str, default: str = "") -> str:
        """A service's own variable (``ZORGTAFEL_<NAME>``), for its settings class."""
        return str(self.extra.get(name, default))

    def number(
        self, name: str, default: str, low: float, high: float, *, whole: bool = False
    ) -> float:
        """A service's own numeric variable, from ``low`` to ``high``; ``ValueError`` naming
        the variable (and what was given, cut short) when it is not."""
        text = self.setting(name, default) or default
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not low <= value <= high or (whole and not value.is_integer()):  # NaN too
            kind = "a whole number" if whole else "a number"
            raise ValueError(
                f"ZORGTAFEL_{name.upper()} must be {kind} from {low:g} to {high:g}, "
                f"not {text[:20]!r}"
            )
        return value

    def with_(self, **changes: Any) -> "Settings":
        return replace(self, **changes)

    @classmethod
    def from_env(cls, service: str, environ: Mapping[str, str] | None = None) -> "Settings":
        if service not in SERVICES:
            raise ValueError(f"unknown service {service!r}; one of {', '.join(SERVICES)}")
        env = os.environ if environ is None else environ

        def get(name: str, default: str = "") -> str:
            return env.get(f"ZORGTAFEL_{name}", default)

        return cls(
            service=service,
            data_dir=Path(get("DATA_DIR", "var")),
            database_url=get("DATABASE_URL") or _read_secret_file(get("DATABASE_URL_FILE")),
            database_schema=get("DATABASE_SCHEMA"),
            kafka_bootstrap=get("KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
            kafka_security_protocol=get("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT"),
            kafka_ssl_cafile=get("KAFKA_SSL_CAFILE"),
            kafka_ssl_certfile=get("KAFKA_SSL_CERTFILE"),
            kafka_ssl_keyfile=get("KAFKA_SSL_KEYFILE"),
            kafka_session_timeout_ms=int(get("KAFKA_SESSION_TIMEOUT_MS", "6000")),
            grpc_host=get("GRPC_HOST", "127.0.0.1"),
            grpc_port=int(get("GRPC_PORT", str(DEFAULT_GRPC_PORTS[service]))),
            http_host=get("HTTP_HOST", "127.0.0.1"),
            http_port=int(get("HTTP_PORT", str(DEFAULT_HTTP_PORTS[service]))),
            grpc_max_workers=int(get("GRPC_MAX_WORKERS", "16")),
            policy_engine=get("POLICY_ENGINE", "embedded"),
            policy_dir=Path(get("POLICY_DIR", str(DEFAULT_POLICY_DIR))),
            opa_url=get("OPA_URL", "http://127.0.0.1:8181"),
            policy_timeout_ms=int(get("POLICY_TIMEOUT_MS", "500")),
            production=_bool(get("PRODUCTION", "false")),
            auth_mode=get("AUTH_MODE", "dev"),
            tls_cert_file=get("TLS_CERT_FILE"),
            tls_key_file=get("TLS_KEY_FILE"),
            tls_client_ca_file=get("TLS_CLIENT_CA_FILE"),
            tls_relay_ca_file=get("TLS_RELAY_CA_FILE"),
            tls_relay_services=tuple(
                n.strip() for n in get("TLS_RELAY_SERVICES").split(",") if n.strip()
            ),
            jwt_public_key_file=get("JWT_PUBLIC_KEY_FILE"),
            jwt_issuer=get("JWT_ISSUER", "zorgtafel-dev-idp"),
            jwt_audience=get("JWT_AUDIENCE", "zorgtafel"),
            jwt_max_lifetime_s=int(get("JWT_MAX_LIFETIME_S", "3600")),
            encryption_keys_file=get("ENCRYPTION_KEYS_FILE"),
            log_level=get("LOG_LEVEL", "INFO"),
            otlp_endpoint=get("OTLP_ENDPOINT"),
            extra={
                k.removeprefix("ZORGTAFEL_").lower(): v
                for k, v in env.items()
                if k.startswith("ZORGTAFEL_") and k not in _KERNEL_VARIABLES
            },
        )


def _read_secret_file(path: str) -> str:
    """A credential mounted as a file (a Kubernetes Secret volume): kept out of the process
    environment, where every process of the same user could read it."""
    if not path:
        return ""
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ValueError(f"ZORGTAFEL_DATABASE_URL_FILE cannot be read: {exc.strerror}") from exc

"""Real services in this process: settings, keys, databases, a running service."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import grpc
from google.protobuf.message import Message
from sqlalchemy import create_engine, make_url, text

from zorgtafel.kernel.config import Settings
from zorgtafel.kernel.devkeys import ensure_dev_keys, mint_token

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from zorgtafel.kernel.app import App
    from zorgtafel.policy.embedded import EmbeddedEngine
    from zorgtafel.policy.engine import PolicyEngine

T = TypeVar("T")
E = TypeVar("E")
M = TypeVar("M", bound=Message)
Metadata = tuple[tuple[str, str], ...]  # gRPC call metadata


DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_unreachable() -> str | None:
    """Why the test PostgreSQL cannot be used, or None when it answers. The reason names the URL
    without its password and the driver's error class (its message may quote the connection
    string)."""
    url = os.environ.get("ZORGTAFEL_TEST_DATABASE_URL", DEFAULT_PG)
    if not url or url == "none":
        return f"ZORGTAFEL_TEST_DATABASE_URL is {url!r}: no PostgreSQL is given"
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 2})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001
        cause = getattr(exc, "orig", None) or exc  # the driver's error under SQLAlchemy's
        try:
            shown = make_url(url)._replace(password=None).render_as_string(hide_password=False)
        except Exception:  # noqa: BLE001 - an unparsable URL may hold a password anywhere
            shown = "(an unparsable URL)"
        kind = f"{type(cause).__module__}.{type(cause).__qualname__}"
        return f"PostgreSQL at ZORGTAFEL_TEST_DATABASE_URL={shown} did not answer ({kind})"


def postgres_url() -> str | None:
    """The test PostgreSQL URL when one answers, else None (tests then say why they skip,
    with ``postgres_unreachable()``; under ``make test`` tests/conftest.py fails the run)."""
    if postgres_unreachable() is not None:
        return None
    return os.environ.get("ZORGTAFEL_TEST_DATABASE_URL", DEFAULT_PG)


def drop_schema(url: str, schema: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


class Keys:
    def __init__(self, data_dir: Path) -> None:
        self.dir = ensure_dev_keys(data_dir)
        self.private = (self.dir / "jwt-private.pem").read_bytes()

    def token(self, party: str, role: str, person: str = "person-1", **kw: Any) -> str:
        return mint_token(self.private, party=party, role=role, person=person, **kw)

    def metadata(self, party: str, role: str, person: str = "person-1") -> Metadata:
        return (("authorization", f"Bearer {self.token(party, role, person)}"),)


def settings_for(
    service: str,
    data_dir: Path,
    bootstrap: str,
    database_url: str = "",
    schema: str = "",
    **overrides: Any,
) -> Settings:
    """Test settings; an override that is not a kernel setting is a service's own variable
    (``casework_retention_days=0`` is ``ZORGTAFEL_CASEWORK_RETENTION_DAYS=0``)."""
    kernel = {f.name for f in fields(Settings)}
    # No budget of refusals unless a test asks for one (kernel/refusals.py): a service a whole
    # test package shares is refused on behalf of the same few test persons by many tests, and
    # how many of them meet in one process depends on how the files are spread over workers.
    extra = {"refusal_burst": "0"} | dict(overrides.pop("extra", {}))
    extra.update({k: str(v) for k, v in overrides.items() if k not in kernel})
    return Settings(
        service=service,
        data_dir=data_dir,
        database_url=database_url,
        database_schema=schema,
        kafka_bootstrap=bootstrap,
        relay_interval_s=0.1,
        health_interval_s=0.5,
        shutdown_grace_s=1.0,
        extra=extra,
        # tansu answers a consumer's first JoinGroup after half the session timeout, rounded up
        # to whole seconds (measured: 6 s -> 3.05 s, 3 s -> 2.05 s, 1-2 s -> 1.05 s), and every
        # service start waits for it. 2 s costs one second per start; with a heartbeat every
        # 667 ms a beat may come 1.3 s late on a busy machine before the session expires (and
        # an expired member rejoins: slower, nothing lost).
        # Ports: any free one, unless a test needs to know it before the start.
        **(
            {"kafka_session_timeout_ms": 2000, "grpc_port": 0, "http_port": 0}
            | {k: v for k, v in overrides.items() if k in kernel}
        ),
    )


@lru_cache(maxsize=4)
def shared_policy_engine(policy_dir: Path | None = None) -> EmbeddedEngine:
    """One embedded engine for every service a test process starts: decisions are stateless,
    and each engine holds several compiled interpreters (native memory). Its timeout is looser
    than production's so that a loaded test machine does not turn into fail-closed denials."""
    from zorgtafel.kernel.config import DEFAULT_POLICY_DIR
    from zorgtafel.policy.embedded import EmbeddedEngine

    return EmbeddedEngine(policy_dir or DEFAULT_POLICY_DIR, timeout_s=3.0)


@contextmanager
def running_service(
    service: str,
    data_dir: Path,
    bootstrap: str,
    database_url: str = "",
    policy: PolicyEngine | None = None,
    **overrides: Any,
) -> Iterator[App]:
    """Start one service in this process (its own database), yield its App, stop it.

    A fresh database is copied from this process's migrated template
    (``zorgtafel.testing.migrated``: what the real migrations made, not a hand-written schema)
    instead of every Alembic revision run again per start; a database already there (a restart
    on the same data dir, one left at an earlier revision) is migrated by the start as in
    production."""
    from zorgtafel.kernel.bootstrap import bootstrap as build
    from zorgtafel.kernel.registry import definition
    from zorgtafel.testing.migrated import copy_migrated

    schema = ""
    if database_url:
        schema = f"t_{uuid.uuid4().hex[:10]}_{service}"
    settings = settings_for(service, data_dir, bootstrap, database_url, schema, **overrides)
    if policy is None and settings.policy_engine == "embedded":
        policy = shared_policy_engine(settings.policy_dir)
    copied = copy_migrated(settings)
    app = build(settings, definition(service), policy=policy, run_migrations=not copied)
    app.start()
    try:
        yield app
    finally:
        app.stop(grace=0.5)
        if database_url:
            drop_schema(database_url, schema)


def channel(app: App) -> grpc.Channel:
    return grpc.insecure_channel(f"127.0.0.1:{app.grpc_port}")


def wait_for(predicate: Callable[[], T], timeout: float = 40.0, interval: float = 0.1) -> T:
    """Facts travel as events: poll until ``predicate`` returns something truthy."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")

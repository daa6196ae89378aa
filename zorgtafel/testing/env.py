"""A running service under test, driven over gRPC like a partner system."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import grpc
from google.protobuf.message import Message

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from google.rpc import error_details_pb2

    from zorgtafel.kernel.app import App

from zorgtafel.testing.broker import LogTee, Publisher
from zorgtafel.testing.services import Keys, Metadata, channel, running_service, wait_for

T = TypeVar("T")
E = TypeVar("E")
M = TypeVar("M", bound=Message)


def rid() -> str:
    """A fresh request id."""
    return f"req-{uuid.uuid4()}"


def _details(err: grpc.RpcError, kind: type[M]) -> M:
    from grpc_status import rpc_status

    # A failed call's RpcError is also its grpc.Call (code, details, trailing metadata).
    status = rpc_status.from_call(cast(grpc.Call, err))
    detail = kind()
    assert status is not None and status.details and status.details[0].Unpack(detail), (
        f"no {kind.__name__} details in {err.code()}"
    )
    return detail


def bad_fields(err: grpc.RpcError) -> list[str]:
    """The fields an INVALID_ARGUMENT names."""
    from google.rpc import error_details_pb2

    return [v.field for v in _details(err, error_details_pb2.BadRequest).field_violations]


def precondition(err: grpc.RpcError) -> error_details_pb2.PreconditionFailure.Violation:
    from google.rpc import error_details_pb2

    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION, (err.code(), err.details())
    return _details(err, error_details_pb2.PreconditionFailure).violations[0]


def denial_reasons(err: grpc.RpcError) -> list[str]:
    """The policy's reasons a PERMISSION_DENIED carries."""
    from google.rpc import error_details_pb2

    assert err.code() == grpc.StatusCode.PERMISSION_DENIED, (err.code(), err.details())
    info = _details(err, error_details_pb2.ErrorInfo)
    return [v for k, v in sorted(info.metadata.items()) if k.startswith("reason_")]


class ServiceEnv:
    """One running service under test, driven over gRPC like a partner system, with the other
    services' facts published to the real broker and the service's own tables readable."""

    def __init__(
        self,
        app: App,
        keys: Keys,
        publisher: Publisher,
        logs: LogTee | None = None,
        stub_class: Callable[[grpc.Channel], Any] | None = None,
    ) -> None:
        self.app = app
        self.keys = keys
        self.pub = publisher
        self.logs = logs
        self.tables = app.definition.tables
        # A generated stub (protoc's Python output has no types), or None without a stub class.
        self.stub: Any = stub_class(channel(app)) if stub_class is not None else None

    def md(
        self, party: str, role: str = "caseworker", person: str = "person-1", extra: Metadata = ()
    ) -> Metadata:
        return self.keys.metadata(party, role, person) + tuple(extra)

    # -- facts from other services -------------------------------------------------------
    def register_party(self, party: str, status: str = "active") -> None:
        from datetime import datetime, timezone

        from zorgtafel.contracts import events as ev

        etype = {
            "active": ev.PARTY_REGISTERED,
            "excluded": ev.PARTY_EXCLUDED,
            "withdrawn": ev.PARTY_WITHDREW,
        }[status]
        self.pub.publish(
            "governance",
            etype,
            party,
            {
                "party_id": party,
                "name": f"party {party[-2:]}",
                "kind": "care_provider",
                "status": status,
                "status_since": datetime.now(timezone.utc).isoformat(),
            },
        )

    def register_parties(
        self, active: Collection[str], excluded: Collection[str] = (), timeout: float = 60
    ) -> None:
        for party in active:
            self.register_party(party)
        for party in excluded:
            self.register_party(party, "excluded")
        wait_for(
            lambda: (
                all(self.party_status(p) == "active" for p in active)
                and all(self.party_status(p) == "excluded" for p in excluded)
            ),
            timeout=timeout,
        )

    def appoint(
        self,
        party: str,
        person: str,
        function: str = "process_director",
        held: bool = True,
        timeout: float = 60,
    ) -> None:
        """Publish governance's ``RosterChanged`` (the managers designated a process director,
        or a manager took a managers seat) and wait until this service's roster holds it."""
        from datetime import datetime, timezone

        from zorgtafel.contracts import events as ev

        self.pub.publish(
            "governance",
            ev.ROSTER_CHANGED,
            party,
            {
                "function": function,
                "party": party,
                "person": person,
                "held": held,
                "changed_at": datetime.now(timezone.utc).isoformat(),
            },
        )
        wait_for(
            lambda: self.holds(function, party, person) == held,
            timeout=timeout,
        )

    def holds(self, function: str, party: str, person: str) -> bool:
        return bool(self.rows("roster", function=function, party=party, person=person, held=True))

    def party_status(self, party: str) -> str | None:
        """The party's status as the service's calls see it (its in-memory directory, which
        follows the projection's commits), or None while the service has not heard of it."""
        if self.app.parties is not None:
            known = self.app.parties.status(party)
            return None if known == "unknown" else known
        from sqlalchemy import select

        t = self.tables["party_directory"]
        with self.app.engine.connect() as conn:
            status: str | None = conn.execute(
                select(t.c.status).where(t.c.party_id == party)
            ).scalar()
        return status

    # -- reading the service's own database -------------------------------------------------
    def rows(self, table: str, **where: object) -> list[dict[str, Any]]:
        from sqlalchemy import select

        t = self.tables[table]
        q = select(t)
        for k, v in where.items():
            q = q.where(t.c[k] == v)
        with self.app.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings()]

    def count(self, table: str, **where: object) -> int:
        return len(self.rows(table, **where))

    def events(self, case_id: str, event_type: str | None = None) -> list[dict[str, Any]]:
        import json

        # In the order they were written (a table scan has no order on PostgreSQL).
        rows = sorted(self.rows("outbox", case_id=case_id), key=lambda r: r["id"])
        return [
            json.loads(r["data"]) | {"_type": r["type"]}
            for r in rows
            if event_type is None or r["type"] == event_type
        ]


@contextmanager
def service_env(
    service: str,
    env_class: Callable[[App, Keys, Publisher, LogTee | None], E],
    broker_bootstrap: str,
    data_dir: Path,
    database_url: str = "",
    *,
    capture_logs: bool = False,
    **overrides: Any,
) -> Iterator[E]:
    """Start ``service`` with its env (``env_class(app, keys, publisher, logs)``); with
    ``capture_logs`` everything it logs is kept in ``env.logs`` for personal-data scans."""
    from zorgtafel.kernel.logging import configure_logging

    keys = Keys(data_dir)
    logs = LogTee() if capture_logs else None
    if logs is not None:
        configure_logging("DEBUG", stream=logs)
    publisher = Publisher(broker_bootstrap)
    try:
        with running_service(service, data_dir, broker_bootstrap, database_url, **overrides) as app:
            yield env_class(app, keys, publisher, logs)
    finally:
        publisher.close()
        if logs is not None:
            configure_logging("INFO")


# -- the handler tier: a service's use cases without gRPC or a broker ---------------------------

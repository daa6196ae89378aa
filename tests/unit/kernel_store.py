"""What the tests of the kernel's consumer and projections share: the tables every service
keeps for the kernel on a SQLite file, with a unit of work over them, and no service around."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from sqlalchemy import Table
from sqlalchemy.engine import Engine

from zorgtafel.kernel import db
from zorgtafel.kernel.config import Settings
from zorgtafel.kernel.events import EventRegistry
from zorgtafel.kernel.schema import service_metadata
from zorgtafel.kernel.uow import UnitOfWork


def kernel_store(
    tmp_path: Path, registry: EventRegistry, wake: Callable[[], None] | None = None
) -> tuple[partial[UnitOfWork], Engine, dict[str, Table]]:
    """The kernel's tables of a service (``service_metadata``: outbox, processed events, dead
    letters, access log, party directory, roster) created on a SQLite file under ``tmp_path``,
    and a unit of work factory over them that records ``registry``'s events (and calls ``wake``
    after a commit that wrote some, as the relay is woken): (factory, engine, tables). The
    caller disposes of the engine."""
    metadata, tables = service_metadata()
    engine = db.make_engine(Settings(service="intake", data_dir=tmp_path))
    metadata.create_all(engine)
    factory = partial(
        UnitOfWork,
        db.make_session_factory(engine),
        tables,
        topic="t",
        source="/t",
        registry=registry,
        wake=wake,
    )
    return factory, engine, tables

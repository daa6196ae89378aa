"""The tables every service starts from: the kernel's (outbox, inbox, command results, dead
letters) and the party-status projection. A service adds its own tables to the same MetaData."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import MetaData, Table

from zorgtafel.contracts import events as ev
from zorgtafel.kernel.accesslog.store import add_access_log_tables
from zorgtafel.kernel.parties import PARTY_EVENT_HANDLERS, add_party_directory_table
from zorgtafel.kernel.roster import ROSTER_EVENT_HANDLERS, add_roster_table
from zorgtafel.kernel.tables import add_kernel_tables

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from zorgtafel.kernel.consumer import Handler


def service_metadata(*, party_directory: bool = True) -> tuple[MetaData, dict[str, Table]]:
    metadata = MetaData()
    tables: dict[str, Table] = dict(add_kernel_tables(metadata))
    # Every service keeps an access log (NEN 7513; issue #15): the same tables in all four.
    tables.update(add_access_log_tables(metadata))
    if party_directory:
        tables["party_directory"] = add_party_directory_table(metadata)
        tables["roster"] = add_roster_table(metadata)
    return metadata, tables


def party_status_consumption() -> dict[str, dict[str, Handler]]:
    """Subscribe to governance's party and roster events into the kernel's projections."""
    return {ev.TOPIC["governance"]: {**PARTY_EVENT_HANDLERS, **ROSTER_EVENT_HANDLERS}}

"""Governance tables and the imperative mapping of its domain classes."""

from __future__ import annotations

from sqlalchemy import Column, Enum, String, Table
from sqlalchemy.orm import registry

from services.governance.domain.parties import Party, PartyKind, PartyStatus
from zorgtafel.kernel.schema import service_metadata
from zorgtafel.kernel.types import UtcDateTime

metadata, tables = service_metadata(party_directory=False)
mapper_registry = registry(metadata=metadata)

parties = Table(
    "parties", metadata,
    Column("party_id", String(20), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", Enum(PartyKind, native_enum=False, length=40,
                        values_callable=lambda e: [m.value for m in e]), nullable=False),
    Column("status", Enum(PartyStatus, native_enum=False, length=20,
                          values_callable=lambda e: [m.value for m in e]), nullable=False),
    Column("status_since", UtcDateTime(), nullable=False),
)
tables["parties"] = parties

_mapped = False


def start_mappers() -> None:
    """Map the domain classes once per process (idempotent; called by the composition root)."""
    global _mapped
    if not _mapped:
        mapper_registry.map_imperatively(Party, parties)
        _mapped = True

"""Casework tables: the kernel's and the party-status projection (its own tables follow)."""

from __future__ import annotations

from zorgtafel.kernel.schema import service_metadata

metadata, tables = service_metadata()


def start_mappers() -> None:
    """Map the domain classes once per process (none yet)."""

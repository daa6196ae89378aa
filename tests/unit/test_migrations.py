"""Each service's Alembic revisions create exactly the tables its metadata declares."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from zorgtafel.kernel import migrate
from zorgtafel.kernel.config import SERVICES
from zorgtafel.kernel.registry import definition


@pytest.mark.parametrize("service", SERVICES)
def test_migrations_match_the_metadata(service, tmp_path):
    d = definition(service)
    engine = create_engine(f"sqlite:///{tmp_path}/{service}.db")
    migrate.upgrade(engine, d.metadata, d.versions_dir, None)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), d.metadata)
    assert diff == [], f"run `zorgtafel makemigration {service} -m ...`: {diff}"

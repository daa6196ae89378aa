"""A service started by ``running_service`` on a fresh database gets a copy of the database its
real migrations made once in this test process (``zorgtafel.testing.migrated``), at their head,
instead of every Alembic revision run again per start; a database already there is migrated by
the start, as in production."""

from __future__ import annotations

import pytest
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from zorgtafel.kernel import migrate
from zorgtafel.kernel.registry import definition
from zorgtafel.testing import running_service
from zorgtafel.testing.migrated import copy_migrated
from zorgtafel.testing.services import settings_for

pytestmark = pytest.mark.integration

SERVICE = "intake"


def _revisions(app) -> tuple[set[str], set[str]]:
    """(the database's current revisions, the migrations' heads)."""
    d = definition(SERVICE)
    cfg = migrate._config(app.engine, d.metadata, d.versions_dir, app.settings.effective_schema)
    heads = set(ScriptDirectory.from_config(cfg).get_heads())
    schema = app.settings.effective_schema
    with app.engine.connect() as conn:
        options = {"version_table_schema": schema} if schema else {}
        current = set(MigrationContext.configure(conn, opts=options).get_current_heads())
    return current, heads


def test_a_fresh_database_is_the_migrated_copy_and_one_there_is_migrated_by_the_start(
    broker, data_dir, database_url, monkeypatch, tmp_path_factory
):
    # This process's template exists before the start: whatever made it is not the start.
    template = tmp_path_factory.mktemp("template")
    schema = "" if not database_url else "t_template_warmup"
    warm = settings_for(SERVICE, template, broker.bootstrap, database_url, schema)
    copy_migrated(warm)
    if database_url:
        from zorgtafel.testing import drop_schema

        drop_schema(database_url, schema)

    upgrades: list[str | None] = []
    real = migrate.upgrade

    def counted(engine, metadata, versions_dir, schema):  # noqa: ANN001 - migrate.upgrade's
        upgrades.append(schema)
        real(engine, metadata, versions_dir, schema)

    monkeypatch.setattr(migrate, "upgrade", counted)
    with running_service(SERVICE, data_dir, broker.bootstrap, database_url) as app:
        current, heads = _revisions(app)
        assert heads and current == heads
    assert upgrades == []  # copied, not migrated anew

    if not database_url:  # a restart on the same data dir: the database is there
        with running_service(SERVICE, data_dir, broker.bootstrap) as app:
            current, heads = _revisions(app)
            assert current == heads
        assert len(upgrades) == 1  # the start migrated it, as in production

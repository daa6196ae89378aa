"""The migration step that lets every service list its access log by case by key
(``access_log_v4``, issue #16): each service's migration adds ``ix_access_log_case`` (case_id,
seq) and its downgrade drops it and leaves the log's other indexes, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from tests.integration.disclosure.conftest import database_at
from zorgtafel.kernel import migrate
from zorgtafel.kernel.alembic import access_log_v4
from zorgtafel.kernel.config import SERVICES
from zorgtafel.kernel.registry import definition

pytestmark = pytest.mark.integration


def _revision_of_the_step(cfg) -> tuple[str, str]:
    """(the revision that runs the step, the one before it) in this service's history."""
    for script in ScriptDirectory.from_config(cfg).walk_revisions():
        if getattr(script.module, "access_log_v4", None) is access_log_v4:
            return script.revision, str(script.down_revision)
    raise AssertionError("no migration runs access_log_v4")


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_gets_the_case_index_and_the_downgrade_drops_it(
    service, database_url, tmp_path
):
    d = definition(service)
    revision, before = _revision_of_the_step(
        migrate._config(None, d.metadata, d.versions_dir, None)
    )
    with database_at(database_url, tmp_path, before, "case_ix", service) as (
        engine,
        cfg,
        schema,
        _,
    ):

        def indexes() -> dict[str, list[str]]:
            found = inspect(engine).get_indexes("access_log", schema=schema)
            return {i["name"]: list(i["column_names"]) for i in found}

        kept = indexes()
        assert "ix_access_log_case" not in kept
        command.upgrade(cfg, revision)
        assert indexes() == {**kept, "ix_access_log_case": ["case_id", "seq"]}
        command.downgrade(cfg, before)
        assert indexes() == kept

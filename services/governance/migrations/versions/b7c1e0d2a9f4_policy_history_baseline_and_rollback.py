"""policy revision history: the release's baseline, and rollbacks as new entries

A fresh install serves the release's baseline bundle until the first adoption (issue #18), so
the history marks that entry (``baseline``); re-adopting an earlier revision by a new decision
(a rollback, issue #17) is a new entry, so a revision is no longer unique.

Revision ID: b7c1e0d2a9f4
Revises: 5a8a7a707a3d
Create Date: 2026-12-02 10:10:00.000000
"""

from alembic import context, op
import sqlalchemy as sa

revision = "b7c1e0d2a9f4"
down_revision = "5a8a7a707a3d"
branch_labels = None
depends_on = None

# SQLite reflects the initial schema's unnamed unique constraint without a name: batch mode
# names it by this convention so that it can be dropped. PostgreSQL named it itself.
_SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
_PG_UNIQUE = "policy_revisions_revision_key"


def _schema() -> str | None:
    # Plain ALTERs do not follow ``schema_translate_map``: name the service's PostgreSQL schema.
    return context.config.attributes.get("schema")


def _baseline() -> sa.Column:
    return sa.Column("baseline", sa.Boolean(), nullable=False, server_default=sa.false())


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table(
            "policy_revisions", naming_convention=_SQLITE_NAMES, recreate="always"
        ) as batch_op:
            batch_op.drop_constraint("uq_policy_revisions_revision", type_="unique")
            batch_op.add_column(_baseline())
            batch_op.create_index("ix_policy_revisions_revision", ["revision"])
        return
    schema = _schema()
    op.drop_constraint(_PG_UNIQUE, "policy_revisions", type_="unique", schema=schema)
    op.add_column("policy_revisions", _baseline(), schema=schema)
    op.create_index(
        "ix_policy_revisions_revision", "policy_revisions", ["revision"], schema=schema
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("policy_revisions", recreate="always") as batch_op:
            batch_op.drop_index("ix_policy_revisions_revision")
            batch_op.drop_column("baseline")
            batch_op.create_unique_constraint("uq_policy_revisions_revision", ["revision"])
        return
    schema = _schema()
    op.drop_index("ix_policy_revisions_revision", "policy_revisions", schema=schema)
    op.drop_column("policy_revisions", "baseline", schema=schema)
    op.create_unique_constraint(_PG_UNIQUE, "policy_revisions", ["revision"], schema=schema)

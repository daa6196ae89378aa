"""case restriction in decision order: case_facts.restriction_changed_at

When the controller decided the grant or lifting of the case's restriction that disclosure
applied last (GDPR art. 18): of two decided at once, the one decided first but written last
changed the case again, while casework and intake apply the newest decision. Filled from
restricted_at where a restriction holds. The schema is given explicitly, as in a8d3f5c1e2b9;
SQLite has none.

Revision ID: d6b1e8f3a4c7
Revises: a8d3f5c1e2b9
Create Date: 2026-12-06 22:10:00.000000
"""

from alembic import context, op
import sqlalchemy as sa


revision = "d6b1e8f3a4c7"
down_revision = "a8d3f5c1e2b9"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    return context.config.attributes.get("schema")


def upgrade() -> None:
    with op.batch_alter_table("case_facts", schema=_schema()) as batch_op:
        batch_op.add_column(
            sa.Column("restriction_changed_at", sa.DateTime(timezone=True), nullable=True)
        )
    facts = sa.table(
        "case_facts",
        sa.column("restricted_at", sa.DateTime(timezone=True)),
        sa.column("restriction_changed_at", sa.DateTime(timezone=True)),
        schema=_schema(),
    )
    op.execute(
        facts.update()
        .where(facts.c.restricted_at.isnot(None))
        .values(restriction_changed_at=facts.c.restricted_at)
    )


def downgrade() -> None:
    with op.batch_alter_table("case_facts", schema=_schema()) as batch_op:
        batch_op.drop_column("restriction_changed_at")

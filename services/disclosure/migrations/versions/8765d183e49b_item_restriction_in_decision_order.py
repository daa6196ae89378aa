"""item restriction in decision order: items.restriction_changed_at

When the controller decided the grant or lifting of the item's restriction that disclosure
applied last (the item's own, or its case's lifting; GDPR art. 18): the next is decided after
it, under the item's row lock, whatever the deciding replica's clock says. Filled from the
granted restriction requests of the item and liftings of the item or its case (their
decided_at), and from restricted_at where a restriction holds, the latest of those. The
schema is given explicitly, as in d6b1e8f3a4c7; SQLite has none.

Revision ID: 8765d183e49b
Revises: 5c792a4ca960
Create Date: 2026-12-07 02:06:31.494143
"""

from alembic import context, op
import sqlalchemy as sa


revision = "8765d183e49b"
down_revision = "5c792a4ca960"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    return context.config.attributes.get("schema")


def upgrade() -> None:
    with op.batch_alter_table("items", schema=_schema()) as batch_op:
        batch_op.add_column(
            sa.Column("restriction_changed_at", sa.DateTime(timezone=True), nullable=True)
        )
    items = sa.table(
        "items",
        sa.column("item_id", sa.String),
        sa.column("case_id", sa.String),
        sa.column("restricted_at", sa.DateTime(timezone=True)),
        sa.column("restriction_changed_at", sa.DateTime(timezone=True)),
        schema=_schema(),
    )
    requests = sa.table(
        "subject_requests",
        sa.column("kind", sa.String),
        sa.column("outcome", sa.String),
        sa.column("case_id", sa.String),
        sa.column("item_id", sa.String),
        sa.column("decided_at", sa.DateTime(timezone=True)),
        schema=_schema(),
    )
    r = requests.c
    of_the_item = sa.and_(
        r.outcome == "granted",
        r.decided_at.isnot(None),
        sa.or_(
            sa.and_(
                r.item_id == items.c.item_id, r.kind.in_(("restriction", "lift_restriction"))
            ),
            sa.and_(
                r.item_id.is_(None), r.case_id == items.c.case_id, r.kind == "lift_restriction"
            ),
        ),
    )
    latest = sa.select(sa.func.max(r.decided_at)).where(of_the_item).scalar_subquery()
    op.execute(
        items.update()
        .where(sa.exists(sa.select(r.decided_at).where(of_the_item)))
        .values(restriction_changed_at=latest)
    )
    op.execute(
        items.update()
        .where(
            items.c.restricted_at.isnot(None),
            sa.or_(
                items.c.restriction_changed_at.is_(None),
                items.c.restriction_changed_at < items.c.restricted_at,
            ),
        )
        .values(restriction_changed_at=items.c.restricted_at)
    )


def downgrade() -> None:
    with op.batch_alter_table("items", schema=_schema()) as batch_op:
        batch_op.drop_column("restriction_changed_at")

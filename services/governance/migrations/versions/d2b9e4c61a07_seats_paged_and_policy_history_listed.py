"""seats paged and the policy revision history listed

ListSeats pages the seats by seat id, filtered by body (ix_seats_body_seat) or by either party:
an index for each party filter in that order (issue #16). ListPolicyRevisions lists the history
without reading the bundles: each entry keeps its bundle's digest, computed here for the
entries already stored, and asks which instances enforce its page's revisions by revision
(issue #19).

Revision ID: d2b9e4c61a07
Revises: f1d3e5a7c9b2
Create Date: 2026-12-02 14:00:00.000000
"""

import hashlib

import sqlalchemy as sa
from alembic import context, op

revision = "d2b9e4c61a07"
down_revision = "f1d3e5a7c9b2"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    # Plain ALTERs do not follow ``schema_translate_map``: name the service's PostgreSQL schema.
    return context.config.attributes.get("schema")


def upgrade() -> None:
    schema = _schema()
    with op.batch_alter_table("seats", schema=schema) as batch_op:
        batch_op.create_index("ix_seats_held_by_party", ["held_by_party", "seat_id"])
        batch_op.create_index("ix_seats_holder_party", ["holder_party", "seat_id"])
    with op.batch_alter_table("enforced_revisions", schema=schema) as batch_op:
        batch_op.create_index("ix_enforced_revisions_revision", ["revision"])
    with op.batch_alter_table("policy_revisions", schema=schema) as batch_op:
        batch_op.add_column(
            sa.Column("bundle_digest", sa.String(length=71), nullable=False, server_default="")
        )
    t = sa.table(
        "policy_revisions",
        sa.column("seq", sa.Integer()),
        sa.column("bundle", sa.LargeBinary()),
        sa.column("bundle_digest", sa.String()),
        schema=schema,
    )
    conn = op.get_bind()
    for seq in conn.execute(sa.select(t.c.seq)).scalars().all():  # few: one per adoption
        bundle = conn.execute(sa.select(t.c.bundle).where(t.c.seq == seq)).scalar_one()
        digest = "sha256:" + hashlib.sha256(bytes(bundle)).hexdigest()
        conn.execute(sa.update(t).where(t.c.seq == seq).values(bundle_digest=digest))


def downgrade() -> None:
    schema = _schema()
    with op.batch_alter_table("policy_revisions", schema=schema) as batch_op:
        batch_op.drop_column("bundle_digest")
    with op.batch_alter_table("enforced_revisions", schema=schema) as batch_op:
        batch_op.drop_index("ix_enforced_revisions_revision")
    with op.batch_alter_table("seats", schema=schema) as batch_op:
        batch_op.drop_index("ix_seats_holder_party")
        batch_op.drop_index("ix_seats_held_by_party")

"""usage terms expiry and recipient parties for the worklist

Art. 16.2: the worklist's one query holds the nominating party's terms against the time of the
request and the reader's party, so their expiry and recipient parties become a column and a
table, filled here from the terms each nomination already holds (JSON). Batch operations name
the service's PostgreSQL schema explicitly (see ad7c9df9e7fb); SQLite has none.

Revision ID: a09e921f9f99
Revises: f3b8d21c4a02
Create Date: 2026-12-06 18:25:35.567620
"""

import json
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import context, op
from google.protobuf.timestamp_pb2 import Timestamp

revision = "a09e921f9f99"
down_revision = "f3b8d21c4a02"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    return context.config.attributes.get("schema")


def _expiry(terms: dict) -> datetime | None:
    if not terms.get("expires_at"):
        return None
    t = Timestamp()
    t.FromJsonString(terms["expires_at"])
    return t.ToDatetime(tzinfo=timezone.utc)


def upgrade() -> None:
    op.create_table(
        "nomination_recipient_parties",
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("party", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["nominations.case_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", "party"),
    )
    with op.batch_alter_table("nominations", schema=_schema()) as batch_op:
        batch_op.add_column(
            sa.Column("terms_expires_at", sa.DateTime(timezone=True), nullable=True)
        )

    nominations = sa.table(
        "nominations",
        sa.column("case_id", sa.String),
        sa.column("usage_terms", sa.Text),
        sa.column("terms_expires_at", sa.DateTime(timezone=True)),
        schema=_schema(),
    )
    recipients = sa.table(
        "nomination_recipient_parties",
        sa.column("case_id", sa.String),
        sa.column("party", sa.String),
        schema=_schema(),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(nominations.c.case_id, nominations.c.usage_terms)).all()
    for case_id, raw in rows:
        terms = json.loads(raw or "{}")
        expiry = _expiry(terms)
        if expiry is not None:
            bind.execute(
                sa.update(nominations)
                .where(nominations.c.case_id == case_id)
                .values(terms_expires_at=expiry)
            )
        parties = sorted(set(terms.get("recipient_parties") or ()))
        if parties:
            bind.execute(sa.insert(recipients), [{"case_id": case_id, "party": p} for p in parties])


def downgrade() -> None:
    with op.batch_alter_table("nominations", schema=_schema()) as batch_op:
        batch_op.drop_column("terms_expires_at")

    op.drop_table("nomination_recipient_parties")

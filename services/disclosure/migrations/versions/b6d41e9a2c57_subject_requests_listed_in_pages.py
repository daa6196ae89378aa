"""subject requests listed in pages

ListSubjectRequests (issue #16) loaded every request held, opened each one's sealed texts and
paged in memory: its cost grew with the register. It now filters and pages in SQL, by key
(submitted at, request id), narrowed to the caller's party as controller: one index on
(controller, submitted_at, subject_request_id), in place of the index on controller alone.

Two values the list filters on were computed on read for older rows and are stored here:
- ``controller``: a request stored before requests were addressed to a controller belongs to
  its submitter (``request_controller``); the repository now always stores one.
- ``due_at``: the same day next month, or that month's last day (GDPR art. 12(3)), as
  ``one_month_after`` computes it (frozen here: the rule as it was when this was written).

The downgrade restores the index on controller alone and keeps the stored values (they are
what the older code computed on read).

Revision ID: b6d41e9a2c57
Revises: e7a1c3f90b14
Create Date: 2026-12-05 00:10:00.000000
"""

import calendar
from datetime import datetime

import sqlalchemy as sa
from alembic import context, op

from zorgtafel.kernel.types import UtcDateTime

revision = "b6d41e9a2c57"
down_revision = "e7a1c3f90b14"
branch_labels = None
depends_on = None

TABLE = "subject_requests"


def _schema() -> str | None:
    return context.config.attributes.get("schema")


def _one_month_after(t: datetime) -> datetime:
    year, month = (t.year + 1, 1) if t.month == 12 else (t.year, t.month + 1)
    return t.replace(year=year, month=month, day=min(t.day, calendar.monthrange(year, month)[1]))


def upgrade() -> None:
    conn = op.get_bind()
    requests = sa.Table(
        TABLE,
        sa.MetaData(schema=_schema()),
        sa.Column("subject_request_id", sa.String(64), primary_key=True),
        sa.Column("submitted_by_party", sa.String(32)),
        sa.Column("submitted_at", UtcDateTime()),
        sa.Column("controller", sa.String(32)),
        sa.Column("due_at", UtcDateTime()),
    )
    c = requests.c
    conn.execute(
        sa.update(requests).where(c.controller.is_(None)).values(controller=c.submitted_by_party)
    )
    for row in conn.execute(
        sa.select(c.subject_request_id, c.submitted_at).where(c.due_at.is_(None))
    ).all():
        conn.execute(
            sa.update(requests)
            .where(c.subject_request_id == row.subject_request_id)
            .values(due_at=_one_month_after(row.submitted_at))
        )
    with op.batch_alter_table(TABLE, schema=_schema()) as batch:
        batch.drop_index("ix_subject_requests_controller")
        batch.create_index(
            "ix_subject_requests_controller_submitted",
            ["controller", "submitted_at", "subject_request_id"],
        )


def downgrade() -> None:
    with op.batch_alter_table(TABLE, schema=_schema()) as batch:
        batch.drop_index("ix_subject_requests_controller_submitted")
        batch.create_index("ix_subject_requests_controller", ["controller"])

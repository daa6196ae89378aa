"""informing tasks listed in pages

ListInformingTasks (issue #16) read every override the party's people ever made, opened each
one's sealed informing record to keep those whose client is not yet informed, and paged in
memory: 290-370 ms over 10,000 overrides, growing with the party's history. The status now also
sits beside its sealed record, in ``reviews.client_informed_status`` (not_yet | informed), and
``ix_reviews_party_informing`` (party, client_informed_status, created_at, review_id) lets the
list read one party's open tasks newest first, by key.

The status is an index only: a notice still says what the sealed record says, and a purge
clears the column with the record. Rows sealed before this revision keep NULL (the migration
holds no case key to open them); the list opens those to see, so the upgrade changes no answer
(``ReviewRepository.informing_tasks``). The downgrade drops the index and the column.

Revision ID: 9c3f1a7e5d20
Revises: 4d9e2b7a1c63
Create Date: 2026-12-05 03:45:00.000000
"""

import sqlalchemy as sa
from alembic import context, op

revision = "9c3f1a7e5d20"
down_revision = "4d9e2b7a1c63"
branch_labels = None
depends_on = None

COLUMNS = ["party", "client_informed_status", "created_at", "review_id"]


def _schema() -> str | None:
    return context.config.attributes.get("schema")


def upgrade() -> None:
    with op.batch_alter_table("reviews", schema=_schema()) as batch:
        batch.add_column(sa.Column("client_informed_status", sa.String(10), nullable=True))
        batch.create_index("ix_reviews_party_informing", COLUMNS)


def downgrade() -> None:
    with op.batch_alter_table("reviews", schema=_schema()) as batch:
        batch.drop_index("ix_reviews_party_informing")
        batch.drop_column("client_informed_status")

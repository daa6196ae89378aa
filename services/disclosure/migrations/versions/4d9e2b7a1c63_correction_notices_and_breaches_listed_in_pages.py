"""correction notices and breaches listed in pages

ListCorrectionNotices and ListBreaches (issue #16) loaded every row and paged in memory:
ListBreaches read every breach of every party and unsealed each one's texts before keeping the
caller's party's; their cost grew with the registers. Both now filter and page in SQL, by key,
and each gets the index its query reads in order:

- ``ix_subject_requests_kind_outcome_decided`` (kind, outcome, decided_at, subject_request_id):
  the granted corrections, newest decision first, each joined to its item by the item's key
  for the provider (the provider is the item's, not the request's).
- ``ix_subject_requests_item`` (item_id): for a provider with few items among many
  corrections the planner starts from its items (items' index on provider) and finds their
  requests here, instead of reading every request.
- ``ix_breaches_recorded_by_recorded`` (recorded_by_party, recorded_at, breach_id): the breaches
  one party recorded, oldest first; only the page's texts are unsealed.
- ``ix_reviews_provider_created`` (provider, created_at, review_id): ListOverrideNotices reads
  the reviews of one provider's items, newest first, and had no index on the provider.
- ``ix_reviews_party_created`` (party, created_at, review_id): ListReviews across cases shows a
  privacy officer the reviews its party provided or overrode (either index, merged).

Indexes only: no value changes, and the downgrade drops them.

Revision ID: 4d9e2b7a1c63
Revises: b6d41e9a2c57
Create Date: 2026-12-05 01:00:00.000000
"""

from alembic import context, op

revision = "4d9e2b7a1c63"
down_revision = "b6d41e9a2c57"
branch_labels = None
depends_on = None

INDEXES = (
    (
        "subject_requests",
        "ix_subject_requests_kind_outcome_decided",
        ["kind", "outcome", "decided_at", "subject_request_id"],
    ),
    ("subject_requests", "ix_subject_requests_item", ["item_id"]),
    (
        "breaches",
        "ix_breaches_recorded_by_recorded",
        ["recorded_by_party", "recorded_at", "breach_id"],
    ),
    ("reviews", "ix_reviews_provider_created", ["provider", "created_at", "review_id"]),
    ("reviews", "ix_reviews_party_created", ["party", "created_at", "review_id"]),
)


def _schema() -> str | None:
    return context.config.attributes.get("schema")


def upgrade() -> None:
    for table, name, columns in INDEXES:
        with op.batch_alter_table(table, schema=_schema()) as batch:
            batch.create_index(name, columns)


def downgrade() -> None:
    for table, name, _columns in reversed(INDEXES):
        with op.batch_alter_table(table, schema=_schema()) as batch:
            batch.drop_index(name)

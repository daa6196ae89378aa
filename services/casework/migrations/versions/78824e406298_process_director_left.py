"""process director left: cases.process_director_left_at

12.3: when governance ended the designation of the person who directed a case (RosterChanged,
held false: revoked, or the party left the covenant) casework takes that person off the case
("" process director person) and keeps since when nobody directs it, so that a designated
process director may take it over. Null while a person directs the case, and for the cases no
person ever directed (opened before intake named one: nobody may take those over).

Revision ID: 78824e406298
Revises: a9c3e5f7b1d2
Create Date: 2026-12-07 19:30:00.000000
"""

import sqlalchemy as sa
from alembic import context, op

revision = "78824e406298"
down_revision = "a9c3e5f7b1d2"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    return context.config.attributes.get("schema")


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=_schema()) as batch_op:
        batch_op.add_column(
            sa.Column("process_director_left_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=_schema()) as batch_op:
        batch_op.drop_column("process_director_left_at")

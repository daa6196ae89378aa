"""a nomination's process director kept as its person key

A person id names its person without case ("PD-1" is pd-1, validate.same_person): a nomination
now keeps the process director who took it up with its ASCII letters lowered (person_key), so
that the worklist finds what that person took up on ix_nominations_worklist_director whatever
case its token types. The rows taken up before are lowered alike (person ids are ASCII, so
lower is person_key on them). No downgrade of the data: the spelling as typed is not kept.

Revision ID: f4a7c21e9b30
Revises: b5d2e8a41c07
Create Date: 2026-12-07 17:00:00.000000
"""

import sqlalchemy as sa
from alembic import context, op

revision = "f4a7c21e9b30"
down_revision = "b5d2e8a41c07"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    return context.config.attributes.get("schema")


def upgrade() -> None:
    nominations = sa.table(
        "nominations", sa.column("process_director_person", sa.String(128)), schema=_schema()
    )
    person = nominations.c.process_director_person
    op.execute(
        nominations.update()
        .where(person.isnot(None), person != sa.func.lower(person))
        .values(process_director_person=sa.func.lower(person))
    )


def downgrade() -> None:
    pass  # the lowered ids name the same persons: nothing to undo

"""cases of a person read through an index: case_people

The notice lists of a worker (art. 8.4c, 15.1) are scoped to the cases the person has a part
in, asked on every page. That was a text match on ``case_facts.delegates`` (JSON) beside the
director columns: a scan of every case, whose hits were then checked in Python. ``case_people``
(case_id, part, party, person; part: process_director, case_director, delegate) now holds one row
per part, kept by the handlers that write those columns, and ``ix_case_people_party_person``
(party, person, part, case_id) answers the question from the index alone.

The upgrade fills it from what ``case_facts`` holds (the process director, the case director
and each party's delegates, as the repository reads them: a malformed value gives no row). The
downgrade drops it; ``case_facts`` still holds everything it was made from.

Revision ID: 5c792a4ca960
Revises: e2f7a9c4b6d1
Create Date: 2026-12-07 01:25:53.416974
"""

import json

import sqlalchemy as sa
from alembic import context, op

revision = "5c792a4ca960"
down_revision = "e2f7a9c4b6d1"
branch_labels = None
depends_on = None

INDEX = ["party", "person", "part", "case_id"]


def _schema() -> str | None:
    return context.config.attributes.get("schema")


def _people(row) -> set[tuple[str, str, str]]:
    """(part, party, person) of each person the case's row gives a part (frozen here: the
    reading of ``case_facts`` as it was when this was written; an id longer than the column,
    which names no one who can ask, is left out)."""
    people: set[tuple[str, str, str]] = set()
    if row.process_director_party and row.process_director_person:
        people.add(("process_director", row.process_director_party, row.process_director_person))
    if row.case_director_party and row.case_director_person:
        people.add(("case_director", row.case_director_party, row.case_director_person))
    try:
        delegates = json.loads(row.delegates) if row.delegates else {}
    except ValueError:
        delegates = {}
    if isinstance(delegates, dict):
        for party, persons in delegates.items():
            if party and isinstance(persons, list):
                people.update(("delegate", party, p) for p in persons if p and isinstance(p, str))
    return {(a, b, c) for a, b, c in people if len(b) <= 32 and len(c) <= 128}


def upgrade() -> None:
    people = op.create_table(
        "case_people",
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("part", sa.String(length=20), nullable=False),
        sa.Column("party", sa.String(length=32), nullable=False),
        sa.Column("person", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("case_id", "part", "party", "person"),
        schema=_schema(),
    )
    with op.batch_alter_table("case_people", schema=_schema()) as batch_op:
        batch_op.create_index("ix_case_people_party_person", INDEX, unique=False)

    facts = sa.Table(
        "case_facts",
        sa.MetaData(schema=_schema()),
        sa.Column("case_id", sa.String(64), primary_key=True),
        sa.Column("process_director_party", sa.String(32)),
        sa.Column("process_director_person", sa.String(128)),
        sa.Column("case_director_party", sa.String(32)),
        sa.Column("case_director_person", sa.String(128)),
        sa.Column("delegates", sa.Text()),
    )
    c = facts.c
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(facts).where(
            sa.or_(
                c.process_director_person.is_not(None),
                c.case_director_person.is_not(None),
                c.delegates.is_not(None),
            )
        )
    ).all()
    batch: list[dict[str, str]] = []
    for row in rows:
        batch.extend(
            {"case_id": row.case_id, "part": part, "party": party, "person": person}
            for part, party, person in sorted(_people(row))
        )
        if len(batch) >= 1000:
            conn.execute(sa.insert(people), batch)
            batch = []
    if batch:
        conn.execute(sa.insert(people), batch)


def downgrade() -> None:
    with op.batch_alter_table("case_people", schema=_schema()) as batch_op:
        batch_op.drop_index("ix_case_people_party_person")
    op.drop_table("case_people", schema=_schema())

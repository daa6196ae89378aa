"""Casework tables: the kernel's, the party-status projection and its own.

Sensitive columns (the subject's pseudonym, minutes, action texts, progress notes) hold AES-GCM
ciphertexts under the case's own data key (``case_keys``, wrapped by the service key ring):
destroying that key at the purge makes every copy unreadable, backups included.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
)

from zorgtafel.kernel.casekeys import add_case_keys_table
from zorgtafel.kernel.schema import service_metadata
from zorgtafel.kernel.types import UtcDateTime

metadata, tables = service_metadata()

cases = Table(
    "cases",
    metadata,
    Column("case_id", String(64), primary_key=True),
    Column("state", String(20), nullable=False),
    Column("process_director_party", String(20), nullable=False),
    # 12.3: the designated person who directs the case ("" while nobody does: its director
    # left, or intake named nobody when it opened).
    Column("process_director_person", String(128), nullable=False, server_default=""),
    # 12.3: since when nobody directs the case, for a designated process director to take it
    # over: governance ended the designation of the person who directed it (RosterChanged,
    # held false) and casework took that person off it, or it opened with no person named
    # (its opening; migration 2f6a9c1d8e47 for the cases opened so before); null while a
    # person directs it.
    Column("process_director_left_at", UtcDateTime(), nullable=True),
    Column("nominating_party", String(20), nullable=False),
    Column("subject_pseudonym_sealed", LargeBinary, nullable=False),
    Column("age_band", String(20), nullable=False),
    Column("goal_code", String(64), nullable=False),
    Column("themes", JSON, nullable=False),
    Column("decision_types", JSON, nullable=False),
    Column("triage_invitees", JSON, nullable=False),
    Column("case_director_party", String(20), nullable=True),
    Column("case_director_person", String(128), nullable=True),
    Column("plan_version", Integer, nullable=False),
    Column("criteria", JSON, nullable=False),
    Column("escalated_zvh", String(40), nullable=True),
    Column("escalation_reason", String(40), nullable=True),
    Column("escalated_at", UtcDateTime(), nullable=True),
    Column("deescalated_at", UtcDateTime(), nullable=True),
    Column("opened_at", UtcDateTime(), nullable=False),
    Column("closed_at", UtcDateTime(), nullable=True),
    Column("outcome", String(20), nullable=True),
    # Bijlage 3 "afschermen", GDPR art. 18: since when the subject's restriction of the case,
    # granted by the controller (disclosure's CASE_RESTRICTION_CHANGED), holds; null: none.
    Column("restricted_at", UtcDateTime(), nullable=True),
    # When disclosure decided the grant or lifting applied last (its changed_at): a decision
    # older than it arrived late and changes nothing, in both directions (a lifting clears
    # restricted_at, and a re-sent older grant must not restrict the case again).
    Column("restriction_changed_at", UtcDateTime(), nullable=True),
    # When casework took the case's last decision on who has a part in it (the changed_at of
    # its last DELEGATE_NAMED/RELEASED, DIRECTOR_APPOINTED, ROLES_SET): the next is after it.
    Column("decided_at", UtcDateTime(), nullable=True),
)
# ListOverdueActions without a case id (issue #16): the cases a person directs, found by
# relationship through these two indexes instead of a scan of every case, in case_id order
# (the list's) and from a page's key on.
Index(
    "ix_cases_process_director",
    cases.c.process_director_party,
    cases.c.process_director_person,
    cases.c.case_id,
)
Index(
    "ix_cases_case_director",
    cases.c.case_director_party,
    cases.c.case_director_person,
    cases.c.case_id,
)
# ListCasesAwaitingDirector (12.3): the few cases whose process director left, in case id order
# (the list's) from a page's key on, instead of a walk of every case; left_at is null again once
# someone takes the case over, so the index holds only what awaits a director.
Index(
    "ix_cases_awaiting_director",
    cases.c.case_id,
    postgresql_where=cases.c.process_director_left_at.is_not(None),
    sqlite_where=cases.c.process_director_left_at.is_not(None),
)

case_keys = add_case_keys_table(metadata)

meetings = Table(
    "meetings",
    metadata,
    Column("meeting_id", String(64), primary_key=True),
    Column("case_id", String(64), nullable=False, index=True),
    Column("status", String(20), nullable=False),
    Column("scheduled_for", UtcDateTime(), nullable=False),
    Column("goal_code", String(64), nullable=False),
    Column("decision_types", JSON, nullable=False),
    Column("themes", JSON, nullable=False),
    Column("invitees", JSON, nullable=False),
    Column("pre_read_item_ids", JSON, nullable=False),
    Column("attendees", JSON, nullable=False),
    Column("held_at", UtcDateTime(), nullable=True),
    Column("minutes_sealed", LargeBinary, nullable=True),
)

case_roles = Table(
    "case_roles",
    metadata,
    Column("case_id", String(64), primary_key=True),
    Column("party", String(20), primary_key=True),
    Column("role", String(64), nullable=False),
    Column("information_need", JSON, nullable=False),
)

# 16.1, 10.1: the persons each involved party named to represent it in the case (8.4c: only
# they, the case director and the process director reach the case within a party).
case_delegates = Table(
    "case_delegates",
    metadata,
    Column("case_id", String(64), primary_key=True),
    Column("party", String(20), primary_key=True),
    Column("person", String(128), primary_key=True),
    Column("named_at", UtcDateTime(), nullable=False),
)

plan_actions = Table(
    "plan_actions",
    metadata,
    Column("action_id", String(64), primary_key=True),
    Column("case_id", String(64), nullable=False, index=True),
    Column("plan_version", Integer, nullable=False),
    Column("party", String(20), nullable=False),
    Column("what_sealed", LargeBinary, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("progress_sealed", LargeBinary, nullable=True),
    Column("updated_at", UtcDateTime(), nullable=True),
)
# A case's actions in the order ListOverdueActions pages them (and its due-date filter).
Index(
    "ix_plan_actions_case_due",
    plan_actions.c.case_id,
    plan_actions.c.due_date,
    plan_actions.c.action_id,
)

# The case's own event log, written in the same transaction as each state change: WatchCase
# polls it (ids and codes only, never content).
case_timeline = Table(
    "case_timeline",
    metadata,
    Column(
        "seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("case_id", String(64), nullable=False, index=True),
    Column("kind", String(40), nullable=False),
    Column("parties", JSON, nullable=False),
    Column("details", JSON, nullable=False),
    Column("occurred_at", UtcDateTime(), nullable=False),
)

# What survives a purge: that the case id is gone for good (so no redelivered event revives it).
purged_cases = Table(
    "purged_cases",
    metadata,
    Column("case_id", String(64), primary_key=True),
    Column("purged_at", UtcDateTime(), nullable=False),
)

# The minimal, non-identifying statistic for the annual report (11.3d): no case id.
case_statistics = Table(
    "case_statistics",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("year", Integer, nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("escalated", Boolean, nullable=False),
)

tables.update(
    {
        t.name: t
        for t in (
            cases,
            case_keys,
            meetings,
            case_roles,
            case_delegates,
            plan_actions,
            case_timeline,
            purged_cases,
            case_statistics,
        )
    }
)

# Tables holding a case's data, by column: what a purge deletes (the outbox and command
# results are the kernel's and are deleted by case_id as well).
CASE_TABLES = (
    cases,
    case_keys,
    meetings,
    case_roles,
    case_delegates,
    plan_actions,
    case_timeline,
)


def start_mappers() -> None:
    """Casework uses SQLAlchemy Core through its repository (no imperative mapping)."""

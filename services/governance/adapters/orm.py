"""Governance tables and the imperative mapping of its domain classes.

Governance keeps no personal data: parties are organisations, people appear only as the
pseudonymous subject of their token, disputes carry a case id only (and ``case_facts`` who has a
part in such a case: party ids and pseudonymous persons, never the subject), and the annual
report is counters. Nothing here needs encryption at rest.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Enum,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import registry

from services.governance.domain.bodies import Body, Seat
from services.governance.domain.decisions import (
    InputKind,
    Meeting,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Vote,
    VoteChoice,
    WrittenInput,
)
from services.governance.domain.disputes import Dispute, DisputeAbout, DisputeStatus
from services.governance.domain.membership import (
    Accession,
    AccessionStatus,
    NoticeOfDefault,
    Withdrawal,
)
from services.governance.domain.parties import Party, PartyKind, PartyStatus, StatusChange
from services.governance.domain.policy import PolicyRevision
from services.governance.domain.roster import ProcessDirector
from zorgtafel.kernel.schema import service_metadata
from zorgtafel.kernel.types import UtcDateTime

metadata, tables = service_metadata(party_directory=False)
mapper_registry = registry(metadata=metadata)


def _enum(cls, length=40):
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


OIN = String(20)
ID = String(64)

parties = Table(
    "parties",
    metadata,
    Column("party_id", OIN, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", _enum(PartyKind), nullable=False),
    Column("status", _enum(PartyStatus, 20), nullable=False),
    Column("status_since", UtcDateTime(), nullable=False),
)
# ListParties' filters, each in the list's order (party_id), so a page is an index range.
Index("ix_parties_kind", parties.c.kind, parties.c.party_id)
Index("ix_parties_status", parties.c.status, parties.c.party_id)

party_history = Table(
    "party_history",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("party_id", OIN, nullable=False, index=True),
    Column("status", _enum(PartyStatus, 20), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("cause", String(20), nullable=False),
    Column("reference", String(64), nullable=False),
)

seats = Table(
    "seats",
    metadata,
    Column("seat_id", String(64), primary_key=True),
    Column("body", _enum(Body, 20), nullable=False, index=True),
    Column("role", String(40), nullable=False),
    Column("held_by_party", OIN, nullable=True),
    Column("holder_person", String(128), nullable=True),
    Column("holder_party", OIN, nullable=True),
    Column("assigned_at", UtcDateTime(), nullable=True),
    # The holder's last change (assigned or released), kept while vacant (next_decision_time).
    Column("holder_changed_at", UtcDateTime(), nullable=True),
)
# ListBodies reads the seats of a page of bodies in (body, seat_id) order; ListSeats pages by
# seat_id, filtered by body or by either party, each filter an index range in that order.
Index("ix_seats_body_seat", seats.c.body, seats.c.seat_id)
Index("ix_seats_held_by_party", seats.c.held_by_party, seats.c.seat_id)
Index("ix_seats_holder_party", seats.c.holder_party, seats.c.seat_id)

# art. 11.2, 12.1: the process directors the managers designated; a row while designated,
# kept with revoked_at once revoked, so that a designation again is decided after it.
process_directors = Table(
    "process_directors",
    metadata,
    Column("party", OIN, primary_key=True),
    Column("person", String(128), primary_key=True),
    Column("designated_at", UtcDateTime(), nullable=False),
    Column("designated_by_party", OIN, nullable=False),
    Column("designated_by_person", String(128), nullable=False),
    Column("revoked_at", UtcDateTime(), nullable=True),
)

proposals = Table(
    "proposals",
    metadata,
    Column("proposal_id", ID, primary_key=True),
    Column("body", _enum(Body, 20), nullable=False),
    Column("kind", _enum(ProposalKind, 20), nullable=False),
    Column("subject_code", String(64), nullable=False),
    Column("significantly_affects", JSON, nullable=False),
    Column("proposed_by_party", OIN, nullable=False),
    Column("proposed_at", UtcDateTime(), nullable=False),
    Column("target_party", OIN, nullable=True),
    Column("accession_id", ID, nullable=True),
    Column("effective_at", UtcDateTime(), nullable=True),
    Column("work_process_version", String(64), nullable=True),
    Column("policy_revision", String(128), nullable=True),
    Column("referred_from", ID, nullable=True),
    Column("referred_to", ID, nullable=True),
    Column("meeting_id", ID, nullable=True, index=True),
    Column("status", _enum(ProposalStatus, 20), nullable=False),
    Column("votes_for", Integer, nullable=False),
    Column("votes_against", Integer, nullable=False),
    Column("votes_abstain", Integer, nullable=False),
    Column("consensus", Boolean, nullable=False),
    Column("binding", Boolean, nullable=False),
    Column("decision_id", ID, nullable=True, unique=True),
    Column("decided_at", UtcDateTime(), nullable=True),
)

meetings = Table(
    "meetings",
    metadata,
    Column("meeting_id", ID, primary_key=True),
    Column("body", _enum(Body, 20), nullable=False),
    Column("scheduled_for", UtcDateTime(), nullable=False),
    Column("scheduled_by_party", OIN, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

meeting_attendance = Table(
    "meeting_attendance",
    metadata,
    Column("meeting_id", ID, primary_key=True),
    Column("party_id", OIN, primary_key=True),
)

votes = Table(
    "votes",
    metadata,
    Column("proposal_id", ID, primary_key=True),
    Column("seat_id", String(64), primary_key=True),
    Column("party_id", OIN, nullable=False),
    Column("person", String(128), nullable=False),
    Column("choice", _enum(VoteChoice, 10), nullable=False),
    Column("cast_at", UtcDateTime(), nullable=False),
)

written_inputs = Table(
    "written_inputs",
    metadata,
    Column("proposal_id", ID, primary_key=True),
    Column("party_id", OIN, primary_key=True),
    Column("kind", _enum(InputKind, 10), nullable=False),
    Column("recorded_by", String(128), nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
)

accessions = Table(
    "accessions",
    metadata,
    Column("accession_id", ID, primary_key=True),
    Column("party_id", OIN, nullable=False, index=True),
    Column("status", _enum(AccessionStatus, 20), nullable=False),
    Column("applied_at", UtcDateTime(), nullable=False),
    Column("decision_id", ID, nullable=True),
    Column("form_reference", String(128), nullable=True),
    Column("joined_at", UtcDateTime(), nullable=True),
)

accession_approvals = Table(
    "accession_approvals",
    metadata,
    Column("accession_id", ID, primary_key=True),
    Column("party_id", OIN, primary_key=True),
    Column("person", String(128), nullable=False),
    Column("approved_at", UtcDateTime(), nullable=False),
)

amendment_signatures = Table(
    "amendment_signatures",
    metadata,
    Column("amendment_id", ID, primary_key=True),
    Column("party_id", OIN, primary_key=True),
    Column("person", String(128), nullable=False),
    Column("signed_at", UtcDateTime(), nullable=False),
)

notices = Table(
    "notices_of_default",
    metadata,
    Column("notice_id", ID, primary_key=True),
    Column("party_id", OIN, nullable=False, index=True),
    Column("reason_code", String(64), nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
    Column("recorded_by_party", OIN, nullable=False),
)

withdrawals = Table(
    "withdrawals",
    metadata,
    Column("withdrawal_id", ID, primary_key=True),
    Column("party_id", OIN, nullable=False, index=True),
    Column("amendment_id", ID, nullable=True),
    Column("letter_reference", String(128), nullable=False),
    Column("effective_at", UtcDateTime(), nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
    Column("effective", Boolean, nullable=False),
)

disputes = Table(
    "disputes",
    metadata,
    Column("dispute_id", ID, primary_key=True),
    Column("about", _enum(DisputeAbout, 20), nullable=False),
    Column("case_id", ID, nullable=True),
    Column("level", Integer, nullable=False),
    Column("status", _enum(DisputeStatus, 10), nullable=False),
    Column("registered_by_party", OIN, nullable=False),
    Column("registered_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("resolution_code", String(64), nullable=True),
    Column("registered_by_person", String(128), nullable=True),
)

# What governance knows of a case a dispute may name, from casework's events (art. 8.4c, 12.3,
# 13.1): the persons and parties with a part in it, ids only (no pseudonym of the subject).
# Deleted at CASE_PURGED with everything else of the case (1.2).
case_facts = Table(
    "case_facts",
    metadata,
    Column("case_id", ID, primary_key=True),
    Column("opened", Boolean, nullable=False, server_default=false()),
    Column("process_director_party", OIN, nullable=True),
    Column("process_director_person", String(128), nullable=True),
    Column("case_director_party", OIN, nullable=True),
    Column("case_director_person", String(128), nullable=True),
    Column("invited", Text, nullable=False, server_default="[]"),  # [party OIN, ...]
    Column("roles", Text, nullable=False, server_default="[]"),  # [party OIN, ...]
    Column("delegates", Text, nullable=False, server_default="{}"),  # {party OIN: [person]}
    Column("closed_at", UtcDateTime(), nullable=True),
    Column("updated_at", UtcDateTime(), nullable=False),
    # When casework decided the roles, the case director and each person's naming or release
    # (the events' changed_at): an older change arriving late is ignored (in_decision_order).
    Column("roles_changed_at", UtcDateTime(), nullable=True),
    Column("case_director_changed_at", UtcDateTime(), nullable=True),
    Column("delegates_changed_at", Text, nullable=False, server_default="{}"),  # {OIN: {p: t}}
    # 12.3: when casework changed who directs the case (PROCESS_DIRECTOR_CHANGED: nobody once
    # the designation of the one who did ended, then the one who took it over); null while
    # only its opening named the process director.
    Column("process_director_changed_at", UtcDateTime(), nullable=True),
)

# The parties that had a part in a purged case (1.2: its facts went, ``case_facts``): their ids
# only, no person and nothing of the subject, so that a dispute naming the purged id names the
# state (FAILED_PRECONDITION case_purged) to a person of such a party, who may know the case,
# and answers anyone else as for an id governance never heard of (8.4c).
purged_case_parties = Table(
    "purged_case_parties",
    metadata,
    Column("case_id", ID, primary_key=True),
    Column("party", OIN, primary_key=True),
    # When governance applied the purge: the marker goes after its retention period (kind
    # ``purged_case_marker``, policies/rego/retention), then the id answers as one never given.
    Column("purged_at", UtcDateTime(), nullable=False),
)

policy_revisions = Table(
    "policy_revisions",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    # Not unique: a rollback adopts an earlier revision again, as a new entry.
    Column("revision", String(128), nullable=False, index=True),
    Column("work_process_version", String(64), nullable=False),
    Column("proposal_id", ID, nullable=False),
    Column("decision_id", ID, nullable=False),
    Column("bundle", LargeBinary, nullable=False),
    Column("adopted_at", UtcDateTime(), nullable=False),
    Column("adopted_by_party", OIN, nullable=False),
    # The release's baseline, served until the first adoption (no decision behind it).
    Column("baseline", Boolean, nullable=False, server_default=false()),
    # "sha256:" and the hex digest of ``bundle``, kept so a list never reads the bundles.
    Column("bundle_digest", String(71), nullable=False, server_default=""),
)

# Which policy revision each service instance enforces, as it last said (issue #17: the
# policy owners see an adoption or a rollback reach every service). One row per instance.
enforced_revisions = Table(
    "enforced_revisions",
    metadata,
    Column("service", String(20), primary_key=True),
    Column("instance", String(253), primary_key=True),
    Column("revision", String(128), nullable=False),
    Column("enforced_at", UtcDateTime(), nullable=False),
)
# ListPolicyRevisions asks which instances enforce the revisions of its page.
Index("ix_enforced_revisions_revision", enforced_revisions.c.revision)

annual_counters = Table(
    "annual_counters",
    metadata,
    Column("year", Integer, primary_key=True),
    Column("metric", String(40), primary_key=True),
    Column("count", BigInteger, nullable=False),
    UniqueConstraint("year", "metric", name="uq_annual_counter"),
)

# Every service's signed access-log checkpoints as published (issue #15), kept outside that
# service's database: a log truncated or rewritten there still contradicts them. One row per
# distinct signed checkpoint (a redelivery finds its row); two genuine roots for one size (a
# fork) are two rows, so the evidence of both is kept. ``status`` is verified or rejected (an
# unverifiable checkpoint is kept, never trusted); ``alert`` names a fork or a shrinking log.
log_checkpoints = Table(
    "log_checkpoints",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("log_id", String(100), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("root", String(64), nullable=False),  # hex
    Column("signed_at", String(40), nullable=False),
    Column("key_id", String(32), nullable=False),
    Column("signature", String(128), nullable=False),  # hex
    Column("status", String(10), nullable=False),
    Column("reason", String(40), nullable=True),
    Column("alert", String(10), nullable=True),
    Column("received_at", UtcDateTime(), nullable=False),
    UniqueConstraint("log_id", "size", "root", "signature", name="uq_log_checkpoint"),
)
# The export and the fork check read one log's checkpoints by size.
Index("ix_log_checkpoints_log_size", log_checkpoints.c.log_id, log_checkpoints.c.size)

for _t in (
    parties,
    party_history,
    seats,
    process_directors,
    proposals,
    meetings,
    meeting_attendance,
    votes,
    written_inputs,
    accessions,
    accession_approvals,
    amendment_signatures,
    notices,
    withdrawals,
    disputes,
    case_facts,
    purged_case_parties,
    policy_revisions,
    enforced_revisions,
    annual_counters,
    log_checkpoints,
):
    tables[_t.name] = _t

_mapped = False


def start_mappers() -> None:
    """Map the domain classes once per process (idempotent; called by the composition root)."""
    global _mapped
    if not _mapped:
        for cls, table in (
            (Party, parties),
            (StatusChange, party_history),
            (Seat, seats),
            (ProcessDirector, process_directors),
            (Proposal, proposals),
            (Meeting, meetings),
            (Vote, votes),
            (WrittenInput, written_inputs),
            (Accession, accessions),
            (NoticeOfDefault, notices),
            (Withdrawal, withdrawals),
            (Dispute, disputes),
            (PolicyRevision, policy_revisions),
        ):
            mapper_registry.map_imperatively(cls, table)
        _mapped = True

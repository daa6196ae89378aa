"""Intake tables: the kernel's, the party-status projection and intake's own.

Columns named ``sealed_*`` hold AES-GCM ciphertexts under the case's data key
(``case_keys``, wrapped by the service key ring): the subject's identity, free-text
descriptions, reasons, the triage question and answers. Destroying the case key erases them,
backups included. The rest are ids, codes, flags, times and the keyed pseudonym.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, LargeBinary, String, Table, Text

from zorgtafel.kernel.casekeys import add_case_keys_table
from zorgtafel.kernel.schema import service_metadata
from zorgtafel.kernel.types import UtcDateTime

metadata, tables = service_metadata()

# Per-case data keys: the kernel's table (``uow.keys`` seals and opens with them).
case_keys = add_case_keys_table(metadata)

# Service secrets, wrapped by the key ring (the pseudonym key).
secrets = Table(
    "service_secrets",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("wrapped", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

nominations = Table(
    "nominations",
    metadata,
    Column("case_id", String(32), primary_key=True),
    Column("subject_pseudonym", String(64), nullable=False, index=True),
    Column("nominating_party", String(20), nullable=False, index=True),
    Column("nominated_by", String(200), nullable=False),
    Column("status", String(20), nullable=False),
    Column("age_band", String(20), nullable=False),
    Column("consent_status", String(20), nullable=False),
    Column("chains", Text, nullable=False),  # JSON list of codes
    Column("life_domains", Text, nullable=False),  # JSON list of codes
    Column("safety_flags", Text, nullable=False),  # JSON object of booleans
    Column("usage_terms", Text, nullable=False),  # JSON (the provider's terms, 16.2)
    # The terms' expires_at as a column, so the worklist's query holds it against the time of
    # the request (16.2); NULL: no expiry.
    Column("terms_expires_at", UtcDateTime(), nullable=True),
    Column("sealed_identity", LargeBinary, nullable=False),
    Column("sealed_details", LargeBinary, nullable=False),  # descriptions of problems/safety
    Column("nominated_at", UtcDateTime(), nullable=False),
    Column("linked_to_case_id", String(32), nullable=True, index=True),
    Column("advice", Text, nullable=True),  # JSON: the criteria policy's advice
    Column("qualifies", Boolean, nullable=True),
    Column("rejection_reason", String(40), nullable=True),
    Column("sealed_assessment_reasons", LargeBinary, nullable=True),
    Column("assessed_by_party", String(20), nullable=True),
    Column("assessed_at", UtcDateTime(), nullable=True),
    Column("routing", String(40), nullable=True),
    Column("routing_reason_code", String(64), nullable=True),
    Column("meeting", Text, nullable=True),  # JSON: codes and invitees
    Column("sealed_goal", LargeBinary, nullable=True),
    Column("process_director_party", String(20), nullable=True),
    # 12.3: the designated process director (an employee id) who took the nomination up.
    # Indexed with the party and status for the worklist (ix_nominations_worklist_director).
    Column("process_director_person", String(128), nullable=True),
    Column("judged_criteria", Text, nullable=True),  # JSON {"A": bool, ...} as judged (12.2a)
    Column("sealed_criteria_grounds", LargeBinary, nullable=True),
    # Bijlage 3: who recorded a safety override, when, whether the client was informed (JSON);
    # the reason, the colleague and how the client was informed are sealed.
    Column("safety_override", Text, nullable=True),
    Column("sealed_safety_override", LargeBinary, nullable=True),
    Column("routed_at", UtcDateTime(), nullable=True),
    # Bijlage 3 "afschermen", GDPR art. 18: since when the subject's restriction of the case,
    # granted by the controller (disclosure's CASE_RESTRICTION_CHANGED), holds; null: none.
    Column("restricted_at", UtcDateTime(), nullable=True),
    # When disclosure decided the grant or lifting applied last (its changed_at): a decision
    # older than it arrived late and changes nothing, in both directions (a lifting clears
    # restricted_at, and a re-sent older grant must not restrict the case again).
    Column("restriction_changed_at", UtcDateTime(), nullable=True),
    # Casework purged the case (CASE_PURGED, 1.2) while the subject's restriction of it held
    # here (GDPR art. 18(2): only storage): the nomination is kept until the lifting, then the
    # retention task ``purge_held_by_a_restriction`` purges it.
    Column("purge_held_at", UtcDateTime(), nullable=True),
    # Bijlage 3, GDPR art. 7(3): the subject's consent for the case as disclosure last recorded
    # it (SUBJECT_CONSENT_CHANGED: "given" or "withdrawn"); null: none recorded there.
    Column("consent_recorded", String(20), nullable=True),
    # When disclosure recorded it: a change older than the one held arrived late (no effect).
    Column("consent_changed_at", UtcDateTime(), nullable=True),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("version", Integer, nullable=False),
)

# The worklist's branches (adapters/worklist.py), each read in its key order (received at,
# case id) from the page's key on: the intake queue by status where no director took it up
# (an IS NULL column would not keep the index's order), what a process director took up by the
# director and status.
Index(
    "ix_nominations_worklist_queue",
    nominations.c.status,
    nominations.c.nominated_at,
    nominations.c.case_id,
    postgresql_where=nominations.c.process_director_person.is_(None),
    sqlite_where=nominations.c.process_director_person.is_(None),
)
Index(
    "ix_nominations_worklist_director",
    nominations.c.process_director_party,
    nominations.c.process_director_person,
    nominations.c.status,
    nominations.c.nominated_at,
    nominations.c.case_id,
)

# The terms' recipient_parties (16.2), one row per party named, so the worklist's query bounds
# the process directors' parties by them; no row: the terms name no parties.
nomination_recipient_parties = Table(
    "nomination_recipient_parties",
    metadata,
    Column(
        "case_id",
        String(32),
        ForeignKey("nominations.case_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("party", String(20), primary_key=True),
)

# Keyed pseudonyms of every identifying fact (BSN, V-number, name + date of birth), so that a
# nomination that names the subject differently is still found as a duplicate.
match_tokens = Table(
    "match_tokens",
    metadata,
    Column("token", String(64), primary_key=True),
    Column(
        "case_id",
        String(32),
        ForeignKey("nominations.case_id", ondelete="CASCADE"),
        primary_key=True,
    ),
)
Index("ix_match_tokens_case_id", match_tokens.c.case_id)

# The identity tokens of subjects with an open nomination, one row per token: the primary key
# makes two concurrent nominations of the same subject collide instead of both becoming
# primary (the second is retried and linked). Released when the nomination ends.
open_subject_tokens = Table(
    "open_subject_tokens",
    metadata,
    Column("token", String(64), primary_key=True),
    Column("case_id", String(32), nullable=False, index=True),
)

triage_rounds = Table(
    "triage_rounds",
    metadata,
    Column("round_id", String(32), primary_key=True),
    Column(
        "case_id",
        String(32),
        ForeignKey("nominations.case_id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    Column("deadline", UtcDateTime(), nullable=False),
    Column("themes", Text, nullable=False),  # JSON list of codes
    Column("sealed_question", LargeBinary, nullable=False),
    Column("started_at", UtcDateTime(), nullable=False),
)

triage_answers = Table(
    "triage_answers",
    metadata,
    Column(
        "case_id",
        String(32),
        ForeignKey("nominations.case_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("party", String(20), primary_key=True),
    Column("answer", String(20), nullable=True),
    Column("sealed_contribution", LargeBinary, nullable=True),
    Column("themes", Text, nullable=True),  # JSON list of codes it can contribute to
    Column("answered_at", UtcDateTime(), nullable=True),
)

# Nominations that matched a person already known, per nominating person (issue 13 point 7):
# employee ids and times only, never the subject or the case. Rows older than the probing
# window are deleted as the next match is counted.
probe_matches = Table(
    "probe_matches",
    metadata,
    Column("match_id", String(32), primary_key=True),
    Column("nominating_party", String(20), nullable=False),
    Column("nominated_by", String(128), nullable=False),
    Column("matched_at", UtcDateTime(), nullable=False),
)
Index(
    "ix_probe_matches_person",
    probe_matches.c.nominating_party,
    probe_matches.c.nominated_by,
    probe_matches.c.matched_at,
)

# Flags for the managers: a person reached the probing limit (employee ids, no subject data).
probing_flags = Table(
    "probing_flags",
    metadata,
    Column("flag_id", String(32), primary_key=True),
    Column("nominating_party", String(20), nullable=False),
    Column("nominated_by", String(128), nullable=False),
    Column("matches", Integer, nullable=False),
    Column("window_s", Integer, nullable=False),
    Column("flagged_at", UtcDateTime(), nullable=False, index=True),
)

tables.update(
    {
        "case_keys": case_keys,
        "service_secrets": secrets,
        "nominations": nominations,
        "nomination_recipient_parties": nomination_recipient_parties,
        "match_tokens": match_tokens,
        "open_subject_tokens": open_subject_tokens,
        "triage_rounds": triage_rounds,
        "triage_answers": triage_answers,
        "probe_matches": probe_matches,
        "probing_flags": probing_flags,
    }
)


def start_mappers() -> None:
    """Intake maps rows to domain objects in its repository (encryption happens there)."""

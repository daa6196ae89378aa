"""Disclosure tables: the kernel's, the party-status projection, and its own.

Sensitive columns (item content, field summaries, break-glass justifications) hold AES-GCM
ciphertexts under the case's data key (``case_keys``, wrapped by the service key ring);
destroying that key on a purge erases them, backups included.

The access log (the kernel's component) keeps pseudonyms and identifiers only and survives a
purge (NEN 7513: at least five years). Its records are the leaves of a Merkle tree whose heads
are signed (``access_log_checkpoints``); ``access_log_head`` is the tree's edge that batches lock
so that two writers never fork it.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, LargeBinary, String, Table, Text

from zorgtafel.kernel.casekeys import add_case_keys_table
from zorgtafel.kernel.schema import service_metadata
from zorgtafel.kernel.types import UtcDateTime

metadata, tables = service_metadata()

case_keys = add_case_keys_table(metadata)

# Projection of intake's and casework's facts about a case (no personal data: a pseudonym and
# an age band, the role and information need of every involved party, art. 8.4c, and the
# persons with a part in the case: its process director (12.3), its case director (13.1) and
# each involved party's delegates (Bijlage 3), as pseudonymous person ids).
case_facts = Table(
    "case_facts",
    metadata,
    Column("case_id", String(64), primary_key=True),
    Column("subject_pseudonym", String(128), nullable=True),
    Column("age_band", String(20), nullable=False, default="unknown"),
    Column("nominating_party", String(32), nullable=True),
    Column("opened", Boolean, nullable=False, default=False),
    Column("roles", Text, nullable=False, default="{}"),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("process_director_party", String(32), nullable=True),
    Column("process_director_person", String(128), nullable=True),
    Column("case_director_party", String(32), nullable=True),
    Column("case_director_person", String(128), nullable=True),
    # {party OIN: [person, ...]}
    Column("delegates", Text, nullable=True),
    # When casework decided the roles, the case director and each delegate's naming or release
    # held here (the events' changed_at; delegates as {party OIN: {person: ISO 8601}}, a
    # released one kept): a change decided before it that arrives late changes nothing
    # (zorgtafel.kernel.events.in_decision_order). None: nothing with a time applied yet.
    Column("roles_changed_at", UtcDateTime(), nullable=True),
    Column("case_director_changed_at", UtcDateTime(), nullable=True),
    Column("delegates_changed_at", Text, nullable=True),
    # 12.3: when casework decided who directs the case as held here (PROCESS_DIRECTOR_CHANGED:
    # nobody once the designation of the one who did ended, then the one who took it over).
    # None: only the opening named the process director.
    Column("process_director_changed_at", UtcDateTime(), nullable=True),
    # Casework closed the case (CASE_CLOSED, art. 1.2): from then on its items go to no one but
    # their provider (art. 16.1), until the purge removes them.
    Column("closed_at", UtcDateTime(), nullable=True),
    # The subject's restriction of the whole case ("afschermen", Bijlage 3, GDPR art. 18),
    # granted by the controller's privacy officer; cleared when a later decision lifts it.
    Column("restricted_at", UtcDateTime(), nullable=True),
    # When the grant or lifting applied last was decided: one decided before it, written
    # after it (two decisions at once), changes nothing, as in casework and intake.
    Column("restriction_changed_at", UtcDateTime(), nullable=True),
    # When the case's last subject consent change was recorded (SUBJECT_CONSENT_CHANGED's
    # changed_at): the next is stamped after it, whatever this replica's clock says.
    Column("consent_changed_at", UtcDateTime(), nullable=True),
    # The subject's erasure of the case was granted: its items' content and the case key are
    # gone, and no new item is accepted for it (Bijlage 3, GDPR art. 17).
    Column("erased_at", UtcDateTime(), nullable=True),
    # Casework purged the case (CASE_PURGED, 1.2) while the subject's restriction of it, or of
    # one of its items, held here (GDPR art. 18(2): only storage): what is restricted is kept
    # until the lifting, then the retention task ``purge_held_by_a_restriction`` purges it.
    Column("purge_held_at", UtcDateTime(), nullable=True),
)

# Who has which part in which case (``part``: process_director, case_director, delegate), as
# ``case_facts`` says it, one row each: kept with those facts by the same handlers (a release or
# a new director replaces the rows, the purge deletes them), so that the cases of one person
# (the scope of a worker's notice lists, art. 8.4c, 15.1) are read through an index instead of
# a text match on every case's delegates (migration 5c792a4ca960).
case_people = Table(
    "case_people",
    metadata,
    Column("case_id", String(64), primary_key=True),
    Column("part", String(20), primary_key=True),
    Column("party", String(32), primary_key=True),
    Column("person", String(128), primary_key=True),
)
Index(
    "ix_case_people_party_person",
    case_people.c.party,
    case_people.c.person,
    case_people.c.part,
    case_people.c.case_id,
)

items = Table(
    "items",
    metadata,
    Column("item_id", String(64), primary_key=True),
    Column("case_id", String(64), nullable=False, index=True),
    Column("provider", String(32), nullable=False, index=True),
    Column("provided_by_person", String(128), nullable=False),
    Column("category", String(64), nullable=False),
    Column("classification", String(20), nullable=False),
    Column("legal_basis", String(40), nullable=False),
    Column("content_type", String(120), nullable=False),
    Column("content_sealed", LargeBinary, nullable=True),
    Column("summaries_sealed", LargeBinary, nullable=True),
    Column("terms", Text, nullable=False),
    Column("retracted", Boolean, nullable=False, default=False),
    Column("retracted_at", UtcDateTime(), nullable=True),
    Column("erased", Boolean, nullable=False, default=False),
    Column("provided_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    # The subject's restriction of this item (Bijlage 3 "afschermen", GDPR art. 18).
    Column("restricted_at", UtcDateTime(), nullable=True),
    # When the grant or lifting of its restriction applied last was decided (the item's own,
    # or its case's lifting): the next is decided after it, under the item's row lock.
    Column("restriction_changed_at", UtcDateTime(), nullable=True),
    # A granted correction (Bijlage 3, GDPR art. 16): from ``superseded_at`` the old content is
    # never released again; ``superseded_by`` is the provider's corrected version once given.
    Column("superseded_at", UtcDateTime(), nullable=True),
    Column("superseded_by", String(64), nullable=True),
    # On a corrected version: the item it corrects.
    Column("supersedes", String(64), nullable=True),
)

consents = Table(
    "consents",
    metadata,
    Column("consent_id", String(64), primary_key=True),
    Column("kind", String(20), nullable=False),  # "subject" | "provider_written"
    Column("case_id", String(64), nullable=False, index=True),
    Column("item_id", String(64), nullable=True, index=True),
    Column("given_by", String(32), nullable=False),
    Column("scope", Text, nullable=False, default="[]"),
    Column("recipient", String(64), nullable=True),
    Column("document_ref", String(200), nullable=False),
    Column("given_at", UtcDateTime(), nullable=True),
    Column("recorded_by_party", String(32), nullable=False),
    Column("recorded_by_person", String(128), nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
    # A withdrawal (Bijlage 3): from then on no release rests on the consent.
    Column("withdrawn_at", UtcDateTime(), nullable=True),
    Column("withdrawn_by_party", String(32), nullable=True),
    Column("withdrawn_by_person", String(128), nullable=True),
    Column("withdrawal_document_ref", String(200), nullable=True),
)

# The access log is the kernel's, in every service (NEN 7513 fields, Merkle tree, signed
# checkpoints): ``service_metadata`` made its tables.
access_log = tables["access_log"]
access_log_head = tables["access_log_head"]
access_log_checkpoints = tables["access_log_checkpoints"]

reviews = Table(
    "reviews",
    metadata,
    Column("review_id", String(64), primary_key=True),
    Column("decision_id", String(64), nullable=False),
    Column("case_id", String(64), nullable=False, index=True),
    Column("item_id", String(64), nullable=False),
    Column("provider", String(32), nullable=False),
    Column("party", String(32), nullable=False),
    Column("person", String(128), nullable=False),
    Column("consulted_colleague", String(128), nullable=False),
    Column("justification_sealed", LargeBinary, nullable=True),
    Column("client_informed_sealed", LargeBinary, nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    # The informing status (not_yet | informed) beside its sealed record, so ListInformingTasks
    # pages the overriding party's open tasks in SQL (issue #16; migration 9c3f1a7e5d20). An
    # index only: the sealed record decides what a notice says. NULL: not known to SQL (the
    # case purged, or sealed before the column: the list opens those to see).
    Column("client_informed_status", String(10), nullable=True),
)
# ListOverrideNotices pages the reviews of items one provider provided, newest first and by key
# (issue #16; migration 4d9e2b7a1c63).
Index("ix_reviews_provider_created", reviews.c.provider, reviews.c.created_at, reviews.c.review_id)
# ListReviews across cases: the reviews one party provided or overrode (with the index above).
Index("ix_reviews_party_created", reviews.c.party, reviews.c.created_at, reviews.c.review_id)
# ListInformingTasks: one party's overrides whose client is not yet informed, newest first.
Index(
    "ix_reviews_party_informing",
    reviews.c.party,
    reviews.c.client_informed_status,
    reviews.c.created_at,
    reviews.c.review_id,
)

# The subject's requests (Bijlage 3). Their free texts (the subject's ``document_ref``, the
# privacy officer's ``reason``) are about the subject, so they are sealed under a data key of
# the request's own (``wrapped_key``, wrapped by the service key ring), each bound to its
# request and field (services/disclosure/adapters/subject_rights.py says why not the case key).
# NULL: not decided yet (``reason``), or gone with the case's purge (both).
subject_requests = Table(
    "subject_requests",
    metadata,
    Column("subject_request_id", String(64), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("subject_pseudonym", String(128), nullable=False, index=True),
    Column("case_id", String(64), nullable=True),
    Column("item_id", String(64), nullable=True),
    Column("wrapped_key", LargeBinary, nullable=False),
    Column("document_ref_sealed", LargeBinary, nullable=True),
    Column("submitted_by_party", String(32), nullable=False),
    Column("submitted_at", UtcDateTime(), nullable=False),
    Column("outcome", String(20), nullable=True),
    Column("refusal_ground", String(40), nullable=True),
    Column("reason_sealed", LargeBinary, nullable=True),
    Column("decided_by_party", String(32), nullable=True),
    Column("decided_by_person", String(128), nullable=True),
    Column("decided_at", UtcDateTime(), nullable=True),
    # The controller party the request is addressed to (Bijlage 3); its privacy officer decides.
    # Stored for every request (older rows: their submitter, migration b6d41e9a2c57).
    Column("controller", String(32), nullable=True),
    # GDPR art. 12(3): answered within one month of receipt (older rows: migration b6d41e9a2c57).
    Column("due_at", UtcDateTime(), nullable=True),
)
# ListSubjectRequests pages the requests addressed to one controller in SQL, oldest first and
# by key (issue #16): a page costs the same however many requests are held.
Index(
    "ix_subject_requests_controller_submitted",
    subject_requests.c.controller,
    subject_requests.c.submitted_at,
    subject_requests.c.subject_request_id,
)
# ListCorrectionNotices pages the granted corrections newest decision first, by key (issue
# #16; migration 4d9e2b7a1c63): read in that order on the first index, each joined to its item
# by the item's key for the provider; for a provider with few items the planner starts from
# them (items' index on provider) and finds their requests on the second.
Index(
    "ix_subject_requests_kind_outcome_decided",
    subject_requests.c.kind,
    subject_requests.c.outcome,
    subject_requests.c.decided_at,
    subject_requests.c.subject_request_id,
)
Index("ix_subject_requests_item", subject_requests.c.item_id)

# The breach register (GDPR art. 33(5)). Its free texts may describe persons, so they are
# sealed; a breach spans several cases or none, so not under a case key but under a data key of
# its own (``wrapped_key``, wrapped by the service key ring), each text bound to the breach and
# its field (services/disclosure/adapters/subject_rights.py). ``nature`` is a code.
breaches = Table(
    "breaches",
    metadata,
    Column("breach_id", String(64), primary_key=True),
    Column("detected_at", UtcDateTime(), nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
    Column("recorded_by_party", String(32), nullable=False),
    Column("recorded_by_person", String(128), nullable=False),
    Column("nature", String(64), nullable=False),
    Column("data_categories", Text, nullable=False),
    Column("subjects_affected", Integer, nullable=False),
    Column("case_ids", Text, nullable=False),
    Column("wrapped_key", LargeBinary, nullable=False),
    Column("consequences_sealed", LargeBinary, nullable=False),
    Column("measures_sealed", LargeBinary, nullable=False),
    Column("reported_to_authority", Boolean, nullable=False),
    Column("reported_at", UtcDateTime(), nullable=True),
    Column("subjects_informed", Boolean, nullable=False),
)
# ListBreaches pages the breaches the caller's party recorded, oldest first and by key (issue
# #16; migration 4d9e2b7a1c63).
Index(
    "ix_breaches_recorded_by_recorded",
    breaches.c.recorded_by_party,
    breaches.c.recorded_at,
    breaches.c.breach_id,
)

# The register of processing activities (Bijlage 3, GDPR art. 30), maintained by the privacy
# officers over gRPC: the current entries (the nine fields as JSON, no personal data) and every
# change with who made it and when (issue #14). Seeded from ``seed/processing_register.json``.
processing_activities = Table(
    "processing_activities",
    metadata,
    Column("activity_id", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("document", Text, nullable=False),
    Column("maintainers", Text, nullable=False),  # JSON list of OINs
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("retired_at", UtcDateTime(), nullable=True),
)

processing_activity_changes = Table(
    "processing_activity_changes",
    metadata,
    Column("change_id", String(64), primary_key=True),
    Column("activity_id", String(64), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("change", String(20), nullable=False),
    Column("changed_fields", Text, nullable=False),  # JSON list
    Column("party", String(32), nullable=False),
    Column("person", String(128), nullable=False),
    Column("changed_at", UtcDateTime(), nullable=False, index=True),
    Column("reason", Text, nullable=False),
    Column("document", Text, nullable=False),  # the activity as it became (JSON)
)

tables.update(
    processing_activities=processing_activities,
    processing_activity_changes=processing_activity_changes,
)

tables.update(
    case_keys=case_keys,
    case_facts=case_facts,
    case_people=case_people,
    items=items,
    consents=consents,
    reviews=reviews,
    subject_requests=subject_requests,
    breaches=breaches,
)


def start_mappers() -> None:
    """Disclosure uses SQLAlchemy Core tables (no mapped classes): nothing to map."""

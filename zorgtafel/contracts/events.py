"""Every event type of the suite, by topic. Producers' dataclasses take their TYPE from here;
consumers map these names to handlers. Data fields are identifiers and pseudonyms only.

This is the one explicit registry of the published language (no discovery by reflection).
"""

from __future__ import annotations

TOPIC = {s: f"zorgtafel.{s}.v1" for s in ("intake", "casework", "governance", "disclosure")}

_NS = "nl.zorgtafel"

# governance (art. 4-7, 20-23) -- data: party_id, name, kind, status, status_since
PARTY_REGISTERED = f"{_NS}.governance.party.registered.v1"
PARTY_JOINED = f"{_NS}.governance.party.joined.v1"
PARTY_WITHDREW = f"{_NS}.governance.party.withdrew.v1"
PARTY_EXCLUDED = f"{_NS}.governance.party.excluded.v1"
DECISION_TAKEN = f"{_NS}.governance.decision.taken.v1"
POLICY_REVISION_ADOPTED = f"{_NS}.governance.policy_revision.adopted.v1"

PARTY_STATUS_EVENTS = (PARTY_REGISTERED, PARTY_JOINED, PARTY_WITHDREW, PARTY_EXCLUDED)

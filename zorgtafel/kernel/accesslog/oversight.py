"""Oversight of an access log scoped to the controller (Bijlage 3, NEN 7513), pure: which
parties a record concerns, and the party a ``restrict_to_party`` obligation of
``zorgtafel.accesslog`` narrows a listing to. One definition for disclosure's
AccessLog and every service's ``AccessLogService``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

RESTRICT = "restrict_to_party"


def restricted_to(obligations: Iterable[Mapping[str, Any]]) -> str | None:
    """The party a decision narrows oversight to, or None when it does not narrow."""
    for ob in obligations:
        if ob.get("type") == RESTRICT:
            return str(ob.get("party") or "\0")  # an empty party matches nothing
    return None


def record_parties(record: Mapping[str, Any]) -> set[str]:
    """Who an access-log record concerns: the requester's party, the recipient, the provider."""
    return {p for p in (record.get("party"), record.get("recipient"), record.get("provider")) if p}


# What a refused attempt was not given: the refused person's party oversees the attempt (who,
# when, which RPC, the refusal and its reasons, which the person was told), not what the
# handler had looked up before the policy refused (the subject, the controller, the sections or
# items, the case an item belongs to, the digest of the facts decided on).
WITHHELD_FROM_THE_REFUSED = ("subject_pseudonym", "provider", "resource", "input_digest")

# The results of a look that was served (disclosure's safety override is one: a release).
LOOKS = ("allowed", "break_glass")


def concerned_parties(record: Mapping[str, Any], by: str) -> set[str]:
    """Whose oversight a record concerns in a listing by ``by`` (``case_id``,
    ``subject_pseudonym`` or ``party``): an allowed look concerns its reader, recipient and
    provider (``record_parties``); a refused attempt concerns the controller (the provider)
    and, listed by party, the refused reader's own party. Never the refused reader by case or
    subject: the match itself would tell its party what the refusal withheld (that this case is
    this subject's, whose it is)."""
    if record.get("result") in LOOKS:
        return record_parties(record)
    parties = {record.get("provider")}
    if by == "party":
        parties.add(record.get("party"))
    return {p for p in parties if p}


def as_seen_by(record: Mapping[str, Any], party: str | None) -> dict[str, Any]:
    """The record as ``party``'s oversight sees it (None: unrestricted): whole when it concerns
    the party as controller or as reader or recipient of an allowed look; a refused attempt of
    the party's own people without what the refusal withheld (a case id only when the kernel
    took it from the refused request itself, ``action == "call"``)."""
    seen = dict(record)
    if party is None or record.get("result") in LOOKS or record.get("provider") == party:
        return seen
    for name in WITHHELD_FROM_THE_REFUSED:
        seen[name] = ""
    if record.get("action") != "call":
        seen["case_id"] = ""
    seen["recipient"] = record.get("party") or ""
    return seen

"""Work-process versions and the policy bundle revisions they name (art. 6.6c, 11.3a).
Pure Python: no framework imports.

The history is append-only: one entry per adoption, the latest in force. A fresh install's first
entry is the release's baseline (``baseline``: no decision adopted it; it lets production start
and its adoption RPCs be called); the first adoption by a decision replaces it, and re-adopting
an earlier revision by a new decision (a rollback) is a new entry. A decision adopts once: the
decision that put a revision in force before does not put it back (6.6c, 11.3a)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

# The work-process version a baseline entry names (no decision, no proposal, no party).
BASELINE_VERSION = "baseline"


@dataclass
class PolicyRevision:
    revision: str
    work_process_version: str
    proposal_id: str
    decision_id: str
    bundle: bytes
    adopted_at: datetime
    adopted_by_party: str
    seq: int | None = None
    baseline: bool = False
    # "sha256:" and the hex digest of ``bundle`` (set from it when made, stored with it).
    bundle_digest: str = ""

    def __post_init__(self) -> None:
        if not self.bundle_digest and self.bundle:
            self.bundle_digest = digest_of(self.bundle)


def digest_of(bundle: bytes) -> str:
    """The digest of a bundle as stored and served (the .tar.gz's own bytes)."""
    return "sha256:" + hashlib.sha256(bytes(bundle)).hexdigest()


@dataclass(frozen=True)
class HistoryEntry:
    """One entry of the policy revision history as listed (issue #19): the entry (its bundle
    not read), whether it is the one in force, and the service instances whose last report
    names its revision (on the revision's newest entry only)."""

    revision: PolicyRevision
    in_force: bool
    enforced: tuple[EnforcedRevision, ...]


@dataclass(frozen=True)
class EnforcedRevision:
    """The policy revision one service instance said it enforces, and since when (issue #17)."""

    service: str
    instance: str
    revision: str
    enforced_at: datetime


def baseline_revision(revision: str, bundle: bytes, at: datetime) -> PolicyRevision:
    """The release's baseline as the history's first entry."""
    return PolicyRevision(revision, BASELINE_VERSION, "", "", bundle, at, "", baseline=True)


def may_adopt(latest: PolicyRevision | None, revision: str) -> bool:
    """A decision may adopt any revision but the one already in force by a decision: the
    baseline may be confirmed, an earlier revision re-adopted (rollback)."""
    return latest is None or latest.baseline or latest.revision != revision


# Why an adoption is refused (the FAILED_PRECONDITION state).
ALREADY_ADOPTED = "already_adopted"
DECISION_USED = "decision_used"


def adoption_refusal(
    latest: PolicyRevision | None, revision: str, decision_used: bool
) -> str | None:
    """Why the decision may not adopt ``revision`` now, or None. ``decision_used``: an entry of
    the history already names this decision. A decision of the partner council (6.6c; the
    board's on referral, 7.3) adopts its work process once: a rollback to an earlier revision is
    a new decision, not a replay of the one that adopted it before (which would undo the later
    decision without any vote)."""
    if not may_adopt(latest, revision):
        return ALREADY_ADOPTED
    if decision_used:
        return DECISION_USED
    return None

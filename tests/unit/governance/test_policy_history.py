"""The policy history's rules (art. 6.6c, 11.3a; issues #17, #18): the release's baseline first,
any revision adoptable by a decision but the one a decision already put in force."""

from __future__ import annotations

from datetime import datetime, timezone

from services.governance.domain.policy import (
    BASELINE_VERSION,
    PolicyRevision,
    baseline_revision,
    may_adopt,
)

AT = datetime(2026, 12, 2, tzinfo=timezone.utc)


def adopted(revision: str) -> PolicyRevision:
    return PolicyRevision(revision, "2026.1", "p-1", "d-1", b"bundle", AT, "00000099000000000018")


def test_the_baseline_names_no_proposal_decision_or_party():
    entry = baseline_revision("sha256:a", b"bundle", AT)
    assert entry.baseline and entry.work_process_version == BASELINE_VERSION
    assert (entry.proposal_id, entry.decision_id, entry.adopted_by_party) == ("", "", "")


def test_a_decision_may_confirm_the_baseline_replace_it_or_roll_back_but_not_repeat_itself():
    baseline = baseline_revision("sha256:a", b"bundle", AT)
    assert may_adopt(None, "sha256:a")
    assert may_adopt(baseline, "sha256:a")  # confirming the baseline by a decision
    assert may_adopt(baseline, "sha256:b")
    assert may_adopt(adopted("sha256:b"), "sha256:a")  # rollback to an earlier revision
    assert not may_adopt(adopted("sha256:b"), "sha256:b")  # already in force

"""The policy history's rules (art. 6.6c, 11.3a; issues #17, #18): the release's baseline first,
any revision adoptable by a decision but the one a decision already put in force."""

from __future__ import annotations

from datetime import datetime, timezone

from services.governance.domain.policy import (
    ALREADY_ADOPTED,
    BASELINE_VERSION,
    DECISION_USED,
    PolicyRevision,
    adoption_refusal,
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


def test_a_rollback_needs_a_new_decision_not_the_one_that_adopted_the_revision_before():
    """6.6c, 11.3a: a decision adopts once; replaying it would undo a later decision unvoted."""
    assert adoption_refusal(adopted("sha256:b"), "sha256:a", decision_used=False) is None
    assert adoption_refusal(adopted("sha256:b"), "sha256:a", decision_used=True) == DECISION_USED
    assert adoption_refusal(adopted("sha256:b"), "sha256:b", decision_used=True) == ALREADY_ADOPTED


def test_an_entry_stored_before_digests_were_kept_gets_its_bundles_digest_at_upgrade(tmp_path):
    """Issue #19: the history lists digests, never bundles; the migration that adds the digest
    computes it for the entries already stored (SQLite; the step is dialect-neutral)."""
    import hashlib

    from alembic import command
    from sqlalchemy import create_engine, text

    from services.governance.bootstrap import VERSIONS, definition
    from zorgtafel.kernel.migrate import _config

    engine = create_engine(f"sqlite:///{tmp_path}/governance.db")
    cfg = _config(engine, definition().metadata, VERSIONS, None)
    command.upgrade(cfg, "f1d3e5a7c9b2")  # the revision before the digest
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO policy_revisions (revision, work_process_version, proposal_id, "
                "decision_id, bundle, adopted_at, adopted_by_party, baseline) "
                "VALUES ('sha256:a', '2026.1', 'p', 'd', :bundle, :at, '', 0)"
            ),
            {"bundle": b"the bundle", "at": AT},
        )
    command.upgrade(cfg, "head")
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT bundle_digest FROM policy_revisions")).scalar_one()
    assert stored == "sha256:" + hashlib.sha256(b"the bundle").hexdigest()
    engine.dispose()

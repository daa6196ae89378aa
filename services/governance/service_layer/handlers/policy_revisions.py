"""Adopted work processes and the policy bundle revisions they name (art. 6.6c, 11.3a): only a
revision a decision adopted is stored, and only stored revisions are served to OPA. Before the
first adoption that is the release's baseline, recorded as such (issue #18)."""

from __future__ import annotations

from datetime import datetime

from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.domain import commands as c
from services.governance.domain import events
from services.governance.domain.decisions import ProposalKind, ProposalStatus
from services.governance.domain.policy import (
    ALREADY_ADOPTED,
    EnforcedRevision,
    HistoryEntry,
    PolicyRevision,
    adoption_refusal,
    baseline_revision,
)
from services.governance.service_layer.deps import Deps
from services.governance.service_layer.handlers.common import (
    PROPOSAL,
    authorise,
    get_proposal,
    iso,
    proposal_parties,
    refuse_outsider,
)
from zorgtafel.contracts.enforcement import PolicyRevisionEnforced
from zorgtafel.kernel.accesslog.service import listed, saw
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.config import SERVICES
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument
from zorgtafel.kernel.events import InboundEvent
from zorgtafel.kernel.logging import get_logger

log = get_logger("zorgtafel.governance")


def adopt_policy_revision(
    deps: Deps, uow: GovernanceUnitOfWork, cmd: c.AdoptPolicyRevision, caller: Caller
) -> PolicyRevision:
    if not cmd.bundle:
        raise InvalidArgument("bundle", "required: the OPA bundle (.tar.gz)")
    revision = deps.bundle_revision(cmd.bundle)
    # Decided before the proposal is looked up: to someone who may not adopt, its existence and
    # kind are no oracle (the action does not depend on the proposal's facts).
    authorise(deps, uow, caller, "adopt_policy_revision")
    # Locked: two adoptions of one decision are one after the other (the second is refused).
    proposal = get_proposal(uow, cmd.proposal_id, for_update=True)
    if not (
        proposal.kind is ProposalKind.WORK_PROCESS and proposal.status is ProposalStatus.ADOPTED
    ):
        # Only an adopted work process is every party's (a copy goes to all, art. 6.6c); any
        # other proposal is its body's matter (5.5, 7.5): to a manager of a party with no part
        # in it, answered as an id that names none, not by its kind or state.
        refuse_outsider(uow, caller, proposal.body, proposal_parties(proposal), PROPOSAL)
    if proposal.kind is not ProposalKind.WORK_PROCESS:
        raise InvalidArgument("proposal_id", "not a work-process proposal")
    if not proposal.establishes_work_process():
        raise FailedPrecondition(
            "not_referred",
            "a work process is established by the partner council; the regional board decides "
            "it only on the council's referral (art. 6.6c, 7.3)",
            subject="proposal.body",
        )
    if proposal.status is not ProposalStatus.ADOPTED:
        raise FailedPrecondition(
            proposal.status.value,
            "the work process has not been adopted by a decision (art. 6.6c, 11.3a)",
            subject="proposal.status",
        )
    if revision != proposal.policy_revision:
        raise FailedPrecondition(
            "revision_mismatch",
            "the bundle's revision is not the one the decision names",
            subject="bundle.revision",
        )
    refusal = adoption_refusal(
        uow.policies.latest(), revision, uow.policies.adopted_by(proposal.proposal_id)
    )
    if refusal == ALREADY_ADOPTED:
        raise FailedPrecondition(
            refusal, "this revision is already in force", subject="bundle.revision"
        )
    if refusal is not None:
        raise FailedPrecondition(
            refusal,
            "this decision has already been adopted; putting an earlier revision back in "
            "force (a rollback) needs a new decision (art. 6.6c, 7.3, 11.3a)",
            subject="proposal.decision",
        )
    # Last: the costly strict check, only for an authorised adoption of the decided revision.
    deps.check_bundle(cmd.bundle)
    now = deps.now()
    adopted = PolicyRevision(
        revision,
        proposal.work_process_version,
        proposal.proposal_id,
        proposal.decision_id,
        cmd.bundle,
        now,
        caller.party,
    )
    uow.policies.add(adopted)
    uow.emit(
        events.PolicyRevisionAdopted(
            revision=revision,
            work_process_version=adopted.work_process_version,
            decision_id=adopted.decision_id,
            adopted_at=iso(now),
        ),
        # art. 6.6c: a copy of the adopted work process goes to all parties.
        events.PartiesInformed(
            body=proposal.body.value,
            subject_code=proposal.subject_code,
            decision_id=adopted.decision_id,
            informed="all_parties",
        ),
    )
    uow.session.flush()
    return adopted


def latest_policy_revision(uow: GovernanceUnitOfWork) -> PolicyRevision | None:
    adopted = uow.policies.latest()
    if adopted is not None:
        saw(resource=adopted.revision)
    return adopted


def policy_history(
    uow: GovernanceUnitOfWork, before: int | None, offset: int, limit: int
) -> list[HistoryEntry]:
    """A page of the policy revision history, newest first (``limit``: one more than shown),
    before the entry ``before`` or from ``offset`` (issue #19): each entry with whether it is
    in force and the instances whose last report names its revision, on that revision's newest
    entry (a rollback's revision is the same rules as its earlier entries; governance keeps
    each instance's latest report, not its history). Two queries, the bundles not read."""
    found = uow.policies.history(before=before, offset=offset, limit=limit)
    shown = found[: limit - 1]
    by_entry: dict[int, list[EnforcedRevision]] = {}
    for newest, enforced in uow.policies.enforcing(r.revision for r in shown):
        by_entry.setdefault(newest, []).append(enforced)
    first_page = before is None and offset == 0
    saw(resource=listed(r.revision for r in shown))  # the revisions seen (no person)
    return [
        HistoryEntry(r, first_page and i == 0, tuple(by_entry.get(r.seq or 0, ())))
        for i, r in enumerate(found)
    ]


def enforced_revisions(uow: GovernanceUnitOfWork) -> list[EnforcedRevision]:
    """Which revision each service instance enforces, as each last said (issue #17)."""
    return uow.policies.enforced()


def revision_enforced(deps: Deps, uow: GovernanceUnitOfWork, event: InboundEvent) -> None:
    """A service instance now enforces a revision (the kernel's POLICY_REVISION_ENFORCED, on
    that service's own topic): kept per instance, the newest report wins."""
    said = event.typed(PolicyRevisionEnforced)
    try:
        at = datetime.fromisoformat(said.enforced_at)
    except ValueError:
        log.warning("revision_enforced_bad_time", service=said.service)
        return
    if at.tzinfo is None or said.service not in SERVICES or not said.instance:
        log.warning("revision_enforced_refused", service=said.service[:20])
        return
    uow.policies.record_enforced(said.service, said.instance[:253], said.revision[:128], at)


def latest_adopted(uow: GovernanceUnitOfWork) -> tuple[str, bytes] | None:
    """The latest adopted revision and its bundle, as the OPA bundle service serves them."""
    adopted = uow.policies.latest()
    return (adopted.revision, bytes(adopted.bundle)) if adopted else None


def record_baseline(
    uow: GovernanceUnitOfWork, revision: str, bundle: bytes, now: datetime
) -> PolicyRevision | None:
    """A fresh install's history starts with the release's baseline, so that governance serves
    a bundle (and every OPA sidecar, its own included, becomes ready) before any adoption; once
    anything is recorded this does nothing. Replicas starting together may both record it: two
    equal baseline entries serve the same bundle, and the first adoption replaces both."""
    if uow.policies.latest() is not None:
        return None
    entry = baseline_revision(revision, bundle, now)
    uow.policies.add(entry)
    uow.session.flush()
    return entry

"""Adopted work processes and the policy bundle revisions they name (art. 6.6c, 11.3a): only a
revision a decision adopted is stored, and only stored revisions are served to OPA."""

from __future__ import annotations

from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.domain import commands as c
from services.governance.domain import events
from services.governance.domain.decisions import ProposalKind, ProposalStatus
from services.governance.domain.policy import PolicyRevision
from services.governance.service_layer.deps import Deps
from services.governance.service_layer.handlers.common import authorise, get_proposal, iso
from zorgtafel.kernel.accesslog.service import saw
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument


def adopt_policy_revision(
    deps: Deps, uow: GovernanceUnitOfWork, cmd: c.AdoptPolicyRevision, caller: Caller
) -> PolicyRevision:
    proposal = get_proposal(uow, cmd.proposal_id)
    if proposal.kind is not ProposalKind.WORK_PROCESS:
        raise InvalidArgument("proposal_id", "not a work-process proposal")
    if not cmd.bundle:
        raise InvalidArgument("bundle", "required: the OPA bundle (.tar.gz)")
    revision = deps.bundle_revision(cmd.bundle)
    authorise(deps, uow, caller, "adopt_policy_revision")
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
    if uow.policies.get(revision) is not None:
        raise FailedPrecondition(
            "already_adopted", "this revision is already adopted", subject="bundle.revision"
        )
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


def latest_adopted(uow: GovernanceUnitOfWork) -> tuple[str, bytes] | None:
    """The latest adopted revision and its bundle, as the OPA bundle service serves them."""
    adopted = uow.policies.latest()
    return (adopted.revision, bytes(adopted.bundle)) if adopted else None

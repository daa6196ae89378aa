"""Disputes and their escalation chains (art. 11.4, 12.4, 13.4)."""

from __future__ import annotations

from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.domain import commands as c
from services.governance.domain import events
from services.governance.domain.disputes import Dispute, DisputeStatus
from services.governance.domain.formats import check_code, check_issued_id
from services.governance.service_layer.deps import Deps
from services.governance.service_layer.handlers.common import authorise, decided_by, new_id
from zorgtafel.kernel.accesslog.service import saw
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import NotFound
from zorgtafel.kernel.purge import case_to_link
from zorgtafel.kernel.validate import check_id


def _changed(d: Dispute) -> events.DisputeChanged:
    return events.DisputeChanged(
        dispute_id=d.dispute_id, about=d.about.value, forum=d.forum.value, status=d.status.value
    )


def get_dispute(uow: GovernanceUnitOfWork, dispute_id: str) -> Dispute:
    check_issued_id(dispute_id, "dispute_id")
    dispute = uow.disputes.get(dispute_id)
    if dispute is None:
        raise NotFound("dispute", dispute_id)
    return dispute


def read_dispute(deps: Deps, uow: GovernanceUnitOfWork, dispute_id: str, caller: Caller) -> Dispute:
    """A dispute, to the person who registered it for its party and to the forum holding it
    now (art. 11.4, 12.4, 13.4); not to their colleagues with the same role claim."""
    dispute = get_dispute(uow, dispute_id)
    # A dispute may name a case (its id only): a look at it belongs in that case's trail, a
    # refused one too.
    saw(case_id=dispute.case_id or "", resource=dispute.dispute_id)
    registrant = {"party": dispute.registered_by_party, "person": dispute.registered_by_person}
    decision = authorise(
        deps, uow, caller, "read_dispute", forum=dispute.forum.value, registered_by=registrant
    )
    decided_by(decision)
    return dispute


def register_dispute(
    deps: Deps, uow: GovernanceUnitOfWork, cmd: c.RegisterDispute, caller: Caller
) -> Dispute:
    case_id = None
    if cmd.case_id:
        check_id(cmd.case_id, "case_id")  # the suite's case id (the column is 64 wide)
        # A purged case's id is not kept (1.2): the dispute stands, unlinked as a purge
        # leaves it; decided under the case's lock, so a purge beside it misses nothing.
        case_id = case_to_link(uow.session, uow.tables, cmd.case_id)
    now = deps.now()
    # Governance keeps no case facts: it cannot tell whether the registrant's party is
    # involved in the case named (ADR 0005); it keeps who registered it, who may read it.
    dispute = Dispute(
        new_id("dsp"),
        cmd.about,
        case_id,
        0,
        DisputeStatus.OPEN,
        caller.party,
        now,
        now,
        registered_by_person=caller.person,
    )
    uow.disputes.add(dispute)
    uow.emit(_changed(dispute))
    return dispute


def escalate_dispute(
    deps: Deps, uow: GovernanceUnitOfWork, cmd: c.EscalateDispute, caller: Caller
) -> Dispute:
    dispute = get_dispute(uow, cmd.dispute_id)
    # The forum holding the dispute takes it further (13.4: the process director; 12.4: the
    # managers).
    authorise(deps, uow, caller, "escalate_dispute", forum=dispute.forum.value)
    dispute.escalate(deps.now())
    uow.emit(_changed(dispute))
    return dispute


def resolve_dispute(
    deps: Deps, uow: GovernanceUnitOfWork, cmd: c.ResolveDispute, caller: Caller
) -> Dispute:
    dispute = get_dispute(uow, cmd.dispute_id)
    check_code(cmd.resolution_code, "resolution_code")
    authorise(deps, uow, caller, "resolve_dispute", forum=dispute.forum.value)
    dispute.resolve(cmd.resolution_code, deps.now())
    uow.emit(_changed(dispute))
    return dispute

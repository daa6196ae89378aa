"""Disputes and their escalation chains (art. 11.4, 12.4, 13.4). A dispute about a case is
decided by relationship to the case (art. 8.4c, 12.3, 15.1): on the facts governance keeps of it
from casework's events (``handlers/case_facts``), never granted to every process director."""

from __future__ import annotations

from typing import Any

from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.domain import commands as c
from services.governance.domain import events
from services.governance.domain.bodies import Body
from services.governance.domain.cases import party_has_part, policy_facts, with_every_part
from services.governance.domain.disputes import Dispute, DisputeStatus, Forum
from services.governance.domain.formats import check_code, check_issued_id
from services.governance.service_layer.deps import Deps
from services.governance.service_layer.handlers.common import (
    as_for_an_outsider,
    authorise,
    decided_by,
    has_part,
    new_id,
)
from zorgtafel.kernel.accesslog.service import saw
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import FailedPrecondition, NotShared, PermissionDenied, Unavailable
from zorgtafel.kernel.purge import lock_case
from zorgtafel.kernel.validate import check_id
from zorgtafel.policy.decision import Decision


def _changed(d: Dispute) -> events.DisputeChanged:
    return events.DisputeChanged(
        dispute_id=d.dispute_id, about=d.about.value, forum=d.forum.value, status=d.status.value
    )


def _authorise(
    deps: Deps,
    uow: GovernanceUnitOfWork,
    caller: Caller,
    action: str,
    case_id: str | None,
    *,
    case_named: bool = False,
    **facts: Any,
) -> Decision:
    """``zorgtafel.governance`` on the dispute and, when it names a case, the case's facts as
    governance knows them. A case whose opening has not reached governance yet is a missing
    fact: UNAVAILABLE (retryable) to a caller its facts could let in, never PERMISSION_DENIED
    on it (nor an allow). A caller refused whatever the case is told the refusal, as of a case
    it has no part in: UNAVAILABLE to it would tell which cases governance knows.

    ``case_named`` (a call naming the case by its id, RegisterDispute): a caller whose party has
    no part in the case is asked about it as about a case governance does not know, so that it
    is answered the same for a real case id and one never given out (8.4c); the policy allows
    such a party nothing on the case's facts either (a part is the caller's own). A purged
    case is one governance does not know; to a person of a party that had a part in it, whom
    the facts could let in, it is named as purged (FAILED_PRECONDITION case_purged): it will
    never get facts again, and that party may know the case."""
    parts = uow.cases.get(case_id) if case_id else None
    hidden = case_named and not party_has_part(parts, caller.party)
    case = policy_facts(case_id, parts, as_unknown=hidden)
    if case is not None:
        facts["case"] = case
    try:
        return authorise(deps, uow, caller, action, **facts)
    except PermissionDenied:
        if case_id and case is not None and not case["known"]:
            if _could_be_let_in(deps, uow, caller, action, case_id, facts):
                if case_named and uow.cases.had_part_before_purge(case_id, caller.party):
                    raise FailedPrecondition(
                        "case_purged",
                        "the case this case_id names was purged (art. 1.2): a dispute about a "
                        "matter of it is registered without a case id",
                        subject="case_id",
                    ) from None
                raise Unavailable(
                    "governance knows no case with this case_id that this party has a part in "
                    "(casework's events of a case reach it after the case is opened): try "
                    "again later"
                ) from None
        raise


def _could_be_let_in(
    deps: Deps,
    uow: GovernanceUnitOfWork,
    caller: Caller,
    action: str,
    case_id: str,
    facts: dict[str, Any],
) -> bool:
    """Whether ``zorgtafel.governance`` allows the caller this on some facts of the case: on
    those that give it every part in it (``with_every_part``; a part only ever permits more)."""
    best = {**facts, "case": with_every_part(case_id, caller.party, caller.person)}
    try:
        authorise(deps, uow, caller, action, **best)
    except PermissionDenied:
        return False
    return True


DISPUTE = ("dispute", "dispute_id")


def get_dispute(
    deps: Deps, uow: GovernanceUnitOfWork, dispute_id: str, caller: Caller, action: str
) -> Dispute:
    """The dispute ``dispute_id``; when there is none, what a party with no part in a real one
    is told (``NotShared``), after the decision its refusal costs (``as_for_an_outsider`` on a
    general dispute at the managers' forum, registered by no party's person): an id is no
    oracle of a dispute, nor of the case it names, by the answer nor by its time."""
    check_issued_id(dispute_id, "dispute_id")
    dispute = uow.disputes.get(dispute_id)
    if dispute is None:
        facts: dict[str, Any] = {"forum": "managers"}
        if action == "read_dispute":
            facts["registered_by"] = {"party": "0" * 20, "person": None}
        as_for_an_outsider(deps, uow, caller, action, **facts)
        raise NotShared(*DISPUTE)
    return dispute


# The body whose seat holders hold a dispute at each forum above the process directors.
FORUM_BODY = {
    Forum.MANAGERS: Body.MANAGERS,
    Forum.PARTNER_COUNCIL: Body.PARTNER_COUNCIL,
    Forum.REGIONAL_BOARD: Body.REGIONAL_BOARD,
}


def _has_part(uow: GovernanceUnitOfWork, caller: Caller, dispute: Dispute) -> bool:
    """Whether the caller's party may learn that the dispute exists: the party that registered
    it; about a case, a party with a part in the case as governance knows it (its process
    director's, its case director's, an involved party); the party holding a seat in the body
    of the forum that holds it now; a general dispute at the process directors' level, a party
    of a designated process director (the caller). Its people are told the policy's reasons;
    anyone else is answered as for an id of no dispute."""
    party = caller.party
    if not party:
        return False
    if party == dispute.registered_by_party:
        return True
    body = FORUM_BODY.get(dispute.forum)
    if body is not None and has_part(uow, caller, body):
        return True
    if dispute.case_id is None:
        return dispute.forum is Forum.PROCESS_DIRECTOR and (
            uow.roster.get(party, caller.person) is not None
        )
    return party_has_part(uow.cases.get(dispute.case_id), party)


def _authorise_on(
    deps: Deps,
    uow: GovernanceUnitOfWork,
    caller: Caller,
    action: str,
    dispute: Dispute,
    **facts: Any,
) -> Decision:
    """``_authorise`` on an existing dispute, a refusal to a party with no part in it answered
    as for an unknown id (the policy's own refusal kept for the access log)."""
    try:
        return _authorise(deps, uow, caller, action, dispute.case_id, **facts)
    except Unavailable:
        raise
    except PermissionDenied as refusal:
        if not _has_part(uow, caller, dispute):
            raise NotShared(*DISPUTE, refusal) from None
        raise


def read_dispute(deps: Deps, uow: GovernanceUnitOfWork, dispute_id: str, caller: Caller) -> Dispute:
    """A dispute, to the person who registered it for its party (about a case: while it has a
    part in the case, 8.4c) and to the forum holding it now (art. 11.4, 12.4, 13.4; about a
    case director: that case's own process director, 12.3); not to their colleagues with the
    same role claim, nor to a process director of a party with no part in the case."""
    dispute = get_dispute(deps, uow, dispute_id, caller, "read_dispute")
    # A dispute may name a case (its id only): a look at it belongs in that case's trail, a
    # refused one too.
    saw(case_id=dispute.case_id or "", resource=dispute.dispute_id)
    registrant = {"party": dispute.registered_by_party, "person": dispute.registered_by_person}
    decision = _authorise_on(
        deps,
        uow,
        caller,
        "read_dispute",
        dispute,
        forum=dispute.forum.value,
        registered_by=registrant,
    )
    decided_by(decision)
    return dispute


def register_dispute(
    deps: Deps, uow: GovernanceUnitOfWork, cmd: c.RegisterDispute, caller: Caller
) -> Dispute:
    case_id = cmd.case_id or None
    if case_id:
        check_id(case_id, "case_id")  # the suite's case id (the column is 64 wide)
        # Decided under the case's lock, so a purge beside it misses nothing: a dispute
        # registered first is unlinked by the purge, one after it is decided as below.
        lock_case(uow.session, case_id)
    # About a case: only a person with a part in it (its process director, its case director,
    # a delegate of an involved party: 8.4c, 15.1); a general matter: any active party's person.
    # A purged case is decided as one governance never heard of (its facts went with it, 1.2),
    # and the policy allows nothing on a case it does not know: nothing is kept. To a person of
    # a party that had a part in it (their ids stay, no person) whom the policy would let in on
    # any facts, it is named as purged (FAILED_PRECONDITION); to anyone else nothing tells a
    # purged id from one never given out.
    # A party with no part in a case governance knows is answered as for an id it does not
    # know (8.4c: it may not learn that the case exists).
    _authorise(deps, uow, caller, "register_dispute", case_id, case_named=True)
    now = deps.now()
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
    dispute = get_dispute(deps, uow, cmd.dispute_id, caller, "escalate_dispute")
    # The forum holding the dispute takes it further (13.4: the process director, of the case
    # when it names one; 12.4: the managers).
    _authorise_on(deps, uow, caller, "escalate_dispute", dispute, forum=dispute.forum.value)
    dispute.escalate(deps.now())
    uow.emit(_changed(dispute))
    return dispute


def resolve_dispute(
    deps: Deps, uow: GovernanceUnitOfWork, cmd: c.ResolveDispute, caller: Caller
) -> Dispute:
    dispute = get_dispute(deps, uow, cmd.dispute_id, caller, "resolve_dispute")
    check_code(cmd.resolution_code, "resolution_code")
    _authorise_on(deps, uow, caller, "resolve_dispute", dispute, forum=dispute.forum.value)
    dispute.resolve(cmd.resolution_code, deps.now())
    uow.emit(_changed(dispute))
    return dispute

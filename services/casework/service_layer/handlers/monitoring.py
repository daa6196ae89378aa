"""4. Monitoring the plan (12.2g, 13.2-13.3): parties report on their own actions; overdue
actions are flagged to the case director's and the process director's parties."""

from __future__ import annotations

from collections.abc import Callable

from services.casework.adapters.uow import CaseworkUnitOfWork
from services.casework.domain import commands as c
from services.casework.domain import events as ev
from services.casework.domain.model import (
    FINISHED_ACTION,
    AwaitingDirector,
    Overdue,
    PlanAction,
)
from services.casework.service_layer.deps import Deps
from services.casework.service_layer.handlers.common import (
    ACT,
    authorise,
    load_case,
    principal,
)
from zorgtafel.kernel.accesslog.service import listed, saw
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument, NotFound
from zorgtafel.kernel.uow import utcnow
from zorgtafel.kernel.validate import check_id, check_text
from zorgtafel.policy.decision import Decision


def update_action(
    deps: Deps, uow: CaseworkUnitOfWork, cmd: c.UpdateAction, caller: Caller
) -> PlanAction:
    case = load_case(uow, cmd.case_id, for_update=True)
    check_id(cmd.action_id, "action_id")
    action = uow.cases.action(case.case_id, cmd.action_id)
    if action is None:
        # Asked as for an action no party carries out: NOT_FOUND only to whom the policy lets
        # update any action of the case (its directors); anyone else is refused as for an
        # action not its party's (an outsider as for no case), so that an id tells nothing
        # of the plan to a person who may not see it (8.4c).
        authorise(deps, uow, "update_action", caller, case, action_party="")
        raise NotFound("action", "with this action_id in this case")
    authorise(deps, uow, "update_action", caller, case, action_party=action.party)
    case.update_action()
    if action.status in FINISHED_ACTION:
        raise FailedPrecondition(
            action.status.value, "the action is finished", subject="action.status"
        )
    if cmd.status is None and not cmd.progress_note:
        raise InvalidArgument("status", "give a status or a progress note")
    if cmd.status is not None:
        action.status = cmd.status
    if cmd.progress_note:
        action.progress_note = check_text(cmd.progress_note, "progress_note")
    action.updated_at = utcnow()
    uow.cases.save_action(action)
    uow.emit(
        ev.ActionUpdated(
            case_id=case.case_id,
            action_id=action.action_id,
            party=action.party,
            status=action.status.value,
        )
    )
    return action


# A case as the act policy sees it when the only fact that matters is the caller's relationship
# to it: for "list_overdue" the policy reads nothing of a case but its process director and
# case director persons (role_fits: persons.director; plus the caller's own status and
# functions), so these facts decide for every case in which the caller stands in that
# relationship exactly as that case's own facts would. State, involved parties and delegates
# play no part in list_overdue; the query restricts the state and leaves out a restricted case
# (which the policy refuses, GDPR art. 18) itself. A handler test asks the
# policy case by case with each case's own facts and compares (so a policy change that makes
# list_overdue read more of a case fails it rather than widening or narrowing this list).
_RELATIONSHIPS = ("process_director", "case_director")


def _as_relationship(caller: Caller, relationship: str) -> dict:
    me = {"party": caller.party, "person": caller.person}
    nobody = {"party": "", "person": ""}
    return {
        "id": f"(every case the caller directs as {relationship})",
        "process_director": me if relationship == "process_director" else nobody,
        "case_director": me if relationship == "case_director" else None,
        "delegates": {},
        "involved_parties": [],
    }


def _directing(deps: Deps, caller: Caller) -> dict[str, Decision]:
    """The relationships in which the act policy lets this person list overdue actions, with
    the allowing decisions: one decision per relationship (two per request, however many
    cases), the SQL filter then selects the cases where the caller stands in an allowed one
    (need to know by relationship, ADR 0005: a colleague at the same party directs none)."""
    allowed: dict[str, Decision] = {}
    who = principal(deps, caller)
    for relationship in _RELATIONSHIPS:
        facts = {
            "action": "list_overdue",
            "principal": who,
            "case": _as_relationship(caller, relationship),
        }
        decision = deps.policy.decide(ACT, facts)
        if decision.allow is True:
            allowed[relationship] = decision
    return allowed


def _listed(
    found: list[Overdue], q: c.ListOverdueActions, name: Callable[[Overdue], str]
) -> list[Overdue]:
    """Names what the caller is shown in the access log: the servicer shows ``limit - 1`` of
    the results (the last one only says that another page follows)."""
    shown = found[: max(q.limit - 1, 0)]
    saw(resource=listed(name(o) for o in shown))
    return found


def overdue_actions(
    deps: Deps, uow: CaseworkUnitOfWork, q: c.ListOverdueActions, caller: Caller
) -> list[Overdue]:
    """One page of the overdue actions of one case, or of every case the caller directs in
    person (as process or case director: a colleague at the same party directs none); each
    one is flagged to the case director's and the process director's parties (12.2g,
    13.2-13.3). A constant number of queries and policy decisions, however many cases."""
    today = q.today or utcnow().date()
    if q.case_id:
        case = load_case(uow, q.case_id)
        # Named before the policy decides (PERMISSION_DENIED with its reasons), so that a
        # refusal is logged against the case too.
        saw(case_id=case.case_id, subject=case.subject_pseudonym)
        saw(decision=authorise(deps, uow, "list_overdue", caller, case))
        found = uow.cases.overdue(today, q.offset, q.limit, q.after, case_id=case.case_id)
        return _listed(found, q, lambda o: f"action:{o.action_id}")
    if not caller.party or not caller.person:
        return []  # nobody directs anything (fail closed)
    allowed = _directing(deps, caller)
    if not allowed:
        return []  # e.g. a process director no longer designated (12.1), an excluded party
    # Many cases, many subjects: the record names the cases listed, and one of the allowing
    # decisions (the process director's where both allow; the other is of the same request).
    saw(decision=next(iter(allowed.values())))
    found = uow.cases.overdue(
        today,
        q.offset,
        q.limit,
        q.after,
        directed_by=(caller.party, caller.person),
        as_process_director="process_director" in allowed,
        as_case_director="case_director" in allowed,
    )
    return _listed(found, q, lambda o: o.case_id)


# A case as the act policy sees one awaiting its director (12.3): for "list_awaiting_director"
# the policy reads nothing of a case but that its process director left and nobody took it over
# and that it is not closed (persons.takes_over; plus the caller's own status and functions),
# so this decides for every case the query selects (left, nobody directs it, not closed) as
# that case's own facts would.
_AWAITING = {
    "id": "(every case whose process director left)",
    "state": "open",
    "process_director": {"party": "", "person": "", "left": True},
    "case_director": None,
    "delegates": {},
    "involved_parties": [],
}


def cases_awaiting_director(
    deps: Deps, uow: CaseworkUnitOfWork, q: c.ListCasesAwaitingDirector, caller: Caller
) -> list[AwaitingDirector]:
    """One page of the cases whose process director's designation ended and that nobody took
    over (12.3), for a designated process director of an active party, who takes one over by
    directing it: their ids, the parties they are kept for and since when, nothing of them
    else (8.4c). One policy decision and one query, however many cases; anyone else is refused
    with the policy's reasons (the roster decides, never the token's role)."""
    facts = {"action": "list_awaiting_director", "principal": principal(deps, caller)}
    saw(decision=deps.policy.require(ACT, {**facts, "case": _AWAITING}))
    found = uow.cases.awaiting_director(q.offset, q.limit, q.after)
    saw(resource=listed(a.case_id for a in found[: max(q.limit - 1, 0)]))
    return found

"""4. Monitoring the plan (12.2g, 13.2-13.3): parties report on their own actions; overdue
actions are flagged to the case director's and the process director's parties."""

from __future__ import annotations

from dataclasses import dataclass

from services.casework.adapters.uow import CaseworkUnitOfWork
from services.casework.domain import commands as c
from services.casework.domain import events as ev
from services.casework.domain.model import ACTION_STATES, FINISHED_ACTION, PlanAction
from services.casework.service_layer.deps import Deps
from services.casework.service_layer.handlers.common import authorise, load_case
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from zorgtafel.kernel.uow import utcnow
from zorgtafel.kernel.validate import check_id, check_text


def update_action(
    deps: Deps, uow: CaseworkUnitOfWork, cmd: c.UpdateAction, caller: Caller
) -> PlanAction:
    case = load_case(uow, cmd.case_id, for_update=True)
    check_id(cmd.action_id, "action_id")
    action = uow.cases.action(case.case_id, cmd.action_id)
    if action is None:
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


@dataclass(frozen=True)
class Overdue:
    case_id: str
    action: PlanAction
    days: int
    flagged_to: tuple[str, ...]


def overdue_actions(
    deps: Deps, uow: CaseworkUnitOfWork, q: c.ListOverdueActions, caller: Caller
) -> list[Overdue]:
    """Overdue actions of one case, or of every case the caller directs in person (as process
    or case director: a colleague at the same party directs none); each one is flagged to the
    case director's and the process director's parties (12.2g, 13.2-13.3)."""
    today = q.today or utcnow().date()
    case_ids = [q.case_id] if q.case_id else uow.cases.directed_by(caller.party, caller.person)
    found = []
    for cid in case_ids:
        case = load_case(uow, cid)
        if not q.case_id:
            try:
                authorise(deps, uow, "list_overdue", caller, case)
            except PermissionDenied:
                continue  # e.g. a process director no longer designated (12.1)
        else:
            authorise(deps, uow, "list_overdue", caller, case)
        if case.state not in ACTION_STATES:
            continue
        flagged = tuple(
            dict.fromkeys(p for p in (case.case_director_party, case.process_director_party) if p)
        )
        for a in uow.cases.actions(case.case_id):
            if a.overdue_on(today):
                found.append(Overdue(case.case_id, a, a.days_overdue(today), flagged))
    return found

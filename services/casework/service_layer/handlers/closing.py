"""5-6. The end of a case (1.2, 8.4d) and escalation (Bijlage 2): de-escalation against the
criteria, closing with cleansing, the purge after the retention period, escalation to a ZVH."""

from __future__ import annotations

from services.casework.adapters.uow import CaseworkUnitOfWork
from services.casework.domain import commands as c
from services.casework.domain import events as ev
from services.casework.domain.model import Case, CaseState, cleansing_plan
from services.casework.service_layer.deps import Deps
from services.casework.service_layer.handlers.common import authorise, held_meeting, load_case
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.uow import utcnow
from zorgtafel.kernel.validate import check_codes


def deescalate(deps: Deps, uow: CaseworkUnitOfWork, cmd: c.Deescalate, caller: Caller) -> Case:
    case = load_case(uow, cmd.case_id, for_update=True)
    authorise(deps, uow, "decide", caller, case)
    case.require({CaseState.PLAN_ACTIVE}, "de-escalate")
    held_meeting(uow, case, cmd.meeting_id)
    met = check_codes(cmd.criteria_met, "criteria_met")
    case.deescalate(met, utcnow())
    uow.cases.save(case)
    uow.emit(ev.CaseDeescalated(case_id=case.case_id, meeting_id=cmd.meeting_id))
    return case


def close_case(
    deps: Deps, uow: CaseworkUnitOfWork, cmd: c.CloseCase, caller: Caller
) -> tuple[Case, tuple[str, ...], tuple[str, ...]]:
    """Close the case and cleanse what is no longer necessary (1.2): (case, cleansed, kept)."""
    case = load_case(uow, cmd.case_id, for_update=True)
    authorise(deps, uow, "close", caller, case)
    outcome = case.close(utcnow())
    cleansed, kept = cleansing_plan(set(deps.settings.keep_until_purge))
    uow.cases.save(case)
    # The closing fact first (so the timeline has it when it is kept), then the cleansing.
    uow.emit(ev.CaseClosed(case_id=case.case_id, outcome=outcome))
    uow.cases.cleanse(case.case_id, cleansed)
    return case, cleansed, kept


def purge(deps: Deps, uow: CaseworkUnitOfWork, cmd: c.Purge, caller: Caller) -> None:
    case = load_case(uow, cmd.case_id, for_update=True)
    authorise(deps, uow, "purge", caller, case)
    now = utcnow()
    case.purge(now, deps.settings.retention)
    assert case.closed_at is not None
    uow.cases.purge(
        case.case_id, now, case.closed_at.year, case.outcome or "other", bool(case.escalated_zvh)
    )
    uow.emit(ev.CasePurged(case_id=case.case_id))


def escalate(deps: Deps, uow: CaseworkUnitOfWork, cmd: c.Escalate, caller: Caller) -> Case:
    case = load_case(uow, cmd.case_id, for_update=True)
    authorise(deps, uow, "escalate", caller, case)
    case.escalate(cmd.zvh, cmd.reason, utcnow())
    uow.cases.save(case)
    uow.emit(ev.CaseEscalated(case_id=case.case_id, zvh=cmd.zvh, reason_code=cmd.reason))
    return case

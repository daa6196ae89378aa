"""5-6. The end of a case (1.2, 8.4d) and escalation (Bijlage 2): de-escalation against the
criteria, closing with cleansing, the purge after the retention period, escalation to a ZVH."""

from __future__ import annotations

from datetime import datetime, timedelta

from services.casework.adapters.uow import CaseworkUnitOfWork
from services.casework.domain import commands as c
from services.casework.domain import events as ev
from services.casework.domain.model import RECORD_KINDS, Case, CaseState, cleansing_plan
from services.casework.service_layer.deps import Deps
from services.casework.service_layer.handlers.common import authorise, held_meeting, load_case
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import Unavailable
from zorgtafel.kernel.retention import read_periods
from zorgtafel.kernel.uow import utcnow
from zorgtafel.kernel.validate import check_codes

# The retention kind of a closed case (policies/rego/retention/data.json).
CASE_CLOSED = "case_closed"


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
    """Close the case and cleanse what is no longer necessary (1.2): (case, cleansed, kept).
    While the subject's restriction of the case holds nothing is cleansed (GDPR art. 18(2):
    only storage; cleansing is erasure): all is kept, and cleansed at the lifting
    (``cleanse_after_lifting``)."""
    case = load_case(uow, cmd.case_id, for_update=True)
    authorise(deps, uow, "close", caller, case)
    outcome = case.close(utcnow())
    cleansed, kept = cleansing_plan(set(deps.settings.keep_until_purge))
    if case.restricted_at is not None:
        cleansed, kept = (), RECORD_KINDS
    uow.cases.save(case)
    # The closing fact first (so the timeline has it when it is kept), then the cleansing.
    uow.emit(ev.CaseClosed(case_id=case.case_id, outcome=outcome))
    uow.cases.cleanse(case.case_id, cleansed)
    return case, cleansed, kept


def cleanse_after_lifting(deps: Deps, uow: CaseworkUnitOfWork, case_id: str) -> None:
    """The subject's restriction of the case was lifted: a case closed meanwhile is cleansed
    now, as its closing would have (1.2; ``close_case``). Cleansing again what is cleansed
    already changes nothing, so a case closed before the grant is left as it was."""
    case = uow.cases.get(case_id, for_update=True)
    if case is None or case.state != CaseState.CLOSED or case.restricted_at is not None:
        return
    uow.cases.cleanse(case_id, cleansing_plan(set(deps.settings.keep_until_purge))[0])


def purge(deps: Deps, uow: CaseworkUnitOfWork, cmd: c.Purge, caller: Caller) -> None:
    case = load_case(uow, cmd.case_id, for_update=True)
    authorise(deps, uow, "purge", caller, case)
    _purge(uow, case, case_closed_period(deps), utcnow())


def case_closed_period(deps: Deps) -> timedelta:
    """How long a closed case is kept (1.2): the adopted retention policy's ``case_closed``
    (a test/dev override when set). No period adopted: nothing is purged (fail closed)."""
    periods = read_periods(deps.policy, "casework", deps.settings.retention_overrides)
    period = periods.of(CASE_CLOSED)
    if period is None:
        raise Unavailable("no retention period for a closed case is adopted: the case is kept")
    return period


def _purge(uow: CaseworkUnitOfWork, case: Case, period: timedelta, now: datetime) -> None:
    case.purge(now, period)
    assert case.closed_at is not None
    uow.cases.purge(
        case.case_id, now, case.closed_at.year, case.outcome or "other", bool(case.escalated_zvh)
    )
    uow.emit(ev.CasePurged(case_id=case.case_id))


def erase(uow: CaseworkUnitOfWork, case_id: str, now: datetime) -> bool:
    """Erase one case of a subject whose erasure the controller granted (disclosure's
    SUBJECT_ERASED): purged at once, one CASE_PURGED, so intake and disclosure forget it too.
    False when the case is unknown here or already gone (a redelivery changes nothing). A case
    unknown here may still come: erased while intake held it, its triage outcome (intake's
    topic) can arrive after this (disclosure's topic); its id is remembered as purged, so that
    outcome opens nothing."""
    case = uow.cases.get(case_id, for_update=True)
    if case is None:
        uow.cases.forget_unopened(case_id, now)
        return False
    if case.state == CaseState.PURGED:
        return False
    case.erase(now)
    assert case.closed_at is not None
    uow.cases.purge(case.case_id, now, case.closed_at.year, "erased", bool(case.escalated_zvh))
    uow.emit(ev.CasePurged(case_id=case.case_id))
    return True


# -- the retention scheduler (kernel/scheduler.py): no caller, the adopted period decides --------
def closed_cases_due(uow: CaseworkUnitOfWork, period: timedelta, now: datetime) -> list[str]:
    """The ids of closed cases whose retention period has ended (ids only)."""
    return uow.cases.closed_before(now - period)


def purge_due(uow: CaseworkUnitOfWork, case_id: str, period: timedelta, now: datetime) -> bool:
    """Purge one closed case past its period; False when it is gone, no longer due or
    restricted by the subject (``Case.purge``), so two replicas that both saw it due purge it
    once and emit one CASE_PURGED. The row is locked (PostgreSQL) before it is read again."""
    case = uow.cases.get(case_id, for_update=True)
    if case is None or case.state != CaseState.CLOSED or case.closed_at is None:
        return False
    if now < case.closed_at + period:
        return False
    if case.restricted_at is not None:
        return False  # restricted since it was listed (GDPR art. 18): kept until lifted
    _purge(uow, case, period, now)
    return True


def escalate(deps: Deps, uow: CaseworkUnitOfWork, cmd: c.Escalate, caller: Caller) -> Case:
    case = load_case(uow, cmd.case_id, for_update=True)
    authorise(deps, uow, "escalate", caller, case)
    case.escalate(cmd.zvh, cmd.reason, utcnow())
    uow.cases.save(case)
    uow.emit(ev.CaseEscalated(case_id=case.case_id, zvh=cmd.zvh, reason_code=cmd.reason))
    return case

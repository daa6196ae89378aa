"""7. Reading a case: GetCase and WatchCase show each party only what its role's information
need covers, and within a party only to the persons with a part in the case (its delegates,
the case director, the process director: 8.4c, Bijlage 3), as ``zorgtafel.casework.view``
decides."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from services.casework.adapters.uow import CaseworkUnitOfWork
from services.casework.domain import commands as c
from services.casework.domain.model import Case, CaseState, Meeting, PartyRole, PlanAction
from services.casework.service_layer.deps import Deps
from services.casework.service_layer.handlers.common import VIEW, load_case, party_facts, view
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import PermissionDenied


@dataclass(frozen=True)
class CaseView:
    case: Case
    sections: frozenset[str]
    partial: frozenset[str]
    caller_party: str
    meetings: list[Meeting]
    roles: list[PartyRole]
    actions: list[PlanAction]
    delegates: list[tuple[str, str]]  # (party, person) the caller may see


@dataclass(frozen=True)
class TimelineBatch:
    entries: list[Any]  # case_timeline rows the caller may see
    last_sequence: int  # the last sequence number looked at
    state: CaseState


def _visible(seen: dict) -> None:
    if seen.get("visible") is not True:
        raise PermissionDenied(seen.get("reasons") or ["denied by default"], policy=VIEW)


def get_case(deps: Deps, uow: CaseworkUnitOfWork, q: c.GetCase, caller: Caller) -> CaseView:
    case = load_case(uow, q.case_id)
    roles = uow.cases.roles(case.case_id)
    seen = view(deps, uow, caller, case, roles)
    _visible(seen)
    sections = frozenset(seen.get("sections") or [])
    partial = frozenset(seen.get("partial") or [])
    meetings = []
    if "meetings" in sections or "meetings_invited" in partial:
        meetings = [
            m
            for m in uow.cases.meetings(case.case_id)
            if "meetings" in sections or caller.party in m.invitees
        ]
    shown_roles = []
    if "roles" in sections:
        shown_roles = roles
    elif "roles_own" in partial:
        shown_roles = [r for r in roles if r.party == caller.party]
    actions = []
    if "plan" in sections or "plan_own" in partial:
        actions = [
            a
            for a in uow.cases.actions(case.case_id)
            if "plan" in sections or a.party == caller.party
        ]
    delegates = [
        (p, person)
        for p, persons in sorted(case.delegates.items())
        if "roles" in sections or ("roles_own" in partial and p == caller.party)
        for person in persons
    ]
    return CaseView(
        case, sections, partial, caller.party, meetings, shown_roles, actions, delegates
    )


def timeline_for(
    deps: Deps, uow: CaseworkUnitOfWork, q: c.ReadTimeline, caller: Caller
) -> TimelineBatch:
    """The timeline entries after ``q.after_sequence`` the caller may see. The caller's party
    status is read again for every batch, so a party excluded while watching is cut off at
    once (23.2): PERMISSION_DENIED when the caller may see nothing of the case (not involved,
    or its party no longer active)."""
    _known, status = party_facts(uow, caller.party)
    caller = replace(caller, party_status=status)
    case = load_case(uow, q.case_id)
    roles = uow.cases.roles(case.case_id)
    rows = uow.cases.timeline_after(case.case_id, q.after_sequence)
    seen = view(
        deps,
        uow,
        caller,
        case,
        roles,
        [{"kind": r.kind, "parties": list(r.parties)} for r in rows],
    )
    _visible(seen)
    positions = {i for i in seen.get("entries_visible") or [] if isinstance(i, int)}
    shown = [row for i, row in enumerate(rows) if i in positions]
    last = rows[-1].seq if rows else q.after_sequence
    return TimelineBatch(shown, last, case.state)

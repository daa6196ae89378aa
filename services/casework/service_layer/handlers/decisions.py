"""3. The decisions of a held case meeting (8.4): the case director, the plan of approach, the
parties' roles and information needs, the de-escalation criteria."""

from __future__ import annotations

import uuid

from services.casework.adapters.uow import CaseworkUnitOfWork
from services.casework.domain import commands as c
from services.casework.domain import events as ev
from services.casework.domain.involvement import involved_parties
from services.casework.domain.model import MEETING_STATES, ActionStatus, Case, PartyRole, PlanAction
from services.casework.service_layer.deps import Deps
from services.casework.service_layer.handlers.common import (
    authorise,
    held_meeting,
    load_case,
    party_facts,
)
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.kernel.uow import utcnow
from zorgtafel.kernel.validate import (
    MAX_LIST,
    check_code,
    check_codes,
    check_date,
    check_oin,
    check_oins,
    check_person,
    check_text,
)


def appoint_director(
    deps: Deps, uow: CaseworkUnitOfWork, cmd: c.AppointDirector, caller: Caller
) -> Case:
    """The case meeting may appoint a case director (8.4a, 13.1: optional): a named person of
    a party involved in the case and active in the covenant. Only that person then acts as
    case director, not every employee of the party."""
    case = load_case(uow, cmd.case_id, for_update=True)
    authorise(deps, uow, "decide", caller, case)
    case.require(MEETING_STATES, "appoint a case director for")
    held_meeting(uow, case, cmd.meeting_id)
    check_oin(cmd.party, "party")
    if not cmd.person:
        raise InvalidArgument("person", "required: the person appointed as case director (13.1)")
    check_person(cmd.person, "person")
    is_party, status = party_facts(uow, cmd.party)
    authorise(
        deps,
        uow,
        "appoint_director",
        caller,
        case,
        appointee={
            "party": cmd.party,
            "person": cmd.person,
            "is_party": is_party,
            "party_status": status,
        },
    )
    case.appoint_director(cmd.party, cmd.person)
    at = case.decide(deps.clock())
    uow.cases.save(case)
    uow.emit(
        ev.DirectorAppointed(
            case_id=case.case_id,
            party=cmd.party,
            person=cmd.person,
            changed_at=at.isoformat(),
        )
    )
    return case


def adopt_plan(
    deps: Deps, uow: CaseworkUnitOfWork, cmd: c.AdoptPlan, caller: Caller
) -> tuple[int, list[PlanAction]]:
    case = load_case(uow, cmd.case_id, for_update=True)
    authorise(deps, uow, "adopt_plan", caller, case)
    case.require(MEETING_STATES, "adopt a plan for")
    held_meeting(uow, case, cmd.meeting_id)
    if not cmd.actions:
        raise InvalidArgument("actions", "a plan has at least one action")
    if len(cmd.actions) > MAX_LIST:
        raise InvalidArgument("actions", f"at most {MAX_LIST} actions")
    parsed = []
    for n, a in enumerate(cmd.actions):
        check_oin(a.party, f"actions[{n}].party")
        check_text(a.what, f"actions[{n}].what")
        parsed.append((a, check_date(a.due_date, f"actions[{n}].due_date")))
    _only_involved(uow, case, [a.party for a, _ in parsed], "actions", "an action is given")
    version = case.adopt_plan()
    now = utcnow()
    actions = []
    for a, due in parsed:
        action = PlanAction(
            action_id=str(uuid.uuid4()),
            case_id=case.case_id,
            plan_version=version,
            party=a.party,
            what=a.what,
            due_date=due,
            updated_at=now,
        )
        uow.cases.add_action(action)
        actions.append(action)
    # A new plan replaces the previous one: its unfinished actions are cancelled.
    for old in uow.cases.actions(case.case_id):
        if old.plan_version < version and old.status in (
            ActionStatus.OPEN,
            ActionStatus.IN_PROGRESS,
        ):
            old.status = ActionStatus.CANCELLED
            old.updated_at = now
            uow.cases.save_action(old)
    uow.cases.save(case)
    uow.emit(ev.PlanAdopted(case_id=case.case_id, plan_version=version, actions=len(actions)))
    return version, actions


def set_roles(
    deps: Deps, uow: CaseworkUnitOfWork, cmd: c.SetRoles, caller: Caller
) -> list[PartyRole]:
    case = load_case(uow, cmd.case_id, for_update=True)
    authorise(deps, uow, "decide", caller, case)
    case.set_roles()
    held_meeting(uow, case, cmd.meeting_id)
    if not cmd.roles:
        raise InvalidArgument("roles", "at least one involved party")
    if len(cmd.roles) > MAX_LIST:
        raise InvalidArgument("roles", f"at most {MAX_LIST} parties")
    check_oins([r.party for r in cmd.roles], "roles.party")
    roles = []
    for n, r in enumerate(cmd.roles):
        check_code(r.role, f"roles[{n}].role")
        need = check_codes(r.information_need, f"roles[{n}].information_need")
        roles.append(PartyRole(r.party, r.role, need))
    _only_involved(uow, case, [r.party for r in roles], "roles", "a role is given")
    roles.sort(key=lambda r: r.party)
    uow.cases.replace_roles(case.case_id, roles)
    at = case.decide(deps.clock())
    uow.cases.save(case)
    uow.emit(
        ev.RolesSet(
            case_id=case.case_id,
            roles={
                r.party: {"role": r.role, "information_need": list(r.information_need)}
                for r in roles
            },
            changed_at=at.isoformat(),
        )
    )
    return roles


def set_criteria(deps: Deps, uow: CaseworkUnitOfWork, cmd: c.SetCriteria, caller: Caller) -> Case:
    case = load_case(uow, cmd.case_id, for_update=True)
    authorise(deps, uow, "decide", caller, case)
    case.require(MEETING_STATES, "set de-escalation criteria for")
    held_meeting(uow, case, cmd.meeting_id)
    codes = check_codes(cmd.criteria, "criteria", required=True)
    case.set_criteria(codes)
    uow.cases.save(case)
    uow.emit(ev.CriteriaSet(case_id=case.case_id, meeting_id=cmd.meeting_id, criteria=codes))
    return case


def _only_involved(
    uow: CaseworkUnitOfWork, case: Case, parties: list[str], field: str, what: str
) -> None:
    """A role or an action goes only to a party already involved in the case: invited in
    triage, invited to or attending one of its meetings (each admitted by the invite policy as
    lawfully attending, 12.2e) or given a role before. Giving one to any other party would make
    it involved (so a recipient of the case's information, 8.4c) past that check."""
    involved = set(
        involved_parties(case, uow.cases.meetings(case.case_id), uow.cases.roles(case.case_id))
    )
    if any(p not in involved for p in parties):
        raise InvalidArgument(
            f"{field}.party",
            f"{what} only to a party involved in the case: invited in triage, invited to or "
            "attending one of its meetings (art. 8.4c, 12.2e)",
        )

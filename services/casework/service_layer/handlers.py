"""Casework use cases. Each takes a unit of work, the runtime (policy, keys, settings) and a
command. Handlers gather facts, ask Rego, obey, change the case and emit its facts; they never
commit (``execute_once`` or the consumer commits the effect with its bookkeeping).

The order of checks is always: the case exists (NOT_FOUND / purged), the caller may act on it
(PERMISSION_DENIED with the policy's reasons), the case's state allows it (FAILED_PRECONDITION
naming the state), then the request's details (INVALID_ARGUMENT naming the field).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from services.casework.adapters.uow import CaseworkUnitOfWork, Runtime
from services.casework.domain import commands as c
from services.casework.domain import events as ev
from services.casework.domain.model import (MAX_LIST, RECORD_KINDS, ActionStatus, Case,
                                            CaseState, Meeting, MeetingStatus, PartyRole,
                                            PlanAction, check_code, check_codes, check_date,
                                            check_id, check_oin, check_oins, check_text,
                                            cleansing_plan)
from zorgtafel.kernel.errors import (FailedPrecondition, InvalidArgument, NotFound,
                                     PermissionDenied, Unavailable)
from zorgtafel.kernel.uow import utcnow

AGE_BANDS = {"under_12", "12_to_16", "16_plus", "unknown"}


# -- policy --------------------------------------------------------------------------------
def _policy_facts(case: Case, roles: list[PartyRole]) -> dict:
    return {"id": case.case_id, "state": case.state.value,
            "process_director_party": case.process_director_party,
            "case_director_party": case.case_director_party,
            "roles": {r.party: {"role": r.role, "information_need": list(r.information_need)}
                      for r in roles}}


def authorise(rt: Runtime, uow: CaseworkUnitOfWork, action: str, caller: c.Caller, case: Case,
              *, meeting: Meeting | None = None, action_party: str | None = None) -> None:
    """``zorgtafel.casework.act`` decides whether this caller may do this to this case."""
    facts = {"action": action, "principal": caller.as_input(),
             "case": _policy_facts(case, [])}
    if meeting is not None:
        facts["meeting"] = {"invitees": list(meeting.invitees),
                            "attendees": list(meeting.attendees)}
    if action_party is not None:
        facts["action_party"] = action_party
    try:
        decision = rt.policy.decide("zorgtafel.casework.act", facts)
    except Exception as exc:  # noqa: BLE001 - an engine failure is a deny (fail closed)
        raise Unavailable("policy engine unavailable: denied (fail closed)") from exc
    if decision.allow is not True:
        raise PermissionDenied(decision.reasons, decision.decision_id, decision.revision,
                               "zorgtafel.casework.act")


def view(rt: Runtime, uow: CaseworkUnitOfWork, caller: c.Caller, case: Case,
         roles: list[PartyRole], entries: list[dict] | None = None) -> dict:
    """``zorgtafel.casework.view``: what of this case the caller may see (8.4c); with
    ``entries``, also which of those timeline entries (positions in ``entries_visible``)."""
    facts = {"principal": caller.as_input(), "case": _policy_facts(case, roles)}
    if entries is not None:
        facts["entries"] = entries
    try:
        return dict(rt.policy.evaluate("zorgtafel.casework.view", facts))
    except Exception as exc:  # noqa: BLE001
        raise Unavailable("policy engine unavailable: nothing is shown (fail closed)") from exc


# -- loading -------------------------------------------------------------------------------
def load_case(uow: CaseworkUnitOfWork, case_id: str, *, for_update: bool = False) -> Case:
    check_id(case_id, "case_id")
    case = uow.cases.get(case_id, for_update=for_update)
    if case is None:
        if uow.cases.was_purged(case_id):
            raise FailedPrecondition(CaseState.PURGED.value, "the case was purged: nothing of "
                                     "it is kept (1.2)", subject="case.state")
        raise NotFound("case", "with this case_id")
    return case


def _meeting(uow: CaseworkUnitOfWork, case: Case, meeting_id: str) -> Meeting:
    check_id(meeting_id, "meeting_id")
    m = uow.cases.meeting(case.case_id, meeting_id)
    if m is None:
        raise NotFound("meeting", "with this meeting_id in this case")
    return m


def _held_meeting(uow: CaseworkUnitOfWork, case: Case, meeting_id: str) -> Meeting:
    check_id(meeting_id, "meeting_id")
    return case.require_held(uow.cases.meeting(case.case_id, meeting_id), meeting_id)


def party_facts(uow: CaseworkUnitOfWork, party: str) -> tuple[bool, str]:
    """(is a party of the covenant, its status) from the party-status projection."""
    t = uow.tables["party_directory"]
    row = uow.session.execute(select(t.c.status).where(t.c.party_id == party)).first()
    return (True, row.status) if row else (False, "unknown")


# -- 1. a case opens from intake's triage (routing case_meeting) ----------------------------
def open_case(uow: CaseworkUnitOfWork, cmd: c.OpenCase) -> bool:
    """Open the case once; False when it exists or was purged (a redelivered or late event)."""
    if uow.cases.exists(cmd.case_id) or uow.cases.was_purged(cmd.case_id):
        return False
    case = Case(case_id=cmd.case_id, state=CaseState.OPEN,
                process_director_party=cmd.process_director_party,
                nominating_party=cmd.nominating_party,
                subject_pseudonym=cmd.subject_pseudonym, age_band=cmd.age_band,
                opened_at=utcnow(), goal_code=cmd.goal_code, themes=cmd.themes,
                decision_types=cmd.decision_types, triage_invitees=cmd.invitees)
    uow.cases.add(case)
    uow.emit(ev.CaseOpened(case_id=case.case_id, subject_pseudonym=case.subject_pseudonym,
                           nominating_party=case.nominating_party, age_band=case.age_band,
                           invitees=case.triage_invitees,
                           process_director_party=case.process_director_party))
    return True


def open_case_command(data) -> c.OpenCase:
    """Validate a triage event's data (ids, codes and pseudonyms only)."""
    def codes(name):
        value = data.get(name) or []
        if not isinstance(value, list):
            raise InvalidArgument(name, "must be a list")
        return tuple(str(v) for v in value)
    cmd = c.OpenCase(
        case_id=str(data.get("case_id") or ""),
        subject_pseudonym=str(data.get("subject_pseudonym") or ""),
        nominating_party=str(data.get("nominating_party") or ""),
        age_band=str(data.get("age_band") or "unknown"),
        process_director_party=str(data.get("process_director_party") or ""),
        goal_code=str(data.get("goal_code") or ""),
        themes=codes("themes"), decision_types=codes("decision_types"),
        invitees=codes("invitees"))
    check_id(cmd.case_id, "case_id")
    if not cmd.subject_pseudonym or len(cmd.subject_pseudonym) > 256:
        raise InvalidArgument("subject_pseudonym", "required, at most 256 characters")
    check_oin(cmd.nominating_party, "nominating_party")
    check_oin(cmd.process_director_party, "process_director_party")
    check_oins(cmd.invitees, "invitees")
    if cmd.age_band not in AGE_BANDS:
        raise InvalidArgument("age_band", "unknown age band")
    return cmd


# -- 2. preparing the case meeting (12.2c-f) ------------------------------------------------
def schedule_meeting(uow: CaseworkUnitOfWork, rt: Runtime, caller: c.Caller,
                     cmd: c.ScheduleMeeting) -> Meeting:
    case = load_case(uow, cmd.case_id, for_update=True)
    authorise(rt, uow, "schedule_meeting", caller, case)
    case.schedule_meeting()
    if cmd.scheduled_for is None:
        raise InvalidArgument("scheduled_for", "required")
    check_code(cmd.goal_code, "goal_code")
    decision_types = check_codes(cmd.decision_types, "decision_types", required=True)
    themes = check_codes(cmd.themes, "themes", required=True)
    parties = check_oins([i.party for i in cmd.invitees], "invitees", required=True)
    for n, i in enumerate(cmd.invitees):
        check_codes(i.lawful_themes, f"invitees[{n}].lawful_themes")
    if len(cmd.pre_read_item_ids) > MAX_LIST:
        raise InvalidArgument("pre_read_item_ids", f"at most {MAX_LIST} items")
    for n, item in enumerate(cmd.pre_read_item_ids):
        check_id(item, f"pre_read_item_ids[{n}]")
    if len(set(cmd.pre_read_item_ids)) != len(cmd.pre_read_item_ids):
        raise InvalidArgument("pre_read_item_ids", "entries must be unique")

    # 12.2e: only parties that may lawfully attend - zorgtafel.casework.invite decides.
    candidates = []
    for i in cmd.invitees:
        is_party, status = party_facts(uow, i.party)
        candidates.append({
            "party": i.party, "is_party": is_party, "status": status,
            "relevance": ("asked_in_triage" if i.party in case.triage_invitees
                          else "named_by_process_director"),
            "lawful_themes": list(i.lawful_themes)})
    facts = {"case": {"id": case.case_id, "themes": list(themes),
                      "nominating_party": case.nominating_party},
             "candidates": candidates}
    try:
        result = rt.policy.evaluate("zorgtafel.casework.invite", facts)
    except Exception as exc:  # noqa: BLE001
        raise Unavailable("policy engine unavailable: nobody is invited (fail closed)") from exc
    allowed = set(result.get("invite") or [])
    refused = [p for p in parties if p not in allowed]
    if refused:
        reasons = [r for x in result.get("refused") or [] for r in x.get("reasons", [])]
        raise PermissionDenied(reasons or [f"{p} may not be invited (art. 12.2e)."
                                           for p in refused],
                               policy="zorgtafel.casework.invite")

    meeting = Meeting(meeting_id=str(uuid.uuid4()), case_id=case.case_id,
                      status=MeetingStatus.SCHEDULED, scheduled_for=cmd.scheduled_for,
                      goal_code=cmd.goal_code, decision_types=decision_types, themes=themes,
                      invitees=parties, pre_read_item_ids=tuple(cmd.pre_read_item_ids))
    uow.cases.add_meeting(meeting)
    uow.cases.save(case)
    uow.emit(ev.MeetingScheduled(case_id=case.case_id, meeting_id=meeting.meeting_id,
                                 scheduled_for=meeting.scheduled_for.isoformat(),
                                 invitees=parties))
    return meeting


@dataclass(frozen=True)
class PreReadRequest:
    case_id: str
    item_ids: tuple[str, ...]


def pre_read_set(uow: CaseworkUnitOfWork, rt: Runtime, caller: c.Caller, case_id: str,
                 meeting_id: str) -> PreReadRequest:
    """The item ids of a meeting's pre-read set the calling invitee may ask the disclosure
    service for (the disclosure service then decides each one, 12.2f)."""
    case = load_case(uow, case_id)
    meeting = _meeting(uow, case, meeting_id)
    authorise(rt, uow, "pre_read", caller, case, meeting=meeting)
    if meeting.status is not MeetingStatus.SCHEDULED:
        raise FailedPrecondition(meeting.status.value, "the pre-read set is for before the "
                                 "meeting (12.2f)", subject="meeting.status")
    return PreReadRequest(case.case_id, meeting.pre_read_item_ids)


# -- 3. the case meeting (8.4) -------------------------------------------------------------
def record_meeting(uow: CaseworkUnitOfWork, rt: Runtime, caller: c.Caller,
                   cmd: c.RecordMeeting) -> Meeting:
    case = load_case(uow, cmd.case_id, for_update=True)
    meeting = _meeting(uow, case, cmd.meeting_id)
    authorise(rt, uow, "record_meeting", caller, case, meeting=meeting)
    attendees = check_oins(cmd.attendees, "attendees", required=True)
    stranger = [a for a in attendees if a not in meeting.invitees]
    if stranger:
        raise InvalidArgument("attendees", "only invited parties attend (12.2e, 9.2)")
    minutes = check_text(cmd.minutes, "minutes", required=False)
    case.record_meeting(meeting, attendees, utcnow())
    uow.cases.save_meeting_held(meeting, minutes)
    uow.emit(ev.MeetingHeld(case_id=case.case_id, meeting_id=meeting.meeting_id,
                            attendees=attendees))
    return meeting


def read_minutes(uow: CaseworkUnitOfWork, rt: Runtime, caller: c.Caller, case_id: str,
                 meeting_id: str) -> str:
    case = load_case(uow, case_id)
    meeting = _meeting(uow, case, meeting_id)
    authorise(rt, uow, "read_minutes", caller, case, meeting=meeting)
    if meeting.status is not MeetingStatus.HELD:
        raise FailedPrecondition(meeting.status.value, "the meeting was not held yet",
                                 subject="meeting.status")
    minutes = uow.cases.minutes(meeting)
    if minutes is None:
        raise FailedPrecondition(case.state.value, "the minutes were cleansed (1.2)",
                                 subject="meeting.minutes")
    return minutes


def appoint_director(uow: CaseworkUnitOfWork, rt: Runtime, caller: c.Caller,
                     cmd: c.AppointDirector) -> Case:
    case = load_case(uow, cmd.case_id, for_update=True)
    authorise(rt, uow, "decide", caller, case)
    case.require({CaseState.MEETING_PLANNED, CaseState.PLAN_ACTIVE}, "appoint a case director for")
    _held_meeting(uow, case, cmd.meeting_id)
    check_oin(cmd.party, "party")
    if not cmd.person or len(cmd.person) > 128 or not cmd.person.isprintable():
        raise InvalidArgument("person", "required: a pseudonymous person id (1-128 characters)")
    case.appoint_director(cmd.party, cmd.person)
    uow.cases.save(case)
    uow.emit(ev.DirectorAppointed(case_id=case.case_id, party=cmd.party, person=cmd.person))
    return case


def adopt_plan(uow: CaseworkUnitOfWork, rt: Runtime, caller: c.Caller,
               cmd: c.AdoptPlan) -> tuple[int, list[PlanAction]]:
    case = load_case(uow, cmd.case_id, for_update=True)
    authorise(rt, uow, "adopt_plan", caller, case)
    case.require({CaseState.MEETING_PLANNED, CaseState.PLAN_ACTIVE}, "adopt a plan for")
    _held_meeting(uow, case, cmd.meeting_id)
    if not cmd.actions:
        raise InvalidArgument("actions", "a plan has at least one action")
    if len(cmd.actions) > MAX_LIST:
        raise InvalidArgument("actions", f"at most {MAX_LIST} actions")
    parsed = []
    for n, a in enumerate(cmd.actions):
        check_oin(a.party, f"actions[{n}].party")
        check_text(a.what, f"actions[{n}].what")
        parsed.append((a, check_date(a.due_date, f"actions[{n}].due_date")))
    version = case.adopt_plan()
    now = utcnow()
    actions = []
    for a, due in parsed:
        action = PlanAction(action_id=str(uuid.uuid4()), case_id=case.case_id,
                            plan_version=version, party=a.party, what=a.what, due_date=due,
                            updated_at=now)
        uow.cases.add_action(action)
        actions.append(action)
    # A new plan replaces the previous one: its unfinished actions are cancelled.
    for old in uow.cases.actions(case.case_id):
        if old.plan_version < version and old.status in (ActionStatus.OPEN,
                                                         ActionStatus.IN_PROGRESS):
            old.status = ActionStatus.CANCELLED
            old.updated_at = now
            uow.cases.save_action(old)
    uow.cases.save(case)
    uow.emit(ev.PlanAdopted(case_id=case.case_id, plan_version=version, actions=len(actions)))
    return version, actions


def set_roles(uow: CaseworkUnitOfWork, rt: Runtime, caller: c.Caller,
              cmd: c.SetRoles) -> list[PartyRole]:
    case = load_case(uow, cmd.case_id, for_update=True)
    authorise(rt, uow, "decide", caller, case)
    case.set_roles()
    _held_meeting(uow, case, cmd.meeting_id)
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
    roles.sort(key=lambda r: r.party)
    uow.cases.replace_roles(case.case_id, roles)
    uow.emit(ev.RolesSet(case_id=case.case_id, roles={
        r.party: {"role": r.role, "information_need": list(r.information_need)} for r in roles}))
    return roles


def set_criteria(uow: CaseworkUnitOfWork, rt: Runtime, caller: c.Caller,
                 cmd: c.SetCriteria) -> Case:
    case = load_case(uow, cmd.case_id, for_update=True)
    authorise(rt, uow, "decide", caller, case)
    case.require({CaseState.MEETING_PLANNED, CaseState.PLAN_ACTIVE},
                 "set de-escalation criteria for")
    _held_meeting(uow, case, cmd.meeting_id)
    codes = check_codes(cmd.criteria, "criteria", required=True)
    case.set_criteria(codes)
    uow.cases.save(case)
    uow.emit(ev.CriteriaSet(case_id=case.case_id, meeting_id=cmd.meeting_id, criteria=codes))
    return case


# -- 4. monitoring (12.2g, 13.2-13.3) ------------------------------------------------------
def update_action(uow: CaseworkUnitOfWork, rt: Runtime, caller: c.Caller,
                  cmd: c.UpdateAction) -> PlanAction:
    case = load_case(uow, cmd.case_id, for_update=True)
    check_id(cmd.action_id, "action_id")
    action = uow.cases.action(case.case_id, cmd.action_id)
    if action is None:
        raise NotFound("action", "with this action_id in this case")
    authorise(rt, uow, "update_action", caller, case, action_party=action.party)
    case.update_action()
    if action.status in (ActionStatus.DONE, ActionStatus.CANCELLED):
        raise FailedPrecondition(action.status.value, "the action is finished",
                                 subject="action.status")
    if cmd.status is None and not cmd.progress_note:
        raise InvalidArgument("status", "give a status or a progress note")
    if cmd.status is not None:
        action.status = ActionStatus(cmd.status)
    if cmd.progress_note:
        action.progress_note = check_text(cmd.progress_note, "progress_note")
    action.updated_at = utcnow()
    uow.cases.save_action(action)
    uow.emit(ev.ActionUpdated(case_id=case.case_id, action_id=action.action_id,
                              party=action.party, status=action.status.value))
    return action


@dataclass(frozen=True)
class Overdue:
    case_id: str
    action: PlanAction
    days: int
    flagged_to: tuple[str, ...]


def overdue_actions(uow: CaseworkUnitOfWork, rt: Runtime, caller: c.Caller,
                    case_id: str, today: date | None = None) -> list[Overdue]:
    """Overdue actions of one case, or of every case the caller's party directs; each one is
    flagged to the case director's and the process director's parties (12.2g, 13.2-13.3)."""
    today = today or utcnow().date()
    if case_id:
        case_ids = [case_id]
    else:
        case_ids = uow.cases.directed_by(caller.party)
    found = []
    for cid in case_ids:
        case = load_case(uow, cid)
        if not case_id:
            try:
                authorise(rt, uow, "list_overdue", caller, case)
            except PermissionDenied:
                continue  # a case the caller's party directs in another role
        else:
            authorise(rt, uow, "list_overdue", caller, case)
        if case.state not in (CaseState.PLAN_ACTIVE, CaseState.DEESCALATING):
            continue
        flagged = tuple(dict.fromkeys(p for p in (case.case_director_party,
                                                  case.process_director_party) if p))
        for a in uow.cases.actions(case.case_id):
            if a.overdue_on(today):
                found.append(Overdue(case.case_id, a, a.days_overdue(today), flagged))
    return found


# -- 5. de-escalation, cleansing, purge (1.2, 8.4d) -----------------------------------------
def deescalate(uow: CaseworkUnitOfWork, rt: Runtime, caller: c.Caller,
               cmd: c.Deescalate) -> Case:
    case = load_case(uow, cmd.case_id, for_update=True)
    authorise(rt, uow, "decide", caller, case)
    case.require({CaseState.PLAN_ACTIVE}, "de-escalate")
    _held_meeting(uow, case, cmd.meeting_id)
    met = check_codes(cmd.criteria_met, "criteria_met")
    case.deescalate(met, utcnow())
    uow.cases.save(case)
    uow.emit(ev.CaseDeescalated(case_id=case.case_id, meeting_id=cmd.meeting_id))
    return case


def keep_until_purge(rt: Runtime) -> set[str]:
    raw = getattr(rt.settings, "casework_keep_until_purge", "criteria,timeline")
    return {k.strip() for k in raw.split(",") if k.strip() in RECORD_KINDS}


def close_case(uow: CaseworkUnitOfWork, rt: Runtime, caller: c.Caller,
               case_id: str) -> tuple[Case, tuple[str, ...], tuple[str, ...]]:
    case = load_case(uow, case_id, for_update=True)
    authorise(rt, uow, "close", caller, case)
    outcome = case.close(utcnow())
    cleansed, kept = cleansing_plan(keep_until_purge(rt))
    uow.cases.save(case)
    # The closing fact first (so the timeline has it when it is kept), then the cleansing.
    uow.emit(ev.CaseClosed(case_id=case.case_id, outcome=outcome))
    uow.cases.cleanse(case.case_id, cleansed)
    return case, cleansed, kept


def retention(rt: Runtime) -> timedelta:
    return timedelta(days=float(getattr(rt.settings, "casework_retention_days", 365.0)))


def purge(uow: CaseworkUnitOfWork, rt: Runtime, caller: c.Caller, case_id: str) -> None:
    case = load_case(uow, case_id, for_update=True)
    authorise(rt, uow, "purge", caller, case)
    now = utcnow()
    case.purge(now, retention(rt))
    assert case.closed_at is not None
    uow.cases.purge(case.case_id, now, case.closed_at.year, case.outcome or "other",
                    bool(case.escalated_zvh))
    uow.emit(ev.CasePurged(case_id=case.case_id))


# -- 6. escalation (Bijlage 2) ---------------------------------------------------------------
def escalate(uow: CaseworkUnitOfWork, rt: Runtime, caller: c.Caller, cmd: c.Escalate) -> Case:
    case = load_case(uow, cmd.case_id, for_update=True)
    authorise(rt, uow, "escalate", caller, case)
    case.escalate(cmd.zvh, cmd.reason, utcnow())
    uow.cases.save(case)
    uow.emit(ev.CaseEscalated(case_id=case.case_id, zvh=cmd.zvh, reason_code=cmd.reason))
    return case


# -- 7. reading: GetCase and WatchCase ------------------------------------------------------
@dataclass(frozen=True)
class CaseView:
    case: Case
    sections: frozenset[str]
    partial: frozenset[str]
    caller_party: str
    meetings: list[Meeting]
    roles: list[PartyRole]
    actions: list[PlanAction]


def get_case(uow: CaseworkUnitOfWork, rt: Runtime, caller: c.Caller, case_id: str) -> CaseView:
    case = load_case(uow, case_id)
    roles = uow.cases.roles(case.case_id)
    seen = view(rt, uow, caller, case, roles)
    if seen.get("visible") is not True:
        raise PermissionDenied(seen.get("reasons") or ["denied by default"],
                               policy="zorgtafel.casework.view")
    sections = frozenset(seen.get("sections") or [])
    partial = frozenset(seen.get("partial") or [])
    meetings = []
    if "meetings" in sections or "meetings_invited" in partial:
        meetings = [m for m in uow.cases.meetings(case.case_id)
                    if "meetings" in sections or caller.party in m.invitees]
    shown_roles = []
    if "roles" in sections:
        shown_roles = roles
    elif "roles_own" in partial:
        shown_roles = [r for r in roles if r.party == caller.party]
    actions = []
    if "plan" in sections or "plan_own" in partial:
        actions = [a for a in uow.cases.actions(case.case_id)
                   if "plan" in sections or a.party == caller.party]
    return CaseView(case, sections, partial, caller.party, meetings, shown_roles, actions)


def timeline_for(uow: CaseworkUnitOfWork, rt: Runtime, caller: c.Caller, case_id: str,
                 after_seq: int) -> tuple[list, int, CaseState]:
    """The timeline entries after ``after_seq`` the caller may see, the last sequence number
    looked at, and the case's state. Raises PERMISSION_DENIED when the caller may see nothing
    of the case (not involved, or its party no longer active)."""
    case = load_case(uow, case_id)
    roles = uow.cases.roles(case.case_id)
    rows = uow.cases.timeline_after(case.case_id, after_seq)
    seen = view(rt, uow, caller, case, roles,
                [{"kind": r.kind, "parties": list(r.parties)} for r in rows])
    if seen.get("visible") is not True:
        raise PermissionDenied(seen.get("reasons") or ["denied by default"],
                               policy="zorgtafel.casework.view")
    positions = {i for i in seen.get("entries_visible") or [] if isinstance(i, int)}
    shown = [row for i, row in enumerate(rows) if i in positions]
    last = rows[-1].seq if rows else after_seq
    return shown, last, case.state

"""What every casework use case shares: loading the case and its meetings, and the three
policies it obeys (``zorgtafel.casework.act``, ``.view`` and ``.invite``) through the gate."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.casework.adapters.uow import CaseworkUnitOfWork
from services.casework.domain import events as ev
from services.casework.domain.involvement import involved_parties, person_facts
from services.casework.domain.model import Case, Meeting, PartyRole
from services.casework.service_layer.deps import Deps
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import NotFound, NotShared, PermissionDenied
from zorgtafel.kernel.validate import check_id
from zorgtafel.policy.decision import Decision

# What only a case's process director does (act.rego's process_director_acts): a designated
# process director who does one of these to a case its process director left takes it over.
DIRECTING = frozenset(
    {"schedule_meeting", "record_meeting", "decide", "appoint_director"}
    | {"close", "purge", "escalate"}
)

ACT = "zorgtafel.casework.act"
VIEW = "zorgtafel.casework.view"
INVITE = "zorgtafel.casework.invite"


# -- policy --------------------------------------------------------------------------------
def principal(deps: Deps, caller: Caller) -> dict[str, Any]:
    """The caller as the policies see it: who the token says it is, and the Zorgtafel
    functions the person holds by appointment (the roster, from governance; never the claim)."""
    return {**caller.as_input(), "functions": deps.roster.functions(caller.party, caller.person)}


def case_facts(uow: CaseworkUnitOfWork, case: Case, roles: list[PartyRole] | None = None) -> dict:
    """Who is who in this case (ADR 0005): its process director and case director as persons,
    each party's delegates, the involved parties and their roles (8.4c)."""
    if roles is None:
        roles = uow.cases.roles(case.case_id)
    return {
        "id": case.case_id,
        "state": case.state.value,
        # Bijlage 3, GDPR art. 18: while the subject's restriction holds the case is only kept.
        "restricted": case.restricted_at is not None,
        "process_director_party": case.process_director_party,
        "case_director_party": case.case_director_party,
        **person_facts(case),
        "involved_parties": involved_parties(case, uow.cases.meetings(case.case_id), roles),
        "roles": {
            r.party: {"role": r.role, "information_need": list(r.information_need)} for r in roles
        },
    }


def authorise(
    deps: Deps,
    uow: CaseworkUnitOfWork,
    action: str,
    caller: Caller,
    case: Case,
    *,
    meeting: Meeting | None = None,
    action_party: str | None = None,
    appointee: dict[str, Any] | None = None,
    delegate: dict[str, Any] | None = None,
    no_meeting: bool = False,
) -> Decision:
    """``zorgtafel.casework.act`` decides whether this person may do this to this case: the
    allowing decision (a read names it in the access log), else PERMISSION_DENIED. With
    ``no_meeting``, asked as for a meeting no party was invited to or attended."""
    facts: dict[str, Any] = {
        "action": action,
        "principal": principal(deps, caller),
        "case": case_facts(uow, case),
    }
    if meeting is not None:
        facts["meeting"] = {
            "invitees": list(meeting.invitees),
            "attendees": list(meeting.attendees),
        }
    elif no_meeting:
        facts["meeting"] = {"invitees": [], "attendees": []}
    if action_party is not None:
        facts["action_party"] = action_party
    if appointee is not None:
        facts["appointee"] = appointee
    if delegate is not None:
        facts["delegate"] = delegate
    try:
        decision = deps.policy.require(ACT, facts)
    except PermissionDenied as denied:
        refuse_outsider(uow, case, caller, denied)
        raise
    if action in DIRECTING and case.left_by_its_director:
        take_over(deps, uow, case, caller)
    return decision


def take_over(deps: Deps, uow: CaseworkUnitOfWork, case: Case, caller: Caller) -> None:
    """12.3: the act policy let a designated process director direct a case its process
    director left (``persons.takes_over``): that person directs it from now on, recorded on the
    case (under its lock: the handlers that direct load it for update) and told to the services
    that keep who directs a case (``ProcessDirectorChanged``). It goes with the use case: a
    refusal after this point takes nothing over."""
    at = case.take_over(caller.party, caller.person, deps.clock())
    uow.cases.save(case)
    uow.emit(
        ev.ProcessDirectorChanged(
            case_id=case.case_id,
            party=case.process_director_party,
            person=case.process_director_person,
            changed_at=at.isoformat(),
        )
    )


@dataclass(frozen=True)
class Seen:
    """What ``zorgtafel.casework.view`` lets the caller see (its document) and the decision
    that amounts to, which the access log names."""

    result: Mapping[str, Any]
    decision: Decision


def view(
    deps: Deps,
    uow: CaseworkUnitOfWork,
    caller: Caller,
    case: Case,
    roles: list[PartyRole],
    entries: list[dict] | None = None,
) -> Seen:
    """``zorgtafel.casework.view``: what of this case the caller may see (8.4c); with
    ``entries``, also which of those timeline entries (positions in ``entries_visible``)."""
    facts: dict[str, Any] = {
        "principal": principal(deps, caller),
        "case": case_facts(uow, case, roles),
    }
    if entries is not None:
        facts["entries"] = entries
    result = dict(deps.policy.evaluate(VIEW, facts))
    # The view policy answers with a document, not a decision: whether anything is visible is
    # the decision, made here as the gate makes one (an id, the revision, the digest of these
    # facts), so that the access log names it and a refusal carries it.
    decision = Decision.from_result(
        VIEW,
        deps.policy.revision,
        facts,
        {
            "allow": result.get("visible") is True,
            "reasons": list(result.get("reasons") or []),
            "obligations": [],
        },
    )
    return Seen(result, decision)


def invite(
    deps: Deps, case: Case, themes: tuple[str, ...], candidates: list[dict]
) -> Mapping[str, Any]:
    """``zorgtafel.casework.invite``: which candidates may lawfully attend (12.2e)."""
    return deps.policy.evaluate(
        INVITE,
        {
            "case": {
                "id": case.case_id,
                "themes": list(themes),
                "nominating_party": case.nominating_party,
            },
            "candidates": candidates,
        },
    )


# -- who may learn that a case exists ---------------------------------------------------------
def not_shared_case(decided: PermissionDenied | None = None) -> NotShared:
    """The answer to a case id that names no case here (never opened, or purged: nothing of it
    is kept, 1.2) and to one of a case the caller's party has no part in: alike (8.4c)."""
    return NotShared("case", "case_id", decided)


def has_part(uow: CaseworkUnitOfWork, case: Case, party: str) -> bool:
    """Whether the party has a part in the case (8.4c, ADR 0005): it nominated it, directs it
    (process or case director), is involved (invited in triage or to a meeting, attended, or
    given a role) or has delegates in it. Such a party may learn that the case exists, and
    its people are told the policy's reasons; any other party is told what it would be told
    of a case id never given out."""
    if not party:
        return False
    if party in (case.nominating_party, case.process_director_party, case.case_director_party):
        return True
    if party in case.delegates:
        return True
    roles = uow.cases.roles(case.case_id)
    return party in involved_parties(case, uow.cases.meetings(case.case_id), roles)


def refuse_outsider(
    uow: CaseworkUnitOfWork, case: Case, caller: Caller, decided: PermissionDenied | None = None
) -> None:
    """PERMISSION_DENIED as for a case that does not exist, when the caller's party has no part
    in this case; nothing otherwise. Called where the policy refused the caller (``decided``,
    which the access log keeps), and where something the case holds (a meeting, an action) is
    not found by its id."""
    if not has_part(uow, case, caller.party):
        raise not_shared_case(decided) from None


# -- loading -------------------------------------------------------------------------------
def load_case(uow: CaseworkUnitOfWork, case_id: str, *, for_update: bool = False) -> Case:
    """The case ``case_id``; PERMISSION_DENIED as for a case the caller has no part in when
    there is none (never opened here, or purged), so that an id is no oracle (8.4c)."""
    check_id(case_id, "case_id")
    case = uow.cases.get(case_id, for_update=for_update)
    if case is None:
        raise not_shared_case()
    return case


def meeting_of(uow: CaseworkUnitOfWork, case: Case, meeting_id: str, caller: Caller) -> Meeting:
    """The case's meeting ``meeting_id``; NOT_FOUND only to a caller whose party has a part in
    the case (to anyone else, as for a case that does not exist)."""
    check_id(meeting_id, "meeting_id")
    m = uow.cases.meeting(case.case_id, meeting_id)
    if m is None:
        refuse_outsider(uow, case, caller)
        raise NotFound("meeting", "with this meeting_id in this case")
    return m


def authorised_meeting(
    deps: Deps, uow: CaseworkUnitOfWork, action: str, caller: Caller, case: Case, meeting_id: str
) -> tuple[Meeting, Decision]:
    """The case's meeting ``meeting_id`` and the act policy's decision letting the caller do
    ``action`` with it, else PERMISSION_DENIED. An id the case does not hold is asked as a
    meeting no party was invited to or attended: NOT_FOUND only to whom the policy lets through
    for such a meeting or ``zorgtafel.casework.view`` shows all the case's meetings (its
    directors, a party whose information need covers them); anyone else is refused as for a
    real meeting its party has no part in (an outsider as for no case), so that an id tells
    nothing of the case's meetings to a person who may not see them (8.4c: a worker without a
    part sees none, a delegate only those its party was invited to)."""
    check_id(meeting_id, "meeting_id")
    m = uow.cases.meeting(case.case_id, meeting_id)
    if m is None:
        try:
            authorise(deps, uow, action, caller, case, no_meeting=True)
        except PermissionDenied:
            seen = view(deps, uow, caller, case, uow.cases.roles(case.case_id)).result
            if "meetings" not in (seen.get("sections") or []):
                raise
        raise NotFound("meeting", "with this meeting_id in this case")
    return m, authorise(deps, uow, action, caller, case, meeting=m)


def held_meeting(uow: CaseworkUnitOfWork, case: Case, meeting_id: str) -> Meeting:
    check_id(meeting_id, "meeting_id")
    return case.require_held(uow.cases.meeting(case.case_id, meeting_id), meeting_id)


def party_facts(uow: CaseworkUnitOfWork, party: str) -> tuple[bool, str]:
    """(is a party of the covenant, its status) from the party-status projection."""
    status = uow.cases.party_status(party)
    return (True, status) if status is not None else (False, "unknown")

"""A party's delegates in a case (16.1, 10.1; ADR 0005): the persons who represent an involved
party in the case. The case's process director names them as it organises the meeting (12.2e,
10.1: the delegates are its contact persons), and a delegate may name or release a colleague of
its own party (16.1) -- a colleague without a part cannot name itself. Within a party only the
delegates, the case director and the case's process director reach the case (8.4c, Bijlage 3)."""

from __future__ import annotations

from services.casework.adapters.uow import CaseworkUnitOfWork
from services.casework.domain import commands as c
from services.casework.domain import events as ev
from services.casework.domain.model import DELEGABLE, Case
from services.casework.service_layer.deps import Deps
from services.casework.service_layer.handlers.common import authorise, load_case
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.kernel.validate import check_oin, check_person

DOING = {"name_delegate": "name a delegate in", "release_delegate": "release a delegate of"}


def _checked(
    deps: Deps,
    uow: CaseworkUnitOfWork,
    case_id: str,
    party: str,
    person: str,
    action: str,
    caller: Caller,
) -> Case:
    """Load the case, let ``zorgtafel.casework.act`` decide (the case's process director, or a
    delegate of the represented party; the party involved and active), then the state, then
    the person's form."""
    case = load_case(uow, case_id, for_update=True)
    authorise(deps, uow, action, caller, case, delegate={"party": party, "person": person})
    case.require(DELEGABLE, DOING[action])
    if not person:
        raise InvalidArgument("person", "required: a person of the represented party")
    check_person(person, "person")
    return case


def _party(party: str, caller: Caller) -> str:
    if not party:
        return caller.party
    return check_oin(party, "party")


def name_delegate(deps: Deps, uow: CaseworkUnitOfWork, cmd: c.NameDelegate, caller: Caller) -> Case:
    party = _party(cmd.party, caller)
    case = _checked(deps, uow, cmd.case_id, party, cmd.person, "name_delegate", caller)
    if case.name_delegate(party, cmd.person):
        at = case.decide(deps.clock())
        uow.cases.save(case)
        uow.emit(
            ev.DelegateNamed(
                case_id=case.case_id,
                party=party,
                person=cmd.person,
                changed_at=at.isoformat(),
            )
        )
    return case


def release_delegate(
    deps: Deps, uow: CaseworkUnitOfWork, cmd: c.ReleaseDelegate, caller: Caller
) -> Case:
    party = _party(cmd.party, caller)
    case = _checked(deps, uow, cmd.case_id, party, cmd.person, "release_delegate", caller)
    released = case.release_delegate(party, cmd.person)
    # When it was decided (under the case's lock, after the naming it ends even when this
    # replica's clock is behind that of the one that named): disclosure ignores a naming
    # decided before it that arrives late (a re-sent batch).
    at = case.decide(deps.clock())
    uow.cases.save(case)
    # Each id as it was named, whatever case the release gave it in: the consumers' projection
    # of the delegates holds that id.
    for person in released:
        uow.emit(
            ev.DelegateReleased(
                case_id=case.case_id,
                party=party,
                person=person,
                changed_at=at.isoformat(),
            )
        )
    return case

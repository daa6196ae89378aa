"""Restating who has a part in the cases casework holds (``zorgtafel restate-cases``): for a
consumer that began to keep these facts after the cases opened, such as governance's
``case_facts`` (since its migration 9c4e2a7d5b18), which otherwise does not know a case opened
before it and answers a dispute naming one UNAVAILABLE, and disclosure's persons with a part
in a case (since its migration 114226e7f72b), without which a delegate or case director of a
case opened before it is refused every disclosure. One ``CaseRestated`` per case, written to
the outbox like every other fact (the running service's relay publishes it), each in a unit of
work of its own under the case's lock: a membership decision taken beside it is written before
or after it, never half. Ids and codes only (8.4c, 12.3, 13.1, 16.1): each party's role and
information need, no pseudonym, no age band."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from services.casework.adapters.uow import CaseworkUnitOfWork
from services.casework.domain import events as e
from services.casework.domain.model import CaseState
from zorgtafel.kernel.uow import UnitOfWork


def restated(uow: CaseworkUnitOfWork, case_id: str) -> e.CaseRestated | None:
    """The case's facts as casework holds them now (under the case's row lock), or None when
    it holds no such case (never opened, or purged meanwhile)."""
    case = uow.cases.get(case_id, for_update=True)
    if case is None:
        return None
    invitees = set(case.triage_invitees)
    for m in uow.cases.meetings(case_id):
        invitees.update(m.invitees)
        invitees.update(m.attendees)
    roles = uow.cases.roles(case_id)
    return e.CaseRestated(
        case_id=case_id,
        process_director_party=case.process_director_party,
        process_director_person=case.process_director_person,
        invitees=tuple(sorted(invitees)),
        roles=tuple(sorted({r.party for r in roles})),
        case_director_party=case.case_director_party or "",
        case_director_person=case.case_director_person or "",
        delegates={p: sorted(persons) for p, persons in sorted(case.delegates.items())},
        closed=case.state is CaseState.CLOSED,
        # The last decision on who has a part that these facts hold (none: decided before
        # decisions had times): a consumer keeps a fact decided after it.
        changed_at=case.decided_at.isoformat() if case.decided_at else "",
        # What each party needs to know (8.4c, 15.1), as ROLES_SET carries it: a consumer that
        # missed a ROLES_SET decides need to know on these, not on a set it held before.
        information_needs={
            r.party: {"role": r.role, "information_need": list(r.information_need)} for r in roles
        },
    )


def restate_case(uow: CaseworkUnitOfWork, case_id: str) -> bool:
    """Emit the case's ``CaseRestated``; False when casework holds no such case."""
    event = restated(uow, case_id)
    if event is None:
        return False
    uow.emit(event)
    return True


def restate_all(
    uow_factory: Callable[[], UnitOfWork],
    done: list[str] | None = None,
    *,
    account: Callable[[int], object] | None = None,
) -> list[str]:
    """Every case casework holds restated, one unit of work each; the ids restated, appended
    to ``done`` as they commit (so a failure part way says how far it came). ``account`` is
    told how many cases are to be restated before any is (the operator's record in the access
    log): when it raises, none is (what cannot be recorded is not published)."""
    with cast(CaseworkUnitOfWork, uow_factory()) as uow:
        uow.reads_only()
        case_ids = uow.cases.case_ids()
    if account is not None:
        account(len(case_ids))
    done = [] if done is None else done
    for case_id in case_ids:
        with cast(CaseworkUnitOfWork, uow_factory()) as uow:
            if restate_case(uow, case_id):
                uow.commit()
                done.append(case_id)
    return done

"""The process directors, designated by the managers (art. 11.2, 12.1, 12.3; ADR 0005).

Only a holder of a managers seat designates or revokes (Rego decides); the person then acts on
behalf of that party. Every change is published as ``RosterChanged`` so the kernel's roster in
every service follows governance's, and a token's ``process_director`` role alone grants
nothing anywhere."""

from __future__ import annotations

from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.domain import commands as c
from services.governance.domain.roster import PROCESS_DIRECTOR, ProcessDirector, ProcessDirectorRow
from services.governance.service_layer.deps import Deps
from services.governance.service_layer.handlers.common import (
    active_party,
    authorise,
    known_party,
    roster_changed,
)
from zorgtafel.kernel.accesslog.service import saw
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import FailedPrecondition
from zorgtafel.kernel.events import next_decision_time
from zorgtafel.kernel.validate import check_oin, check_person


def designate_process_director(
    deps: Deps, uow: GovernanceUnitOfWork, cmd: c.DesignateProcessDirector, caller: Caller
) -> ProcessDirector:
    check_person(cmd.person, "person")
    # 12.3: acting for an active party. The party's row is locked until the transaction ends:
    # its roster's changes (and its withdrawal or exclusion, which ends them) are decided one
    # after the other, each on the entry the last one left, also for a person never designated.
    party = active_party(uow, cmd.party, "party", lock=True)
    authorise(deps, uow, caller, "designate_process_director", party=party.party_id)
    # The person's entry in whatever case it was designated first ("PD-1" is pd-1).
    entries = uow.roster.entries_for_update(party.party_id, cmd.person)
    designated = next((e for e in entries if e.designated), None)
    if designated is not None:  # designated already: nothing changes
        return designated
    # After the entry's revocation, whatever this replica's clock says: the services ignore a
    # roster change older than the one they hold, and the person would direct nothing.
    now = next_decision_time(deps.now(), max((e.last_change for e in entries), default=None))
    if entries:
        entry = entries[0]
        entry.designate_again(now, caller.party, caller.person)
    else:
        entry = ProcessDirector(party.party_id, cmd.person, now, caller.party, caller.person)
        uow.roster.add(entry)
    uow.emit(roster_changed(PROCESS_DIRECTOR, (entry.party, entry.person), True, now))
    return entry


def revoke_process_director(
    deps: Deps, uow: GovernanceUnitOfWork, cmd: c.RevokeProcessDirector, caller: Caller
) -> ProcessDirector:
    check_person(cmd.person, "person")
    party = known_party(uow, cmd.party, "party", lock=True)  # as designate_process_director
    authorise(deps, uow, caller, "revoke_process_director", party=party.party_id)
    # The person in any case, each entry still designated (one, unless variants were
    # designated before), each end published by the id it was designated as.
    entries = uow.roster.entries_for_update(party.party_id, cmd.person)
    directors = [e for e in entries if e.designated]
    if not directors:
        raise FailedPrecondition(
            "not_designated",
            "the person is not a designated process director of this party (art. 12.1)",
            subject="process_director",
        )
    # After the designation it ends, whatever this replica's clock says: the services ignore
    # a roster change older than the one they hold, and the person would go on directing.
    at = next_decision_time(deps.now(), max(d.designated_at for d in directors))
    for director in directors:
        director.revoke(at)  # the entry stays, revoked: a designation again is after it
        uow.emit(roster_changed(PROCESS_DIRECTOR, (director.party, director.person), False, at))
    return directors[0]


def list_process_directors(
    uow: GovernanceUnitOfWork,
    party: str,
    after: tuple[str, str] | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[ProcessDirectorRow]:
    """Who is designated, for one party or all: employees, not subjects (any active party's
    person may read it; authz). A page of them (after the (party, person) ``after``, else
    from ``offset``; at most ``limit``), in SQL."""
    if party:
        check_oin(party, "party")
        saw(resource=party)  # the party whose process directors were listed
    return uow.roster.page(party or None, after=after, offset=offset, limit=limit)

"""Governance's projection of the cases disputes may name (art. 8.4c, 12.3, 13.1, 13.4): from
casework's events, who directs the case, its case director, the parties involved and their
delegates, so the dispute policy decides by relationship to the case instead of granting a
dispute about it to every designated process director. Applied once each by the kernel (and
idempotent besides: each event sets a value or a set); who has a part (the roles, the case
director, each person's naming or release) in the order casework decided it (``changed_at``),
whatever order the events arrive in (the relay re-sends a batch on a suspected broker loss).
At CASE_PURGED the facts go with the case (1.2), and an event arriving after the purge does
not bring them back. ``CASE_RESTATED`` (``zorgtafel restate-cases``) makes a case opened before
governance kept these facts known here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.domain.cases import CaseParts, parties_with_a_part
from services.governance.service_layer.deps import Deps
from zorgtafel.contracts.casework import (
    CaseClosed,
    CaseOpened,
    CasePurged,
    CaseRestated,
    DelegateNamed,
    DelegateReleased,
    DirectorAppointed,
    MeetingHeld,
    MeetingScheduled,
    ProcessDirectorChanged,
    RolesSet,
)
from zorgtafel.kernel.events import (
    InboundEvent,
    decided_at,
    in_decision_order,
    restatement_decides,
)
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.purge import case_to_link, lock_case

log = get_logger(__name__)


def _change(
    deps: Deps,
    uow: GovernanceUnitOfWork,
    event: InboundEvent,
    case_id: str,
    change: Callable[[CaseParts], CaseParts],
    *,
    closed: bool = False,
) -> None:
    """Apply ``change`` to the case's facts, unless the case is forgotten here (purged: a late
    event must not bring its facts back, 1.2). Decided under the case's lock, the order the
    purge handler takes it in too (kernel/purge.py)."""
    if not case_id or len(case_id) > 64:
        log.warning("event_without_case_id", type=event.type, event_id=event.id)
        return
    if case_to_link(uow.session, uow.tables, case_id) is None:
        return
    now = deps.now()
    before = uow.cases.get(case_id) or CaseParts(case_id)
    after = change(before)
    if after is before:
        return  # nothing to change (a late change, a restatement of a case known here)
    uow.cases.save(after, now, closed_at=now if closed and not before.closed else None)


def _parties(values: object) -> frozenset[str]:
    return frozenset(str(p) for p in values) if isinstance(values, list | tuple) else frozenset()


def on_case_opened(deps: Deps, uow: GovernanceUnitOfWork, event: InboundEvent) -> None:
    """12.3: the person who directs the case for its party; the parties invited in triage."""
    fact = event.typed(CaseOpened)
    director = (
        (fact.process_director_party, fact.process_director_person)
        if fact.process_director_party and fact.process_director_person
        else None  # absent in older events: nobody directs it (fail closed, as casework)
    )
    _change(
        deps,
        uow,
        event,
        fact.case_id,
        lambda p: replace(
            p,
            opened=True,
            # 12.3: not once casework changed who directs it (an opening re-sent after that)
            process_director=director
            if p.process_director_changed_at is None
            else p.process_director,
            invited=p.invited | _parties(fact.invitees),
        ),
    )


def on_meeting_scheduled(deps: Deps, uow: GovernanceUnitOfWork, event: InboundEvent) -> None:
    fact = event.typed(MeetingScheduled)
    invitees = _parties(fact.invitees)
    _change(deps, uow, event, fact.case_id, lambda p: replace(p, invited=p.invited | invitees))


def on_meeting_held(deps: Deps, uow: GovernanceUnitOfWork, event: InboundEvent) -> None:
    fact = event.typed(MeetingHeld)
    attendees = _parties(fact.attendees)
    _change(deps, uow, event, fact.case_id, lambda p: replace(p, invited=p.invited | attendees))


def on_roles_set(deps: Deps, uow: GovernanceUnitOfWork, event: InboundEvent) -> None:
    """8.4c: the complete set of roles; a party missing from it has no role any more. Applied
    in the order casework decided it: a set older than the one held changes nothing."""
    fact = event.typed(RolesSet)
    roles = _parties(list(fact.roles))
    at = fact.decided_at()

    def change(p: CaseParts) -> CaseParts:
        if not in_decision_order(at, p.roles_changed_at, grants=True):
            return p
        return replace(p, roles=roles, roles_changed_at=at or p.roles_changed_at)

    _change(deps, uow, event, fact.case_id, change)


def on_director_appointed(deps: Deps, uow: GovernanceUnitOfWork, event: InboundEvent) -> None:
    """13.1: the case director (replaces an earlier one, not a later one)."""
    fact = event.typed(DirectorAppointed)
    if fact.party and fact.person:
        who = (fact.party, fact.person)
        at = fact.decided_at()

        def change(p: CaseParts) -> CaseParts:
            if not in_decision_order(at, p.case_director_changed_at, grants=True):
                return p
            return replace(
                p, case_director=who, case_director_changed_at=at or p.case_director_changed_at
            )

        _change(deps, uow, event, fact.case_id, change)


def on_process_director_changed(deps: Deps, uow: GovernanceUnitOfWork, event: InboundEvent) -> None:
    """12.3: who directs the case now: nobody when the designation of the one who did ended,
    or the designated process director who took it over; in the order casework decided it (an
    older change that arrives late changes nothing)."""
    fact = event.typed(ProcessDirectorChanged)
    who = (fact.party, fact.person) if fact.party and fact.person else None
    at = fact.decided_at()

    def change(p: CaseParts) -> CaseParts:
        if not in_decision_order(at, p.process_director_changed_at, grants=who is not None):
            return p
        return replace(
            p,
            process_director=who,
            process_director_changed_at=at or p.process_director_changed_at,
        )

    _change(deps, uow, event, fact.case_id, change)


def _delegate(
    party: str, person: str, named: bool, at: datetime | None
) -> Callable[[CaseParts], CaseParts]:
    """The person named or released as the party's delegate at ``at``, unless a later naming
    or release of that person is held (a naming that arrives after the release leaves the
    person released); the time is kept, also a released person's."""

    def change(p: CaseParts) -> CaseParts:
        held = decided_at(p.delegates_changed_at.get(party, {}).get(person))
        if not in_decision_order(at, held, grants=named):
            return p
        times = p.delegates_changed_at
        if at is not None:
            times = {k: dict(v) for k, v in times.items()}
            times.setdefault(party, {})[person] = at.isoformat()
        persons = set(p.delegates.get(party, ()))
        if named:
            persons.add(person)
        else:
            persons.discard(person)
        delegates = {k: v for k, v in p.delegates.items() if k != party}
        if persons:
            delegates[party] = tuple(sorted(persons))
        return replace(p, delegates=delegates, delegates_changed_at=times)

    return change


def on_delegate_named(deps: Deps, uow: GovernanceUnitOfWork, event: InboundEvent) -> None:
    """8.4c, 16.1, Bijlage 3: within an involved party only its delegates have a part."""
    fact = event.typed(DelegateNamed)
    if fact.party and fact.person:
        change = _delegate(fact.party, fact.person, True, fact.decided_at())
        _change(deps, uow, event, fact.case_id, change)


def on_delegate_released(deps: Deps, uow: GovernanceUnitOfWork, event: InboundEvent) -> None:
    fact = event.typed(DelegateReleased)
    if fact.party and fact.person:
        change = _delegate(fact.party, fact.person, False, fact.decided_at())
        _change(deps, uow, event, fact.case_id, change)


def on_case_closed(deps: Deps, uow: GovernanceUnitOfWork, event: InboundEvent) -> None:
    """Closed, not gone: a dispute about the case director's work may still be raised and
    settled until the purge (1.2)."""
    fact = event.typed(CaseClosed)
    _change(deps, uow, event, fact.case_id, lambda p: replace(p, closed=True), closed=True)


def _restated(fact: CaseRestated) -> Callable[[CaseParts], CaseParts]:
    """A case known here (its opening seen) keeps what casework's events of it said: it has
    seen every change since. A case unknown here takes the restatement. One known only from
    events after governance began to keep these facts (its opening came before) takes the
    restatement's facts except those decided after it (the relay may re-send the restatement
    after a later change), its invitations added (they are never taken back)."""
    director = (
        (fact.process_director_party, fact.process_director_person)
        if fact.process_director_party and fact.process_director_person
        else None  # nobody directs it (fail closed, as casework)
    )
    case_director = (
        (fact.case_director_party, fact.case_director_person)
        if fact.case_director_party and fact.case_director_person
        else None
    )
    restated = {
        str(party): {str(p) for p in persons}
        for party, persons in fact.delegates.items()
        if isinstance(persons, list | tuple)
    }
    as_of = fact.decided_at()

    def delegates(p: CaseParts) -> dict[str, tuple[str, ...]]:
        held = {(party, person) for party, persons in p.delegates.items() for person in persons}
        stated = {(party, person) for party, persons in restated.items() for person in persons}
        kept = set()
        for party, person in held | stated:
            at = decided_at(p.delegates_changed_at.get(party, {}).get(person))
            wanted = (party, person) in stated if restatement_decides(as_of, at) else None
            if wanted or (wanted is None and (party, person) in held):
                kept.add((party, person))
        out: dict[str, tuple[str, ...]] = {}
        for party, person in sorted(kept):
            out[party] = (*out.get(party, ()), person)
        return out

    def change(p: CaseParts) -> CaseParts:
        if p.opened:
            return p
        roles_held = restatement_decides(as_of, p.roles_changed_at)
        director_held = restatement_decides(as_of, p.case_director_changed_at)
        process_director = p.process_director or director
        if p.process_director_changed_at is not None:  # casework changed who directs it (12.3)
            if restatement_decides(as_of, p.process_director_changed_at):
                process_director = director
        return replace(
            p,
            opened=True,
            process_director=process_director,
            case_director=case_director if director_held else p.case_director,
            invited=p.invited | _parties(fact.invitees),
            roles=_parties(fact.roles) if roles_held else p.roles,
            delegates=delegates(p),
            closed=p.closed or fact.closed,
        )

    return change


def on_case_restated(deps: Deps, uow: GovernanceUnitOfWork, event: InboundEvent) -> None:
    """An operator's restatement of a case casework holds (``zorgtafel restate-cases``), for
    the cases opened before governance kept these facts (migration 9c4e2a7d5b18): such a case
    becomes known here, so a dispute naming it is decided instead of answered UNAVAILABLE. A
    case known here already is left as it is (restating twice changes nothing), a purged one is
    not brought back."""
    fact = event.typed(CaseRestated)
    _change(deps, uow, event, fact.case_id, _restated(fact), closed=fact.closed)


def on_case_purged(deps: Deps, uow: GovernanceUnitOfWork, event: InboundEvent) -> None:
    """Casework purged the case (1.2): its facts go, and the disputes naming it keep standing,
    unlinked (a general matter from now on). Only the ids of the parties that had a part stay
    (no person): a dispute naming the purged id names the state to their people, who may know
    the case, and answers anyone else as an id never heard of. The kernel forgets the case id
    in its own tables in the same transaction, after this handler. The parties' ids go too
    after the retention period of the marker (kind ``purged_case_marker``, handlers/retention.py):
    from then on the id answers as one never given out, to everyone."""
    case_id = event.typed(CasePurged).case_id
    lock_case(uow.session, case_id)  # before any row: a dispute registered beside it waits
    parties = parties_with_a_part(uow.cases.get(case_id))
    uow.cases.keep_purged_parties(case_id, parties, deps.now())
    uow.cases.delete(case_id)
    uow.disputes.unlink_case(case_id)

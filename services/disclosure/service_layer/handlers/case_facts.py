"""Consumed facts, applied exactly once by the kernel: the case's subject pseudonym and age
band (intake, casework), roles and information needs (casework, art. 8.4c), the persons with a
part in the case (casework: its process director 12.3, case director 13.1 and the parties'
delegates, Bijlage 3) and the purge (casework, art. 1.2). Party status and the roster
(governance) are the kernel's own projections."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from services.disclosure.adapters.uow import DisclosureUnitOfWork
from services.disclosure.domain.decisions import AGE_BANDS
from services.disclosure.service_layer.deps import Deps
from zorgtafel.contracts.casework import (
    CaseClosed,
    CaseOpened,
    CasePurged,
    CaseRestated,
    DelegateNamed,
    DelegateReleased,
    DirectorAppointed,
    ProcessDirectorChanged,
    RolesSet,
)
from zorgtafel.contracts.disclosure import CaseRestrictionChanged
from zorgtafel.contracts.intake import (
    AgeBandChanged,
    CaseNominated,
    CaseTriaged,
    NominationForgotten,
)
from zorgtafel.kernel.errors import Unavailable
from zorgtafel.kernel.events import ContractViolation, InboundEvent
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.purge import case_to_link, forget_case, lock_case
from zorgtafel.kernel.uow import utcnow

log = get_logger(__name__)


def upsert_case(uow: DisclosureUnitOfWork, case_id: str, **values: Any) -> None:
    uow.cases.upsert(case_id, **values)


def _known_case(uow: DisclosureUnitOfWork, event: InboundEvent, case_id: str) -> str | None:
    """The event's case, or None when the id is unusable or the case was purged (a late event
    must not bring a purged case's facts back, art. 1.2)."""
    if not case_id or len(case_id) > 64:
        log.warning("event_without_case_id", type=event.type, event_id=event.id)
        return None
    # Under the case's lock, before any row of it is touched: events of one case come on two
    # topics, so with several replicas its purge can be applied beside this event; without the
    # lock a purge committing between this check and the write below would see its case's facts
    # written again (the purge handlers take the lock first too: one order, no deadlock).
    return case_to_link(uow.session, uow.tables, case_id)


def _ensure_key(uow: DisclosureUnitOfWork, case_id: str) -> None:
    """The case's data key is created here, on the single consumer thread, so two concurrent
    first Provides of a case never race to create it."""
    try:
        uow.keys.get_or_create(uow.session, case_id)
    except Unavailable:
        # No key ring configured: the projection is still kept; Provide fails closed.
        log.warning("case_key_not_created", case_id=case_id)


def _on_case_fact(uow: DisclosureUnitOfWork, event: InboundEvent, *, opened: bool) -> None:
    fact = event.payload
    if not isinstance(fact, CaseNominated | CaseTriaged | CaseOpened):
        raise ContractViolation(f"{event.type}: not a fact about a case's subject")
    case_id = _known_case(uow, event, fact.case_id)
    if case_id:
        director: dict[str, Any] = {}
        if (
            isinstance(fact, CaseOpened)
            and fact.process_director_person
            and not uow.cases.process_director_changed(case_id)
        ):
            # 12.3: the person who directs the case on behalf of the party (casework's fact;
            # not once casework changed who directs it: an opening re-sent after that).
            director = {
                "process_director_party": fact.process_director_party,
                "process_director_person": fact.process_director_person,
            }
        upsert_case(
            uow,
            case_id,
            subject_pseudonym=fact.subject_pseudonym,
            nominating_party=fact.nominating_party,
            age_band=fact.age_band if fact.age_band in AGE_BANDS else None,
            opened=opened or None,
            **director,
        )
        known = uow.cases.find(case_id)
        if known is None or not known.erased:  # an erased case's key stays destroyed
            _ensure_key(uow, case_id)
        granted = uow.cases.restricted_since(case_id) if opened else None
        if granted is not None:
            # Granted while it was a nomination: casework had no case to mark then, so it is
            # told now that it has one (GDPR art. 18; no request id: it restates a decision),
            # with the time it was granted: a lifting decided after the grant, written just
            # after this, must not look older than the restatement to casework.
            uow.emit(
                CaseRestrictionChanged(
                    case_id=case_id,
                    restricted=True,
                    subject_request_id="",
                    changed_at=granted.isoformat(),
                )
            )


def on_case_nominated(deps: Deps, uow: DisclosureUnitOfWork, event: InboundEvent) -> None:
    """Intake's nomination or triage: the subject's pseudonym and age band."""
    _on_case_fact(uow, event, opened=False)


def on_case_opened(deps: Deps, uow: DisclosureUnitOfWork, event: InboundEvent) -> None:
    _on_case_fact(uow, event, opened=True)


def on_roles_set(deps: Deps, uow: DisclosureUnitOfWork, event: InboundEvent) -> None:
    """Casework's roles replace the previous ones (8.4c): {OIN: {role, information_need}},
    unless roles decided later are held (the casework decisions apply in the order they were
    taken, ``changed_at``: a re-sent older set that arrives late changes nothing)."""
    roles_set = event.typed(RolesSet)
    case_id = _known_case(uow, event, roles_set.case_id)
    if not case_id:
        return
    roles = json.dumps(_roles(roles_set.roles), sort_keys=True)
    if not uow.cases.set_roles(case_id, roles, roles_set.decided_at()):
        log.info("case_fact_out_of_order", type=event.type, case_id=case_id)


def _roles(stated: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Casework's roles as kept here: {OIN: {role, information_need (sorted, each once)}}."""
    clean = {}
    for party, v in stated.items():
        if isinstance(v, dict):
            need = v.get("information_need") or []
            clean[str(party)] = {
                "role": str(v.get("role", "")),
                "information_need": sorted({str(c) for c in need}),
            }
    return clean


def on_director_appointed(deps: Deps, uow: DisclosureUnitOfWork, event: InboundEvent) -> None:
    """13.1: the case director, a named person of an involved party (replaces an earlier one
    appointed before it; a late, older appointment changes nothing)."""
    fact = event.typed(DirectorAppointed)
    case_id = _known_case(uow, event, fact.case_id)
    if case_id and fact.party and fact.person:
        if not uow.cases.set_case_director(case_id, fact.party, fact.person, fact.decided_at()):
            log.info("case_fact_out_of_order", type=event.type, case_id=case_id)


def on_process_director_changed(deps: Deps, uow: DisclosureUnitOfWork, event: InboundEvent) -> None:
    """12.3: who directs the case now: nobody when the designation of the one who did ended
    (a revoking fact), or the designated process director who took it over. Applied in the
    order casework decided it: an older change that arrives late changes nothing."""
    fact = event.typed(ProcessDirectorChanged)
    case_id = _known_case(uow, event, fact.case_id)
    if case_id:
        director = (fact.party, fact.person) if fact.party and fact.person else None
        if not uow.cases.set_process_director(case_id, director, fact.decided_at()):
            log.info("case_fact_out_of_order", type=event.type, case_id=case_id)


def on_delegate_named(deps: Deps, uow: DisclosureUnitOfWork, event: InboundEvent) -> None:
    """An involved party named a person as its delegate: only such persons of the party reach
    the case (8.4c, Bijlage 3). A naming decided before the person's release that arrives
    after it (a re-sent batch) leaves the person released."""
    fact = event.typed(DelegateNamed)
    case_id = _known_case(uow, event, fact.case_id)
    if case_id and fact.party and fact.person:
        _set_delegate(uow, event, case_id, fact, named=True)


def on_delegate_released(deps: Deps, uow: DisclosureUnitOfWork, event: InboundEvent) -> None:
    fact = event.typed(DelegateReleased)
    case_id = _known_case(uow, event, fact.case_id)
    if case_id and fact.party and fact.person:
        _set_delegate(uow, event, case_id, fact, named=False)


def _set_delegate(
    uow: DisclosureUnitOfWork,
    event: InboundEvent,
    case_id: str,
    fact: DelegateNamed | DelegateReleased,
    named: bool,
) -> None:
    if not uow.cases.set_delegate(case_id, fact.party, fact.person, named, fact.decided_at()):
        log.info("case_fact_out_of_order", type=event.type, case_id=case_id)


def on_case_closed(deps: Deps, uow: DisclosureUnitOfWork, event: InboundEvent) -> None:
    """Casework closed the case (art. 1.2: the Zorgtafel is no longer needed; the dossier is
    cleansed and finally removed). From now on ``zorgtafel.disclosure`` releases its items to
    no one but their provider, until the purge deletes them. A redelivery keeps the first
    time (upsert never overwrites with an absent value; the kernel applies an event once)."""
    fact = event.typed(CaseClosed)
    case_id = _known_case(uow, event, fact.case_id)
    if not case_id:
        return
    known = uow.cases.find(case_id)
    if known is None or not known.closed:
        upsert_case(uow, case_id, closed_at=utcnow())


def on_case_restated(deps: Deps, uow: DisclosureUnitOfWork, event: InboundEvent) -> None:
    """An operator's restatement of a case casework holds (``zorgtafel restate-cases``), for
    the cases opened before disclosure kept who has a part in them (migration 114226e7f72b):
    their delegates and case director had no relation here and were refused (ADR 0005). A
    relation not known is learnt, one decided after the restatement is kept
    (``CaseFactsRepository.restate``), a closed case is closed, a purged one is not brought
    back; applying it again changes nothing. Each party's role and information need are taken
    from it too (8.4c, 15.1), so need to know is not decided on a set casework replaced since.
    A revoking fact (ADR 0012): it may take away a delegate, a case director, a party's role or
    an information need casework no longer holds."""
    fact = event.typed(CaseRestated)
    case_id = _known_case(uow, event, fact.case_id)
    if not case_id:
        return

    def person(party: str, who: str) -> tuple[str, str] | None:
        return (party, who) if party and who else None  # nobody (fail closed, as casework)

    delegates = {
        str(party): {str(p) for p in persons if p}
        for party, persons in fact.delegates.items()
        if party and isinstance(persons, list | tuple)
    }
    changed = uow.cases.restate(
        case_id,
        process_director=person(fact.process_director_party, fact.process_director_person),
        case_director=person(fact.case_director_party, fact.case_director_person),
        delegates=delegates,
        roles=frozenset(str(p) for p in fact.roles),
        as_of=fact.decided_at(),
        needs=_roles(fact.information_needs),
    )
    if fact.closed:
        known = uow.cases.find(case_id)
        if known is not None and not known.closed:  # closed here first: its time stays
            upsert_case(uow, case_id, closed_at=utcnow())
            changed = True
    if not changed:
        log.info("case_restated_unchanged", case_id=case_id)


def on_case_purged(deps: Deps, uow: DisclosureUnitOfWork, event: InboundEvent) -> None:
    """Casework purged the case (art. 1.2): delete the items, consents and projections and
    destroy the case key (which also makes review justifications unreadable); the subject
    requests about the case stay as an account, unlinked from it. The access log stays: it
    holds pseudonyms only (NEN 7513). The kernel's rows of the case (stored command
    responses, sent outbox rows) are the kernel consumer's to forget.

    But not what a subject's restriction holds here (GDPR art. 18(2): only storage): casework
    knows only restrictions of the whole case, so it purges a case with an item restricted on
    its own, and one whose restriction disclosure granted before casework learnt it. Then the
    restricted items (with the written consents naming them), the case's facts and key stay,
    or everything of a restricted case, marked ``purge_held_at``; the rest goes now, and what
    is held goes at the first retention tick after the lifting (``purge_held_case``). An
    erased case is purged at once, restricted or not."""
    # Not _known_case: the purge is the one event of a case that must act whatever the kernel
    # remembers (it marks the case forgotten in this same transaction, after this handler).
    case_id = event.typed(CasePurged).case_id
    lock_case(uow.session, case_id)  # before any row: see _known_case
    if not _held_by_a_restriction(uow, case_id):
        _purge(uow, case_id)


def _held_by_a_restriction(uow: DisclosureUnitOfWork, case_id: str) -> bool:
    """Whether a restriction holds the purge (or forgetting) of the case: then what it holds
    is kept and the rest deleted (``on_case_purged``), the case marked ``purge_held_at``.
    The case's row first: it waits for any addition holding it (CaseFactsRepository.find), so
    the deletes see that addition's rows; then its items' rows, the order a grant or lifting
    of a restriction takes them in, so one decided meanwhile is seen here."""
    uow.cases.lock([case_id])
    uow.items.lock_of_cases([case_id])
    facts = uow.cases.find(case_id)
    held_items = uow.items.restricted_of_case(case_id)
    # An erased case (art. 17, which a restriction does not hold back: project README,
    # Retention) has nothing left to hold: its content and key went with the erasure.
    if facts is None or facts.erased or not (facts.restricted or held_items):
        return False
    if not facts.restricted:
        uow.items.delete_case(case_id, keep=held_items)
        uow.consents.delete_case(case_id, keep_items=held_items)
    uow.cases.hold_purge(case_id, utcnow())
    log.info("case_purge_held", case_id=case_id, items=len(held_items))
    return True


def _purge(uow: DisclosureUnitOfWork, case_id: str) -> None:
    uow.cases.delete(case_id)
    uow.items.delete_case(case_id)
    uow.consents.delete_case(case_id)
    uow.reviews.erase_case(case_id)
    uow.subject_requests.unlink_case(case_id)
    uow.keys.destroy(uow.session, case_id)


def purge_held_case(uow: DisclosureUnitOfWork, case_id: str) -> bool:
    """The purge a restriction held (``on_case_purged``), once no restriction of the case nor
    of one of its items holds any more: everything of it goes as at CASE_PURGED, and what the
    kernel linked to it since (answers of requests made meanwhile); at once once the case is
    erased (art. 17: nothing is left to hold). False when it is gone
    (another replica was first), was never held, or is restricted again: read under the
    case's and its items' locks, those a grant or lifting takes."""
    lock_case(uow.session, case_id)
    uow.cases.lock([case_id])
    uow.items.lock_of_cases([case_id])
    facts = uow.cases.find(case_id)
    if facts is None or not uow.cases.purge_held(case_id):
        return False
    if not facts.erased and (facts.restricted or uow.items.restricted_of_case(case_id)):
        return False
    _purge(uow, case_id)
    forget_case(uow.session, uow.tables, case_id)
    log.info("held_case_purged", case_id=case_id)
    return True


def on_nomination_forgotten(deps: Deps, uow: DisclosureUnitOfWork, event: InboundEvent) -> None:
    """Intake forgot a nomination that ended without a case, after its retention period
    (Bijlage 3 "houdbaarheid"): the projection and the case key made on CASE_NOMINATED go, and
    anything provided or consented on it, as at a purge; the id is remembered as forgotten so a
    late event does not bring it back. A case casework opened is never touched here: its data
    goes with casework's purge. What a restriction holds is kept as at a purge, until the
    first tick after the lifting (``on_case_purged``)."""
    case_id = event.typed(NominationForgotten).case_id
    if not case_id or len(case_id) > 64:
        return
    lock_case(uow.session, case_id)  # before any row: see _known_case
    facts = uow.tables["case_facts"]
    opened = uow.session.execute(select(facts.c.opened).where(facts.c.case_id == case_id)).scalar()
    if opened:
        log.warning("forgotten_nomination_is_a_case", case_id=case_id)
        return
    # Intake may forget it before it learnt the restriction disclosure granted (GDPR art.
    # 18(2)): held as a purged case is, and forgotten at the first tick after the lifting.
    if not _held_by_a_restriction(uow, case_id):
        _purge(uow, case_id)  # the case's row first, as on a purge
    forget_case(uow.session, uow.tables, case_id)


def on_age_band_changed(deps: Deps, uow: DisclosureUnitOfWork, event: InboundEvent) -> None:
    """The subject moved into another consent age band (Bijlage 3: the age on the day of the
    decision counts): the next consent decision uses the new band."""
    fact = event.typed(AgeBandChanged)
    case_id = _known_case(uow, event, fact.case_id)
    if case_id and fact.age_band in AGE_BANDS and uow.cases.known(case_id):
        upsert_case(uow, case_id, age_band=fact.age_band)

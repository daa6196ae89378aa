"""Intake on its own clock (kernel/scheduler.py): nominations that ended without a case are
forgotten after their retention period (Bijlage 3 "houdbaarheid"), and the subject's consent
age band follows the birthday of a nomination or case in progress (Bijlage 3). Each record in
its own unit of work, read again and locked there, so two replicas do the work once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from services.intake.adapters.repository import NominationRepository
from services.intake.domain.events import AgeBandChanged, NominationForgotten
from services.intake.domain.retention import band_change, in_progress
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.purge import is_forgotten
from zorgtafel.kernel.uow import UnitOfWork

log = get_logger("zorgtafel.intake")

UowFactory = Callable[[], UnitOfWork]


# -- nominations that ended without a case ----------------------------------------------------
def ended_nominations_due(
    uow_factory: UowFactory, period: timedelta | None, now: datetime
) -> list[str]:
    assert period is not None  # the task names a kind: the scheduler passes its period
    with uow_factory() as uow:
        return NominationRepository(uow).ended_before(now - period)


def forget_nomination(
    uow_factory: UowFactory, case_id: str, period: timedelta | None, now: datetime
) -> bool:
    """Forget one ended nomination past its period; False when it is gone, reopened or not
    yet due. Disclosure learns it from ``NominationForgotten`` (ids only)."""
    assert period is not None
    with uow_factory() as uow:
        repo = NominationRepository(uow)
        ended = repo.ended_at(case_id)
        if ended is None or now < ended + period:
            return False
        # A nomination still linked to it shared its outcome, which ended as long ago (an
        # earlier version left one linked when its nomination was routed away): it goes with
        # it, rather than stay "linked" to nothing, without a process director, where any
        # designated one read it as the intake queue's (12.3). One the subject's restriction
        # of its case holds stays (GDPR art. 18(2)), linked to nothing, in nobody's queue, and
        # goes at the first tick after its lifting (``ended_before``).
        for linked_id in repo.linked_case_ids(case_id):
            if repo.is_restricted(linked_id):
                continue
            repo.forget(linked_id)
            uow.emit(NominationForgotten(case_id=linked_id))
        repo.forget(case_id)
        uow.emit(NominationForgotten(case_id=case_id))
        uow.commit()
        return True


# -- triage rounds of a routed case ------------------------------------------------------------
def triage_rounds_due(
    uow_factory: UowFactory, period: timedelta | None, now: datetime
) -> list[str]:
    assert period is not None
    with uow_factory() as uow:
        return NominationRepository(uow).triage_rounds_routed_before(now - period)


def drop_triage_round(
    uow_factory: UowFactory, case_id: str, period: timedelta | None, now: datetime
) -> bool:
    """The triage round (1.15, 12.2b) served the routing; its question and the parties'
    answers go after their period (the rest of the case goes with casework's purge)."""
    assert period is not None
    with uow_factory() as uow:
        repo = NominationRepository(uow)
        routed = repo.routed_at(case_id)
        if routed is None or now < routed + period or not repo.drop_triage_round(case_id):
            return False
        uow.commit()
        return True


# -- the consent age band follows the birthday ----------------------------------------------
def age_bands_due(uow_factory: UowFactory, _period: timedelta | None, now: datetime) -> list[str]:
    """Nominations in progress whose subject is in another band today (Europe/Amsterdam)."""
    with uow_factory() as uow:
        return [
            case_id
            for case_id, band, dob in NominationRepository(uow).in_progress_birthdates()
            if band_change(dob, band, now) is not None
        ]


def follow_age_band(
    uow_factory: UowFactory, case_id: str, _period: timedelta | None, now: datetime
) -> bool:
    """Record the subject's band of today and tell casework and disclosure: the band and the
    case id only, never the date of birth."""
    with uow_factory() as uow:
        repo = NominationRepository(uow)
        nom = repo.get(case_id)
        if nom is None or not in_progress(nom.status, nom.routing):
            return False
        band = band_change(nom.identity.date_of_birth, nom.age_band, now)
        if band is None:
            return False
        repo.set_age_band(nom, band)
        uow.emit(AgeBandChanged(case_id=case_id, age_band=band.value))
        uow.commit()
        log.info("age_band_changed", case_id=case_id, age_band=band.value)
        return True


# -- a purge a restriction held (GDPR art. 18(2)) ----------------------------------------------
def held_purges_due(uow_factory: UowFactory, _period: timedelta | None, now: datetime) -> list[str]:
    with uow_factory() as uow:
        return NominationRepository(uow).held_purges_lifted()


def purge_held(
    uow_factory: UowFactory, case_id: str, _period: timedelta | None, now: datetime
) -> bool:
    """Purge a nomination whose purge a restriction held, once it is lifted: casework's case
    at CASE_PURGED, or a nomination linked to a purged one (``NominationRepository.purge``);
    False when it is gone (another replica was first, or it ended and was forgotten), never
    held or restricted again (read under the row's lock, the one a grant or lifting takes).
    Disclosure learns of each nomination purged here (NominationForgotten) but casework's
    case, which it learnt of from casework's purge (the id forgotten then, here too)."""
    with uow_factory() as uow:
        repo = NominationRepository(uow)
        if repo.is_restricted(case_id) or not repo.purge_held(case_id):
            return False
        told = is_forgotten(uow.session, uow.tables, case_id)
        purged = repo.purge(case_id)
        for other in purged:
            if other != case_id or not told:
                uow.emit(NominationForgotten(case_id=other))
        log.info("held_case_purged", case_id=case_id, nominations=len(purged))
        uow.commit()
        return True

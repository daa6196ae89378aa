"""Facts intake consumes from casework and disclosure, applied exactly once by the kernel's
consumer."""

from __future__ import annotations

from services.intake.adapters.repository import NominationRepository
from services.intake.domain.assessment import CONSENT_WITHDRAWN
from services.intake.domain.events import NominationForgotten
from services.intake.service_layer.deps import Deps
from zorgtafel.contracts.casework import CaseClosed, CasePurged
from zorgtafel.contracts.disclosure import (
    CaseRestrictionChanged,
    SubjectConsentChanged,
    SubjectErased,
)
from zorgtafel.kernel.events import InboundEvent
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.purge import forget_case
from zorgtafel.kernel.uow import UnitOfWork, utcnow

log = get_logger("zorgtafel.intake")


def on_case_purged(deps: Deps, uow: UnitOfWork, event: InboundEvent) -> None:
    """casework purged the case (1.2: the dossier finally disappears): erase intake's copy,
    identity ciphertexts, triage answers, stored responses and events, and destroy its key.
    But not while the subject's restriction of the case holds here (GDPR art. 18(2): only
    storage; casework purged it before it learnt the restriction): the nomination is kept,
    marked, and purged at the first retention tick after the lifting
    (``purge_held_by_a_restriction``)."""
    case_id = event.typed(CasePurged).case_id
    repo = NominationRepository(uow)
    if repo.is_restricted(case_id):  # the row locked, as a grant or lifting takes it
        repo.hold_purge(case_id, utcnow())
        # Its id forgotten now, as the consumer does after this handler at every CASE_PURGED:
        # the retention task reads it so (disclosure learnt this purge from casework).
        forget_case(uow.session, uow.tables, case_id)
        log.info("case_purge_held", case_id=case_id)
        return
    purged = repo.purge(case_id)
    # The nominations linked to it (the same subject) went with it, but not one the subject's
    # restriction of its own case holds (``purge``: purged after its lifting). Disclosure knows
    # each from its own CASE_NOMINATED and learns it went as any nomination intake forgot;
    # casework's purge names the case alone.
    for other in purged:
        if other != case_id:
            uow.emit(NominationForgotten(case_id=other))
    log.info("case_purged", case_id=case_id, nominations=len(purged))


def on_case_closed(deps: Deps, uow: UnitOfWork, event: InboundEvent) -> None:
    """The case is closed in casework: the subject no longer has an open nomination."""
    case_id = event.typed(CaseClosed).case_id
    repo = NominationRepository(uow)
    repo.release_tokens(case_id)
    repo.close_routed(case_id)


def on_subject_erased(deps: Deps, uow: UnitOfWork, event: InboundEvent) -> None:
    """The controller's privacy officer granted the erasure of everything about a subject, or
    of one of its cases (Bijlage 3, GDPR art. 17): intake forgets each nomination named at
    once, in any state (a case casework holds goes there too and its CASE_PURGED finds nothing left here)."""
    erased = event.typed(SubjectErased)
    repo = NominationRepository(uow)
    forgotten = 0
    for case_id in erased.case_ids:
        if repo.get(case_id) is not None:
            purged = repo.purge(case_id)
            forgotten += len(purged)
            # A nomination linked to one of them that the erasure does not name (made while it
            # was carried out: disclosure named the cases it knew) goes with it here; disclosure
            # learns it as it learns any nomination intake forgot, or would keep its facts.
            # One the subject's restriction of its own case holds stays until the lifting
            # (``purge``), and disclosure learns it then.
            for other in purged:
                if other not in erased.case_ids:
                    uow.emit(NominationForgotten(case_id=other))
    log.info("subject_erased", nominations=forgotten)


def on_case_restriction_changed(deps: Deps, uow: UnitOfWork, event: InboundEvent) -> None:
    """The controller granted the subject's restriction of the case, or lifted it (Bijlage 3
    "afschermen", GDPR art. 18): while it holds, ``zorgtafel.intake.access`` shares the
    nomination with no party beyond its nominator and its process director (no triage question
    read, no party asked, no case meeting routed). The decisions apply in the order disclosure
    took them (``changed_at``): one older than the decision applied last arrived late and
    changes nothing, a lifting before a later grant as a grant before a later lifting; a
    lifting that cannot be placed is not applied (fail closed)."""
    changed = event.typed(CaseRestrictionChanged)
    at = changed.decided_at()
    if at is None and not changed.restricted:
        log.warning("restriction_lifting_without_time", case_id=changed.case_id)
        return
    repo = NominationRepository(uow)
    if repo.set_restricted(changed.case_id, changed.restricted, at or utcnow()):
        log.info("case_restriction_changed", case_id=changed.case_id, restricted=changed.restricted)


def on_subject_consent_changed(deps: Deps, uow: UnitOfWork, event: InboundEvent) -> None:
    """The subject's consent for the case was recorded or withdrawn in disclosure (Bijlage 3,
    GDPR art. 7(3)): from then on ``zorgtafel.intake.access`` shares the nomination beyond its
    nominator and its process director on the consent as it now stands: the latest decision
    (``changed_at``), whatever order the events arrive in; an older one that came late changes
    nothing. A status other than "given" counts as withdrawn (fail closed), and a "given" that
    cannot be placed in time is not applied (a withdrawal without one is, as of now). Setting
    it again on a redelivery changes nothing."""
    changed = event.typed(SubjectConsentChanged)
    status = "given" if changed.status == "given" else CONSENT_WITHDRAWN
    at = changed.decided_at()
    if at is None and status == "given":
        log.warning("consent_given_without_time", case_id=changed.case_id)
        return
    repo = NominationRepository(uow)
    if repo.set_consent_recorded(changed.case_id, status, at or utcnow()):
        log.info("subject_consent_changed", case_id=changed.case_id, status=status)

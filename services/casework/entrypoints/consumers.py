"""Events casework consumes: intake's triage outcome opens a case (routing ``case_meeting``).
(The kernel keeps the party-status projection current from governance's events itself.)"""

from __future__ import annotations

from services.casework.adapters.uow import CaseworkUnitOfWork
from services.casework.service_layer.deps import Deps
from services.casework.service_layer.handlers import closing, opening
from zorgtafel.contracts.disclosure import CaseRestrictionChanged, SubjectErased
from zorgtafel.contracts.intake import AgeBandChanged, CaseTriaged
from zorgtafel.kernel.events import InboundEvent
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.uow import utcnow

log = get_logger(__name__)

CASE_MEETING = "case_meeting"


def on_case_triaged(deps: Deps, uow: CaseworkUnitOfWork, event: InboundEvent) -> None:
    """Only a case routed to a case meeting becomes a Zorgtafel case here; regular care and a
    direct ZVH routing stay with intake (DOMAIN.md, triage)."""
    triaged = event.typed(CaseTriaged)
    if triaged.routing != CASE_MEETING:
        return
    cmd = opening.open_case_command(triaged)
    if opening.open_case(uow, cmd):
        log.info("case_opened", case_id=cmd.case_id)


def on_age_band_changed(deps: Deps, uow: CaseworkUnitOfWork, event: InboundEvent) -> None:
    """The subject's consent age band changed on a birthday (Bijlage 3): the case's band
    follows, so the next decision is judged by the age on its own day."""
    changed = event.typed(AgeBandChanged)
    if opening.follow_age_band(uow, changed.case_id, changed.age_band):
        log.info("age_band_changed", case_id=changed.case_id, age_band=changed.age_band)


def on_subject_erased(deps: Deps, uow: CaseworkUnitOfWork, event: InboundEvent) -> None:
    """The controller's privacy officer granted the erasure of everything about a subject, or
    of one of its cases (Bijlage 3, GDPR art. 17): each case named goes at once, whatever its
    state."""
    erased = event.typed(SubjectErased)
    now = utcnow()
    for case_id in erased.case_ids:
        if closing.erase(uow, case_id, now):
            log.info("case_erased", case_id=case_id)


def on_case_restriction_changed(deps: Deps, uow: CaseworkUnitOfWork, event: InboundEvent) -> None:
    """The controller granted the subject's restriction of the case, or lifted it (Bijlage 3
    "afschermen", GDPR art. 18): while it holds, ``zorgtafel.casework.view`` and ``.act`` show
    nothing of the case but its status (no subject, meetings, roles, plan or minutes). The
    decisions apply in the order disclosure took them (``changed_at``): one older than the
    decision applied last arrived late and changes nothing, a lifting before a later grant as
    a grant before a later lifting."""
    changed = event.typed(CaseRestrictionChanged)
    at = changed.decided_at()
    if at is None and not changed.restricted:
        # A lifting that cannot be placed after the grant it ends is not applied (fail closed).
        log.warning("restriction_lifting_without_time", case_id=changed.case_id)
        return
    if uow.cases.set_restricted(changed.case_id, changed.restricted, at or utcnow()):
        log.info("case_restriction_changed", case_id=changed.case_id, restricted=changed.restricted)
        if not changed.restricted:  # a case closed while restricted is cleansed now (1.2)
            closing.cleanse_after_lifting(deps, uow, changed.case_id)

"""1. A case opens from intake's triage outcome (routing ``case_meeting``)."""

from __future__ import annotations

from services.casework.adapters.uow import CaseworkUnitOfWork
from services.casework.domain import commands as c
from services.casework.domain import events as ev
from services.casework.domain.model import Case, CaseState
from zorgtafel.contracts.intake import CaseTriaged
from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.kernel.purge import lock_case
from zorgtafel.kernel.uow import utcnow
from zorgtafel.kernel.validate import (
    check_id,
    check_oin,
    check_oins,
    check_person,
    check_pseudonym,
)

AGE_BANDS = {"under_12", "12_to_16", "16_plus", "unknown"}


def open_case_command(triaged: CaseTriaged) -> c.OpenCase:
    """The case to open from intake's triage outcome; its types are the contract's, its
    formats (ids, codes, pseudonyms) are checked here."""
    cmd = c.OpenCase(
        case_id=triaged.case_id,
        subject_pseudonym=triaged.subject_pseudonym,
        nominating_party=triaged.nominating_party,
        age_band=triaged.age_band or "unknown",
        process_director_party=triaged.process_director_party,
        process_director_person=triaged.process_director_person,
        goal_code=triaged.goal_code,
        themes=triaged.themes,
        decision_types=triaged.decision_types,
        invitees=triaged.invitees,
    )
    check_id(cmd.case_id, "case_id")
    check_pseudonym(cmd.subject_pseudonym, "subject_pseudonym")
    check_oin(cmd.nominating_party, "nominating_party")
    check_oin(cmd.process_director_party, "process_director_party")
    if cmd.process_director_person:  # absent in older events: it awaits one (open_case)
        check_person(cmd.process_director_person, "process_director_person")
    check_oins(cmd.invitees, "invitees")
    if cmd.age_band not in AGE_BANDS:
        raise InvalidArgument("age_band", "unknown age band")
    return cmd


def open_case(uow: CaseworkUnitOfWork, cmd: c.OpenCase) -> bool:
    """Open the case once; False when it exists or was purged (a redelivered or late event),
    decided under the case's lock (an erasure of the not yet opened case, applied beside this
    by another replica, takes it too: ``CaseRepository.forget_unopened``)."""
    lock_case(uow.session, cmd.case_id)
    if uow.cases.exists(cmd.case_id) or uow.cases.was_purged(cmd.case_id):
        return False
    opened_at = utcnow()
    case = Case(
        case_id=cmd.case_id,
        state=CaseState.OPEN,
        process_director_party=cmd.process_director_party,
        process_director_person=cmd.process_director_person,
        nominating_party=cmd.nominating_party,
        subject_pseudonym=cmd.subject_pseudonym,
        age_band=cmd.age_band,
        opened_at=opened_at,
        goal_code=cmd.goal_code,
        themes=cmd.themes,
        decision_types=cmd.decision_types,
        triage_invitees=cmd.invitees,
        # 12.3: intake named no person (an event of an intake before it named one): nobody
        # directs the case from its opening, and it awaits a process director as one whose
        # director left does, for a designated one to take it over; not a case nobody could
        # ever act on.
        process_director_left_at=None if cmd.process_director_person else opened_at,
    )
    uow.cases.add(case)
    uow.emit(
        ev.CaseOpened(
            case_id=case.case_id,
            subject_pseudonym=case.subject_pseudonym,
            nominating_party=case.nominating_party,
            age_band=case.age_band,
            invitees=case.triage_invitees,
            process_director_party=case.process_director_party,
            process_director_person=case.process_director_person,
        )
    )
    return True


def follow_age_band(uow: CaseworkUnitOfWork, case_id: str, age_band: str) -> bool:
    """Intake noticed the subject moved into another consent age band (Bijlage 3: the band on
    the day of the decision counts): the case follows. A band outside the vocabulary or an
    unknown (or purged) case changes nothing."""
    if age_band not in AGE_BANDS:
        return False
    return uow.cases.set_age_band(case_id, age_band)

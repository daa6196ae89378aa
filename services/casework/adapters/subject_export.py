"""Finding a subject's cases for the subject access report. Casework keeps the pseudonym sealed
under each case's key (so a table dump does not link cases to a subject): the cases are opened
one by one, newest first, up to a bound."""

from __future__ import annotations

from sqlalchemy import select

from services.casework.adapters import orm
from services.casework.adapters.sealing import unseal
from zorgtafel.kernel.casekeys import CaseKeys
from zorgtafel.kernel.uow import UnitOfWork

MAX_CASES_SCANNED = 5000  # a bound on the work of one report, far above a region's cases


def case_ids_of_subject(uow: UnitOfWork, keys: CaseKeys, pseudonym: str) -> list[str]:
    c = orm.cases
    rows = uow.session.execute(
        select(c.c.case_id, c.c.subject_pseudonym_sealed)
        .order_by(c.c.opened_at.desc(), c.c.case_id)
        .limit(MAX_CASES_SCANNED)
    )
    found = []
    for row in rows:
        key = keys.find(uow.session, row.case_id)
        if key is None:  # erased: nothing of it can be read
            continue
        if unseal(key, row.subject_pseudonym_sealed, f"case:{row.case_id}:subject") == pseudonym:
            found.append(row.case_id)
    return found

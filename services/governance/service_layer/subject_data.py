"""Governance's part of the subject access report (issue #14): governance keeps no personal
data about data subjects (parties are organisations, people appear only as the pseudonymous
subject of their token, a dispute carries a case id only, and of a case governance keeps only
who has a part in it, a copy of casework's facts that casework's part of the report gives:
``adapters/orm``), and says so to a privacy officer instead of failing, without saying whether
it has heard of the case."""

from __future__ import annotations

from zorgtafel.kernel.subjectdata.model import Holding
from zorgtafel.kernel.uow import UnitOfWork

NOTE = (
    "Governance keeps no data about data subjects: parties are organisations, people appear "
    "only as the pseudonymous subject of their token, a dispute carries a case id only, and "
    "of a case it keeps only who has a part in it, as casework reports it (Bijlage 3, data "
    "minimisation)."
)


def export(uow: UnitOfWork, by: str, value: str) -> Holding | None:
    return Holding(case_ids=(), controllers=frozenset(), holds_subject_data=False, note=NOTE)

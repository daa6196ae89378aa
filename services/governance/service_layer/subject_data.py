"""Governance's part of the subject access report (issue #14): governance keeps no personal
data about data subjects (parties are organisations, people appear only as the pseudonymous
subject of their token, a dispute carries a case id only: ``adapters/orm``), and says so to a
privacy officer instead of failing, without saying whether it has heard of the case."""

from __future__ import annotations

from zorgtafel.kernel.subjectdata.model import Holding
from zorgtafel.kernel.uow import UnitOfWork

NOTE = (
    "Governance keeps no data about data subjects: parties are organisations, people appear "
    "only as the pseudonymous subject of their token, and a dispute carries a case id only "
    "(Bijlage 3, data minimisation)."
)


def export(uow: UnitOfWork, by: str, value: str) -> Holding | None:
    return Holding(case_ids=(), controllers=frozenset(), holds_subject_data=False, note=NOTE)

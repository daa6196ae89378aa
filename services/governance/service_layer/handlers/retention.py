"""Governance on its own clock (kernel/scheduler.py): the marker of a purged case (the ids of
the parties that had a part in it, ``purged_case_parties``, kept at CASE_PURGED so that their
people are told ``case_purged`` when they name it in a dispute) goes after its retention period
(policies/rego/retention, kind ``purged_case_marker``; art. 1.2: the dossier finally
disappears). From then on the purged id answers as an id never given out, to everyone.

A tick lists at most ``BATCH`` purged cases due, oldest marker first; each is dropped in its own
transaction under the case's lock (a RegisterDispute naming it reads the marker before or
after, never half of it), and one already gone or no longer due is left alone, so two
replicas, or a tick run twice, drop it once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import cast

from services.governance.adapters.uow import GovernanceUnitOfWork
from zorgtafel.kernel.purge import lock_case
from zorgtafel.kernel.uow import UnitOfWork

PURGED_CASE_MARKER = "purged_case_marker"  # the retention kind (retention/data.json)
BATCH = 500  # purged cases per tick; the rest are due again at the next tick

UowFactory = Callable[[], UnitOfWork]


def purge_markers_due(
    uow_factory: UowFactory, period: timedelta | None, now: datetime, *, batch: int = BATCH
) -> list[str]:
    assert period is not None  # the task names a kind: the scheduler passes its period
    with cast(GovernanceUnitOfWork, uow_factory()) as uow:
        return uow.cases.purge_markers_made_before(now - period, batch)


def drop_purge_marker(
    uow_factory: UowFactory, case_id: str, period: timedelta | None, now: datetime
) -> bool:
    assert period is not None
    with cast(GovernanceUnitOfWork, uow_factory()) as uow:
        lock_case(uow.session, case_id)
        if not uow.cases.drop_purge_marker(case_id, now - period):
            return False
        uow.commit()
        return True

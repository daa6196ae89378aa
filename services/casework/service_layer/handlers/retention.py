"""The retention scheduler's side of casework (kernel/scheduler.py): which closed cases are
past their period, and purging one in its own unit of work (art. 1.2)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import cast

from services.casework.adapters.uow import CaseworkUnitOfWork
from services.casework.service_layer.handlers import closing
from zorgtafel.kernel.uow import UnitOfWork


def closed_cases_due(
    uow_factory: Callable[[], UnitOfWork], period: timedelta | None, now: datetime
) -> list[str]:
    assert period is not None  # the task names a kind: the scheduler passes its period
    with cast(CaseworkUnitOfWork, uow_factory()) as uow:
        return closing.closed_cases_due(uow, period, now)


def purge_closed_case(
    uow_factory: Callable[[], UnitOfWork], case_id: str, period: timedelta | None, now: datetime
) -> bool:
    assert period is not None
    with cast(CaseworkUnitOfWork, uow_factory()) as uow:
        if not closing.purge_due(uow, case_id, period, now):
            return False
        uow.commit()
        return True

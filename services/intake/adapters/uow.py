"""The intake unit of work: the kernel's, with what of intake's access log a subject's
restriction holds back from pruning (GDPR art. 18)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table

from services.intake.adapters.orm import nominations
from zorgtafel.kernel.accesslog.prune import held_while_restricted
from zorgtafel.kernel.uow import UnitOfWork


class IntakeUnitOfWork(UnitOfWork):
    def access_log_held(self, log: Table) -> ColumnElement[bool]:
        """A restricted nomination's records, and those naming its subject's pseudonym (a
        search by subject names no case), are not pruned while the restriction holds."""
        return held_while_restricted(log, nominations, nominations.c.subject_pseudonym)

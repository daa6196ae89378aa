"""Disclosure's access log on the kernel component (``zorgtafel.kernel.accesslog``), the same
as every service's: records appended by the group committer (``Deps.access_log``), queries,
verification against the signed checkpoints (also ``zorgtafel verify-log``), inclusion proofs.
What is particular to disclosure is its filters (subject, provider, party) and what of the log
a subject's restriction holds back from pruning (``held_by_a_restriction``)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table, or_, select
from sqlalchemy.orm import Session

from services.disclosure.adapters.orm import (
    access_log,
    access_log_checkpoints,
    access_log_head,
    case_facts,
    items,
)
from zorgtafel.kernel.accesslog import store
from zorgtafel.kernel.accesslog.prune import held_while_restricted
from zorgtafel.kernel.accesslog.records import PRUNED_LEAF
from zorgtafel.kernel.accesslog.service import LogReader, log_id_of

LOG_ID = log_id_of("disclosure")
TABLES = store.LogTables(access_log, access_log_head, access_log_checkpoints)
MAX_QUERY = store.MAX_QUERY
FILTERS = ("subject_pseudonym", "provider", "party")


class AccessLogRepository(LogReader):
    """The access log as disclosure's handlers read it, in the unit of work's transaction."""

    def __init__(self, session: Session) -> None:
        super().__init__(session, TABLES, LOG_ID)

    def latest(self, by: str, value: str, limit: int = MAX_QUERY) -> list[dict]:
        """The newest records of one subject, provider or party (``by`` one of FILTERS)."""
        if by not in FILTERS:
            raise ValueError(f"no access-log filter {by!r}")
        return super().latest(by, value, limit)

    def looks(self, by: str, value: str) -> list[dict]:
        """The distinct (case id, party, recipient, result, whether it names an item:
        ``names_item``) of the whole records of one case (``by`` "case_id") or subject
        ("subject_pseudonym"): who looked, and who received what, read without the records
        themselves (a few dozen combinations however many records there are)."""
        c = self.tables.log.c
        rows = self._s.execute(
            select(
                c.case_id, c.party, c.recipient, c.result, (c.resource != "").label("names_item")
            )
            .where(c[by] == value, c[PRUNED_LEAF].is_(None))
            .distinct()
        ).all()
        return [dict(r._mapping) for r in rows]


def held_by_a_restriction(log: Table) -> ColumnElement[bool]:
    """The records a subject's restriction holds now (GDPR art. 18(2): only storage; the log is
    the subject's evidence): those of a restricted case or naming its subject (the kernel's
    ``held_while_restricted``), and those of an item restricted on its own."""
    restricted_items = select(items.c.item_id).where(items.c.restricted_at.is_not(None))
    return or_(
        held_while_restricted(log, case_facts, case_facts.c.subject_pseudonym),
        log.c.resource.in_(restricted_items),
    )

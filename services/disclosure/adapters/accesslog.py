"""Disclosure's access log on the kernel component (``zorgtafel.kernel.accesslog``), the same
as every service's: records appended by the group committer (``Deps.access_log``), queries,
verification against the signed checkpoints (also ``zorgtafel verify-log``), inclusion proofs.
What is particular to disclosure is only its filters (subject, provider, party)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.disclosure.adapters.orm import access_log, access_log_checkpoints, access_log_head
from zorgtafel.kernel.accesslog import store
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

"""Counting nominations that matched a person already known, per nominating person, and the
flags raised for the managers; the matches are bounded per nominating party too (issue 13 point 7; Bijlage 3, GDPR art. 32). Employee ids and
times only: which subject matched is never stored here."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, insert, or_, select

from zorgtafel.kernel.uow import UnitOfWork


@dataclass(frozen=True)
class ProbingFlag:
    flag_id: str
    nominating_party: str
    nominated_by: str
    matches: int
    window_s: int
    flagged_at: datetime


class ProbeLog:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._matches = uow.tables["probe_matches"]
        self._flags = uow.tables["probing_flags"]

    def matches(self, party: str, person: str, since: datetime) -> int:
        """Matches of this person in the window; older ones are forgotten here. A person id
        names its person without case ("W-1" is w-1, validate.same_person): its matches under
        any spelling count (person ids are ASCII, so lower is the comparison; the index on
        (nominating_party, nominated_by) narrows it to the party's matches)."""
        t = self._matches
        self._uow.session.execute(delete(t).where(t.c.matched_at < since))
        return int(
            self._uow.session.scalar(
                select(func.count())
                .select_from(t)
                .where(
                    t.c.nominating_party == party,
                    func.lower(t.c.nominated_by) == person.lower(),
                )
            )
            or 0
        )

    def party_matches(self, party: str, since: datetime) -> int:
        """Matches of any person of this party in the window: a party that lets many persons
        (or person ids) nominate known subjects once each is probing too."""
        t = self._matches
        return int(
            self._uow.session.scalar(
                select(func.count())
                .select_from(t)
                .where(t.c.nominating_party == party, t.c.matched_at >= since)
            )
            or 0
        )

    def record_match(self, party: str, person: str, at: datetime) -> None:
        self._uow.session.execute(
            insert(self._matches).values(
                match_id=uuid.uuid4().hex,
                nominating_party=party,
                nominated_by=person,
                matched_at=at,
            )
        )

    def flag(self, party: str, person: str, matches: int, window: timedelta, at: datetime):
        flag = ProbingFlag(
            uuid.uuid4().hex, party, person, matches, int(window.total_seconds()), at
        )
        self._uow.session.execute(
            insert(self._flags).values(
                flag_id=flag.flag_id,
                nominating_party=party,
                nominated_by=person,
                matches=matches,
                window_s=flag.window_s,
                flagged_at=at,
            )
        )
        return flag

    def flags(
        self, after: tuple[datetime, str] | None = None, limit: int | None = None
    ) -> list[ProbingFlag]:
        """A page of the flags (every flag without ``limit``), newest first, after the sort
        key ``after`` (flagged at, flag id) of the previous page's last: read in that order
        from ix_probing_flags_flagged_at, in SQL, so the last page costs what the first does
        (an OFFSET reads and drops every flag before it) and a flag raised while a manager
        pages moves nothing onto the next page again."""
        t = self._flags
        q = select(t)
        if after is not None:
            at, flag_id = after
            # Newest first, ties by id ascending: the directions differ, so no row comparison;
            # the plain bound on the time is what the index scan starts from.
            q = q.where(
                t.c.flagged_at <= at,
                or_(t.c.flagged_at < at, and_(t.c.flagged_at == at, t.c.flag_id > flag_id)),
            )
        rows = self._uow.session.execute(
            q.order_by(t.c.flagged_at.desc(), t.c.flag_id).limit(limit)
        ).mappings()
        return [
            ProbingFlag(
                r["flag_id"],
                r["nominating_party"],
                r["nominated_by"],
                r["matches"],
                r["window_s"],
                r["flagged_at"],
            )
            for r in rows
        ]

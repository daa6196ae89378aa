"""One subject, one open nomination: the identity tokens an open nomination claims, and the
nominations linked to it (a second nomination of the subject is linked, not opened)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, func, insert, select, update

from services.intake.domain.vocabulary import Status
from zorgtafel.kernel.errors import Unavailable
from zorgtafel.kernel.uow import UnitOfWork, utcnow

# The roster's function of a designated process director (art. 11.2, 12.1).
PROCESS_DIRECTOR = "process_director"


@dataclass(frozen=True)
class OpenMatch:
    """An open nomination that shares identity tokens with a new one, and which."""

    case_id: str
    pseudonym: str
    tokens: frozenset[str]


class SubjectLinks:
    """Duplicate detection and linking over the nominations' tables; the base of
    ``NominationRepository``."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    @property
    def _t(self):
        return self._uow.tables

    def open_cases_matching(self, tokens: list[str]) -> list[OpenMatch]:
        """The open nominations that share an identity token, the one sharing the strongest
        token (first in ``tokens``) first, then the oldest; their rows share-locked until
        commit: the nomination to be linked to one cannot be linked to one whose purge (a
        subject's erasure) is under way. The purge locks the row first (``hold`` below), so
        either this waits and finds it gone (PostgreSQL skips a row deleted while it waited) or
        the purge waits and takes the new linked nomination with it."""
        n, o = self._t["nominations"], self._t["open_subject_tokens"]
        rows = self._uow.session.execute(
            select(n.c.case_id, n.c.subject_pseudonym, n.c.nominated_at, o.c.token)
            .join(o, o.c.case_id == n.c.case_id)
            .where(o.c.token.in_(tokens))
            .order_by(n.c.nominated_at, n.c.case_id)
            .with_for_update(read=True, of=n)
        ).all()
        strength = {t: i for i, t in reversed(list(enumerate(tokens)))}
        found: dict[str, OpenMatch] = {}
        for r in rows:
            held = found.get(r.case_id)
            shared = (held.tokens if held else frozenset()) | {r.token}
            found[r.case_id] = OpenMatch(r.case_id, r.subject_pseudonym, frozenset(shared))
        order = {r.case_id: i for i, r in reversed(list(enumerate(rows)))}
        return sorted(
            found.values(),
            key=lambda m: (min(strength[t] for t in m.tokens), order[m.case_id]),
        )

    def nobody_may_act(self, case_id: str, now: datetime) -> bool:
        """Whether no process director may act on the open nomination ``case_id`` (16.2, 12.3):
        its usage terms expired at ``now``, or they name recipient parties and none of these
        (nor the nominating party, whose own information it is) has a process director on the
        roster. Such a nomination must not hold its subject: a later one linked behind it would
        wait, unlisted and unassessable, for as long as the nominating party likes."""
        n, rp = self._t["nominations"], self._t["nomination_recipient_parties"]
        row = self._uow.session.execute(
            select(n.c.terms_expires_at, n.c.nominating_party).where(n.c.case_id == case_id)
        ).first()
        if row is None:
            return False
        if row.terms_expires_at is not None and row.terms_expires_at <= now:
            return True
        named = set(self._uow.session.scalars(select(rp.c.party).where(rp.c.case_id == case_id)))
        if not named:
            return False  # any party the covenant lets in: its designated directors act
        return not self.has_director_party(named | {row.nominating_party})

    def has_director_party(self, parties: Collection[str]) -> bool:
        """Whether any of ``parties`` has a process director designated on the roster now."""
        r = self._roster
        return (
            self._uow.session.execute(
                select(r.c.party)
                .where(
                    r.c.function == PROCESS_DIRECTOR,
                    r.c.party.in_(sorted(parties)),
                    r.c.held.is_(True),
                )
                .limit(1)
            ).first()
            is not None
        )

    @property
    def _roster(self):
        try:
            return self._t["roster"]
        except KeyError:
            # No roster projection: whether a director may act is unknown (fail closed).
            raise Unavailable("the roster of process directors is not available") from None

    def hold(self, case_id: str) -> None:
        """Lock the nomination's row for its purge, before the purge reads what is linked to
        it (see ``open_case_matching``)."""
        n = self._t["nominations"]
        self._uow.session.execute(
            select(n.c.case_id).where(n.c.case_id == case_id).with_for_update()
        ).first()

    def claim_tokens(self, case_id: str, tokens: list[str], *, primary: bool) -> None:
        """Mark the tokens as belonging to the open nomination ``case_id``. A new primary
        claims them all: should another nomination of the subject have claimed one meanwhile,
        the primary key refuses (IntegrityError) and the nomination is retried and linked; so
        the caller leaves out only the tokens held by open nominations it found to be of
        another person. A linked nomination adds only the tokens its primary did not know
        yet."""
        o = self._t["open_subject_tokens"]
        tokens = list(dict.fromkeys(tokens))
        if not primary:
            taken = set(self._uow.session.scalars(select(o.c.token).where(o.c.token.in_(tokens))))
            tokens = [t for t in tokens if t not in taken]
        if tokens:
            self._uow.session.execute(insert(o), [{"token": t, "case_id": case_id} for t in tokens])

    def held_tokens(self, case_id: str) -> list[str]:
        """The tokens the open nomination ``case_id`` holds for its subject: its own and those
        the nominations linked to it added."""
        o = self._t["open_subject_tokens"]
        return list(self._uow.session.scalars(select(o.c.token).where(o.c.case_id == case_id)))

    def release_tokens(self, case_id: str, to_case: str | None = None) -> None:
        """The nomination is no longer open: its subject is free (or passes to ``to_case``)."""
        o = self._t["open_subject_tokens"]
        if to_case is None:
            self._uow.session.execute(delete(o).where(o.c.case_id == case_id))
        else:
            self._uow.session.execute(
                update(o).where(o.c.case_id == case_id).values(case_id=to_case)
            )

    def linked_case_ids(self, case_id: str, *, status: Status | None = Status.LINKED) -> list[str]:
        n = self._t["nominations"]
        q = select(n.c.case_id).where(n.c.linked_to_case_id == case_id)
        if status is not None:
            q = q.where(n.c.status == status.value)
        return list(self._uow.session.scalars(q.order_by(n.c.nominated_at, n.c.case_id)))

    def director_of(self, case_id: str) -> tuple[str, str] | None:
        """(party, person) of the process director who took ``case_id`` up, if any: a linked
        nomination is directed by the process director of the nomination it is linked to."""
        n = self._t["nominations"]
        row = self._uow.session.execute(
            select(n.c.process_director_party, n.c.process_director_person).where(
                n.c.case_id == case_id
            )
        ).first()
        if row is None or not row.process_director_person:
            return None
        return (row.process_director_party or "", row.process_director_person)

    def release_director(self, party: str, person: str) -> list[str]:
        """The nominations ``person`` of ``party`` took up and still directs (qualified, in
        triage) have no process director any more: back in the intake queue (12.3). Their ids,
        oldest first; none when there are none (so applying it again changes nothing). A
        person id names its person without case (as the roster, ``validate.same_person``): the
        nominations it took up under its id in any case (person ids are ASCII: lower)."""
        n = self._t["nominations"]
        mine = and_(
            n.c.process_director_party == party,
            func.lower(n.c.process_director_person) == person.lower(),
            n.c.status.in_([Status.QUALIFIED.value, Status.TRIAGE.value]),
        )
        released = list(
            self._uow.session.scalars(
                select(n.c.case_id)
                .where(mine)
                .order_by(n.c.nominated_at, n.c.case_id)
                .with_for_update()
            )
        )
        if released:
            self._uow.session.execute(
                update(n)
                .where(n.c.case_id.in_(released))
                .values(
                    process_director_party=None,
                    process_director_person=None,
                    updated_at=utcnow(),
                    version=n.c.version + 1,
                )
            )
        return released

    def relink(self, from_case: str, to_case: str) -> None:
        n = self._t["nominations"]
        self._uow.session.execute(
            update(n)
            .where(n.c.linked_to_case_id == from_case)
            .values(linked_to_case_id=to_case, updated_at=utcnow(), version=n.c.version + 1)
        )

    def unlink(self, case_id: str) -> None:
        """``case_id`` carries its subject's case on itself: it is linked to none."""
        n = self._t["nominations"]
        self._uow.session.execute(
            update(n).where(n.c.case_id == case_id).values(linked_to_case_id=None)
        )

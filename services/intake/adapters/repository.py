"""Nominations in and out of their tables; sealing and opening the sensitive columns.

Rows are mapped by hand (no ORM identity map) because half of each row is ciphertext that only
the case's data key (the kernel's ``CaseKeys``, ``uow.keys``) opens; every sealed value is bound
to its case and column (``sealing``). Updates are optimistic: ``version`` must be what was read,
so two concurrent transitions of one nomination cannot both win. Duplicates and links live in
``subject_links``, the triage round in ``triage_rounds``.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy import and_, delete, insert, or_, select, update

from services.intake.adapters.sealing import dumps, seal, unseal
from services.intake.adapters.subject_links import SubjectLinks
from services.intake.adapters.triage_rounds import TriageRoundRepository
from services.intake.domain.assessment import JudgedCriteria, SafetyOverride
from services.intake.domain.model import Advice, MeetingPlan, Nomination, Problem, Safety
from services.intake.domain.retention import (
    ENDED,
    OPEN,
    ROUTED_AWAY,
    ended_without_case,
    in_progress,
)
from services.intake.domain.subject import SubjectIdentity, official_ids
from services.intake.domain.vocabulary import (
    AgeBand,
    Chain,
    ConsentStatus,
    LifeDomain,
    RejectionReason,
    Routing,
    Status,
)
from zorgtafel.kernel.errors import FailedPrecondition
from zorgtafel.kernel.events import in_decision_order
from zorgtafel.kernel.purge import forget_case
from zorgtafel.kernel.uow import UnitOfWork, utcnow

# The tables that hold rows of one nomination besides its own row (forget and purge).
CASE_TABLES = (
    "triage_answers",
    "triage_rounds",
    "match_tokens",
    "open_subject_tokens",
    "nomination_recipient_parties",
)


def terms_expiry(terms: dict) -> datetime | None:
    """The terms' ``expires_at`` (RFC 3339, as the proto mapping writes it) as a time; None
    without one. Sub-microsecond digits are dropped: the list then ends a nomination's listing
    at most a microsecond early, never late."""
    if not terms.get("expires_at"):
        return None
    t = Timestamp()
    t.FromJsonString(terms["expires_at"])
    return t.ToDatetime(tzinfo=timezone.utc)


class NominationRepository(SubjectLinks):
    """Nominations by case id; duplicates and links (``SubjectLinks``) and the triage round
    (``TriageRoundRepository``) come with it."""

    def __init__(self, uow: UnitOfWork) -> None:
        super().__init__(uow)
        self._keys = uow.keys
        self._rounds = TriageRoundRepository(uow)

    # -- close (CASE_CLOSED) ----------------------------------------------------------------
    def close_routed(self, case_id: str) -> None:
        """casework closed the case: a nomination routed to it is closed."""
        n = self._t["nominations"]
        self._uow.session.execute(
            update(n)
            .where(n.c.case_id == case_id, n.c.status == Status.ROUTED.value)
            .values(status=Status.CLOSED.value, updated_at=utcnow(), version=n.c.version + 1)
        )

    # -- restriction (disclosure's CASE_RESTRICTION_CHANGED) --------------------------------
    def set_restricted(self, case_id: str, restricted: bool, at: datetime) -> bool:
        """The subject's restriction of the case was granted or lifted, as disclosure decided
        it at ``at`` (GDPR art. 18); a new version, so a command decided on the nomination as
        it was is refused and asked again. False for a nomination unknown here and for a
        decision older than the one applied last (it came late: the later grant or lifting
        holds; of two at one time the grant)."""
        return self._apply_in_order(
            case_id,
            "restriction_changed_at",
            at,
            grants=not restricted,
            restricted_at=at if restricted else None,
            restriction_changed_at=at,
        )

    # -- the subject's consent (disclosure's SUBJECT_CONSENT_CHANGED) ------------------------
    def set_consent_recorded(self, case_id: str, status: str, at: datetime) -> bool:
        """The subject's consent for the case was recorded or withdrawn in disclosure at ``at``
        (Bijlage 3, GDPR art. 7(3)); a new version, so a command decided on the consent as it
        was is refused and asked again. False for a nomination unknown here and for a change
        older than the one held (it arrived late: the later one stands)."""
        return self._apply_in_order(
            case_id,
            "consent_changed_at",
            at,
            grants=status != "withdrawn",
            consent_recorded=status,
            consent_changed_at=at,
        )

    def _apply_in_order(
        self, case_id: str, held: str, at: datetime, *, grants: bool = True, **values: object
    ) -> bool:
        """Write ``values`` for disclosure's decision of ``at`` about the case, under the row's
        lock, unless the time held in column ``held`` is later (that decision arrived first:
        it stands; at the same time only a decision that ``grants`` nothing is applied again,
        ``in_decision_order``); a new version. False for a nomination unknown here or a
        decision too old."""
        n = self._t["nominations"]
        row = self._uow.session.execute(
            select(n.c[held]).where(n.c.case_id == case_id).with_for_update()
        ).first()
        if row is None:
            return False
        if row[0] is not None and not in_decision_order(at, row[0], grants=grants):
            return False
        self._uow.session.execute(
            update(n)
            .where(n.c.case_id == case_id)
            .values(**values, updated_at=utcnow(), version=n.c.version + 1)
        )
        return True

    def subject_official_ids(self, case_id: str) -> set[tuple[str, str]]:
        """The official identifiers (BSNs, V-numbers: ``official_ids``) given in the open
        nomination ``case_id`` and the nominations linked to it: whom its subject is known as
        (they stay in this process)."""
        n = self._t["nominations"]
        rows = self._uow.session.execute(
            select(n.c.case_id, n.c.sealed_identity).where(
                or_(n.c.case_id == case_id, n.c.linked_to_case_id == case_id)
            )
        ).all()
        out: set[tuple[str, str]] = set()
        for r in rows:
            key = self._keys.find(self._uow.session, r.case_id)
            if key is not None:
                sealed = unseal(key, r.case_id, "identity", r.sealed_identity)
                out |= official_ids(SubjectIdentity.from_dict(sealed))
        return out

    # -- add ----------------------------------------------------------------------------
    def add(self, nom: Nomination, tokens: list[str]) -> None:
        key = self._keys.create(self._uow.session, nom.case_id)
        c = nom.case_id
        details = {
            "problems": [p.description for p in nom.problems],
            "safety": nom.safety.description,
        }
        self._uow.session.execute(
            insert(self._t["nominations"]).values(
                case_id=c,
                subject_pseudonym=nom.subject_pseudonym,
                nominating_party=nom.nominating_party,
                nominated_by=nom.nominated_by,
                status=nom.status.value,
                age_band=nom.age_band.value,
                consent_status=nom.consent.value,
                chains=dumps([x.value for x in nom.chains]),
                life_domains=dumps([p.domain.value for p in nom.problems]),
                safety_flags=dumps(nom.safety.flags()),
                usage_terms=dumps(nom.usage_terms),
                terms_expires_at=terms_expiry(nom.usage_terms),
                sealed_identity=seal(key, c, "identity", nom.identity.to_dict()),
                sealed_details=seal(key, c, "details", details),
                nominated_at=nom.nominated_at,
                linked_to_case_id=nom.linked_to_case_id or None,
                updated_at=nom.nominated_at,
                version=0,
            )
        )
        if tokens:
            self._uow.session.execute(
                insert(self._t["match_tokens"]), [{"token": t, "case_id": c} for t in tokens]
            )
        recipients = sorted(set(nom.usage_terms.get("recipient_parties") or ()))
        if recipients:
            self._uow.session.execute(
                insert(self._t["nomination_recipient_parties"]),
                [{"case_id": c, "party": p} for p in recipients],
            )

    # -- get ----------------------------------------------------------------------------
    def get(self, case_id: str) -> Nomination | None:
        n = self._t["nominations"]
        row = self._uow.session.execute(select(n).where(n.c.case_id == case_id)).mappings().first()
        if row is None:
            return None
        key = self._keys.find(self._uow.session, case_id)
        if key is None:  # the case key was destroyed: the case is erased
            return None
        details = unseal(key, case_id, "details", row["sealed_details"])
        domains = json.loads(row["life_domains"])
        problems = tuple(
            Problem(LifeDomain(d), desc)
            for d, desc in zip(domains, details["problems"], strict=True)
        )
        flags = json.loads(row["safety_flags"])
        advice = None
        if row["advice"]:
            a = json.loads(row["advice"])
            advice = Advice(
                a["qualifies"], tuple(a["criteria_held"]), tuple(a["reasons"]), a["revision"]
            )
        meeting = None
        if row["meeting"]:
            m = json.loads(row["meeting"])
            meeting = MeetingPlan(
                m["goal_code"],
                unseal(key, case_id, "goal", row["sealed_goal"]) or "",
                tuple(m["themes"]),
                tuple(m["decision_types"]),
                tuple(m["invitees"]),
            )
        nom = Nomination(
            case_id=case_id,
            subject_pseudonym=row["subject_pseudonym"],
            nominating_party=row["nominating_party"],
            nominated_by=row["nominated_by"],
            status=Status(row["status"]),
            identity=SubjectIdentity.from_dict(
                unseal(key, case_id, "identity", row["sealed_identity"])
            ),
            age_band=AgeBand(row["age_band"]),
            problems=problems,
            safety=Safety(**flags, description=details["safety"]),
            chains=tuple(Chain(x) for x in json.loads(row["chains"])),
            consent=ConsentStatus(row["consent_status"]),
            usage_terms=json.loads(row["usage_terms"]),
            nominated_at=row["nominated_at"],
            linked_to_case_id=row["linked_to_case_id"] or "",
            advice=advice,
            qualifies=row["qualifies"],
            rejection_reason=(
                RejectionReason(row["rejection_reason"]) if row["rejection_reason"] else None
            ),
            assessment_reasons=unseal(
                key, case_id, "assessment_reasons", row["sealed_assessment_reasons"]
            )
            or "",
            assessed_by_party=row["assessed_by_party"] or "",
            triage=self._rounds.get(case_id, key),
            routing=Routing(row["routing"]) if row["routing"] else None,
            routing_reason_code=row["routing_reason_code"] or "",
            meeting=meeting,
            process_director_party=row["process_director_party"] or "",
            process_director_person=row["process_director_person"] or "",
            criteria=_criteria(key, case_id, row),
            safety_override=_override(key, case_id, row),
            restricted=row["restricted_at"] is not None,
            consent_recorded=row["consent_recorded"] or "",
            version=row["version"],
        )
        return nom

    # -- save ----------------------------------------------------------------------------
    def save(
        self, nom: Nomination, *, new_round: bool = False, answered_party: str | None = None
    ) -> None:
        """Write the nomination's mutable state; fail when someone else changed it first."""
        n = self._t["nominations"]
        key = self._keys.get(self._uow.session, nom.case_id)
        c = nom.case_id
        now = utcnow()
        values = dict(status=nom.status.value, updated_at=now, version=nom.version + 1)
        if nom.process_director is not None:
            values.update(
                process_director_party=nom.process_director_party,
                process_director_person=nom.process_director_person,
            )
        if nom.criteria is not None:
            values.update(
                judged_criteria=dumps(nom.criteria.holds()),
                sealed_criteria_grounds=seal(key, c, "criteria", nom.criteria.grounds()),
            )
        if nom.safety_override is not None:
            o = nom.safety_override
            values.update(
                safety_override=dumps(
                    {
                        "recorded_by_party": o.recorded_by_party,
                        "recorded_by": o.recorded_by,
                        "recorded_at": o.recorded_at.isoformat(),
                        "client_informed": o.client_informed,
                    }
                ),
                sealed_safety_override=seal(
                    key,
                    c,
                    "safety_override",
                    {
                        "reason": o.reason,
                        "consulted_colleague": o.consulted_colleague,
                        "client_information": o.client_information,
                    },
                ),
            )
        if nom.advice is not None:
            values.update(
                advice=dumps(
                    {
                        "qualifies": nom.advice.qualifies,
                        "criteria_held": list(nom.advice.criteria_held),
                        "reasons": list(nom.advice.reasons),
                        "revision": nom.advice.revision,
                    }
                ),
                qualifies=nom.qualifies,
                rejection_reason=nom.rejection_reason.value if nom.rejection_reason else None,
                sealed_assessment_reasons=seal(
                    key, c, "assessment_reasons", nom.assessment_reasons
                ),
                assessed_by_party=nom.assessed_by_party or None,
            )
        if nom.routing is not None:
            values.update(
                routing=nom.routing.value,
                routing_reason_code=nom.routing_reason_code or None,
                routed_at=now,
            )
            if nom.meeting is not None:
                m = nom.meeting
                values.update(
                    meeting=dumps(
                        {
                            "goal_code": m.goal_code,
                            "themes": list(m.themes),
                            "decision_types": list(m.decision_types),
                            "invitees": list(m.invitees),
                        }
                    ),
                    sealed_goal=seal(key, c, "goal", m.goal),
                )
        result = self._uow.session.execute(
            update(n).where(n.c.case_id == c, n.c.version == nom.version).values(**values)
        )
        if result.rowcount != 1:
            raise FailedPrecondition(
                "concurrent_change",
                "the nomination was changed by another request; read it again and retry",
                subject="nomination.version",
            )
        nom.version += 1
        if new_round and nom.triage is not None:
            self._rounds.add(c, nom.triage, key)
        if answered_party is not None and nom.triage is not None:
            self._rounds.save_answer(c, answered_party, nom.triage.answers[answered_party], key)

    # -- retention (kernel/scheduler.py) ------------------------------------------------------
    def ended_before(self, cutoff: datetime) -> list[str]:
        """Nominations that ended without a case at or before ``cutoff`` (ids only), but none
        the subject's restriction holds (GDPR art. 18(2): only stored while it lasts; due at
        the first tick after its lifting, its period counted from its end)."""
        n = self._t["nominations"]
        away = [r.value for r in ROUTED_AWAY]
        ended = [s.value for s in ENDED]
        q = select(n.c.case_id).where(
            n.c.restricted_at.is_(None),
            or_(
                and_(n.c.status.in_(ended), n.c.updated_at <= cutoff),
                and_(  # linked to nothing: see ``ended_without_case``
                    n.c.status == Status.LINKED.value,
                    n.c.linked_to_case_id.is_(None),
                    n.c.updated_at <= cutoff,
                ),
                and_(
                    n.c.status == Status.ROUTED.value,
                    n.c.routing.in_(away),
                    n.c.routed_at <= cutoff,
                ),
            ),
        )
        return list(self._uow.session.scalars(q.order_by(n.c.case_id)))

    def ended_at(self, case_id: str) -> datetime | None:
        """When the nomination ended without a case (locked for the caller's transaction);
        None when it is gone, has not ended that way or is restricted (GDPR art. 18)."""
        n = self._t["nominations"]
        row = self._uow.session.execute(
            select(
                n.c.status,
                n.c.routing,
                n.c.updated_at,
                n.c.routed_at,
                n.c.linked_to_case_id,
                n.c.restricted_at,
            )
            .where(n.c.case_id == case_id)
            .with_for_update()
        ).first()
        if row is None or row.restricted_at is not None:
            return None
        routing = Routing(row.routing) if row.routing else None
        if not ended_without_case(Status(row.status), routing, row.linked_to_case_id):
            return None
        return row.routed_at if row.status == Status.ROUTED.value else row.updated_at

    def is_restricted(self, case_id: str) -> bool:
        """Whether the subject's restriction of the case holds here (GDPR art. 18), its row
        locked for the caller's transaction (the one a grant or lifting takes)."""
        n = self._t["nominations"]
        at = self._uow.session.execute(
            select(n.c.restricted_at).where(n.c.case_id == case_id).with_for_update()
        ).scalar()
        return at is not None

    def hold_purge(self, case_id: str, at: datetime) -> None:
        """Casework purged the case while the subject's restriction held here (GDPR art.
        18(2)): the nomination is kept, marked with when the purge was held (the first time
        kept); ``purge_held`` tells it, ``held_purges_lifted`` lists it after the lifting."""
        n = self._t["nominations"]
        self._uow.session.execute(
            update(n)
            .where(n.c.case_id == case_id, n.c.purge_held_at.is_(None))
            .values(purge_held_at=at)
        )

    def purge_held(self, case_id: str) -> bool:
        """Whether the case's purge is held by a restriction (``hold_purge``)."""
        n = self._t["nominations"]
        at = self._uow.session.execute(
            select(n.c.purge_held_at).where(n.c.case_id == case_id)
        ).scalar()
        return at is not None

    def held_purges_lifted(self) -> list[str]:
        """The nominations whose purge a restriction held and that are no longer restricted
        (ids only, the longest held first)."""
        n = self._t["nominations"]
        q = select(n.c.case_id).where(n.c.purge_held_at.is_not(None), n.c.restricted_at.is_(None))
        return list(self._uow.session.scalars(q.order_by(n.c.purge_held_at, n.c.case_id)))

    def forget(self, case_id: str) -> None:
        """Forget one nomination that ended without a case: its identity, details, triage round
        and answers, tokens and row go, its case key is destroyed (crypto-shredding what a
        backup may still hold) and its bare id stays in ``forgotten_cases``."""
        n = self._t["nominations"]
        self.hold(case_id)
        for table in CASE_TABLES:
            t = self._t[table]
            self._uow.session.execute(delete(t).where(t.c.case_id == case_id))
        self._uow.session.execute(
            update(n).where(n.c.linked_to_case_id == case_id).values(linked_to_case_id=None)
        )
        self._uow.session.execute(delete(n).where(n.c.case_id == case_id))
        forget_case(self._uow.session, self._t, case_id)
        self._keys.destroy(self._uow.session, case_id)

    def triage_rounds_routed_before(self, cutoff: datetime) -> list[str]:
        """Nominations routed to a case meeting at or before ``cutoff`` that still hold their
        triage round (question and answers): the case has what it needs since the routing.
        None the subject's restriction holds (GDPR art. 18(2)): due after its lifting."""
        n, r = self._t["nominations"], self._t["triage_rounds"]
        q = (
            select(n.c.case_id)
            .join(r, r.c.case_id == n.c.case_id)
            .where(
                n.c.restricted_at.is_(None),
                n.c.status.in_([Status.ROUTED.value, Status.CLOSED.value]),
                n.c.routing == Routing.CASE_MEETING.value,
                n.c.routed_at <= cutoff,
            )
        )
        return list(self._uow.session.scalars(q.order_by(n.c.case_id)))

    def routed_at(self, case_id: str) -> datetime | None:
        """When a nomination was routed to a case meeting (locked); None otherwise, and while
        the subject's restriction of the case holds (GDPR art. 18)."""
        n = self._t["nominations"]
        row = self._uow.session.execute(
            select(n.c.status, n.c.routing, n.c.routed_at, n.c.restricted_at)
            .where(n.c.case_id == case_id)
            .with_for_update()
        ).first()
        if row is None or row.routing != Routing.CASE_MEETING.value:
            return None
        if row.restricted_at is not None:
            return None
        if row.status not in (Status.ROUTED.value, Status.CLOSED.value):
            return None
        return row.routed_at

    def drop_triage_round(self, case_id: str) -> bool:
        """Delete the triage round's question and answers; False when there was none."""
        a, r = self._t["triage_answers"], self._t["triage_rounds"]
        self._uow.session.execute(delete(a).where(a.c.case_id == case_id))
        return bool(self._uow.session.execute(delete(r).where(r.c.case_id == case_id)).rowcount)

    def in_progress_birthdates(self) -> list[tuple[str, AgeBand, date | None]]:
        """(case_id, stored band, date of birth) of every nomination in progress whose identity
        can still be opened; the dates stay in this process (never logged or emitted)."""
        n = self._t["nominations"]
        rows = self._uow.session.execute(
            select(n.c.case_id, n.c.status, n.c.routing, n.c.age_band, n.c.sealed_identity)
            .where(n.c.status.in_([s.value for s in OPEN] + [Status.ROUTED.value]))
            .order_by(n.c.case_id)
        ).all()
        out = []
        for r in rows:
            if not in_progress(Status(r.status), Routing(r.routing) if r.routing else None):
                continue
            key = self._keys.find(self._uow.session, r.case_id)
            if key is None:
                continue
            identity = SubjectIdentity.from_dict(
                unseal(key, r.case_id, "identity", r.sealed_identity)
            )
            out.append((r.case_id, AgeBand(r.age_band), identity.date_of_birth))
        return out

    def set_age_band(self, nom: Nomination, band: AgeBand) -> None:
        """The subject's band moved on (Bijlage 3); optimistic like every other change."""
        n = self._t["nominations"]
        result = self._uow.session.execute(
            update(n)
            .where(n.c.case_id == nom.case_id, n.c.version == nom.version)
            .values(age_band=band.value, updated_at=utcnow(), version=nom.version + 1)
        )
        if result.rowcount != 1:
            raise FailedPrecondition(
                "concurrent_change",
                "the nomination was changed by another request; read it again and retry",
                subject="nomination.version",
            )
        nom.version += 1
        nom.age_band = band

    # -- purge (CASE_PURGED) ----------------------------------------------------------------
    def purge(self, case_id: str) -> list[str]:
        """Delete the case and the nominations linked to it, with their keys, answers, tokens,
        stored command results and outbox rows; return the case ids purged. A linked
        nomination the subject's restriction of its own case holds (GDPR art. 18(2): only
        storage) stays, linked to nothing (in nobody's queue) and marked ``purge_held_at``:
        ``purge_held_by_a_restriction`` purges it after the lifting. Their rows are locked
        (the lock a grant or lifting takes) after the case's."""
        n = self._t["nominations"]
        self.hold(case_id)  # before reading what is linked to it
        linked = self._uow.session.execute(
            select(n.c.case_id, n.c.restricted_at)
            .where(n.c.linked_to_case_id == case_id)
            .order_by(n.c.case_id)
            .with_for_update()
        ).all()
        held = [r.case_id for r in linked if r.restricted_at is not None]
        if held:
            now = utcnow()
            self._uow.session.execute(
                update(n)
                .where(n.c.case_id.in_(held))
                .values(
                    linked_to_case_id=None,
                    purge_held_at=now,
                    updated_at=now,
                    version=n.c.version + 1,
                )
            )
        ids = [case_id, *(r.case_id for r in linked if r.restricted_at is None)]
        for table in CASE_TABLES:
            t = self._t[table]
            self._uow.session.execute(delete(t).where(t.c.case_id.in_(ids)))
        self._uow.session.execute(delete(n).where(n.c.case_id.in_(ids)))
        for c in ids:
            forget_case(self._uow.session, self._t, c)
            self._keys.destroy(self._uow.session, c)
        return ids


def _criteria(key, case_id: str, row) -> JudgedCriteria | None:
    if not row["judged_criteria"]:
        return None
    grounds = unseal(key, case_id, "criteria", row["sealed_criteria_grounds"]) or {}
    return JudgedCriteria.from_parts(json.loads(row["judged_criteria"]), grounds)


def _override(key, case_id: str, row) -> SafetyOverride | None:
    if not row["safety_override"]:
        return None
    meta = json.loads(row["safety_override"])
    sealed = unseal(key, case_id, "safety_override", row["sealed_safety_override"]) or {}
    return SafetyOverride(
        reason=sealed.get("reason", ""),
        consulted_colleague=sealed.get("consulted_colleague", ""),
        client_informed=bool(meta["client_informed"]),
        client_information=sealed.get("client_information", ""),
        recorded_by_party=meta["recorded_by_party"],
        recorded_by=meta["recorded_by"],
        recorded_at=datetime.fromisoformat(meta["recorded_at"]),
    )

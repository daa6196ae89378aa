"""Nominations in and out of their tables; sealing and opening the sensitive columns.

Rows are mapped by hand (no ORM identity map) because half of each row is ciphertext that only
the case's data key (the kernel's ``CaseKeys``, ``uow.keys``) opens; every sealed value is bound
to its case and column (``sealing``). Updates are optimistic: ``version`` must be what was read,
so two concurrent transitions of one nomination cannot both win. Duplicates and links live in
``subject_links``, the triage round in ``triage_rounds``.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import delete, insert, select, update

from services.intake.adapters.sealing import dumps, seal, unseal
from services.intake.adapters.subject_links import SubjectLinks
from services.intake.adapters.triage_rounds import TriageRoundRepository
from services.intake.domain.assessment import JudgedCriteria, SafetyOverride
from services.intake.domain.model import Advice, MeetingPlan, Nomination, Problem, Safety
from services.intake.domain.subject import SubjectIdentity
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
from zorgtafel.kernel.purge import forget_case
from zorgtafel.kernel.uow import UnitOfWork, utcnow


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

    # -- purge (CASE_PURGED) ----------------------------------------------------------------
    def purge(self, case_id: str) -> list[str]:
        """Delete the case and the nominations linked to it, with their keys, answers, tokens,
        stored command results and outbox rows; return the case ids purged."""
        n = self._t["nominations"]
        ids = [
            case_id,
            *self._uow.session.scalars(select(n.c.case_id).where(n.c.linked_to_case_id == case_id)),
        ]
        for table in ("triage_answers", "triage_rounds", "match_tokens", "open_subject_tokens"):
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

"""Nominations in and out of their tables; sealing and opening the sensitive columns.

Rows are mapped by hand (no ORM identity map) because half of each row is ciphertext that only
the case's data key opens. Updates are optimistic: ``version`` must be what was read, so two
concurrent transitions of one nomination cannot both win.
"""

from __future__ import annotations

import json
from sqlalchemy import delete, insert, select, update

from services.intake.adapters.vault import Vault
from services.intake.domain.model import (
    Advice, Answer, AgeBand, Chain, ConsentStatus, LifeDomain, MeetingPlan, Nomination,
    Problem, RejectionReason, Routing, Safety, Status, SubjectIdentity, TriageAnswerKind,
    TriageRound)
from zorgtafel.kernel.purge import forget_case
from zorgtafel.kernel.errors import FailedPrecondition
from zorgtafel.kernel.uow import utcnow


def _j(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


class NominationRepository:
    def __init__(self, uow, vault: Vault) -> None:
        self._uow = uow
        self._vault = vault

    @property
    def _t(self):
        return self._uow.tables

    # -- duplicates ------------------------------------------------------------------------
    def open_case_matching(self, tokens: list[str]) -> tuple[str, str] | None:
        """(case_id, pseudonym) of the open nomination that shares an identity token."""
        n, o = self._t["nominations"], self._t["open_subject_tokens"]
        row = self._uow.session.execute(
            select(n.c.case_id, n.c.subject_pseudonym)
            .join(o, o.c.case_id == n.c.case_id)
            .where(o.c.token.in_(tokens))
            .order_by(n.c.nominated_at, n.c.case_id).limit(1)).first()
        return (row.case_id, row.subject_pseudonym) if row else None

    def claim_tokens(self, case_id: str, tokens: list[str], *, primary: bool) -> None:
        """Mark the tokens as belonging to the open nomination ``case_id``. A new primary
        claims them all: should another nomination of the subject have claimed one meanwhile,
        the primary key refuses (IntegrityError) and the nomination is retried and linked. A
        linked nomination adds only the tokens its primary did not know yet."""
        o = self._t["open_subject_tokens"]
        tokens = list(dict.fromkeys(tokens))
        if not primary:
            taken = set(self._uow.session.scalars(select(o.c.token).where(o.c.token.in_(tokens))))
            tokens = [t for t in tokens if t not in taken]
        if tokens:
            self._uow.session.execute(insert(o), [{"token": t, "case_id": case_id}
                                                  for t in tokens])

    def release_tokens(self, case_id: str, to_case: str | None = None) -> None:
        """The nomination is no longer open: its subject is free (or passes to ``to_case``)."""
        o = self._t["open_subject_tokens"]
        if to_case is None:
            self._uow.session.execute(delete(o).where(o.c.case_id == case_id))
        else:
            self._uow.session.execute(update(o).where(o.c.case_id == case_id)
                                      .values(case_id=to_case))

    def linked_case_ids(self, case_id: str, *, status: Status | None = Status.LINKED) -> list[str]:
        n = self._t["nominations"]
        q = select(n.c.case_id).where(n.c.linked_to_case_id == case_id)
        if status is not None:
            q = q.where(n.c.status == status.value)
        return list(self._uow.session.scalars(q.order_by(n.c.nominated_at, n.c.case_id)))

    def relink(self, from_case: str, to_case: str) -> None:
        n = self._t["nominations"]
        self._uow.session.execute(update(n).where(n.c.linked_to_case_id == from_case)
                                  .values(linked_to_case_id=to_case, updated_at=utcnow(),
                                          version=n.c.version + 1))

    # -- add ----------------------------------------------------------------------------
    def add(self, nom: Nomination, tokens: list[str]) -> None:
        key = self._vault.new_case_key(self._uow, nom.case_id)
        c = nom.case_id
        details = {"problems": [p.description for p in nom.problems],
                   "safety": nom.safety.description}
        self._uow.session.execute(insert(self._t["nominations"]).values(
            case_id=c, subject_pseudonym=nom.subject_pseudonym,
            nominating_party=nom.nominating_party, nominated_by=nom.nominated_by,
            status=nom.status.value, age_band=nom.age_band.value,
            consent_status=nom.consent.value, chains=_j([x.value for x in nom.chains]),
            life_domains=_j([p.domain.value for p in nom.problems]),
            safety_flags=_j(nom.safety.flags()), usage_terms=_j(nom.usage_terms),
            sealed_identity=self._vault.seal(key, c, "identity", nom.identity.to_dict()),
            sealed_details=self._vault.seal(key, c, "details", details),
            nominated_at=nom.nominated_at, linked_to_case_id=nom.linked_to_case_id or None,
            updated_at=nom.nominated_at, version=0))
        if tokens:
            self._uow.session.execute(insert(self._t["match_tokens"]),
                                      [{"token": t, "case_id": c} for t in tokens])

    # -- get ----------------------------------------------------------------------------
    def get(self, case_id: str) -> Nomination | None:
        n = self._t["nominations"]
        row = self._uow.session.execute(select(n).where(n.c.case_id == case_id)).mappings().first()
        if row is None:
            return None
        key = self._vault.case_key(self._uow, case_id)
        if key is None:  # the case key was destroyed: the case is erased
            return None
        v = self._vault
        details = v.open(key, case_id, "details", row["sealed_details"])
        domains = json.loads(row["life_domains"])
        problems = tuple(Problem(LifeDomain(d), desc)
                         for d, desc in zip(domains, details["problems"]))
        flags = json.loads(row["safety_flags"])
        advice = None
        if row["advice"]:
            a = json.loads(row["advice"])
            advice = Advice(a["qualifies"], tuple(a["criteria_held"]), tuple(a["reasons"]),
                            a["revision"])
        meeting = None
        if row["meeting"]:
            m = json.loads(row["meeting"])
            meeting = MeetingPlan(m["goal_code"], v.open(key, case_id, "goal", row["sealed_goal"]) or "",
                                  tuple(m["themes"]), tuple(m["decision_types"]),
                                  tuple(m["invitees"]))
        nom = Nomination(
            case_id=case_id, subject_pseudonym=row["subject_pseudonym"],
            nominating_party=row["nominating_party"], nominated_by=row["nominated_by"],
            status=Status(row["status"]),
            identity=SubjectIdentity.from_dict(v.open(key, case_id, "identity",
                                                      row["sealed_identity"])),
            age_band=AgeBand(row["age_band"]), problems=problems,
            safety=Safety(**flags, description=details["safety"]),
            chains=tuple(Chain(x) for x in json.loads(row["chains"])),
            consent=ConsentStatus(row["consent_status"]),
            usage_terms=json.loads(row["usage_terms"]), nominated_at=row["nominated_at"],
            linked_to_case_id=row["linked_to_case_id"] or "", advice=advice,
            qualifies=row["qualifies"],
            rejection_reason=(RejectionReason(row["rejection_reason"])
                              if row["rejection_reason"] else None),
            assessment_reasons=v.open(key, case_id, "assessment_reasons",
                                      row["sealed_assessment_reasons"]) or "",
            assessed_by_party=row["assessed_by_party"] or "",
            triage=self._triage(case_id, key),
            routing=Routing(row["routing"]) if row["routing"] else None,
            routing_reason_code=row["routing_reason_code"] or "", meeting=meeting,
            process_director_party=row["process_director_party"] or "",
            version=row["version"])
        return nom

    def _triage(self, case_id: str, key: bytes) -> TriageRound | None:
        r, a = self._t["triage_rounds"], self._t["triage_answers"]
        row = self._uow.session.execute(select(r).where(r.c.case_id == case_id)).mappings().first()
        if row is None:
            return None
        round_ = TriageRound(round_id=row["round_id"], deadline=row["deadline"],
                             themes=tuple(json.loads(row["themes"])),
                             question=self._vault.open(key, case_id, "question",
                                                       row["sealed_question"]),
                             started_at=row["started_at"])
        for ans in self._uow.session.execute(select(a).where(a.c.case_id == case_id)).mappings():
            if ans["answer"] is None:
                round_.answers[ans["party"]] = None
            else:
                round_.answers[ans["party"]] = Answer(
                    TriageAnswerKind(ans["answer"]),
                    self._vault.open(key, case_id, f"contribution:{ans['party']}",
                                     ans["sealed_contribution"]),
                    tuple(json.loads(ans["themes"] or "[]")), ans["answered_at"])
        return round_

    # -- save ----------------------------------------------------------------------------
    def save(self, nom: Nomination, *, new_round: bool = False,
             answered_party: str | None = None) -> None:
        """Write the nomination's mutable state; fail when someone else changed it first."""
        n = self._t["nominations"]
        key = self._vault.case_key(self._uow, nom.case_id)
        c = nom.case_id
        v = self._vault
        now = utcnow()
        values = dict(status=nom.status.value, updated_at=now, version=nom.version + 1)
        if nom.advice is not None:
            values.update(
                advice=_j({"qualifies": nom.advice.qualifies,
                           "criteria_held": list(nom.advice.criteria_held),
                           "reasons": list(nom.advice.reasons), "revision": nom.advice.revision}),
                qualifies=nom.qualifies,
                rejection_reason=nom.rejection_reason.value if nom.rejection_reason else None,
                sealed_assessment_reasons=v.seal(key, c, "assessment_reasons",
                                                 nom.assessment_reasons),
                assessed_by_party=nom.assessed_by_party or None)
        if nom.routing is not None:
            values.update(routing=nom.routing.value,
                          routing_reason_code=nom.routing_reason_code or None,
                          process_director_party=nom.process_director_party or None,
                          routed_at=now)
            if nom.meeting is not None:
                m = nom.meeting
                values.update(meeting=_j({"goal_code": m.goal_code, "themes": list(m.themes),
                                          "decision_types": list(m.decision_types),
                                          "invitees": list(m.invitees)}),
                              sealed_goal=v.seal(key, c, "goal", m.goal))
        result = self._uow.session.execute(
            update(n).where(n.c.case_id == c, n.c.version == nom.version).values(**values))
        if result.rowcount != 1:
            raise FailedPrecondition("concurrent_change", "the nomination was changed by "
                                     "another request; read it again and retry",
                                     subject="nomination.version")
        nom.version += 1
        if new_round and nom.triage is not None:
            t = nom.triage
            self._uow.session.execute(insert(self._t["triage_rounds"]).values(
                round_id=t.round_id, case_id=c, deadline=t.deadline, themes=_j(list(t.themes)),
                sealed_question=v.seal(key, c, "question", t.question), started_at=t.started_at))
            self._uow.session.execute(insert(self._t["triage_answers"]), [
                {"case_id": c, "party": p, "answer": None, "sealed_contribution": None,
                 "themes": None, "answered_at": None} for p in t.asked])
        if answered_party is not None and nom.triage is not None:
            ans = nom.triage.answers[answered_party]
            a = self._t["triage_answers"]
            self._uow.session.execute(update(a).where(
                a.c.case_id == c, a.c.party == answered_party).values(
                answer=ans.kind.value, answered_at=ans.at, themes=_j(list(ans.themes)),
                sealed_contribution=v.seal(key, c, f"contribution:{answered_party}",
                                           ans.contribution)))

    # -- purge (CASE_PURGED) ----------------------------------------------------------------
    def purge(self, case_id: str) -> list[str]:
        """Delete the case and the nominations linked to it, with their keys, answers, tokens,
        stored command results and outbox rows; return the case ids purged."""
        n = self._t["nominations"]
        ids = [case_id, *self._uow.session.scalars(
            select(n.c.case_id).where(n.c.linked_to_case_id == case_id))]
        for table in ("triage_answers", "triage_rounds", "match_tokens", "open_subject_tokens"):
            t = self._t[table]
            self._uow.session.execute(delete(t).where(t.c.case_id.in_(ids)))
        self._uow.session.execute(delete(n).where(n.c.case_id.in_(ids)))
        for c in ids:
            forget_case(self._uow.session, self._t, c)
            self._vault.destroy_case_key(self._uow, c)
        return ids

    def all_case_ids(self) -> list[str]:
        n = self._t["nominations"]
        return list(self._uow.session.scalars(select(n.c.case_id)))


"""A nomination's triage round and the asked parties' answers in and out of their tables; the
question and each contribution sealed under the case's data key (``sealing``)."""

from __future__ import annotations

import json

from sqlalchemy import insert, select, update

from services.intake.adapters.sealing import dumps, seal, unseal
from services.intake.domain.triage import Answer, TriageRound
from services.intake.domain.vocabulary import TriageAnswerKind
from zorgtafel.kernel.uow import UnitOfWork


class TriageRoundRepository:
    """The round of one case; ``NominationRepository`` reads and writes it with the
    nomination (the caller passes the case's data key)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    @property
    def _t(self):
        return self._uow.tables

    def get(self, case_id: str, key: bytes) -> TriageRound | None:
        r, a = self._t["triage_rounds"], self._t["triage_answers"]
        row = self._uow.session.execute(select(r).where(r.c.case_id == case_id)).mappings().first()
        if row is None:
            return None
        round_ = TriageRound(
            round_id=row["round_id"],
            deadline=row["deadline"],
            themes=tuple(json.loads(row["themes"])),
            question=unseal(key, case_id, "question", row["sealed_question"]),
            started_at=row["started_at"],
        )
        for ans in self._uow.session.execute(select(a).where(a.c.case_id == case_id)).mappings():
            if ans["answer"] is None:
                round_.answers[ans["party"]] = None
            else:
                round_.answers[ans["party"]] = Answer(
                    TriageAnswerKind(ans["answer"]),
                    unseal(
                        key, case_id, f"contribution:{ans['party']}", ans["sealed_contribution"]
                    ),
                    tuple(json.loads(ans["themes"] or "[]")),
                    ans["answered_at"],
                )
        return round_

    def add(self, case_id: str, t: TriageRound, key: bytes) -> None:
        """The new round, with an open answer for every asked party."""
        self._uow.session.execute(
            insert(self._t["triage_rounds"]).values(
                round_id=t.round_id,
                case_id=case_id,
                deadline=t.deadline,
                themes=dumps(list(t.themes)),
                sealed_question=seal(key, case_id, "question", t.question),
                started_at=t.started_at,
            )
        )
        self._uow.session.execute(
            insert(self._t["triage_answers"]),
            [
                {
                    "case_id": case_id,
                    "party": p,
                    "answer": None,
                    "sealed_contribution": None,
                    "themes": None,
                    "answered_at": None,
                }
                for p in t.asked
            ],
        )

    def save_answer(self, case_id: str, party: str, ans: Answer, key: bytes) -> None:
        a = self._t["triage_answers"]
        self._uow.session.execute(
            update(a)
            .where(a.c.case_id == case_id, a.c.party == party)
            .values(
                answer=ans.kind.value,
                answered_at=ans.at,
                themes=dumps(list(ans.themes)),
                sealed_contribution=seal(key, case_id, f"contribution:{party}", ans.contribution),
            )
        )

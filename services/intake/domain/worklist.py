"""The process director's worklist (12.2a, 12.3, 1.15): where a nomination stands for the person
who may act on it. A row holds ids, codes and times only: never the subject's identity (the
person opens the nomination itself, a logged read). Pure Python."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from services.intake.domain.vocabulary import Status


class WorklistStage(str, enum.Enum):
    # In the intake queue: nobody took it up yet (12.2a, 12.3).
    TO_ASSESS = "to_assess"
    # Qualified by the person who took it up: the triage round is still to start.
    TO_TRIAGE = "to_triage"
    # The triage round runs: an asked party has not answered and the deadline has not passed.
    IN_TRIAGE = "in_triage"
    # The round is closed (every asked party answered or the deadline passed): route it.
    TO_ROUTE = "to_route"


# The statuses a worklist shows; everything else has left the process director's hands.
ON_THE_WORKLIST = frozenset({Status.NOMINATED, Status.QUALIFIED, Status.TRIAGE})


@dataclass(frozen=True)
class WorklistRow:
    case_id: str
    status: Status
    received_at: datetime
    nominating_party: str
    triage_deadline: datetime | None = None
    # Whether an asked party has yet to answer (only meaningful with a round).
    awaiting_answers: bool = False

    def stage(self, now: datetime) -> WorklistStage:
        """As ``TriageRound.closed``: closed when all answered or the deadline passed (1.15)."""
        if self.status == Status.NOMINATED:
            return WorklistStage.TO_ASSESS
        if self.status == Status.QUALIFIED or self.triage_deadline is None:
            return WorklistStage.TO_TRIAGE
        if self.awaiting_answers and now < self.triage_deadline:
            return WorklistStage.IN_TRIAGE
        return WorklistStage.TO_ROUTE

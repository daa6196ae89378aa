"""A triage round (1.15, 12.2b): the process director asks parties whether they know the
subject; each asked party answers once, before the deadline. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from services.intake.domain.vocabulary import AgeBand, TriageAnswerKind


@dataclass(frozen=True)
class Answer:
    kind: TriageAnswerKind
    contribution: str
    themes: tuple[str, ...]
    at: datetime


@dataclass
class TriageRound:
    round_id: str
    deadline: datetime
    themes: tuple[str, ...]
    question: str
    started_at: datetime
    # party -> its answer, or None when not answered yet
    answers: dict[str, Answer | None] = field(default_factory=dict)

    @property
    def asked(self) -> tuple[str, ...]:
        return tuple(sorted(self.answers))

    def all_answered(self) -> bool:
        return all(a is not None for a in self.answers.values())

    def closed(self, now: datetime) -> bool:
        """Closed when every asked party answered or the deadline passed (1.15)."""
        return self.all_answered() or now >= self.deadline


@dataclass(frozen=True)
class TriageQuestion:
    """Only what an asked party needs to answer (1.15, 8.4c): no identity, no details."""

    case_id: str
    round_id: str
    subject_pseudonym: str
    age_band: AgeBand
    themes: tuple[str, ...]
    question: str
    deadline: datetime
    answered: bool
    closed: bool

"""What the process director records about a nomination beyond the nominating party's facts:
the criteria of Bijlage 2 as judged, each with its grounds (12.2a; the criteria policy decides
on them, art. 1.4), and a safety override of a refused consent (Bijlage 3, MO Den Bosch
policy). Pure Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.intake.domain.vocabulary import ConsentStatus

CRITERIA = ("A", "B", "C", "D")

# Without the subject's consent nothing is shared beyond the nominating party and its process
# director unless a safety override is recorded. A nomination that states "safety override"
# has no override recorded yet: the record (reason, colleague, client informed) is the
# process director's (Bijlage 3).
CONSENT_NEEDS_OVERRIDE = frozenset({ConsentStatus.REFUSED, ConsentStatus.SAFETY_OVERRIDE})

# The subject's consent for the case as disclosure last recorded it (its SUBJECT_CONSENT_CHANGED,
# "given" or this): from then on it, not the nominating party's statement, says how the consent
# stands. A withdrawal (GDPR art. 7(3)) needs a recorded safety override as a refusal does.
CONSENT_WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Judged:
    holds: bool
    grounds: str


@dataclass(frozen=True)
class JudgedCriteria:
    """Criterion letter -> its judgement, for every criterion of Bijlage 2."""

    a: Judged
    b: Judged
    c: Judged
    d: Judged

    def by_letter(self) -> dict[str, Judged]:
        return {"A": self.a, "B": self.b, "C": self.c, "D": self.d}

    def holds(self) -> dict[str, bool]:
        """The judgement without its grounds: the criteria policy's input."""
        return {k: j.holds for k, j in self.by_letter().items()}

    def grounds(self) -> dict[str, str]:
        return {k: j.grounds for k, j in self.by_letter().items()}

    @classmethod
    def from_parts(cls, holds: dict[str, bool], grounds: dict[str, str]) -> "JudgedCriteria":
        return cls(*(Judged(bool(holds[k]), grounds.get(k, "")) for k in CRITERIA))


@dataclass(frozen=True)
class SafetyOverride:
    """Shared without consent because safety is at stake: why, the colleague consulted, and
    whether and how the client was informed (or why not yet)."""

    reason: str
    consulted_colleague: str
    client_informed: bool
    client_information: str
    recorded_by_party: str
    recorded_by: str
    recorded_at: datetime

"""Disputes and their escalation chains. Pure Python: no framework imports.

- art. 13.4: about a case director -> the process director, who may take it to the partner
  council;
- art. 12.4: about the process director -> the managers, who may take it to the regional board;
- art. 11.4: about the managers -> the regional board.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from zorgtafel.kernel.errors import FailedPrecondition


class DisputeAbout(str, enum.Enum):
    CASE_DIRECTOR = "case_director"
    PROCESS_DIRECTOR = "process_director"
    MANAGERS = "managers"


class Forum(str, enum.Enum):
    PROCESS_DIRECTOR = "process_director"
    MANAGERS = "managers"
    PARTNER_COUNCIL = "partner_council"
    REGIONAL_BOARD = "regional_board"


class DisputeStatus(str, enum.Enum):
    OPEN = "open"
    RESOLVED = "resolved"


CHAINS: dict[DisputeAbout, tuple[Forum, ...]] = {
    DisputeAbout.CASE_DIRECTOR: (Forum.PROCESS_DIRECTOR, Forum.PARTNER_COUNCIL),  # 13.4
    DisputeAbout.PROCESS_DIRECTOR: (Forum.MANAGERS, Forum.REGIONAL_BOARD),  # 12.4
    DisputeAbout.MANAGERS: (Forum.REGIONAL_BOARD,),  # 11.4
}

ARTICLES = {
    DisputeAbout.CASE_DIRECTOR: "13.4",
    DisputeAbout.PROCESS_DIRECTOR: "12.4",
    DisputeAbout.MANAGERS: "11.4",
}


@dataclass
class Dispute:
    dispute_id: str
    about: DisputeAbout
    case_id: str | None
    level: int
    status: DisputeStatus
    registered_by_party: str
    registered_at: datetime
    updated_at: datetime
    resolution_code: str | None = None
    # The person who registered it for its party (reads it, with the forum holding it; a
    # dispute registered before this was kept has none).
    registered_by_person: str | None = None

    @property
    def chain(self) -> tuple[Forum, ...]:
        return CHAINS[self.about]

    @property
    def forum(self) -> Forum:
        return self.chain[self.level]

    @property
    def remaining(self) -> tuple[Forum, ...]:
        return self.chain[self.level + 1 :]

    def _require_open(self) -> None:
        if self.status is not DisputeStatus.OPEN:
            raise FailedPrecondition(
                self.status.value, "the dispute is resolved", subject="dispute.status"
            )

    def escalate(self, at: datetime) -> Forum:
        self._require_open()
        if not self.remaining:
            raise FailedPrecondition(
                "end_of_chain",
                f"art. {ARTICLES[self.about]}: a dispute about the "
                f"{self.about.value.replace('_', ' ')} cannot go beyond the "
                f"{self.forum.value.replace('_', ' ')}",
                subject="dispute.forum",
            )
        self.level += 1
        self.updated_at = at
        return self.forum

    def resolve(self, resolution_code: str, at: datetime) -> None:
        self._require_open()
        self.status = DisputeStatus.RESOLVED
        self.resolution_code = resolution_code
        self.updated_at = at

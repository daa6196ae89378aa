"""Commands and queries casework handles, as frozen dataclasses (the servicer translates proto
to these; the consumer translates intake's triage outcome to ``OpenCase``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from services.casework.domain.model import ActionStatus


@dataclass(frozen=True)
class OpenCase:
    case_id: str
    subject_pseudonym: str
    nominating_party: str
    age_band: str
    process_director_party: str
    process_director_person: str
    goal_code: str
    themes: tuple[str, ...]
    decision_types: tuple[str, ...]
    invitees: tuple[str, ...]


@dataclass(frozen=True)
class InviteeIn:
    party: str
    lawful_themes: tuple[str, ...]


@dataclass(frozen=True)
class ScheduleMeeting:
    case_id: str
    scheduled_for: datetime | None
    goal_code: str
    decision_types: tuple[str, ...]
    themes: tuple[str, ...]
    invitees: tuple[InviteeIn, ...]
    pre_read_item_ids: tuple[str, ...]


@dataclass(frozen=True)
class RecordMeeting:
    case_id: str
    meeting_id: str
    attendees: tuple[str, ...]
    minutes: str


@dataclass(frozen=True)
class AppointDirector:
    case_id: str
    meeting_id: str
    party: str
    person: str


@dataclass(frozen=True)
class NameDelegate:
    """A person of an involved party is named its delegate in the case (16.1, 10.1): by the
    case's process director or by a delegate of that party; ``party`` empty: the caller's."""

    case_id: str
    person: str
    party: str = ""


@dataclass(frozen=True)
class ReleaseDelegate:
    case_id: str
    person: str
    party: str = ""


@dataclass(frozen=True)
class NewActionIn:
    party: str
    what: str
    due_date: str


@dataclass(frozen=True)
class AdoptPlan:
    case_id: str
    meeting_id: str
    actions: tuple[NewActionIn, ...]


@dataclass(frozen=True)
class RoleIn:
    party: str
    role: str
    information_need: tuple[str, ...]


@dataclass(frozen=True)
class SetRoles:
    case_id: str
    meeting_id: str
    roles: tuple[RoleIn, ...]


@dataclass(frozen=True)
class SetCriteria:
    case_id: str
    meeting_id: str
    criteria: tuple[str, ...]


@dataclass(frozen=True)
class UpdateAction:
    case_id: str
    action_id: str
    status: ActionStatus | None
    progress_note: str


@dataclass(frozen=True)
class Deescalate:
    case_id: str
    meeting_id: str
    criteria_met: tuple[str, ...]


@dataclass(frozen=True)
class Escalate:
    case_id: str
    zvh: str
    reason: str


@dataclass(frozen=True)
class CloseCase:
    case_id: str


@dataclass(frozen=True)
class Purge:
    case_id: str


# -- queries ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class GetCase:
    case_id: str


@dataclass(frozen=True)
class GetMinutes:
    case_id: str
    meeting_id: str


@dataclass(frozen=True)
class GetPreReadSet:
    case_id: str
    meeting_id: str
    purpose: str
    # The caller's own credentials, relayed so that disclosure decides and logs for the person
    # who will read (never stored).
    relayed_metadata: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ListOverdueActions:
    case_id: str  # "" for every case the caller directs (as process or case director)
    today: date | None = None  # None: today (UTC)
    # The page, in SQL: at most ``limit`` results (the servicer asks one more than it shows,
    # to know whether a next page exists) after the sort key ``after`` (case_id, due_date,
    # action_id) of the previous page's last result, or else after ``offset`` results.
    offset: int = 0
    limit: int = 101
    after: tuple[str, date, str] | None = None


@dataclass(frozen=True)
class ListCasesAwaitingDirector:
    """The cases whose process director left and nobody took over (12.3). The page, in SQL: at
    most ``limit`` results after the case id ``after`` of the previous page's last result, or
    else after ``offset`` results."""

    offset: int = 0
    limit: int = 101
    after: str | None = None


@dataclass(frozen=True)
class ReadTimeline:
    case_id: str
    after_sequence: int

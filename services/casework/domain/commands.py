"""Commands casework handles, as frozen dataclasses (the servicer translates proto to these)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Caller:
    """Who asks (from the call context): the facts policies need about the principal."""
    party: str
    person: str
    role: str
    party_status: str
    authenticated_by: str = "dev_token"

    def as_input(self) -> dict:
        return {"party": self.party, "person": self.person, "role": self.role,
                "party_status": self.party_status, "authenticated_by": self.authenticated_by}


@dataclass(frozen=True)
class OpenCase:
    case_id: str
    subject_pseudonym: str
    nominating_party: str
    age_band: str
    process_director_party: str
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
    status: str | None
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

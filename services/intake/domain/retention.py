"""When intake lets go of a nomination (Bijlage 3 "houdbaarheid", art. 1.2) and when the
subject's consent age band moves on (Bijlage 3: the band follows the age on the day of the
decision, not the day of nomination). Pure Python: the periods come from the retention policy,
the clock from the caller."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from services.intake.domain.subject import age_band_for
from services.intake.domain.vocabulary import AgeBand, Routing, Status

# The retention kind of a nomination that ended without a case
# (policies/rego/retention/data.json).
NOMINATION_ENDED = "nomination_ended"
# ... and of the triage round of a nomination routed to a case meeting.
TRIAGE_ROUND = "triage_round"

# The care table's calendar: a birthday begins at midnight in the Netherlands, not in UTC.
CALENDAR = ZoneInfo("Europe/Amsterdam")

# Ended without becoming a Zorgtafel case: rejected (12.2a), withdrawn by the nominating party,
# or routed back to regular care or on to a ZVH (1.15, Bijlage 2).
ENDED = frozenset({Status.REJECTED, Status.WITHDRAWN})
ROUTED_AWAY = frozenset(r for r in Routing if r != Routing.CASE_MEETING)

# The subject still has a nomination or case in progress: its band matters to the next decision.
OPEN = frozenset({Status.NOMINATED, Status.QUALIFIED, Status.TRIAGE, Status.LINKED})


def ended_without_case(
    status: Status, routing: Routing | None, linked_to_case_id: str | None
) -> bool:
    """Ended without a case; also a nomination left "linked" to nothing: it shared the outcome
    of the nomination it was linked to, which ended and was forgotten (an earlier version
    left it so; now it is routed or forgotten with that one)."""
    if status == Status.LINKED:
        return not linked_to_case_id
    return status in ENDED or (status == Status.ROUTED and routing in ROUTED_AWAY)


def in_progress(status: Status, routing: Routing | None) -> bool:
    """Open at intake, or routed to a case meeting whose case casework has not closed."""
    return status in OPEN or (status == Status.ROUTED and routing == Routing.CASE_MEETING)


def calendar_day(now: datetime) -> date:
    return now.astimezone(CALENDAR).date()


def band_change(dob: date | None, stored: AgeBand, now: datetime) -> AgeBand | None:
    """The subject's band today when it differs from the stored one; None when it did not
    change or the date of birth is unknown (a stated band stays as stated)."""
    if dob is None:
        return None
    today = age_band_for(dob, calendar_day(now))
    return today if today != stored else None

"""A case's facts as another service publishes them, for the tests that open a case from them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from zorgtafel.generated.casework.v1 import casework_pb2 as cw
from zorgtafel.testing import rid

VEILIG_THUIS = "00000099000000000066"  # nominates the case
LUMENS = "00000099000000000053"  # the process director's organisation (12.3)
SHELTER = "00000099000000000051"  # invited in triage
POLICE = "00000099000000000061"  # invited in triage


def triaged(case_id: str, director_person: str, **over: Any) -> dict[str, Any]:
    """Intake's CASE_TRIAGED data of a case routed to a case meeting: nominated by Veilig Thuis,
    the shelter and the police invited, directed by ``director_person`` of Lumens; ``over``
    replaces any field (a pseudonym of the test's own, another director's party)."""
    data: dict[str, Any] = {
        "case_id": case_id,
        "subject_pseudonym": "ps-1",
        "nominating_party": VEILIG_THUIS,
        "age_band": "16_plus",
        "routing": "case_meeting",
        "goal_code": "stabilise",
        "themes": ["safety"],
        "decision_types": ["plan"],
        "invitees": [SHELTER, POLICE],
        "process_director_party": LUMENS,
        "process_director_person": director_person,
    }
    data.update(over)
    return data


def meeting_request(case_id: str, invitees: tuple[str, ...] = (SHELTER, POLICE)) -> Any:
    """A ScheduleMeetingRequest of the case's meeting as triage asked it (``triaged``): goal
    stabilise, a plan to decide, safety the theme every invitee may lawfully hear, three days
    from now, under a new request id."""
    req = cw.ScheduleMeetingRequest(
        request_id=rid(),
        case_id=case_id,
        goal_code="stabilise",
        decision_types=["plan"],
        themes=["safety"],
        invitees=[cw.Invitee(party=p, lawful_themes=["safety"]) for p in invitees],
    )
    req.scheduled_for.FromDatetime(datetime.now(timezone.utc) + timedelta(days=3))
    return req

"""A case's facts as another service publishes them, for the tests that open a case from them."""

from __future__ import annotations

from typing import Any

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

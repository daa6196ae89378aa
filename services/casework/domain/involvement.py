"""Who has a part in a case (8.4c, 13.1, 16.1; ADR 0005): the parties involved in it, and the
facts about persons that the policies decide on. Pure: the handlers gather the case, its
meetings and roles, and hand these facts to Rego; nothing here grants anything by itself."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from services.casework.domain.model import Case, Meeting, PartyRole


def involved_parties(
    case: Case, meetings: Iterable[Meeting], roles: Iterable[PartyRole]
) -> list[str]:
    """The parties involved in the case: invited in triage, invited to or attending one of its
    meetings, or given a role by the case meeting (8.4c). Sorted, each once."""
    parties = set(case.triage_invitees)
    for m in meetings:
        parties.update(m.invitees)
        parties.update(m.attendees)
    parties.update(r.party for r in roles)
    return sorted(parties)


def person_facts(case: Case) -> dict[str, Any]:
    """The persons with a part in the case, as the policy inputs name them: the process
    director (12.3; ``left`` when its designation ended and nobody took the case over yet),
    the case director (13.1, or null) and each party's delegates (16.1)."""
    director = None
    if case.case_director_party and case.case_director_person:
        director = {"party": case.case_director_party, "person": case.case_director_person}
    return {
        "process_director": {
            "party": case.process_director_party,
            "person": case.process_director_person,
            # 12.3: its designation ended and nobody took the case over yet
            "left": case.left_by_its_director,
        },
        "case_director": director,
        "delegates": {p: sorted(persons) for p, persons in sorted(case.delegates.items())},
    }

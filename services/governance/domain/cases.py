"""What governance knows of a case a dispute names (art. 8.4c, 12.3, 13.1, 13.4), projected from
casework's events: who directs it, its case director, the parties involved and their delegates.
No subject data (no pseudonym, no age band): only the ids the dispute policy decides on. Pure:
nothing here grants anything; ``zorgtafel.governance`` decides on ``policy_facts``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

Person = tuple[str, str]  # (party OIN, pseudonymous person id)


@dataclass
class CaseParts:
    case_id: str
    # CASE_OPENED arrived: before it governance does not know who has a part in the case.
    opened: bool = False
    process_director: Person | None = None  # 12.3 (absent in older events: nobody directs)
    case_director: Person | None = None  # 13.1, optional
    # Invited in triage, invited to or attending a meeting (never taken back), and the parties
    # the case meeting gave a role (8.4c: the complete set, replaced on each ROLES_SET).
    invited: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    delegates: dict[str, tuple[str, ...]] = field(default_factory=dict)
    closed: bool = False
    # When casework decided the roles, the case director and each person's naming or release
    # ({party: {person: ISO time}}, a released person's time kept): a change decided before the
    # one held arrived late and changes nothing (``in_decision_order``). None / absent: held
    # without a time (an event from before the field, or a row from before the columns).
    roles_changed_at: datetime | None = None
    case_director_changed_at: datetime | None = None
    # 12.3: when casework changed who directs the case (None: only its opening named one).
    process_director_changed_at: datetime | None = None
    delegates_changed_at: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def involved_parties(self) -> list[str]:
        """As casework counts them (``casework.domain.involvement``): sorted, each once."""
        return sorted(self.invited | self.roles)


def parties_with_a_part(parts: CaseParts | None) -> frozenset[str]:
    """The parties with a part in the case as governance knows it: the one directing it, its
    case director's, the parties involved (8.4c). None before its opening is known."""
    if parts is None or not parts.opened:
        return frozenset()
    directors = {d[0] for d in (parts.process_director, parts.case_director) if d}
    return frozenset(parts.involved_parties) | directors


def party_has_part(parts: CaseParts | None, party: str) -> bool:
    """Whether ``party`` has a part in the case as governance knows it (``parties_with_a_part``).
    Such a party may learn that the case exists (its people are told the policy's reasons);
    any other is answered as for a case governance does not know."""
    return bool(party) and party in parties_with_a_part(parts)


def _person(who: Person | None) -> dict[str, str] | None:
    return {"party": who[0], "person": who[1]} if who else None


def policy_facts(
    case_id: str | None, parts: CaseParts | None, *, as_unknown: bool = False
) -> dict[str, Any] | None:
    """The policy input's ``case``: None for a dispute that names no case (a general matter);
    ``known: False`` while governance has not learned of the case's opening (the service then
    answers UNAVAILABLE to a caller the facts could let in, never a deny on a missing fact),
    and ``as_unknown``: as such a case (to a party with no part in it, which may not learn
    that governance knows it)."""
    if not case_id:
        return None
    if parts is None or not parts.opened or as_unknown:
        return {"case_id": case_id, "known": False}
    return _known(case_id, parts)


def _known(case_id: str, parts: CaseParts) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "known": True,
        "process_director": _person(parts.process_director),
        "case_director": _person(parts.case_director),
        "involved_parties": parts.involved_parties,
        "delegates": {p: list(v) for p, v in sorted(parts.delegates.items())},
        "closed": parts.closed,
    }


def with_every_part(case_id: str, party: str, person: str) -> dict[str, Any]:
    """The policy input's ``case`` for a case governance does not know yet, as if ``person`` of
    ``party`` had every part in it: its process director, its case director and a delegate of
    an involved party. A part in a case only ever permits more (``zorgtafel.governance``), so
    a caller refused even on these facts is refused whatever the case's turn out to be."""
    who = (party, person)
    parts = CaseParts(
        case_id,
        opened=True,
        process_director=who,
        case_director=who,
        invited=frozenset({party}),
        delegates={party: (person,)},
    )
    return _known(case_id, parts)

"""Who calls: the authenticated person, their party, their job (the token's role) and the
party's status as the service knows it. Pure data, so domain code and handlers can take it.

A ``Caller`` says who a person is, never what they are part of: that comes from the facts of
the case, the nomination or the body, which the service passes to the policy beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Caller:
    party: str
    person: str
    role: str
    party_status: str = "unknown"
    authenticated_by: str = "dev_token"

    def as_input(self) -> dict[str, Any]:
        """The ``principal`` of a policy input."""
        return {
            "party": self.party,
            "person": self.person,
            "role": self.role,
            "party_status": self.party_status,
            "authenticated_by": self.authenticated_by,
        }

"""The process directors the managers designated (art. 11.2, 12.1, 12.3). Pure Python.

A process director is a Zorgtafel employee acting on behalf of one party (1.12, 12.3). Which
person that is, is a fact the managers decide, not a token claim: governance keeps the roster
and publishes every change (``RosterChanged``) so every service's kernel projection follows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

PROCESS_DIRECTOR = "process_director"
MANAGER = "manager"


@dataclass
class ProcessDirector:
    party: str  # the party on whose behalf the person acts (12.3)
    person: str  # pseudonymous person id (the token subject)
    designated_at: datetime
    designated_by_party: str
    designated_by_person: str

"""The process directors the managers designated (art. 11.2, 12.1, 12.3). Pure Python.

A process director is a Zorgtafel employee acting on behalf of one party (1.12, 12.3). Which
person that is, is a fact the managers decide, not a token claim: governance keeps the roster
and publishes every change (``RosterChanged``) so every service's kernel projection follows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

PROCESS_DIRECTOR = "process_director"
MANAGER = "manager"


@dataclass
class ProcessDirector:
    party: str  # the party on whose behalf the person acts (12.3)
    person: str  # pseudonymous person id (the token subject)
    designated_at: datetime
    designated_by_party: str
    designated_by_person: str
    # When the designation was revoked (None: designated). The entry is kept past its
    # revocation, so that a designation of the person again is decided after it: every
    # service's roster applies an entry's changes in decision order and ignores an older one.
    revoked_at: datetime | None = None

    @property
    def designated(self) -> bool:
        return self.revoked_at is None

    @property
    def last_change(self) -> datetime:
        """When the entry was last decided on: its designation or its revocation."""
        return self.revoked_at or self.designated_at

    def revoke(self, at: datetime) -> None:
        self.revoked_at = at

    def designate_again(self, at: datetime, by_party: str, by_person: str) -> None:
        self.designated_at, self.revoked_at = at, None
        self.designated_by_party, self.designated_by_person = by_party, by_person


class ProcessDirectorRow(NamedTuple):
    """A designation as a page of ListProcessDirectors shows it: read as a plain row, not
    loaded as a ``ProcessDirector`` (objects of the session cost a page about twice the CPU,
    issue #16). Read only; a change goes through ``ProcessDirector``."""

    party: str
    person: str
    designated_at: datetime
    designated_by_party: str
    designated_by_person: str
    revoked_at: datetime | None

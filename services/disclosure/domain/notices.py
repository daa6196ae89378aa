"""The client in view of a safety override (Bijlage 3: "how the client was informed, or why not
yet"): what was told the client, kept sealed with the review, and the notice the provider and
the overriding party read of it (art. 16.2: the provider must learn of an override).

The record is sealed under the case key as one JSON document (the reviews table's
``client_informed_sealed``): the status and the promised date are read back with it, so a
purged case's notices say "no longer known" rather than keep what the client was told.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime

from services.disclosure.domain.times import parse_time, rfc3339

INFORMED = "informed"
NOT_YET = "not_yet"
STATUSES = (INFORMED, NOT_YET)
UNKNOWN = ""  # purged, unreadable, or recorded before the status was asked
# Project choice: a promised date at most a year ahead (the GDPR's norm is a month, art. 14(3);
# a safety risk may defer it, art. 23), so a mistyped year is refused.
MAX_INFORM_DELAY_DAYS = 365


@dataclass(frozen=True)
class ClientInformed:
    """What the client was told of the override, or why not yet and by when."""

    status: str  # informed | not_yet | "" (unknown)
    text: str  # how (informed) or why not yet (not_yet): free text, sealed
    to_be_informed_by: date | None = None
    informed_at: datetime | None = None
    how_later: str = ""  # how, when recorded after the override (free text, sealed)
    recorded_by: str = ""  # who recorded the informing afterwards (person id)

    def to_sealed(self) -> bytes:
        return json.dumps(
            {
                "v": 1,
                "status": self.status,
                "text": self.text,
                "by": self.to_be_informed_by.isoformat() if self.to_be_informed_by else "",
                "informed_at": rfc3339(self.informed_at) if self.informed_at else "",
                "how_later": self.how_later,
                "recorded_by": self.recorded_by,
            },
            sort_keys=True,
        ).encode()

    @staticmethod
    def from_sealed(raw: bytes) -> ClientInformed:
        """The record; a text sealed before the status was asked reads as status unknown."""
        text = raw.decode()
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if not isinstance(data, dict) or data.get("v") != 1:
            return ClientInformed(UNKNOWN, text)
        by, at = data.get("by") or "", data.get("informed_at") or ""
        return ClientInformed(
            status=data.get("status") if data.get("status") in STATUSES else UNKNOWN,
            text=str(data.get("text") or ""),
            to_be_informed_by=date.fromisoformat(by) if by else None,
            informed_at=parse_time(at) if at else None,
            how_later=str(data.get("how_later") or ""),
            recorded_by=str(data.get("recorded_by") or ""),
        )

    def informed(self, how: str, at: datetime, by: str) -> ClientInformed:
        """Informed afterwards: why not yet stays with how it was done (the review reads both)."""
        return replace(self, status=INFORMED, informed_at=at, how_later=how, recorded_by=by)

    def review_text(self) -> str:
        """What the privacy officer's review shows as ``client_informed``."""
        if self.status == NOT_YET:
            return f"not yet ({self.text}); to be informed by {self.to_be_informed_by}"
        if self.how_later:
            return f"informed {rfc3339(self.informed_at) if self.informed_at else ''}: " + (
                f"{self.how_later} (before: {self.text})"
            )
        return self.text


@dataclass(frozen=True)
class OverrideNotice:
    """A safety override on an item, as its provider and the overriding party see it:
    identifiers, times and the informing status, never a free text."""

    review_id: str
    decision_id: str
    case_id: str
    item_id: str
    provider: str
    party: str
    person: str
    overridden_at: datetime
    status: str = UNKNOWN
    to_be_informed_by: date | None = None
    informed_at: datetime | None = None

    def overdue(self, today: date) -> bool:
        return (
            self.status == NOT_YET
            and self.to_be_informed_by is not None
            and self.to_be_informed_by < today
        )

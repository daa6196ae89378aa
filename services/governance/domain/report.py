"""The managers' annual report to the regional board (art. 11.3d): counts per year, from the
facts casework and disclosure publish. Non-identifying: only counters, no case ids.
Pure Python: no framework imports."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, fields

from zorgtafel.contracts import events as ev

METRICS = (
    "cases_handled",
    "cases_closed_successfully",
    "escalations",
    "disclosures_allowed",
    "disclosures_denied",
    "disclosures_break_glass",
)

_DISCLOSURE_RESULTS = {
    "allowed": "disclosures_allowed",
    "denied": "disclosures_denied",
    "break_glass": "disclosures_break_glass",
}


def metric_of(event_type: str, data) -> str | None:
    """Which counter an event adds one to (None: it counts for nothing)."""
    if event_type == ev.CASE_OPENED:
        return "cases_handled"
    if event_type == ev.CASE_CLOSED:
        return "cases_closed_successfully" if data.get("outcome") == "successful" else None
    if event_type == ev.CASE_ESCALATED:
        return "escalations"
    if event_type == ev.DISCLOSURE_DECIDED:
        return _DISCLOSURE_RESULTS.get(str(data.get("result", "")))
    return None


@dataclass(frozen=True)
class AnnualReport:
    year: int
    cases_handled: int = 0
    cases_closed_successfully: int = 0
    escalations: int = 0
    disclosures_allowed: int = 0
    disclosures_denied: int = 0
    disclosures_break_glass: int = 0

    @classmethod
    def from_counters(cls, year: int, counters: dict[str, int]) -> "AnnualReport":
        return cls(year, **{m: int(counters.get(m, 0)) for m in METRICS})

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def to_json(self) -> bytes:
        return json.dumps({"article": "11.3d", **self.as_dict()}, sort_keys=True).encode()

    def to_csv(self) -> bytes:
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["year", "metric", "count"])
        for m in METRICS:
            w.writerow([self.year, m, getattr(self, m)])
        return out.getvalue().encode()

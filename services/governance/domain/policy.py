"""Work-process versions and the policy bundle revisions they name (art. 6.6c, 11.3a).
Pure Python: no framework imports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class PolicyRevision:
    revision: str
    work_process_version: str
    proposal_id: str
    decision_id: str
    bundle: bytes
    adopted_at: datetime
    adopted_by_party: str
    seq: int | None = None

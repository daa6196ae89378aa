"""Accession (art. 20), amendments and withdrawal (art. 21, 23.1), notices of default and
exclusion (art. 23.2). Pure Python: no framework imports."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from zorgtafel.kernel.errors import FailedPrecondition


class AccessionStatus(str, enum.Enum):
    APPLIED = "applied"
    BOARD_APPROVED = "board_approved"
    JOINED = "joined"
    REFUSED = "refused"


@dataclass
class Accession:
    accession_id: str
    party_id: str
    status: AccessionStatus
    applied_at: datetime
    decision_id: str | None = None
    form_reference: str | None = None
    joined_at: datetime | None = None

    def require(self, status: AccessionStatus, what: str) -> None:
        if self.status is not status:
            raise FailedPrecondition(self.status.value, what, subject="accession.status")


def missing_approvals(active_parties, approved_by) -> list[str]:
    """Art. 20.4: the board decides only after obtaining the approval of ALL parties."""
    return sorted(set(active_parties) - set(approved_by))


def require_all_approvals(active_parties, approved_by) -> None:
    missing = missing_approvals(active_parties, approved_by)
    if missing:
        raise FailedPrecondition(
            "approvals_missing",
            f"art. 20.4: the board decides on accession only after every party approved; "
            f"approvals missing from {len(missing)} parties: {', '.join(missing)}",
            subject="accession.approvals",
        )


def require_signed_form(signed_by_organisation: bool, signed_by_board_chair: bool) -> None:
    """Art. 20.4: accession happens by signing Annex 1, by the organisation and the chair."""
    missing = [
        who
        for who, ok in (
            ("organisation", signed_by_organisation),
            ("board_chair", signed_by_board_chair),
        )
        if not ok
    ]
    if missing:
        raise FailedPrecondition(
            "annex_1_unsigned",
            "art. 20.4: Annex 1 must be signed by "
            f"the organisation and the board chair; missing: "
            f"{', '.join(missing)}",
            subject="accession.signature",
        )


@dataclass
class NoticeOfDefault:
    notice_id: str
    party_id: str
    reason_code: str
    recorded_at: datetime
    recorded_by_party: str


def require_notice_of_default(notices_before: list) -> None:
    """Art. 23.2: exclusion only after a notice of default (ingebrekestelling)."""
    if not notices_before:
        raise FailedPrecondition(
            "no_notice_of_default",
            "art. 23.2: a party can be excluded only after a recorded notice of default",
            subject="party.notice_of_default",
        )


@dataclass
class Withdrawal:
    withdrawal_id: str
    party_id: str
    amendment_id: str | None
    letter_reference: str
    effective_at: datetime
    recorded_at: datetime
    effective: bool = False

    def due(self, now: datetime) -> bool:
        """Art. 21.3: the withdrawal takes effect when the amended covenant does."""
        return not self.effective and self.effective_at <= now

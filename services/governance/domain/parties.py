"""Parties of the covenant and their membership status (art. 20 accession, 21.3 withdrawal,
23.2 exclusion). Pure Python: no framework imports."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from zorgtafel.kernel.errors import FailedPrecondition


class PartyKind(str, enum.Enum):
    MUNICIPALITY = "municipality"
    POLICE = "police"
    MILITARY_POLICE = "military_police"
    CARE_PROVIDER = "care_provider"
    SHELTER = "shelter"
    COA = "coa"
    GGD = "ggd"
    GGZ = "ggz"
    VEILIG_THUIS = "veilig_thuis"
    YOUTH_CARE = "youth_care"
    ADDICTION_CARE = "addiction_care"
    PUBLIC_PROSECUTOR = "public_prosecutor"
    OTHER = "other"


class PartyStatus(str, enum.Enum):
    APPLICANT = "applicant"
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"
    EXCLUDED = "excluded"


@dataclass
class Party:
    party_id: str
    name: str
    kind: PartyKind
    status: PartyStatus
    status_since: datetime
    history: list = field(default_factory=list)

    def change_status(self, new: PartyStatus, at: datetime, allowed_from: set[PartyStatus]) -> None:
        if self.status not in allowed_from:
            raise FailedPrecondition(
                self.status.value,
                f"party cannot become {new.value} from {self.status.value}",
                subject="party.status",
            )
        self.status = new
        self.status_since = at


@dataclass
class StatusChange:
    """One entry of a party's membership history."""

    party_id: str
    status: PartyStatus
    at: datetime
    cause: str  # covenant | accession | withdrawal | exclusion
    reference: str  # decision, accession or withdrawal id (empty for the covenant)
    seq: int | None = None


# The allowed transitions (art. 20.4 accession, 21.3/23.1 withdrawal, 23.2 exclusion).
JOIN_FROM = {PartyStatus.APPLICANT}
WITHDRAW_FROM = {PartyStatus.ACTIVE}
EXCLUDE_FROM = {PartyStatus.ACTIVE}


class PartyRow(NamedTuple):
    """A party as a page of ListParties shows it: read as a plain row, not loaded as a
    ``Party`` (objects of the session cost a page about twice the CPU, issue #16). Read only;
    a change goes through ``Party``."""

    party_id: str
    name: str
    kind: PartyKind
    status: PartyStatus
    status_since: datetime

"""Commands and queries intake handles (servicers translate proto to these). Who calls is the
kernel's ``Caller``, passed beside them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.intake.domain.assessment import JudgedCriteria
from services.intake.domain.model import MeetingPlan, Problem, Safety
from services.intake.domain.vocabulary import (
    AgeBand,
    Chain,
    ConsentStatus,
    RejectionReason,
    Routing,
    TriageAnswerKind,
)
from services.intake.domain.worklist import WorklistStage


@dataclass(frozen=True)
class Nominate:
    given_names: str
    family_name: str
    date_of_birth: str
    bsn: str
    v_number: str
    age_band: AgeBand | None
    problems: tuple[Problem, ...]
    safety: Safety
    chains: tuple[Chain, ...]
    consent: ConsentStatus
    usage_terms: dict


@dataclass(frozen=True)
class Assess:
    case_id: str
    qualifies: bool
    rejection_reason: RejectionReason | None
    reasons: str
    nominating_party_consulted: bool
    # Each criterion of Bijlage 2 as the process director judges it, with its grounds.
    criteria: JudgedCriteria


@dataclass(frozen=True)
class StartTriage:
    case_id: str
    asked_parties: tuple[str, ...]
    deadline: datetime
    themes: tuple[str, ...]
    question: str


@dataclass(frozen=True)
class AnswerTriage:
    case_id: str
    answer: TriageAnswerKind
    contribution: str
    themes: tuple[str, ...]


@dataclass(frozen=True)
class DecideRouting:
    case_id: str
    routing: Routing
    meeting: MeetingPlan | None
    reason_code: str
    # invitee -> themes it has a legal basis for, as the process director states (15.2)
    lawful_themes: dict


@dataclass(frozen=True)
class Withdraw:
    case_id: str
    reason_code: str


@dataclass(frozen=True)
class RecordSafetyOverride:
    case_id: str
    reason: str
    consulted_colleague: str
    client_informed: bool
    client_information: str


# -- queries ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class GetNomination:
    case_id: str


@dataclass(frozen=True)
class GetTriageQuestion:
    case_id: str


@dataclass(frozen=True)
class ListProbingFlags:
    """A page of the managers' list of probing flags, newest first: after the sort key
    ``after`` (flagged at, flag id) of the previous page's last, at most ``limit`` (the
    servicer asks one more than it shows, to know whether more follow)."""

    after: tuple[datetime, str] | None = None
    limit: int = 101


@dataclass(frozen=True)
class ListNominations:
    """A page of the process director's worklist, oldest first: only ``stage`` (None: every
    stage), after the sort key ``after`` (received at, case id) of the previous page, at most
    ``limit`` rows (the servicer asks one more than it shows, to know whether more follow)."""

    stage: WorklistStage | None = None
    after: tuple[datetime, str] | None = None
    limit: int = 101

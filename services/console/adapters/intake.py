"""Intake (nominations, assessment, triage, routing) as the console uses it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp

from services.console.adapters.calls import Caller
from zorgtafel.generated.common.v1 import common_pb2 as common
from zorgtafel.generated.intake.v1 import intake_pb2 as ik
from zorgtafel.generated.intake.v1 import intake_pb2_grpc as ik_grpc

LIFE_DOMAINS = [n.removeprefix("LIFE_DOMAIN_").lower() for n in ik.LifeDomain.keys()[1:]]
CHAINS = [n.removeprefix("CHAIN_").lower() for n in ik.Chain.keys()[1:]]
AGE_BANDS = [n.removeprefix("AGE_BAND_").lower() for n in ik.AgeBand.keys()[1:]]
CONSENT = [n.removeprefix("CONSENT_STATUS_").lower() for n in ik.ConsentStatus.keys()[1:]]
ROUTINGS = [n.removeprefix("ROUTING_").lower() for n in ik.Routing.keys()[1:]]
ANSWERS = [n.removeprefix("TRIAGE_ANSWER_KIND_").lower() for n in ik.TriageAnswerKind.keys()[1:]]
REJECTIONS = [n.removeprefix("REJECTION_REASON_").lower() for n in ik.RejectionReason.keys()[1:]]
CRITERIA = ("a", "b", "c", "d")
STAGES = [n.removeprefix("WORKLIST_STAGE_").lower() for n in ik.WorklistStage.keys()[1:]]
WORKLIST_PAGE = 50


def _enum(enum: Any, prefix: str, code: str) -> Any:  # the generated enum type
    return enum.Value(f"{prefix}{code.upper()}") if code else 0


def _name(enum: Any, prefix: str, value: int) -> str:
    return str(enum.Name(value)).removeprefix(prefix).lower()


def _ts(when: datetime) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(when)
    return ts


def _dt(ts: Timestamp) -> datetime | None:
    return ts.ToDatetime().replace(tzinfo=None) if ts.seconds else None


@dataclass(frozen=True)
class NominationInput:
    given_names: str
    family_name: str
    date_of_birth: str
    bsn: str
    age_band: str
    problems: tuple[str, ...]
    chains: tuple[str, ...]
    consent: str
    serious_local_safety_problem: bool
    affects_family_or_social_environment: bool
    multiple_chains_needed: bool
    acute_danger: bool
    purposes: tuple[str, ...]
    pre_read_allowed: bool


@dataclass(frozen=True)
class Judged:
    holds: bool
    grounds: str


@dataclass(frozen=True)
class TriageAnswerView:
    party: str
    answer: str
    contribution: str
    themes: tuple[str, ...]
    answered_at: datetime | None


@dataclass(frozen=True)
class NominationView:
    """A nomination as the caller may see it: the subject's identity only when the service
    returned it (its process director), never shown in a URL or logged."""

    case_id: str
    status: str
    nominating_party: str
    subject_pseudonym: str
    subject_name: str
    age_band: str
    problems: tuple[str, ...]
    chains: tuple[str, ...]
    consent: str
    # The consent as it stands (as disclosure last recorded it, else as stated): what a
    # reader must share on, beside the statement made at nomination (Bijlage 3).
    consent_now: str
    safety: tuple[str, ...]
    nominated_at: datetime | None
    criteria: dict[str, Judged]
    advice_reasons: tuple[str, ...]
    qualifies: bool
    assessment_reasons: str
    asked_parties: tuple[str, ...]
    triage_answers: tuple[TriageAnswerView, ...]
    triage_deadline: datetime | None
    routing: str
    process_director_person: str


@dataclass(frozen=True)
class TriageQuestionView:
    case_id: str
    subject_pseudonym: str
    age_band: str
    themes: tuple[str, ...]
    question: str
    deadline: datetime | None
    answered: bool
    closed: bool


@dataclass(frozen=True)
class WorklistRow:
    """One nomination on the process director's worklist: ids, codes and times only (intake
    never sends the subject's identity in a list)."""

    case_id: str
    stage: str
    status: str
    nominating_party: str
    received_at: datetime | None
    triage_deadline: datetime | None


@dataclass(frozen=True)
class WorklistPage:
    rows: tuple[WorklistRow, ...]
    next_page_token: str


class Intake:
    def __init__(self, stub: ik_grpc.IntakeServiceStub) -> None:
        self._stub = stub

    def nominate(self, call: Caller, n: NominationInput) -> str:
        reply = call(
            self._stub.Nominate,
            ik.NominateRequest(
                request_id=str(uuid.uuid4()),
                subject=ik.SubjectIdentity(
                    given_names=n.given_names,
                    family_name=n.family_name,
                    date_of_birth=n.date_of_birth,
                    bsn=n.bsn,
                ),
                age_band=_enum(ik.AgeBand, "AGE_BAND_", n.age_band),
                problems=[
                    ik.LifeDomainProblem(domain=_enum(ik.LifeDomain, "LIFE_DOMAIN_", p))
                    for p in n.problems
                ],
                safety=ik.SafetyConcerns(
                    serious_local_safety_problem=n.serious_local_safety_problem,
                    affects_family_or_social_environment=n.affects_family_or_social_environment,
                    multiple_chains_needed=n.multiple_chains_needed,
                    acute_danger=n.acute_danger,
                ),
                chains_involved=[_enum(ik.Chain, "CHAIN_", c) for c in n.chains],
                consent_status=_enum(ik.ConsentStatus, "CONSENT_STATUS_", n.consent),
                usage_terms=common.UsageTerms(
                    purposes=list(n.purposes), pre_read_allowed=n.pre_read_allowed
                ),
            ),
        )
        return str(reply.case_id)

    def worklist(self, call: Caller, stage: str = "", page: str = "") -> WorklistPage:
        """The nominations the person may act on (the intake queue and what they took up), as
        intake decides by the roster; a page at a time (``page``: the previous page's
        ``next_page_token``)."""
        reply = call(
            self._stub.ListNominations,
            ik.ListNominationsRequest(
                stage=_enum(ik.WorklistStage, "WORKLIST_STAGE_", stage),
                page_size=WORKLIST_PAGE,
                page_token=page,
            ),
        )
        return WorklistPage(
            rows=tuple(
                WorklistRow(
                    case_id=n.case_id,
                    stage=_name(ik.WorklistStage, "WORKLIST_STAGE_", n.stage),
                    status=_name(ik.NominationStatus, "NOMINATION_STATUS_", n.status),
                    nominating_party=n.nominating_party,
                    received_at=_dt(n.received_at),
                    triage_deadline=_dt(n.triage_deadline),
                )
                for n in reply.nominations
            ),
            next_page_token=reply.next_page_token,
        )

    def nomination(self, call: Caller, case_id: str) -> NominationView:
        n = call(self._stub.GetNomination, ik.GetNominationRequest(case_id=case_id)).nomination
        subject = " ".join(x for x in (n.subject.given_names, n.subject.family_name) if x)
        safety = tuple(
            name
            for name in (
                "serious_local_safety_problem",
                "affects_family_or_social_environment",
                "multiple_chains_needed",
                "acute_danger",
            )
            if getattr(n.safety, name)
        )
        return NominationView(
            case_id=n.case_id,
            status=_name(ik.NominationStatus, "NOMINATION_STATUS_", n.status),
            nominating_party=n.nominating_party,
            subject_pseudonym=n.subject_pseudonym,
            subject_name=subject,
            age_band=_name(ik.AgeBand, "AGE_BAND_", n.age_band),
            problems=tuple(_name(ik.LifeDomain, "LIFE_DOMAIN_", p.domain) for p in n.problems),
            chains=tuple(_name(ik.Chain, "CHAIN_", c) for c in n.chains_involved),
            consent=_name(ik.ConsentStatus, "CONSENT_STATUS_", n.consent_status),
            consent_now=_name(ik.ConsentStatus, "CONSENT_STATUS_", n.consent_now),
            safety=safety,
            nominated_at=_dt(n.nominated_at),
            criteria={
                c: Judged(getattr(n.criteria, c).holds, getattr(n.criteria, c).grounds)
                for c in CRITERIA
                if n.HasField("criteria") and n.criteria.HasField(c)
            },
            advice_reasons=tuple(n.advice.reasons),
            qualifies=n.qualifies,
            assessment_reasons=n.assessment_reasons,
            asked_parties=tuple(n.asked_parties),
            triage_answers=tuple(
                TriageAnswerView(
                    a.party,
                    _name(ik.TriageAnswerKind, "TRIAGE_ANSWER_KIND_", a.answer),
                    a.contribution,
                    tuple(a.themes),
                    _dt(a.answered_at),
                )
                for a in n.triage_answers
            ),
            triage_deadline=_dt(n.triage_deadline),
            routing=_name(ik.Routing, "ROUTING_", n.routing),
            process_director_person=n.process_director_person,
        )

    def assess(
        self,
        call: Caller,
        case_id: str,
        *,
        qualifies: bool,
        reasons: str,
        consulted: bool,
        criteria: dict[str, Judged],
        rejection_reason: str = "",
    ) -> bool:
        reply = call(
            self._stub.Assess,
            ik.AssessRequest(
                request_id=str(uuid.uuid4()),
                case_id=case_id,
                qualifies=qualifies,
                rejection_reason=_enum(ik.RejectionReason, "REJECTION_REASON_", rejection_reason),
                reasons=reasons,
                nominating_party_consulted=consulted,
                criteria=ik.JudgedCriteria(
                    **{
                        c: ik.JudgedCriterion(holds=j.holds, grounds=j.grounds)
                        for c, j in criteria.items()
                    }
                ),
            ),
        )
        return bool(reply.qualifies)

    def start_triage(
        self,
        call: Caller,
        case_id: str,
        *,
        asked_parties: list[str],
        deadline: datetime,
        themes: list[str],
        question: str,
    ) -> None:
        call(
            self._stub.StartTriage,
            ik.StartTriageRequest(
                request_id=str(uuid.uuid4()),
                case_id=case_id,
                asked_parties=asked_parties,
                deadline=_ts(deadline),
                themes=themes,
                question=question,
            ),
        )

    def triage_question(self, call: Caller, case_id: str) -> TriageQuestionView:
        q = call(self._stub.GetTriageQuestion, ik.GetTriageQuestionRequest(case_id=case_id))
        return TriageQuestionView(
            case_id=q.case_id,
            subject_pseudonym=q.subject_pseudonym,
            age_band=_name(ik.AgeBand, "AGE_BAND_", q.age_band),
            themes=tuple(q.themes),
            question=q.question,
            deadline=_dt(q.deadline),
            answered=q.answered,
            closed=q.closed,
        )

    def answer_triage(
        self, call: Caller, case_id: str, *, answer: str, contribution: str, themes: list[str]
    ) -> None:
        call(
            self._stub.AnswerTriage,
            ik.AnswerTriageRequest(
                request_id=str(uuid.uuid4()),
                case_id=case_id,
                answer=_enum(ik.TriageAnswerKind, "TRIAGE_ANSWER_KIND_", answer),
                contribution=contribution,
                themes=themes,
            ),
        )

    def decide_routing(
        self,
        call: Caller,
        case_id: str,
        *,
        routing: str,
        goal_code: str = "",
        goal: str = "",
        themes: list[str] | None = None,
        decision_types: list[str] | None = None,
        invitees: dict[str, list[str]] | None = None,
        reason_code: str = "",
    ) -> tuple[str, ...]:
        meeting = None
        if routing == "case_meeting":
            meeting = ik.CaseMeetingPlan(
                goal_code=goal_code,
                goal=goal,
                themes=themes or [],
                decision_types=decision_types or [],
                invitees=[
                    ik.Invitee(party=p, lawful_themes=t) for p, t in (invitees or {}).items()
                ],
            )
        reply = call(
            self._stub.DecideRouting,
            ik.DecideRoutingRequest(
                request_id=str(uuid.uuid4()),
                case_id=case_id,
                routing=_enum(ik.Routing, "ROUTING_", routing),
                meeting=meeting,
                reason_code=reason_code,
            ),
        )
        return tuple(reply.invitees)

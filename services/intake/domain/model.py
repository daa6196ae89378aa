"""Intake's domain: a nomination (1.1) and its life cycle through assessment (12.2a), triage
(1.15, 12.2b) and routing (Bijlage 2). Pure Python: no framework imports.

Who directs it: the designated process director who first assesses a nomination (or escalates
it from the intake queue) takes it up, on behalf of the nominating party (12.3); the policy
decides who that may be, the model records it (``take_up``).

State machine of a nomination::

    nominated --assess(qualifies)--> qualified --start_triage--> triage --decide_routing--> routed
        |                      \\--assess(not)--> rejected
        |  (duplicate of an open nomination) -> linked (shares the outcome: rejected or
        |     routed away with it, purged with its case)
        +-- withdraw (nominating party, before routing) --> withdrawn
    nominated|qualified|triage --decide_routing(zvh_*)--> routed   (Bijlage 2: at any time)
    routed --case closed in casework--> closed

Every refused transition is a ``FailedPrecondition`` naming the state it was refused in. The
vocabulary (codes, limits) is in ``vocabulary``, the subject's identity in ``subject``, the
triage round in ``triage``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from services.intake.domain.assessment import (
    CONSENT_NEEDS_OVERRIDE,
    CONSENT_WITHDRAWN,
    JudgedCriteria,
    SafetyOverride,
)
from services.intake.domain.subject import SubjectIdentity
from services.intake.domain.triage import Answer, TriageRound
from services.intake.domain.vocabulary import (
    MAX_TRIAGE_DAYS,
    AgeBand,
    Chain,
    ConsentStatus,
    LifeDomain,
    RejectionReason,
    Routing,
    Status,
    TriageAnswerKind,
)
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument
from zorgtafel.kernel.validate import HEX32, check_id, person_key


def check_case_id(value: str, field: str = "case_id") -> str:
    """Intake makes its case ids (``uuid4().hex``): narrower than the kernel's ``ID``."""
    return check_id(
        value, field, pattern=HEX32, what="must be a case id (32 lowercase hex characters)"
    )


# -- the nomination -------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    domain: LifeDomain
    description: str = ""


@dataclass(frozen=True)
class Safety:
    serious_local_safety_problem: bool = False
    affects_family_or_social_environment: bool = False
    multiple_chains_needed: bool = False
    acute_danger: bool = False
    description: str = ""

    def flags(self) -> dict:
        return {
            "serious_local_safety_problem": self.serious_local_safety_problem,
            "affects_family_or_social_environment": self.affects_family_or_social_environment,
            "multiple_chains_needed": self.multiple_chains_needed,
            "acute_danger": self.acute_danger,
        }


@dataclass(frozen=True)
class Advice:
    qualifies: bool
    criteria_held: tuple[str, ...]
    reasons: tuple[str, ...]
    revision: str


@dataclass(frozen=True)
class MeetingPlan:
    goal_code: str
    goal: str
    themes: tuple[str, ...]
    decision_types: tuple[str, ...]
    invitees: tuple[str, ...]


@dataclass
class Nomination:
    case_id: str
    subject_pseudonym: str
    nominating_party: str
    nominated_by: str
    status: Status
    identity: SubjectIdentity
    age_band: AgeBand
    problems: tuple[Problem, ...]
    safety: Safety
    chains: tuple[Chain, ...]
    consent: ConsentStatus
    usage_terms: dict
    nominated_at: datetime
    linked_to_case_id: str = ""
    advice: Advice | None = None
    qualifies: bool | None = None
    rejection_reason: RejectionReason | None = None
    assessment_reasons: str = ""
    assessed_by_party: str = ""
    triage: TriageRound | None = None
    routing: Routing | None = None
    routing_reason_code: str = ""
    meeting: MeetingPlan | None = None
    process_director_party: str = ""
    process_director_person: str = ""
    criteria: JudgedCriteria | None = None
    safety_override: SafetyOverride | None = None
    # Bijlage 3, GDPR art. 18: the subject's restriction of the case, granted by the controller
    # (disclosure's fact): shared with no party beyond the nominator and its process director.
    restricted: bool = False
    # Bijlage 3, GDPR art. 7(3): the subject's consent as disclosure last recorded it ("given" or
    # "withdrawn"; empty: none recorded there, the nominating party's statement stands).
    consent_recorded: str = ""
    version: int = 0

    # -- who directs it (12.3) --------------------------------------------------------
    @property
    def process_director(self) -> tuple[str, str] | None:
        if not self.process_director_person:
            return None
        return (self.process_director_party, self.process_director_person)

    def take_up(self, party: str, person: str) -> None:
        """The designated process director who first acts on it directs it from now on. Its id
        is kept as ``person_key`` gives it: a person id names its person without case ("PD-1"
        is pd-1, validate.same_person), so the worklist finds it by one spelling, on its index."""
        if not self.process_director_person:
            self.process_director_party = party
            self.process_director_person = person_key(person)

    @property
    def consent_now(self) -> str:
        """The subject's consent as it stands: as disclosure last recorded it, else as the
        nominating party stated it (Bijlage 3)."""
        return self.consent_recorded or self.consent.value

    @property
    def shares_without_override(self) -> bool:
        """Whether the subject's consent lets it be shared beyond the nominating party and
        its process director without a recorded safety override (Bijlage 3); a withdrawn one
        does not (GDPR art. 7(3))."""
        if self.consent_recorded:
            return self.consent_recorded != CONSENT_WITHDRAWN
        return self.consent not in CONSENT_NEEDS_OVERRIDE

    # -- facts for the criteria policy (Bijlage 2) -------------------------------------
    def criteria_facts(self) -> dict:
        """The input of ``zorgtafel.intake.criteria``: the facts as the nominating party
        stated them; the policy alone weighs them."""
        return {
            "local_safety_problems": self.safety.serious_local_safety_problem,
            "family_system_affected": self.safety.affects_family_or_social_environment,
            "multiple_chains_needed": self.safety.multiple_chains_needed,
            "coercion_and_pressure_needed": Chain.COERCION_AND_PRESSURE in self.chains,
            "life_domains": sorted({p.domain.value for p in self.problems}),
        }

    # -- transitions ------------------------------------------------------------------
    def require_status(self, allowed: set[Status], action: str) -> None:
        if self.status not in allowed:
            raise FailedPrecondition(
                self.status.value,
                f"cannot {action} a nomination that is {self.status.value}",
                subject="nomination.status",
            )

    def assess(
        self,
        advice: Advice,
        criteria: JudgedCriteria,
        criteria_met: tuple[bool, str],
        qualifies: bool,
        reason: RejectionReason | None,
        reasons: str,
        by_party: str,
    ) -> None:
        """``criteria_met`` is the criteria policy's answer on the judged criteria (whether
        they hold, and why not): a case that does not meet them is no Zorgtafel case (1.4)."""
        self.require_status({Status.NOMINATED}, "assess")
        if not qualifies and reason is None:
            raise InvalidArgument("rejection_reason", "required when the case does not qualify")
        if qualifies and reason is not None:
            raise InvalidArgument("rejection_reason", "only for a case that does not qualify")
        met, why_not = criteria_met
        if qualifies and not met:
            raise FailedPrecondition("criteria_not_met", why_not, subject="criteria")
        if reason == RejectionReason.CRITERIA_NOT_MET and met:
            # 1.4: the judged criteria decide; the nominating party reads both.
            raise FailedPrecondition(
                "criteria_met",
                "the criteria as judged are met ((A or B) and C and D, art. 1.4, Bijlage 2): "
                "not rejected for criteria not met",
                subject="criteria",
            )
        self.criteria = criteria
        self.advice = advice
        self.qualifies = qualifies
        self.rejection_reason = reason
        self.assessment_reasons = reasons
        self.assessed_by_party = by_party
        self.status = Status.QUALIFIED if qualifies else Status.REJECTED

    def start_triage(self, round_: TriageRound, now: datetime) -> None:
        self.require_status({Status.QUALIFIED}, "start triage on")
        if round_.deadline <= now:
            raise InvalidArgument("deadline", "must be in the future")
        if round_.deadline > now + timedelta(days=MAX_TRIAGE_DAYS):
            raise InvalidArgument("deadline", f"at most {MAX_TRIAGE_DAYS} days ahead")
        self.triage = round_
        self.status = Status.TRIAGE

    def answer_triage(
        self,
        party: str,
        answer: TriageAnswerKind,
        contribution: str,
        themes: tuple[str, ...],
        now: datetime,
    ) -> bool:
        """Record an asked party's answer; return whether the round is now closed."""
        self.require_status({Status.TRIAGE}, "answer triage for")
        assert self.triage is not None
        if party not in self.triage.answers:
            # The policy decides who may answer; this only guards the data.
            raise FailedPrecondition(
                "not_asked",
                "this party was not asked in the triage round",
                subject="triage.asked_parties",
            )
        if now >= self.triage.deadline:
            raise FailedPrecondition(
                "triage_deadline_passed",
                "the triage round's deadline has passed",
                subject="triage.deadline",
            )
        if self.triage.answers[party] is not None:
            raise FailedPrecondition(
                "triage_answered", "this party has already answered", subject="triage.answers"
            )
        self.triage.answers[party] = Answer(answer, contribution, themes, now)
        return self.triage.all_answered()

    def decide_routing(
        self,
        routing: Routing,
        meeting: MeetingPlan | None,
        reason_code: str,
        now: datetime,
    ) -> None:
        if routing.is_escalation:
            # Bijlage 2 (Opschaling): the care coordinators may escalate at any time.
            self.require_status({Status.NOMINATED, Status.QUALIFIED, Status.TRIAGE}, "escalate")
        else:
            if self.status in (Status.NOMINATED, Status.QUALIFIED):
                raise FailedPrecondition(
                    self.status.value,
                    "routing needs a closed triage round (1.15)",
                    subject="triage",
                )
            self.require_status({Status.TRIAGE}, "decide the routing of")
            assert self.triage is not None
            if not self.triage.closed(now):
                raise FailedPrecondition(
                    "triage_open",
                    "the triage round is still open: not "
                    "every asked party answered and the deadline has not "
                    "passed",
                    subject="triage",
                )
        if routing == Routing.CASE_MEETING and meeting is None:
            raise InvalidArgument("meeting", "required for a case meeting")
        if routing != Routing.CASE_MEETING and meeting is not None:
            raise InvalidArgument("meeting", "only for a case meeting")
        self.routing = routing
        self.meeting = meeting
        self.routing_reason_code = reason_code
        self.status = Status.ROUTED

    def route_with(self, primary: "Nomination") -> None:
        """A linked nomination shares the outcome of the nomination it is linked to (the same
        subject): routed back to regular care or on to a ZVH with it, by its process director
        (12.3). Intake's part in both ends there; neither is left "linked" to nothing."""
        self.require_status({Status.LINKED}, "share the routing of")
        if primary.routing is None or primary.routing == Routing.CASE_MEETING:
            raise FailedPrecondition(
                primary.status.value,
                "only a routing away from the Zorgtafel is shared this way",
                subject="nomination.routing",
            )
        self.routing = primary.routing
        self.routing_reason_code = primary.routing_reason_code
        self.status = Status.ROUTED
        if primary.process_director is not None:
            self.take_up(*primary.process_director)

    def record_safety_override(self, override: SafetyOverride) -> None:
        """Bijlage 3: recorded once, by the nomination's process director, only where the
        subject's consent is missing."""
        self.require_status({Status.QUALIFIED, Status.TRIAGE}, "record a safety override for")
        if self.shares_without_override:
            raise FailedPrecondition(
                "consent_given",
                "the subject's consent allows sharing: no safety override is needed",
                subject="nomination.consent_status",
            )
        if self.safety_override is not None:
            raise FailedPrecondition(
                "safety_override_recorded",
                "a safety override is already recorded",
                subject="nomination.safety_override",
            )
        self.safety_override = override

    def withdraw(self) -> None:
        self.require_status(
            {Status.NOMINATED, Status.QUALIFIED, Status.TRIAGE, Status.LINKED}, "withdraw"
        )
        self.status = Status.WITHDRAWN

    def lawful_themes(self, stated: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        """Per invitee: the themes the process director stated it has a legal basis for, and
        those the party itself named in its triage answer (15.1: each answers for its own)."""
        out = {p: set(t) for p, t in stated.items()}
        if self.triage is not None:
            for party, ans in self.triage.answers.items():
                if ans is not None:
                    out.setdefault(party, set()).update(ans.themes)
        return {p: tuple(sorted(t)) for p, t in out.items()}

    def close(self) -> None:
        if self.status == Status.ROUTED:
            self.status = Status.CLOSED

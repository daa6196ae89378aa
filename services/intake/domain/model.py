"""Intake's domain: a nomination (1.1) and its life cycle through assessment (12.2a), triage
(1.15, 12.2b) and routing (Bijlage 2). Pure Python: no framework imports.

State machine of a nomination::

    nominated --assess(qualifies)--> qualified --start_triage--> triage --decide_routing--> routed
        |                      \\--assess(not)--> rejected
        |  (duplicate of an open nomination) -> linked
        +-- withdraw (nominating party, before routing) --> withdrawn
    nominated|qualified|triage --decide_routing(zvh_*)--> routed   (Bijlage 2: at any time)
    routed --case closed in casework--> closed

Every refused transition is a ``FailedPrecondition`` naming the state it was refused in.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument

# -- limits (every string and list has one) -------------------------------------------------
MAX_NAME = 200
MAX_DESCRIPTION = 2000
MAX_REASONS = 4000
MAX_QUESTION = 2000
MAX_CONTRIBUTION = 2000
MAX_GOAL = 2000
MAX_CODE = 64
MAX_PROBLEMS = 20
MAX_CHAINS = 10
MAX_THEMES = 20
MAX_DECISION_TYPES = 20
MAX_PARTIES = 40
MAX_TERMS_ITEMS = 50
MAX_TRIAGE_DAYS = 60

OIN_RE = re.compile(r"^[0-9]{20}$")
CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
CASE_ID_RE = re.compile(r"^[0-9a-f]{32}$")
BSN_RE = re.compile(r"^[0-9]{9}$")
V_NUMBER_RE = re.compile(r"^[0-9]{10}$")


class AgeBand(str, enum.Enum):
    UNDER_12 = "under_12"
    AGE_12_TO_16 = "12_to_16"
    PLUS_16 = "16_plus"
    UNKNOWN = "unknown"


class LifeDomain(str, enum.Enum):
    HOUSING = "housing"
    INCOME_AND_DEBT = "income_and_debt"
    WORK_AND_EDUCATION = "work_and_education"
    PHYSICAL_HEALTH = "physical_health"
    MENTAL_HEALTH = "mental_health"
    ADDICTION = "addiction"
    SOCIAL_NETWORK = "social_network"
    FAMILY = "family"
    SAFETY = "safety"
    LEGAL_AND_RESIDENCE = "legal_and_residence"
    DAILY_LIVING = "daily_living"


class Chain(str, enum.Enum):
    CARE = "care"
    SAFETY = "safety"
    COERCION_AND_PRESSURE = "coercion_and_pressure"
    YOUTH = "youth"
    SOCIAL_DOMAIN = "social_domain"
    MIGRATION = "migration"


class ConsentStatus(str, enum.Enum):
    GIVEN = "given"
    REFUSED = "refused"
    NOT_ASKED = "not_asked"
    SAFETY_OVERRIDE = "safety_override"


class Status(str, enum.Enum):
    NOMINATED = "nominated"
    QUALIFIED = "qualified"
    REJECTED = "rejected"
    TRIAGE = "triage"
    ROUTED = "routed"
    WITHDRAWN = "withdrawn"
    LINKED = "linked"
    CLOSED = "closed"


# A subject is "open" (a new nomination is linked to it) while its nomination is nominated,
# qualified or in triage, or routed to a case meeting until casework closes the case. Regular
# care, a ZVH, rejection and withdrawal end it (``open_subject_tokens`` in the adapters).


class RejectionReason(str, enum.Enum):
    CRITERIA_NOT_MET = "criteria_not_met"
    REGULAR_CARE_SUFFICES = "regular_care_suffices"
    INSUFFICIENT_INFORMATION = "insufficient_information"
    OTHER = "other"


class TriageAnswerKind(str, enum.Enum):
    KNOWN = "known"
    NOT_KNOWN = "not_known"
    INVOLVED = "involved"


class Routing(str, enum.Enum):
    CASE_MEETING = "case_meeting"
    REGULAR_CARE = "regular_care"
    ZVH_BRABANT_ZUIDOOST = "zvh_brabant_zuidoost"
    ZVH_BRABANT_NOORDOOST = "zvh_brabant_noordoost"

    @property
    def is_escalation(self) -> bool:
        return self in (Routing.ZVH_BRABANT_ZUIDOOST, Routing.ZVH_BRABANT_NOORDOOST)


# -- field checks ---------------------------------------------------------------------------
def check_text(value: str, field_name: str, limit: int, *, required: bool = False) -> str:
    value = value or ""
    if required and not value.strip():
        raise InvalidArgument(field_name, "required")
    if len(value) > limit:
        raise InvalidArgument(field_name, f"at most {limit} characters")
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t\r" for c in value):
        raise InvalidArgument(field_name, "control characters are not allowed")
    return value


def check_code(value: str, field_name: str, *, required: bool = True) -> str:
    if not value and not required:
        return ""
    if not CODE_RE.match(value or ""):
        raise InvalidArgument(field_name, "a lower_snake_case code of at most 64 characters")
    return value


def check_codes(values, field_name: str, limit: int, *, required: bool = False) -> tuple[str, ...]:
    values = list(values)
    if required and not values:
        raise InvalidArgument(field_name, "at least one is required")
    if len(values) > limit:
        raise InvalidArgument(field_name, f"at most {limit} entries")
    for i, v in enumerate(values):
        check_code(v, f"{field_name}[{i}]")
    if len(set(values)) != len(values):
        raise InvalidArgument(field_name, "duplicate entries")
    return tuple(values)


def check_oin(value: str, field_name: str) -> str:
    if not OIN_RE.match(value or ""):
        raise InvalidArgument(field_name, "must be a 20-digit OIN")
    return value


def check_oins(values, field_name: str, limit: int = MAX_PARTIES, *,
               required: bool = False) -> tuple[str, ...]:
    values = list(values)
    if required and not values:
        raise InvalidArgument(field_name, "at least one party is required")
    if len(values) > limit:
        raise InvalidArgument(field_name, f"at most {limit} parties")
    for i, v in enumerate(values):
        check_oin(v, f"{field_name}[{i}]")
    if len(set(values)) != len(values):
        raise InvalidArgument(field_name, "duplicate parties")
    return tuple(values)


def check_case_id(value: str, field_name: str = "case_id") -> str:
    if not CASE_ID_RE.match(value or ""):
        raise InvalidArgument(field_name, "must be a case id (32 lowercase hex characters)")
    return value


def bsn_valid(bsn: str) -> bool:
    """The eleven test (elfproef) of a burgerservicenummer."""
    if not BSN_RE.match(bsn):
        return False
    total = sum(int(d) * w for d, w in zip(bsn[:8], range(9, 1, -1))) - int(bsn[8])
    return total % 11 == 0 and bsn != "000000000"


# -- the subject ----------------------------------------------------------------------------
@dataclass(frozen=True)
class SubjectIdentity:
    """Minimal identifying data; never leaves the service except to the nominating party and
    the process director (GetNomination)."""

    given_names: str = ""
    family_name: str = ""
    date_of_birth: date | None = None
    bsn: str = ""
    v_number: str = ""

    def to_dict(self) -> dict:
        return {"given_names": self.given_names, "family_name": self.family_name,
                "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else "",
                "bsn": self.bsn, "v_number": self.v_number}

    @classmethod
    def from_dict(cls, d: dict) -> "SubjectIdentity":
        dob = d.get("date_of_birth") or ""
        return cls(d.get("given_names", ""), d.get("family_name", ""),
                   date.fromisoformat(dob) if dob else None, d.get("bsn", ""),
                   d.get("v_number", ""))


def parse_identity(given_names: str, family_name: str, date_of_birth: str, bsn: str,
                   v_number: str, today: date) -> SubjectIdentity:
    check_text(given_names, "subject.given_names", MAX_NAME)
    check_text(family_name, "subject.family_name", MAX_NAME)
    dob = None
    if date_of_birth:
        try:
            if len(date_of_birth) != 10:
                raise ValueError
            dob = date.fromisoformat(date_of_birth)
        except ValueError as exc:
            raise InvalidArgument("subject.date_of_birth", "an ISO date YYYY-MM-DD") from exc
        if dob > today or dob < today - timedelta(days=120 * 366):
            raise InvalidArgument("subject.date_of_birth", "not a plausible date of birth")
    if bsn and not bsn_valid(bsn):
        raise InvalidArgument("subject.bsn", "9 digits passing the eleven test")
    if v_number and not V_NUMBER_RE.match(v_number):
        raise InvalidArgument("subject.v_number", "10 digits")
    if not normalise_name(family_name) and not bsn and not v_number:
        raise InvalidArgument("subject", "a family name, a BSN or a V-number is required to "
                              "identify the subject")
    return SubjectIdentity(given_names.strip(), family_name.strip(), dob, bsn, v_number)


def normalise_name(name: str) -> str:
    """Case, accents, punctuation and spacing do not make a different person."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    letters = re.sub(r"[^\w\s]", " ", letters.casefold())
    return " ".join(letters.split())


def match_keys(identity: SubjectIdentity) -> list[str]:
    """The normalised identity facts that identify a subject, strongest first. Each is turned
    into a keyed pseudonym (HMAC) by the adapter; the first is the subject's pseudonym."""
    keys = []
    if identity.bsn:
        keys.append(f"bsn:{identity.bsn}")
    if identity.v_number:
        keys.append(f"vnr:{identity.v_number}")
    family = normalise_name(identity.family_name)
    if family:
        given = normalise_name(identity.given_names)
        dob = identity.date_of_birth.isoformat() if identity.date_of_birth else "?"
        keys.append(f"name:{given}|{family}|{dob}")
    return keys


def age_on(dob: date, today: date) -> int:
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


def age_band_for(dob: date | None, today: date) -> AgeBand:
    if dob is None:
        return AgeBand.UNKNOWN
    age = age_on(dob, today)
    if age < 12:
        return AgeBand.UNDER_12
    if age < 16:
        return AgeBand.AGE_12_TO_16
    return AgeBand.PLUS_16


def resolve_age_band(given: AgeBand | None, dob: date | None, today: date) -> AgeBand:
    """The band follows the date of birth when known; a stated band must agree with it."""
    derived = age_band_for(dob, today)
    if given is None:
        return derived
    if dob is not None and given != derived:
        raise InvalidArgument("age_band", "does not match the date of birth")
    return given


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
        return {"serious_local_safety_problem": self.serious_local_safety_problem,
                "affects_family_or_social_environment":
                    self.affects_family_or_social_environment,
                "multiple_chains_needed": self.multiple_chains_needed,
                "acute_danger": self.acute_danger}


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


@dataclass(frozen=True)
class Answer:
    kind: TriageAnswerKind
    contribution: str
    themes: tuple[str, ...]
    at: datetime


@dataclass
class TriageRound:
    round_id: str
    deadline: datetime
    themes: tuple[str, ...]
    question: str
    started_at: datetime
    # party -> its answer, or None when not answered yet
    answers: dict[str, Answer | None] = field(default_factory=dict)

    @property
    def asked(self) -> tuple[str, ...]:
        return tuple(sorted(self.answers))

    def all_answered(self) -> bool:
        return all(a is not None for a in self.answers.values())

    def closed(self, now: datetime) -> bool:
        """Closed when every asked party answered or the deadline passed (1.15)."""
        return self.all_answered() or now >= self.deadline


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
    version: int = 0

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
            raise FailedPrecondition(self.status.value,
                                     f"cannot {action} a nomination that is {self.status.value}",
                                     subject="nomination.status")

    def assess(self, advice: Advice, qualifies: bool, reason: RejectionReason | None,
               reasons: str, by_party: str) -> None:
        self.require_status({Status.NOMINATED}, "assess")
        if not qualifies and reason is None:
            raise InvalidArgument("rejection_reason", "required when the case does not qualify")
        if qualifies and reason is not None:
            raise InvalidArgument("rejection_reason", "only for a case that does not qualify")
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

    def answer_triage(self, party: str, answer: TriageAnswerKind, contribution: str,
                      themes: tuple[str, ...], now: datetime) -> bool:
        """Record an asked party's answer; return whether the round is now closed."""
        self.require_status({Status.TRIAGE}, "answer triage for")
        assert self.triage is not None
        if party not in self.triage.answers:
            # The policy decides who may answer; this only guards the data.
            raise FailedPrecondition("not_asked", "this party was not asked in the triage "
                                     "round", subject="triage.asked_parties")
        if now >= self.triage.deadline:
            raise FailedPrecondition("triage_deadline_passed", "the triage round's deadline "
                                     "has passed", subject="triage.deadline")
        if self.triage.answers[party] is not None:
            raise FailedPrecondition("triage_answered", "this party has already answered",
                                     subject="triage.answers")
        self.triage.answers[party] = Answer(answer, contribution, themes, now)
        return self.triage.all_answered()

    def decide_routing(self, routing: Routing, meeting: MeetingPlan | None, reason_code: str,
                       process_director_party: str, now: datetime) -> None:
        if routing.is_escalation:
            # Bijlage 2 (Opschaling): the care coordinators may escalate at any time.
            self.require_status({Status.NOMINATED, Status.QUALIFIED, Status.TRIAGE}, "escalate")
        else:
            if self.status in (Status.NOMINATED, Status.QUALIFIED):
                raise FailedPrecondition(self.status.value, "routing needs a closed triage "
                                         "round (1.15)", subject="triage")
            self.require_status({Status.TRIAGE}, "decide the routing of")
            assert self.triage is not None
            if not self.triage.closed(now):
                raise FailedPrecondition("triage_open", "the triage round is still open: not "
                                         "every asked party answered and the deadline has not "
                                         "passed", subject="triage")
        if routing == Routing.CASE_MEETING and meeting is None:
            raise InvalidArgument("meeting", "required for a case meeting")
        if routing != Routing.CASE_MEETING and meeting is not None:
            raise InvalidArgument("meeting", "only for a case meeting")
        self.routing = routing
        self.meeting = meeting
        self.routing_reason_code = reason_code
        self.process_director_party = process_director_party
        self.status = Status.ROUTED

    def withdraw(self) -> None:
        self.require_status({Status.NOMINATED, Status.QUALIFIED, Status.TRIAGE, Status.LINKED},
                      "withdraw")
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

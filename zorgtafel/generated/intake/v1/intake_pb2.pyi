import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from zorgtafel.generated.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AgeBand(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AGE_BAND_UNSPECIFIED: _ClassVar[AgeBand]
    AGE_BAND_UNDER_12: _ClassVar[AgeBand]
    AGE_BAND_12_TO_16: _ClassVar[AgeBand]
    AGE_BAND_16_PLUS: _ClassVar[AgeBand]
    AGE_BAND_UNKNOWN: _ClassVar[AgeBand]

class LifeDomain(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LIFE_DOMAIN_UNSPECIFIED: _ClassVar[LifeDomain]
    LIFE_DOMAIN_HOUSING: _ClassVar[LifeDomain]
    LIFE_DOMAIN_INCOME_AND_DEBT: _ClassVar[LifeDomain]
    LIFE_DOMAIN_WORK_AND_EDUCATION: _ClassVar[LifeDomain]
    LIFE_DOMAIN_PHYSICAL_HEALTH: _ClassVar[LifeDomain]
    LIFE_DOMAIN_MENTAL_HEALTH: _ClassVar[LifeDomain]
    LIFE_DOMAIN_ADDICTION: _ClassVar[LifeDomain]
    LIFE_DOMAIN_SOCIAL_NETWORK: _ClassVar[LifeDomain]
    LIFE_DOMAIN_FAMILY: _ClassVar[LifeDomain]
    LIFE_DOMAIN_SAFETY: _ClassVar[LifeDomain]
    LIFE_DOMAIN_LEGAL_AND_RESIDENCE: _ClassVar[LifeDomain]
    LIFE_DOMAIN_DAILY_LIVING: _ClassVar[LifeDomain]

class Chain(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHAIN_UNSPECIFIED: _ClassVar[Chain]
    CHAIN_CARE: _ClassVar[Chain]
    CHAIN_SAFETY: _ClassVar[Chain]
    CHAIN_COERCION_AND_PRESSURE: _ClassVar[Chain]
    CHAIN_YOUTH: _ClassVar[Chain]
    CHAIN_SOCIAL_DOMAIN: _ClassVar[Chain]
    CHAIN_MIGRATION: _ClassVar[Chain]

class ConsentStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONSENT_STATUS_UNSPECIFIED: _ClassVar[ConsentStatus]
    CONSENT_STATUS_GIVEN: _ClassVar[ConsentStatus]
    CONSENT_STATUS_REFUSED: _ClassVar[ConsentStatus]
    CONSENT_STATUS_NOT_ASKED: _ClassVar[ConsentStatus]
    CONSENT_STATUS_SAFETY_OVERRIDE: _ClassVar[ConsentStatus]
    CONSENT_STATUS_WITHDRAWN: _ClassVar[ConsentStatus]

class NominationStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    NOMINATION_STATUS_UNSPECIFIED: _ClassVar[NominationStatus]
    NOMINATION_STATUS_NOMINATED: _ClassVar[NominationStatus]
    NOMINATION_STATUS_QUALIFIED: _ClassVar[NominationStatus]
    NOMINATION_STATUS_REJECTED: _ClassVar[NominationStatus]
    NOMINATION_STATUS_TRIAGE: _ClassVar[NominationStatus]
    NOMINATION_STATUS_ROUTED: _ClassVar[NominationStatus]
    NOMINATION_STATUS_WITHDRAWN: _ClassVar[NominationStatus]
    NOMINATION_STATUS_LINKED: _ClassVar[NominationStatus]
    NOMINATION_STATUS_CLOSED: _ClassVar[NominationStatus]
    NOMINATION_STATUS_RECEIVED: _ClassVar[NominationStatus]

class RejectionReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REJECTION_REASON_UNSPECIFIED: _ClassVar[RejectionReason]
    REJECTION_REASON_CRITERIA_NOT_MET: _ClassVar[RejectionReason]
    REJECTION_REASON_REGULAR_CARE_SUFFICES: _ClassVar[RejectionReason]
    REJECTION_REASON_INSUFFICIENT_INFORMATION: _ClassVar[RejectionReason]
    REJECTION_REASON_OTHER: _ClassVar[RejectionReason]

class TriageAnswerKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRIAGE_ANSWER_KIND_UNSPECIFIED: _ClassVar[TriageAnswerKind]
    TRIAGE_ANSWER_KIND_KNOWN: _ClassVar[TriageAnswerKind]
    TRIAGE_ANSWER_KIND_NOT_KNOWN: _ClassVar[TriageAnswerKind]
    TRIAGE_ANSWER_KIND_INVOLVED: _ClassVar[TriageAnswerKind]

class Routing(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ROUTING_UNSPECIFIED: _ClassVar[Routing]
    ROUTING_CASE_MEETING: _ClassVar[Routing]
    ROUTING_REGULAR_CARE: _ClassVar[Routing]
    ROUTING_ZVH_BRABANT_ZUIDOOST: _ClassVar[Routing]
    ROUTING_ZVH_BRABANT_NOORDOOST: _ClassVar[Routing]

class WorklistStage(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    WORKLIST_STAGE_UNSPECIFIED: _ClassVar[WorklistStage]
    WORKLIST_STAGE_TO_ASSESS: _ClassVar[WorklistStage]
    WORKLIST_STAGE_TO_TRIAGE: _ClassVar[WorklistStage]
    WORKLIST_STAGE_IN_TRIAGE: _ClassVar[WorklistStage]
    WORKLIST_STAGE_TO_ROUTE: _ClassVar[WorklistStage]
AGE_BAND_UNSPECIFIED: AgeBand
AGE_BAND_UNDER_12: AgeBand
AGE_BAND_12_TO_16: AgeBand
AGE_BAND_16_PLUS: AgeBand
AGE_BAND_UNKNOWN: AgeBand
LIFE_DOMAIN_UNSPECIFIED: LifeDomain
LIFE_DOMAIN_HOUSING: LifeDomain
LIFE_DOMAIN_INCOME_AND_DEBT: LifeDomain
LIFE_DOMAIN_WORK_AND_EDUCATION: LifeDomain
LIFE_DOMAIN_PHYSICAL_HEALTH: LifeDomain
LIFE_DOMAIN_MENTAL_HEALTH: LifeDomain
LIFE_DOMAIN_ADDICTION: LifeDomain
LIFE_DOMAIN_SOCIAL_NETWORK: LifeDomain
LIFE_DOMAIN_FAMILY: LifeDomain
LIFE_DOMAIN_SAFETY: LifeDomain
LIFE_DOMAIN_LEGAL_AND_RESIDENCE: LifeDomain
LIFE_DOMAIN_DAILY_LIVING: LifeDomain
CHAIN_UNSPECIFIED: Chain
CHAIN_CARE: Chain
CHAIN_SAFETY: Chain
CHAIN_COERCION_AND_PRESSURE: Chain
CHAIN_YOUTH: Chain
CHAIN_SOCIAL_DOMAIN: Chain
CHAIN_MIGRATION: Chain
CONSENT_STATUS_UNSPECIFIED: ConsentStatus
CONSENT_STATUS_GIVEN: ConsentStatus
CONSENT_STATUS_REFUSED: ConsentStatus
CONSENT_STATUS_NOT_ASKED: ConsentStatus
CONSENT_STATUS_SAFETY_OVERRIDE: ConsentStatus
CONSENT_STATUS_WITHDRAWN: ConsentStatus
NOMINATION_STATUS_UNSPECIFIED: NominationStatus
NOMINATION_STATUS_NOMINATED: NominationStatus
NOMINATION_STATUS_QUALIFIED: NominationStatus
NOMINATION_STATUS_REJECTED: NominationStatus
NOMINATION_STATUS_TRIAGE: NominationStatus
NOMINATION_STATUS_ROUTED: NominationStatus
NOMINATION_STATUS_WITHDRAWN: NominationStatus
NOMINATION_STATUS_LINKED: NominationStatus
NOMINATION_STATUS_CLOSED: NominationStatus
NOMINATION_STATUS_RECEIVED: NominationStatus
REJECTION_REASON_UNSPECIFIED: RejectionReason
REJECTION_REASON_CRITERIA_NOT_MET: RejectionReason
REJECTION_REASON_REGULAR_CARE_SUFFICES: RejectionReason
REJECTION_REASON_INSUFFICIENT_INFORMATION: RejectionReason
REJECTION_REASON_OTHER: RejectionReason
TRIAGE_ANSWER_KIND_UNSPECIFIED: TriageAnswerKind
TRIAGE_ANSWER_KIND_KNOWN: TriageAnswerKind
TRIAGE_ANSWER_KIND_NOT_KNOWN: TriageAnswerKind
TRIAGE_ANSWER_KIND_INVOLVED: TriageAnswerKind
ROUTING_UNSPECIFIED: Routing
ROUTING_CASE_MEETING: Routing
ROUTING_REGULAR_CARE: Routing
ROUTING_ZVH_BRABANT_ZUIDOOST: Routing
ROUTING_ZVH_BRABANT_NOORDOOST: Routing
WORKLIST_STAGE_UNSPECIFIED: WorklistStage
WORKLIST_STAGE_TO_ASSESS: WorklistStage
WORKLIST_STAGE_TO_TRIAGE: WorklistStage
WORKLIST_STAGE_IN_TRIAGE: WorklistStage
WORKLIST_STAGE_TO_ROUTE: WorklistStage

class SubjectIdentity(_message.Message):
    __slots__ = ("given_names", "family_name", "date_of_birth", "bsn", "v_number")
    GIVEN_NAMES_FIELD_NUMBER: _ClassVar[int]
    FAMILY_NAME_FIELD_NUMBER: _ClassVar[int]
    DATE_OF_BIRTH_FIELD_NUMBER: _ClassVar[int]
    BSN_FIELD_NUMBER: _ClassVar[int]
    V_NUMBER_FIELD_NUMBER: _ClassVar[int]
    given_names: str
    family_name: str
    date_of_birth: str
    bsn: str
    v_number: str
    def __init__(self, given_names: _Optional[str] = ..., family_name: _Optional[str] = ..., date_of_birth: _Optional[str] = ..., bsn: _Optional[str] = ..., v_number: _Optional[str] = ...) -> None: ...

class LifeDomainProblem(_message.Message):
    __slots__ = ("domain", "description")
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    domain: LifeDomain
    description: str
    def __init__(self, domain: _Optional[_Union[LifeDomain, str]] = ..., description: _Optional[str] = ...) -> None: ...

class SafetyConcerns(_message.Message):
    __slots__ = ("serious_local_safety_problem", "affects_family_or_social_environment", "multiple_chains_needed", "acute_danger", "description")
    SERIOUS_LOCAL_SAFETY_PROBLEM_FIELD_NUMBER: _ClassVar[int]
    AFFECTS_FAMILY_OR_SOCIAL_ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    MULTIPLE_CHAINS_NEEDED_FIELD_NUMBER: _ClassVar[int]
    ACUTE_DANGER_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    serious_local_safety_problem: bool
    affects_family_or_social_environment: bool
    multiple_chains_needed: bool
    acute_danger: bool
    description: str
    def __init__(self, serious_local_safety_problem: _Optional[bool] = ..., affects_family_or_social_environment: _Optional[bool] = ..., multiple_chains_needed: _Optional[bool] = ..., acute_danger: _Optional[bool] = ..., description: _Optional[str] = ...) -> None: ...

class NominateRequest(_message.Message):
    __slots__ = ("request_id", "subject", "age_band", "problems", "safety", "chains_involved", "consent_status", "usage_terms")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    AGE_BAND_FIELD_NUMBER: _ClassVar[int]
    PROBLEMS_FIELD_NUMBER: _ClassVar[int]
    SAFETY_FIELD_NUMBER: _ClassVar[int]
    CHAINS_INVOLVED_FIELD_NUMBER: _ClassVar[int]
    CONSENT_STATUS_FIELD_NUMBER: _ClassVar[int]
    USAGE_TERMS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    subject: SubjectIdentity
    age_band: AgeBand
    problems: _containers.RepeatedCompositeFieldContainer[LifeDomainProblem]
    safety: SafetyConcerns
    chains_involved: _containers.RepeatedScalarFieldContainer[Chain]
    consent_status: ConsentStatus
    usage_terms: _common_pb2.UsageTerms
    def __init__(self, request_id: _Optional[str] = ..., subject: _Optional[_Union[SubjectIdentity, _Mapping]] = ..., age_band: _Optional[_Union[AgeBand, str]] = ..., problems: _Optional[_Iterable[_Union[LifeDomainProblem, _Mapping]]] = ..., safety: _Optional[_Union[SafetyConcerns, _Mapping]] = ..., chains_involved: _Optional[_Iterable[_Union[Chain, str]]] = ..., consent_status: _Optional[_Union[ConsentStatus, str]] = ..., usage_terms: _Optional[_Union[_common_pb2.UsageTerms, _Mapping]] = ...) -> None: ...

class NominateResponse(_message.Message):
    __slots__ = ("case_id", "subject_pseudonym", "age_band", "status", "linked_to_case_id")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_PSEUDONYM_FIELD_NUMBER: _ClassVar[int]
    AGE_BAND_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    LINKED_TO_CASE_ID_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    subject_pseudonym: str
    age_band: AgeBand
    status: NominationStatus
    linked_to_case_id: str
    def __init__(self, case_id: _Optional[str] = ..., subject_pseudonym: _Optional[str] = ..., age_band: _Optional[_Union[AgeBand, str]] = ..., status: _Optional[_Union[NominationStatus, str]] = ..., linked_to_case_id: _Optional[str] = ...) -> None: ...

class JudgedCriterion(_message.Message):
    __slots__ = ("holds", "grounds")
    HOLDS_FIELD_NUMBER: _ClassVar[int]
    GROUNDS_FIELD_NUMBER: _ClassVar[int]
    holds: bool
    grounds: str
    def __init__(self, holds: _Optional[bool] = ..., grounds: _Optional[str] = ...) -> None: ...

class JudgedCriteria(_message.Message):
    __slots__ = ("a", "b", "c", "d")
    A_FIELD_NUMBER: _ClassVar[int]
    B_FIELD_NUMBER: _ClassVar[int]
    C_FIELD_NUMBER: _ClassVar[int]
    D_FIELD_NUMBER: _ClassVar[int]
    a: JudgedCriterion
    b: JudgedCriterion
    c: JudgedCriterion
    d: JudgedCriterion
    def __init__(self, a: _Optional[_Union[JudgedCriterion, _Mapping]] = ..., b: _Optional[_Union[JudgedCriterion, _Mapping]] = ..., c: _Optional[_Union[JudgedCriterion, _Mapping]] = ..., d: _Optional[_Union[JudgedCriterion, _Mapping]] = ...) -> None: ...

class AssessRequest(_message.Message):
    __slots__ = ("request_id", "case_id", "qualifies", "rejection_reason", "reasons", "nominating_party_consulted", "criteria")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    QUALIFIES_FIELD_NUMBER: _ClassVar[int]
    REJECTION_REASON_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    NOMINATING_PARTY_CONSULTED_FIELD_NUMBER: _ClassVar[int]
    CRITERIA_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    case_id: str
    qualifies: bool
    rejection_reason: RejectionReason
    reasons: str
    nominating_party_consulted: bool
    criteria: JudgedCriteria
    def __init__(self, request_id: _Optional[str] = ..., case_id: _Optional[str] = ..., qualifies: _Optional[bool] = ..., rejection_reason: _Optional[_Union[RejectionReason, str]] = ..., reasons: _Optional[str] = ..., nominating_party_consulted: _Optional[bool] = ..., criteria: _Optional[_Union[JudgedCriteria, _Mapping]] = ...) -> None: ...

class CriteriaAdvice(_message.Message):
    __slots__ = ("qualifies", "criteria_held", "reasons", "policy_revision")
    QUALIFIES_FIELD_NUMBER: _ClassVar[int]
    CRITERIA_HELD_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    POLICY_REVISION_FIELD_NUMBER: _ClassVar[int]
    qualifies: bool
    criteria_held: _containers.RepeatedScalarFieldContainer[str]
    reasons: _containers.RepeatedScalarFieldContainer[str]
    policy_revision: str
    def __init__(self, qualifies: _Optional[bool] = ..., criteria_held: _Optional[_Iterable[str]] = ..., reasons: _Optional[_Iterable[str]] = ..., policy_revision: _Optional[str] = ...) -> None: ...

class AssessResponse(_message.Message):
    __slots__ = ("case_id", "advice", "qualifies", "status", "criteria_judged_held")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    ADVICE_FIELD_NUMBER: _ClassVar[int]
    QUALIFIES_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CRITERIA_JUDGED_HELD_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    advice: CriteriaAdvice
    qualifies: bool
    status: NominationStatus
    criteria_judged_held: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, case_id: _Optional[str] = ..., advice: _Optional[_Union[CriteriaAdvice, _Mapping]] = ..., qualifies: _Optional[bool] = ..., status: _Optional[_Union[NominationStatus, str]] = ..., criteria_judged_held: _Optional[_Iterable[str]] = ...) -> None: ...

class StartTriageRequest(_message.Message):
    __slots__ = ("request_id", "case_id", "asked_parties", "deadline", "themes", "question")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    ASKED_PARTIES_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    THEMES_FIELD_NUMBER: _ClassVar[int]
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    case_id: str
    asked_parties: _containers.RepeatedScalarFieldContainer[str]
    deadline: _timestamp_pb2.Timestamp
    themes: _containers.RepeatedScalarFieldContainer[str]
    question: str
    def __init__(self, request_id: _Optional[str] = ..., case_id: _Optional[str] = ..., asked_parties: _Optional[_Iterable[str]] = ..., deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., themes: _Optional[_Iterable[str]] = ..., question: _Optional[str] = ...) -> None: ...

class StartTriageResponse(_message.Message):
    __slots__ = ("case_id", "round_id", "deadline")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    ROUND_ID_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    round_id: str
    deadline: _timestamp_pb2.Timestamp
    def __init__(self, case_id: _Optional[str] = ..., round_id: _Optional[str] = ..., deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetTriageQuestionRequest(_message.Message):
    __slots__ = ("case_id",)
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    def __init__(self, case_id: _Optional[str] = ...) -> None: ...

class GetTriageQuestionResponse(_message.Message):
    __slots__ = ("case_id", "round_id", "subject_pseudonym", "age_band", "themes", "question", "deadline", "answered", "closed")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    ROUND_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_PSEUDONYM_FIELD_NUMBER: _ClassVar[int]
    AGE_BAND_FIELD_NUMBER: _ClassVar[int]
    THEMES_FIELD_NUMBER: _ClassVar[int]
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_FIELD_NUMBER: _ClassVar[int]
    CLOSED_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    round_id: str
    subject_pseudonym: str
    age_band: AgeBand
    themes: _containers.RepeatedScalarFieldContainer[str]
    question: str
    deadline: _timestamp_pb2.Timestamp
    answered: bool
    closed: bool
    def __init__(self, case_id: _Optional[str] = ..., round_id: _Optional[str] = ..., subject_pseudonym: _Optional[str] = ..., age_band: _Optional[_Union[AgeBand, str]] = ..., themes: _Optional[_Iterable[str]] = ..., question: _Optional[str] = ..., deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., answered: _Optional[bool] = ..., closed: _Optional[bool] = ...) -> None: ...

class AnswerTriageRequest(_message.Message):
    __slots__ = ("request_id", "case_id", "answer", "contribution", "themes")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    CONTRIBUTION_FIELD_NUMBER: _ClassVar[int]
    THEMES_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    case_id: str
    answer: TriageAnswerKind
    contribution: str
    themes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, request_id: _Optional[str] = ..., case_id: _Optional[str] = ..., answer: _Optional[_Union[TriageAnswerKind, str]] = ..., contribution: _Optional[str] = ..., themes: _Optional[_Iterable[str]] = ...) -> None: ...

class AnswerTriageResponse(_message.Message):
    __slots__ = ("case_id", "round_id", "round_closed")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    ROUND_ID_FIELD_NUMBER: _ClassVar[int]
    ROUND_CLOSED_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    round_id: str
    round_closed: bool
    def __init__(self, case_id: _Optional[str] = ..., round_id: _Optional[str] = ..., round_closed: _Optional[bool] = ...) -> None: ...

class CaseMeetingPlan(_message.Message):
    __slots__ = ("goal_code", "goal", "themes", "decision_types", "invitees")
    GOAL_CODE_FIELD_NUMBER: _ClassVar[int]
    GOAL_FIELD_NUMBER: _ClassVar[int]
    THEMES_FIELD_NUMBER: _ClassVar[int]
    DECISION_TYPES_FIELD_NUMBER: _ClassVar[int]
    INVITEES_FIELD_NUMBER: _ClassVar[int]
    goal_code: str
    goal: str
    themes: _containers.RepeatedScalarFieldContainer[str]
    decision_types: _containers.RepeatedScalarFieldContainer[str]
    invitees: _containers.RepeatedCompositeFieldContainer[Invitee]
    def __init__(self, goal_code: _Optional[str] = ..., goal: _Optional[str] = ..., themes: _Optional[_Iterable[str]] = ..., decision_types: _Optional[_Iterable[str]] = ..., invitees: _Optional[_Iterable[_Union[Invitee, _Mapping]]] = ...) -> None: ...

class Invitee(_message.Message):
    __slots__ = ("party", "lawful_themes")
    PARTY_FIELD_NUMBER: _ClassVar[int]
    LAWFUL_THEMES_FIELD_NUMBER: _ClassVar[int]
    party: str
    lawful_themes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, party: _Optional[str] = ..., lawful_themes: _Optional[_Iterable[str]] = ...) -> None: ...

class DecideRoutingRequest(_message.Message):
    __slots__ = ("request_id", "case_id", "routing", "meeting", "reason_code")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    ROUTING_FIELD_NUMBER: _ClassVar[int]
    MEETING_FIELD_NUMBER: _ClassVar[int]
    REASON_CODE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    case_id: str
    routing: Routing
    meeting: CaseMeetingPlan
    reason_code: str
    def __init__(self, request_id: _Optional[str] = ..., case_id: _Optional[str] = ..., routing: _Optional[_Union[Routing, str]] = ..., meeting: _Optional[_Union[CaseMeetingPlan, _Mapping]] = ..., reason_code: _Optional[str] = ...) -> None: ...

class DecideRoutingResponse(_message.Message):
    __slots__ = ("case_id", "routing", "invitees")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    ROUTING_FIELD_NUMBER: _ClassVar[int]
    INVITEES_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    routing: Routing
    invitees: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, case_id: _Optional[str] = ..., routing: _Optional[_Union[Routing, str]] = ..., invitees: _Optional[_Iterable[str]] = ...) -> None: ...

class GetNominationRequest(_message.Message):
    __slots__ = ("case_id",)
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    def __init__(self, case_id: _Optional[str] = ...) -> None: ...

class TriageAnswer(_message.Message):
    __slots__ = ("party", "answer", "contribution", "answered_at", "themes")
    PARTY_FIELD_NUMBER: _ClassVar[int]
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    CONTRIBUTION_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_AT_FIELD_NUMBER: _ClassVar[int]
    THEMES_FIELD_NUMBER: _ClassVar[int]
    party: str
    answer: TriageAnswerKind
    contribution: str
    answered_at: _timestamp_pb2.Timestamp
    themes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, party: _Optional[str] = ..., answer: _Optional[_Union[TriageAnswerKind, str]] = ..., contribution: _Optional[str] = ..., answered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., themes: _Optional[_Iterable[str]] = ...) -> None: ...

class Nomination(_message.Message):
    __slots__ = ("case_id", "subject_pseudonym", "nominating_party", "status", "subject", "age_band", "problems", "safety", "chains_involved", "consent_status", "usage_terms", "nominated_at", "linked_to_case_id", "linked_case_ids", "advice", "qualifies", "rejection_reason", "assessment_reasons", "asked_parties", "triage_answers", "triage_deadline", "routing", "meeting", "criteria", "process_director_party", "process_director_person", "safety_override", "consent_now")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_PSEUDONYM_FIELD_NUMBER: _ClassVar[int]
    NOMINATING_PARTY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    AGE_BAND_FIELD_NUMBER: _ClassVar[int]
    PROBLEMS_FIELD_NUMBER: _ClassVar[int]
    SAFETY_FIELD_NUMBER: _ClassVar[int]
    CHAINS_INVOLVED_FIELD_NUMBER: _ClassVar[int]
    CONSENT_STATUS_FIELD_NUMBER: _ClassVar[int]
    USAGE_TERMS_FIELD_NUMBER: _ClassVar[int]
    NOMINATED_AT_FIELD_NUMBER: _ClassVar[int]
    LINKED_TO_CASE_ID_FIELD_NUMBER: _ClassVar[int]
    LINKED_CASE_IDS_FIELD_NUMBER: _ClassVar[int]
    ADVICE_FIELD_NUMBER: _ClassVar[int]
    QUALIFIES_FIELD_NUMBER: _ClassVar[int]
    REJECTION_REASON_FIELD_NUMBER: _ClassVar[int]
    ASSESSMENT_REASONS_FIELD_NUMBER: _ClassVar[int]
    ASKED_PARTIES_FIELD_NUMBER: _ClassVar[int]
    TRIAGE_ANSWERS_FIELD_NUMBER: _ClassVar[int]
    TRIAGE_DEADLINE_FIELD_NUMBER: _ClassVar[int]
    ROUTING_FIELD_NUMBER: _ClassVar[int]
    MEETING_FIELD_NUMBER: _ClassVar[int]
    CRITERIA_FIELD_NUMBER: _ClassVar[int]
    PROCESS_DIRECTOR_PARTY_FIELD_NUMBER: _ClassVar[int]
    PROCESS_DIRECTOR_PERSON_FIELD_NUMBER: _ClassVar[int]
    SAFETY_OVERRIDE_FIELD_NUMBER: _ClassVar[int]
    CONSENT_NOW_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    subject_pseudonym: str
    nominating_party: str
    status: NominationStatus
    subject: SubjectIdentity
    age_band: AgeBand
    problems: _containers.RepeatedCompositeFieldContainer[LifeDomainProblem]
    safety: SafetyConcerns
    chains_involved: _containers.RepeatedScalarFieldContainer[Chain]
    consent_status: ConsentStatus
    usage_terms: _common_pb2.UsageTerms
    nominated_at: _timestamp_pb2.Timestamp
    linked_to_case_id: str
    linked_case_ids: _containers.RepeatedScalarFieldContainer[str]
    advice: CriteriaAdvice
    qualifies: bool
    rejection_reason: RejectionReason
    assessment_reasons: str
    asked_parties: _containers.RepeatedScalarFieldContainer[str]
    triage_answers: _containers.RepeatedCompositeFieldContainer[TriageAnswer]
    triage_deadline: _timestamp_pb2.Timestamp
    routing: Routing
    meeting: CaseMeetingPlan
    criteria: JudgedCriteria
    process_director_party: str
    process_director_person: str
    safety_override: SafetyOverride
    consent_now: ConsentStatus
    def __init__(self, case_id: _Optional[str] = ..., subject_pseudonym: _Optional[str] = ..., nominating_party: _Optional[str] = ..., status: _Optional[_Union[NominationStatus, str]] = ..., subject: _Optional[_Union[SubjectIdentity, _Mapping]] = ..., age_band: _Optional[_Union[AgeBand, str]] = ..., problems: _Optional[_Iterable[_Union[LifeDomainProblem, _Mapping]]] = ..., safety: _Optional[_Union[SafetyConcerns, _Mapping]] = ..., chains_involved: _Optional[_Iterable[_Union[Chain, str]]] = ..., consent_status: _Optional[_Union[ConsentStatus, str]] = ..., usage_terms: _Optional[_Union[_common_pb2.UsageTerms, _Mapping]] = ..., nominated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., linked_to_case_id: _Optional[str] = ..., linked_case_ids: _Optional[_Iterable[str]] = ..., advice: _Optional[_Union[CriteriaAdvice, _Mapping]] = ..., qualifies: _Optional[bool] = ..., rejection_reason: _Optional[_Union[RejectionReason, str]] = ..., assessment_reasons: _Optional[str] = ..., asked_parties: _Optional[_Iterable[str]] = ..., triage_answers: _Optional[_Iterable[_Union[TriageAnswer, _Mapping]]] = ..., triage_deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., routing: _Optional[_Union[Routing, str]] = ..., meeting: _Optional[_Union[CaseMeetingPlan, _Mapping]] = ..., criteria: _Optional[_Union[JudgedCriteria, _Mapping]] = ..., process_director_party: _Optional[str] = ..., process_director_person: _Optional[str] = ..., safety_override: _Optional[_Union[SafetyOverride, _Mapping]] = ..., consent_now: _Optional[_Union[ConsentStatus, str]] = ...) -> None: ...

class SafetyOverride(_message.Message):
    __slots__ = ("reason", "consulted_colleague", "client_informed", "client_information", "recorded_by_party", "recorded_by", "recorded_at")
    REASON_FIELD_NUMBER: _ClassVar[int]
    CONSULTED_COLLEAGUE_FIELD_NUMBER: _ClassVar[int]
    CLIENT_INFORMED_FIELD_NUMBER: _ClassVar[int]
    CLIENT_INFORMATION_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_PARTY_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    reason: str
    consulted_colleague: str
    client_informed: bool
    client_information: str
    recorded_by_party: str
    recorded_by: str
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, reason: _Optional[str] = ..., consulted_colleague: _Optional[str] = ..., client_informed: _Optional[bool] = ..., client_information: _Optional[str] = ..., recorded_by_party: _Optional[str] = ..., recorded_by: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RecordSafetyOverrideRequest(_message.Message):
    __slots__ = ("request_id", "case_id", "reason", "consulted_colleague", "client_informed", "client_information")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CONSULTED_COLLEAGUE_FIELD_NUMBER: _ClassVar[int]
    CLIENT_INFORMED_FIELD_NUMBER: _ClassVar[int]
    CLIENT_INFORMATION_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    case_id: str
    reason: str
    consulted_colleague: str
    client_informed: bool
    client_information: str
    def __init__(self, request_id: _Optional[str] = ..., case_id: _Optional[str] = ..., reason: _Optional[str] = ..., consulted_colleague: _Optional[str] = ..., client_informed: _Optional[bool] = ..., client_information: _Optional[str] = ...) -> None: ...

class RecordSafetyOverrideResponse(_message.Message):
    __slots__ = ("case_id", "recorded_at")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, case_id: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListProbingFlagsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ProbingFlag(_message.Message):
    __slots__ = ("flag_id", "nominating_party", "nominated_by", "matches", "window_s", "flagged_at")
    FLAG_ID_FIELD_NUMBER: _ClassVar[int]
    NOMINATING_PARTY_FIELD_NUMBER: _ClassVar[int]
    NOMINATED_BY_FIELD_NUMBER: _ClassVar[int]
    MATCHES_FIELD_NUMBER: _ClassVar[int]
    WINDOW_S_FIELD_NUMBER: _ClassVar[int]
    FLAGGED_AT_FIELD_NUMBER: _ClassVar[int]
    flag_id: str
    nominating_party: str
    nominated_by: str
    matches: int
    window_s: int
    flagged_at: _timestamp_pb2.Timestamp
    def __init__(self, flag_id: _Optional[str] = ..., nominating_party: _Optional[str] = ..., nominated_by: _Optional[str] = ..., matches: _Optional[int] = ..., window_s: _Optional[int] = ..., flagged_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListProbingFlagsResponse(_message.Message):
    __slots__ = ("flags", "next_page_token")
    FLAGS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    flags: _containers.RepeatedCompositeFieldContainer[ProbingFlag]
    next_page_token: str
    def __init__(self, flags: _Optional[_Iterable[_Union[ProbingFlag, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetNominationResponse(_message.Message):
    __slots__ = ("nomination",)
    NOMINATION_FIELD_NUMBER: _ClassVar[int]
    nomination: Nomination
    def __init__(self, nomination: _Optional[_Union[Nomination, _Mapping]] = ...) -> None: ...

class WithdrawNominationRequest(_message.Message):
    __slots__ = ("request_id", "case_id", "reason_code")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_CODE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    case_id: str
    reason_code: str
    def __init__(self, request_id: _Optional[str] = ..., case_id: _Optional[str] = ..., reason_code: _Optional[str] = ...) -> None: ...

class WithdrawNominationResponse(_message.Message):
    __slots__ = ("case_id", "status")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    status: NominationStatus
    def __init__(self, case_id: _Optional[str] = ..., status: _Optional[_Union[NominationStatus, str]] = ...) -> None: ...

class ListNominationsRequest(_message.Message):
    __slots__ = ("stage", "page_size", "page_token")
    STAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    stage: WorklistStage
    page_size: int
    page_token: str
    def __init__(self, stage: _Optional[_Union[WorklistStage, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class WorklistNomination(_message.Message):
    __slots__ = ("case_id", "stage", "status", "received_at", "triage_deadline", "nominating_party")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_AT_FIELD_NUMBER: _ClassVar[int]
    TRIAGE_DEADLINE_FIELD_NUMBER: _ClassVar[int]
    NOMINATING_PARTY_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    stage: WorklistStage
    status: NominationStatus
    received_at: _timestamp_pb2.Timestamp
    triage_deadline: _timestamp_pb2.Timestamp
    nominating_party: str
    def __init__(self, case_id: _Optional[str] = ..., stage: _Optional[_Union[WorklistStage, str]] = ..., status: _Optional[_Union[NominationStatus, str]] = ..., received_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., triage_deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., nominating_party: _Optional[str] = ...) -> None: ...

class ListNominationsResponse(_message.Message):
    __slots__ = ("nominations", "next_page_token")
    NOMINATIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    nominations: _containers.RepeatedCompositeFieldContainer[WorklistNomination]
    next_page_token: str
    def __init__(self, nominations: _Optional[_Iterable[_Union[WorklistNomination, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from zorgtafel.generated.common.v1 import common_pb2 as _common_pb2
from zorgtafel.generated.subjectdata.v1 import subjectdata_pb2 as _subjectdata_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class LegalBasis(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LEGAL_BASIS_UNSPECIFIED: _ClassVar[LegalBasis]
    LEGAL_BASIS_CONSENT: _ClassVar[LegalBasis]
    LEGAL_BASIS_LEGAL_OBLIGATION: _ClassVar[LegalBasis]
    LEGAL_BASIS_VITAL_INTEREST: _ClassVar[LegalBasis]
    LEGAL_BASIS_PUBLIC_TASK: _ClassVar[LegalBasis]
    LEGAL_BASIS_LEGITIMATE_INTEREST: _ClassVar[LegalBasis]
    LEGAL_BASIS_WPG: _ClassVar[LegalBasis]

class Classification(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CLASSIFICATION_UNSPECIFIED: _ClassVar[Classification]
    CLASSIFICATION_INTERNAL: _ClassVar[Classification]
    CLASSIFICATION_CONFIDENTIAL: _ClassVar[Classification]
    CLASSIFICATION_SECRET: _ClassVar[Classification]

class DisclosureAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DISCLOSURE_ACTION_UNSPECIFIED: _ClassVar[DisclosureAction]
    DISCLOSURE_ACTION_READ: _ClassVar[DisclosureAction]
    DISCLOSURE_ACTION_PRE_READ: _ClassVar[DisclosureAction]
    DISCLOSURE_ACTION_THIRD_PARTY_RELEASE: _ClassVar[DisclosureAction]
    DISCLOSURE_ACTION_ONWARD_SHARE: _ClassVar[DisclosureAction]

class ConsentGiver(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONSENT_GIVER_UNSPECIFIED: _ClassVar[ConsentGiver]
    CONSENT_GIVER_SUBJECT: _ClassVar[ConsentGiver]
    CONSENT_GIVER_PARENT: _ClassVar[ConsentGiver]
    CONSENT_GIVER_GUARDIAN: _ClassVar[ConsentGiver]

class ClientInformedStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CLIENT_INFORMED_STATUS_UNSPECIFIED: _ClassVar[ClientInformedStatus]
    CLIENT_INFORMED_STATUS_INFORMED: _ClassVar[ClientInformedStatus]
    CLIENT_INFORMED_STATUS_NOT_YET: _ClassVar[ClientInformedStatus]

class SubjectRequestKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SUBJECT_REQUEST_KIND_UNSPECIFIED: _ClassVar[SubjectRequestKind]
    SUBJECT_REQUEST_KIND_CORRECTION: _ClassVar[SubjectRequestKind]
    SUBJECT_REQUEST_KIND_ERASURE: _ClassVar[SubjectRequestKind]
    SUBJECT_REQUEST_KIND_RESTRICTION: _ClassVar[SubjectRequestKind]
    SUBJECT_REQUEST_KIND_LIFT_RESTRICTION: _ClassVar[SubjectRequestKind]
    SUBJECT_REQUEST_KIND_OBJECTION: _ClassVar[SubjectRequestKind]
    SUBJECT_REQUEST_KIND_COMPLAINT: _ClassVar[SubjectRequestKind]

class SubjectRequestOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SUBJECT_REQUEST_OUTCOME_UNSPECIFIED: _ClassVar[SubjectRequestOutcome]
    SUBJECT_REQUEST_OUTCOME_GRANTED: _ClassVar[SubjectRequestOutcome]
    SUBJECT_REQUEST_OUTCOME_REFUSED: _ClassVar[SubjectRequestOutcome]

class RefusalGround(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REFUSAL_GROUND_UNSPECIFIED: _ClassVar[RefusalGround]
    REFUSAL_GROUND_REQUIRED_BY_LAW: _ClassVar[RefusalGround]
    REFUSAL_GROUND_PROTECTION_OF_CLIENT: _ClassVar[RefusalGround]
    REFUSAL_GROUND_PENDING_COMPLAINT: _ClassVar[RefusalGround]
    REFUSAL_GROUND_PROFESSIONAL_OPINION: _ClassVar[RefusalGround]

class Register(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REGISTER_UNSPECIFIED: _ClassVar[Register]
    REGISTER_PROCESSING: _ClassVar[Register]
    REGISTER_BREACHES: _ClassVar[Register]
LEGAL_BASIS_UNSPECIFIED: LegalBasis
LEGAL_BASIS_CONSENT: LegalBasis
LEGAL_BASIS_LEGAL_OBLIGATION: LegalBasis
LEGAL_BASIS_VITAL_INTEREST: LegalBasis
LEGAL_BASIS_PUBLIC_TASK: LegalBasis
LEGAL_BASIS_LEGITIMATE_INTEREST: LegalBasis
LEGAL_BASIS_WPG: LegalBasis
CLASSIFICATION_UNSPECIFIED: Classification
CLASSIFICATION_INTERNAL: Classification
CLASSIFICATION_CONFIDENTIAL: Classification
CLASSIFICATION_SECRET: Classification
DISCLOSURE_ACTION_UNSPECIFIED: DisclosureAction
DISCLOSURE_ACTION_READ: DisclosureAction
DISCLOSURE_ACTION_PRE_READ: DisclosureAction
DISCLOSURE_ACTION_THIRD_PARTY_RELEASE: DisclosureAction
DISCLOSURE_ACTION_ONWARD_SHARE: DisclosureAction
CONSENT_GIVER_UNSPECIFIED: ConsentGiver
CONSENT_GIVER_SUBJECT: ConsentGiver
CONSENT_GIVER_PARENT: ConsentGiver
CONSENT_GIVER_GUARDIAN: ConsentGiver
CLIENT_INFORMED_STATUS_UNSPECIFIED: ClientInformedStatus
CLIENT_INFORMED_STATUS_INFORMED: ClientInformedStatus
CLIENT_INFORMED_STATUS_NOT_YET: ClientInformedStatus
SUBJECT_REQUEST_KIND_UNSPECIFIED: SubjectRequestKind
SUBJECT_REQUEST_KIND_CORRECTION: SubjectRequestKind
SUBJECT_REQUEST_KIND_ERASURE: SubjectRequestKind
SUBJECT_REQUEST_KIND_RESTRICTION: SubjectRequestKind
SUBJECT_REQUEST_KIND_LIFT_RESTRICTION: SubjectRequestKind
SUBJECT_REQUEST_KIND_OBJECTION: SubjectRequestKind
SUBJECT_REQUEST_KIND_COMPLAINT: SubjectRequestKind
SUBJECT_REQUEST_OUTCOME_UNSPECIFIED: SubjectRequestOutcome
SUBJECT_REQUEST_OUTCOME_GRANTED: SubjectRequestOutcome
SUBJECT_REQUEST_OUTCOME_REFUSED: SubjectRequestOutcome
REFUSAL_GROUND_UNSPECIFIED: RefusalGround
REFUSAL_GROUND_REQUIRED_BY_LAW: RefusalGround
REFUSAL_GROUND_PROTECTION_OF_CLIENT: RefusalGround
REFUSAL_GROUND_PENDING_COMPLAINT: RefusalGround
REFUSAL_GROUND_PROFESSIONAL_OPINION: RefusalGround
REGISTER_UNSPECIFIED: Register
REGISTER_PROCESSING: Register
REGISTER_BREACHES: Register

class ItemRef(_message.Message):
    __slots__ = ("item_id", "case_id", "provider", "category", "classification", "legal_basis", "content_type", "retracted", "provided_at", "terms")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    CLASSIFICATION_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    RETRACTED_FIELD_NUMBER: _ClassVar[int]
    PROVIDED_AT_FIELD_NUMBER: _ClassVar[int]
    TERMS_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    case_id: str
    provider: str
    category: str
    classification: Classification
    legal_basis: LegalBasis
    content_type: str
    retracted: bool
    provided_at: _timestamp_pb2.Timestamp
    terms: _common_pb2.UsageTerms
    def __init__(self, item_id: _Optional[str] = ..., case_id: _Optional[str] = ..., provider: _Optional[str] = ..., category: _Optional[str] = ..., classification: _Optional[_Union[Classification, str]] = ..., legal_basis: _Optional[_Union[LegalBasis, str]] = ..., content_type: _Optional[str] = ..., retracted: _Optional[bool] = ..., provided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., terms: _Optional[_Union[_common_pb2.UsageTerms, _Mapping]] = ...) -> None: ...

class ProvideRequest(_message.Message):
    __slots__ = ("request_id", "case_id", "category", "classification", "legal_basis", "content_type", "content", "terms", "field_summaries", "supersedes")
    class FieldSummariesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    CLASSIFICATION_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    TERMS_FIELD_NUMBER: _ClassVar[int]
    FIELD_SUMMARIES_FIELD_NUMBER: _ClassVar[int]
    SUPERSEDES_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    case_id: str
    category: str
    classification: Classification
    legal_basis: LegalBasis
    content_type: str
    content: bytes
    terms: _common_pb2.UsageTerms
    field_summaries: _containers.ScalarMap[str, str]
    supersedes: str
    def __init__(self, request_id: _Optional[str] = ..., case_id: _Optional[str] = ..., category: _Optional[str] = ..., classification: _Optional[_Union[Classification, str]] = ..., legal_basis: _Optional[_Union[LegalBasis, str]] = ..., content_type: _Optional[str] = ..., content: _Optional[bytes] = ..., terms: _Optional[_Union[_common_pb2.UsageTerms, _Mapping]] = ..., field_summaries: _Optional[_Mapping[str, str]] = ..., supersedes: _Optional[str] = ...) -> None: ...

class ProvideResponse(_message.Message):
    __slots__ = ("item_id",)
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    def __init__(self, item_id: _Optional[str] = ...) -> None: ...

class SetUsageTermsRequest(_message.Message):
    __slots__ = ("request_id", "item_id", "terms")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    TERMS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    item_id: str
    terms: _common_pb2.UsageTerms
    def __init__(self, request_id: _Optional[str] = ..., item_id: _Optional[str] = ..., terms: _Optional[_Union[_common_pb2.UsageTerms, _Mapping]] = ...) -> None: ...

class SetUsageTermsResponse(_message.Message):
    __slots__ = ("item",)
    ITEM_FIELD_NUMBER: _ClassVar[int]
    item: ItemRef
    def __init__(self, item: _Optional[_Union[ItemRef, _Mapping]] = ...) -> None: ...

class RetractRequest(_message.Message):
    __slots__ = ("request_id", "item_id")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    item_id: str
    def __init__(self, request_id: _Optional[str] = ..., item_id: _Optional[str] = ...) -> None: ...

class RetractResponse(_message.Message):
    __slots__ = ("item",)
    ITEM_FIELD_NUMBER: _ClassVar[int]
    item: ItemRef
    def __init__(self, item: _Optional[_Union[ItemRef, _Mapping]] = ...) -> None: ...

class RequestDisclosureRequest(_message.Message):
    __slots__ = ("item_ids", "case_id", "category", "purpose", "action", "third_party", "request_id")
    ITEM_IDS_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    THIRD_PARTY_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    item_ids: _containers.RepeatedScalarFieldContainer[str]
    case_id: str
    category: str
    purpose: str
    action: DisclosureAction
    third_party: str
    request_id: str
    def __init__(self, item_ids: _Optional[_Iterable[str]] = ..., case_id: _Optional[str] = ..., category: _Optional[str] = ..., purpose: _Optional[str] = ..., action: _Optional[_Union[DisclosureAction, str]] = ..., third_party: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class DisclosedItem(_message.Message):
    __slots__ = ("item_id", "case_id", "category", "provider", "content_type", "content", "redacted_fields", "decision_id", "reasons", "obligations")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    REDACTED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    OBLIGATIONS_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    case_id: str
    category: str
    provider: str
    content_type: str
    content: bytes
    redacted_fields: _containers.RepeatedScalarFieldContainer[str]
    decision_id: str
    reasons: _containers.RepeatedScalarFieldContainer[str]
    obligations: _containers.RepeatedCompositeFieldContainer[_common_pb2.Obligation]
    def __init__(self, item_id: _Optional[str] = ..., case_id: _Optional[str] = ..., category: _Optional[str] = ..., provider: _Optional[str] = ..., content_type: _Optional[str] = ..., content: _Optional[bytes] = ..., redacted_fields: _Optional[_Iterable[str]] = ..., decision_id: _Optional[str] = ..., reasons: _Optional[_Iterable[str]] = ..., obligations: _Optional[_Iterable[_Union[_common_pb2.Obligation, _Mapping]]] = ...) -> None: ...

class DeniedItem(_message.Message):
    __slots__ = ("item_id", "decision_id", "reasons", "outside_need")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    OUTSIDE_NEED_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    decision_id: str
    reasons: _containers.RepeatedScalarFieldContainer[str]
    outside_need: bool
    def __init__(self, item_id: _Optional[str] = ..., decision_id: _Optional[str] = ..., reasons: _Optional[_Iterable[str]] = ..., outside_need: _Optional[bool] = ...) -> None: ...

class RequestDisclosureResponse(_message.Message):
    __slots__ = ("items", "denied", "policy_revision")
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    DENIED_FIELD_NUMBER: _ClassVar[int]
    POLICY_REVISION_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[DisclosedItem]
    denied: _containers.RepeatedCompositeFieldContainer[DeniedItem]
    policy_revision: str
    def __init__(self, items: _Optional[_Iterable[_Union[DisclosedItem, _Mapping]]] = ..., denied: _Optional[_Iterable[_Union[DeniedItem, _Mapping]]] = ..., policy_revision: _Optional[str] = ...) -> None: ...

class BreakGlassRequest(_message.Message):
    __slots__ = ("item_ids", "case_id", "category", "purpose", "justification", "consulted_colleague", "client_informed", "client_informed_status", "client_to_be_informed_by")
    ITEM_IDS_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    JUSTIFICATION_FIELD_NUMBER: _ClassVar[int]
    CONSULTED_COLLEAGUE_FIELD_NUMBER: _ClassVar[int]
    CLIENT_INFORMED_FIELD_NUMBER: _ClassVar[int]
    CLIENT_INFORMED_STATUS_FIELD_NUMBER: _ClassVar[int]
    CLIENT_TO_BE_INFORMED_BY_FIELD_NUMBER: _ClassVar[int]
    item_ids: _containers.RepeatedScalarFieldContainer[str]
    case_id: str
    category: str
    purpose: str
    justification: str
    consulted_colleague: str
    client_informed: str
    client_informed_status: ClientInformedStatus
    client_to_be_informed_by: str
    def __init__(self, item_ids: _Optional[_Iterable[str]] = ..., case_id: _Optional[str] = ..., category: _Optional[str] = ..., purpose: _Optional[str] = ..., justification: _Optional[str] = ..., consulted_colleague: _Optional[str] = ..., client_informed: _Optional[str] = ..., client_informed_status: _Optional[_Union[ClientInformedStatus, str]] = ..., client_to_be_informed_by: _Optional[str] = ...) -> None: ...

class BreakGlassResponse(_message.Message):
    __slots__ = ("items", "denied", "policy_revision")
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    DENIED_FIELD_NUMBER: _ClassVar[int]
    POLICY_REVISION_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[DisclosedItem]
    denied: _containers.RepeatedCompositeFieldContainer[DeniedItem]
    policy_revision: str
    def __init__(self, items: _Optional[_Iterable[_Union[DisclosedItem, _Mapping]]] = ..., denied: _Optional[_Iterable[_Union[DeniedItem, _Mapping]]] = ..., policy_revision: _Optional[str] = ...) -> None: ...

class RecordConsentRequest(_message.Message):
    __slots__ = ("request_id", "subject", "provider_written")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_WRITTEN_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    subject: SubjectConsent
    provider_written: ProviderWrittenConsent
    def __init__(self, request_id: _Optional[str] = ..., subject: _Optional[_Union[SubjectConsent, _Mapping]] = ..., provider_written: _Optional[_Union[ProviderWrittenConsent, _Mapping]] = ...) -> None: ...

class SubjectConsent(_message.Message):
    __slots__ = ("case_id", "given_by", "scope_categories", "document_ref", "given_at")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    GIVEN_BY_FIELD_NUMBER: _ClassVar[int]
    SCOPE_CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_REF_FIELD_NUMBER: _ClassVar[int]
    GIVEN_AT_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    given_by: ConsentGiver
    scope_categories: _containers.RepeatedScalarFieldContainer[str]
    document_ref: str
    given_at: _timestamp_pb2.Timestamp
    def __init__(self, case_id: _Optional[str] = ..., given_by: _Optional[_Union[ConsentGiver, str]] = ..., scope_categories: _Optional[_Iterable[str]] = ..., document_ref: _Optional[str] = ..., given_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ProviderWrittenConsent(_message.Message):
    __slots__ = ("item_id", "third_party", "document_ref", "given_at")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    THIRD_PARTY_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_REF_FIELD_NUMBER: _ClassVar[int]
    GIVEN_AT_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    third_party: str
    document_ref: str
    given_at: _timestamp_pb2.Timestamp
    def __init__(self, item_id: _Optional[str] = ..., third_party: _Optional[str] = ..., document_ref: _Optional[str] = ..., given_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RecordConsentResponse(_message.Message):
    __slots__ = ("consent_id",)
    CONSENT_ID_FIELD_NUMBER: _ClassVar[int]
    consent_id: str
    def __init__(self, consent_id: _Optional[str] = ...) -> None: ...

class WithdrawConsentRequest(_message.Message):
    __slots__ = ("request_id", "consent_id", "document_ref", "withdrawn_at")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CONSENT_ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_REF_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWN_AT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    consent_id: str
    document_ref: str
    withdrawn_at: _timestamp_pb2.Timestamp
    def __init__(self, request_id: _Optional[str] = ..., consent_id: _Optional[str] = ..., document_ref: _Optional[str] = ..., withdrawn_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class WithdrawConsentResponse(_message.Message):
    __slots__ = ("consent",)
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    consent: ConsentRecord
    def __init__(self, consent: _Optional[_Union[ConsentRecord, _Mapping]] = ...) -> None: ...

class Review(_message.Message):
    __slots__ = ("review_id", "decision_id", "case_id", "item_id", "provider", "party", "person", "consulted_colleague", "justification", "client_informed", "created_at")
    REVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    PERSON_FIELD_NUMBER: _ClassVar[int]
    CONSULTED_COLLEAGUE_FIELD_NUMBER: _ClassVar[int]
    JUSTIFICATION_FIELD_NUMBER: _ClassVar[int]
    CLIENT_INFORMED_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    review_id: str
    decision_id: str
    case_id: str
    item_id: str
    provider: str
    party: str
    person: str
    consulted_colleague: str
    justification: str
    client_informed: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, review_id: _Optional[str] = ..., decision_id: _Optional[str] = ..., case_id: _Optional[str] = ..., item_id: _Optional[str] = ..., provider: _Optional[str] = ..., party: _Optional[str] = ..., person: _Optional[str] = ..., consulted_colleague: _Optional[str] = ..., justification: _Optional[str] = ..., client_informed: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListReviewsRequest(_message.Message):
    __slots__ = ("case_id", "page_size", "page_token")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    page_size: int
    page_token: str
    def __init__(self, case_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListReviewsResponse(_message.Message):
    __slots__ = ("reviews", "next_page_token")
    REVIEWS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    reviews: _containers.RepeatedCompositeFieldContainer[Review]
    next_page_token: str
    def __init__(self, reviews: _Optional[_Iterable[_Union[Review, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class AccessLogEntry(_message.Message):
    __slots__ = ("seq", "decision_id", "time", "party", "person", "role", "action", "purpose", "resource", "subject_pseudonym", "case_id", "provider", "result", "reasons", "policy_revision", "trace_id", "span_id", "processing_activity", "emergency", "prev_hash", "hash", "recipient", "rpc", "input_digest", "proof")
    SEQ_FIELD_NUMBER: _ClassVar[int]
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    PERSON_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_PSEUDONYM_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    POLICY_REVISION_FIELD_NUMBER: _ClassVar[int]
    TRACE_ID_FIELD_NUMBER: _ClassVar[int]
    SPAN_ID_FIELD_NUMBER: _ClassVar[int]
    PROCESSING_ACTIVITY_FIELD_NUMBER: _ClassVar[int]
    EMERGENCY_FIELD_NUMBER: _ClassVar[int]
    PREV_HASH_FIELD_NUMBER: _ClassVar[int]
    HASH_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_FIELD_NUMBER: _ClassVar[int]
    RPC_FIELD_NUMBER: _ClassVar[int]
    INPUT_DIGEST_FIELD_NUMBER: _ClassVar[int]
    PROOF_FIELD_NUMBER: _ClassVar[int]
    seq: int
    decision_id: str
    time: _timestamp_pb2.Timestamp
    party: str
    person: str
    role: str
    action: str
    purpose: str
    resource: str
    subject_pseudonym: str
    case_id: str
    provider: str
    result: str
    reasons: _containers.RepeatedScalarFieldContainer[str]
    policy_revision: str
    trace_id: str
    span_id: str
    processing_activity: str
    emergency: bool
    prev_hash: str
    hash: str
    recipient: str
    rpc: str
    input_digest: str
    proof: RecordProof
    def __init__(self, seq: _Optional[int] = ..., decision_id: _Optional[str] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., party: _Optional[str] = ..., person: _Optional[str] = ..., role: _Optional[str] = ..., action: _Optional[str] = ..., purpose: _Optional[str] = ..., resource: _Optional[str] = ..., subject_pseudonym: _Optional[str] = ..., case_id: _Optional[str] = ..., provider: _Optional[str] = ..., result: _Optional[str] = ..., reasons: _Optional[_Iterable[str]] = ..., policy_revision: _Optional[str] = ..., trace_id: _Optional[str] = ..., span_id: _Optional[str] = ..., processing_activity: _Optional[str] = ..., emergency: _Optional[bool] = ..., prev_hash: _Optional[str] = ..., hash: _Optional[str] = ..., recipient: _Optional[str] = ..., rpc: _Optional[str] = ..., input_digest: _Optional[str] = ..., proof: _Optional[_Union[RecordProof, _Mapping]] = ...) -> None: ...

class SignedCheckpoint(_message.Message):
    __slots__ = ("log_id", "size", "root", "signed_at", "key_id", "signature")
    LOG_ID_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    ROOT_FIELD_NUMBER: _ClassVar[int]
    SIGNED_AT_FIELD_NUMBER: _ClassVar[int]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    log_id: str
    size: int
    root: bytes
    signed_at: str
    key_id: str
    signature: bytes
    def __init__(self, log_id: _Optional[str] = ..., size: _Optional[int] = ..., root: _Optional[bytes] = ..., signed_at: _Optional[str] = ..., key_id: _Optional[str] = ..., signature: _Optional[bytes] = ...) -> None: ...

class RecordProof(_message.Message):
    __slots__ = ("leaf", "leaf_index", "audit_path", "checkpoint")
    LEAF_FIELD_NUMBER: _ClassVar[int]
    LEAF_INDEX_FIELD_NUMBER: _ClassVar[int]
    AUDIT_PATH_FIELD_NUMBER: _ClassVar[int]
    CHECKPOINT_FIELD_NUMBER: _ClassVar[int]
    leaf: bytes
    leaf_index: int
    audit_path: _containers.RepeatedScalarFieldContainer[bytes]
    checkpoint: SignedCheckpoint
    def __init__(self, leaf: _Optional[bytes] = ..., leaf_index: _Optional[int] = ..., audit_path: _Optional[_Iterable[bytes]] = ..., checkpoint: _Optional[_Union[SignedCheckpoint, _Mapping]] = ...) -> None: ...

class AccessLogRequest(_message.Message):
    __slots__ = ("subject_pseudonym", "provider", "party", "decision_id", "limit", "page_size", "page_token", "include_proof")
    SUBJECT_PSEUDONYM_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_PROOF_FIELD_NUMBER: _ClassVar[int]
    subject_pseudonym: str
    provider: str
    party: str
    decision_id: str
    limit: int
    page_size: int
    page_token: str
    include_proof: bool
    def __init__(self, subject_pseudonym: _Optional[str] = ..., provider: _Optional[str] = ..., party: _Optional[str] = ..., decision_id: _Optional[str] = ..., limit: _Optional[int] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., include_proof: _Optional[bool] = ...) -> None: ...

class AccessLogResponse(_message.Message):
    __slots__ = ("entries", "next_page_token")
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[AccessLogEntry]
    next_page_token: str
    def __init__(self, entries: _Optional[_Iterable[_Union[AccessLogEntry, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class VerifyLogRequest(_message.Message):
    __slots__ = ("trusted",)
    TRUSTED_FIELD_NUMBER: _ClassVar[int]
    trusted: _containers.RepeatedCompositeFieldContainer[SignedCheckpoint]
    def __init__(self, trusted: _Optional[_Iterable[_Union[SignedCheckpoint, _Mapping]]] = ...) -> None: ...

class VerifyLogResponse(_message.Message):
    __slots__ = ("intact", "records", "first_bad_seq", "problems", "signed_size", "unsigned_records", "checkpoints_checked", "latest", "pruned_records", "pruned")
    INTACT_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    FIRST_BAD_SEQ_FIELD_NUMBER: _ClassVar[int]
    PROBLEMS_FIELD_NUMBER: _ClassVar[int]
    SIGNED_SIZE_FIELD_NUMBER: _ClassVar[int]
    UNSIGNED_RECORDS_FIELD_NUMBER: _ClassVar[int]
    CHECKPOINTS_CHECKED_FIELD_NUMBER: _ClassVar[int]
    LATEST_FIELD_NUMBER: _ClassVar[int]
    PRUNED_RECORDS_FIELD_NUMBER: _ClassVar[int]
    PRUNED_FIELD_NUMBER: _ClassVar[int]
    intact: bool
    records: int
    first_bad_seq: int
    problems: _containers.RepeatedScalarFieldContainer[str]
    signed_size: int
    unsigned_records: int
    checkpoints_checked: int
    latest: SignedCheckpoint
    pruned_records: int
    pruned: _containers.RepeatedCompositeFieldContainer[PrunedRange]
    def __init__(self, intact: _Optional[bool] = ..., records: _Optional[int] = ..., first_bad_seq: _Optional[int] = ..., problems: _Optional[_Iterable[str]] = ..., signed_size: _Optional[int] = ..., unsigned_records: _Optional[int] = ..., checkpoints_checked: _Optional[int] = ..., latest: _Optional[_Union[SignedCheckpoint, _Mapping]] = ..., pruned_records: _Optional[int] = ..., pruned: _Optional[_Iterable[_Union[PrunedRange, _Mapping]]] = ...) -> None: ...

class PrunedRange(_message.Message):
    __slots__ = ("first", "last")
    FIRST_FIELD_NUMBER: _ClassVar[int]
    LAST_FIELD_NUMBER: _ClassVar[int]
    first: int
    last: int
    def __init__(self, first: _Optional[int] = ..., last: _Optional[int] = ...) -> None: ...

class SubjectAccessReportRequest(_message.Message):
    __slots__ = ("subject_pseudonym",)
    SUBJECT_PSEUDONYM_FIELD_NUMBER: _ClassVar[int]
    subject_pseudonym: str
    def __init__(self, subject_pseudonym: _Optional[str] = ...) -> None: ...

class SubjectItem(_message.Message):
    __slots__ = ("item_id", "case_id", "provider", "category", "legal_basis", "retracted", "provided_at")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    RETRACTED_FIELD_NUMBER: _ClassVar[int]
    PROVIDED_AT_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    case_id: str
    provider: str
    category: str
    legal_basis: LegalBasis
    retracted: bool
    provided_at: _timestamp_pb2.Timestamp
    def __init__(self, item_id: _Optional[str] = ..., case_id: _Optional[str] = ..., provider: _Optional[str] = ..., category: _Optional[str] = ..., legal_basis: _Optional[_Union[LegalBasis, str]] = ..., retracted: _Optional[bool] = ..., provided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ConsentRecord(_message.Message):
    __slots__ = ("consent_id", "kind", "case_id", "item_id", "given_by", "scope_categories", "recipient", "document_ref", "recorded_by_party", "recorded_by_person", "recorded_at", "withdrawn_at", "withdrawn_by_party", "withdrawn_by_person", "withdrawal_document_ref")
    CONSENT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    GIVEN_BY_FIELD_NUMBER: _ClassVar[int]
    SCOPE_CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_REF_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_PARTY_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_PERSON_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWN_AT_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWN_BY_PARTY_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWN_BY_PERSON_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWAL_DOCUMENT_REF_FIELD_NUMBER: _ClassVar[int]
    consent_id: str
    kind: str
    case_id: str
    item_id: str
    given_by: str
    scope_categories: _containers.RepeatedScalarFieldContainer[str]
    recipient: str
    document_ref: str
    recorded_by_party: str
    recorded_by_person: str
    recorded_at: _timestamp_pb2.Timestamp
    withdrawn_at: _timestamp_pb2.Timestamp
    withdrawn_by_party: str
    withdrawn_by_person: str
    withdrawal_document_ref: str
    def __init__(self, consent_id: _Optional[str] = ..., kind: _Optional[str] = ..., case_id: _Optional[str] = ..., item_id: _Optional[str] = ..., given_by: _Optional[str] = ..., scope_categories: _Optional[_Iterable[str]] = ..., recipient: _Optional[str] = ..., document_ref: _Optional[str] = ..., recorded_by_party: _Optional[str] = ..., recorded_by_person: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., withdrawn_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., withdrawn_by_party: _Optional[str] = ..., withdrawn_by_person: _Optional[str] = ..., withdrawal_document_ref: _Optional[str] = ...) -> None: ...

class SubjectAccessReportResponse(_message.Message):
    __slots__ = ("subject_pseudonym", "items", "consents", "accesses", "requests")
    SUBJECT_PSEUDONYM_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    CONSENTS_FIELD_NUMBER: _ClassVar[int]
    ACCESSES_FIELD_NUMBER: _ClassVar[int]
    REQUESTS_FIELD_NUMBER: _ClassVar[int]
    subject_pseudonym: str
    items: _containers.RepeatedCompositeFieldContainer[SubjectItem]
    consents: _containers.RepeatedCompositeFieldContainer[ConsentRecord]
    accesses: _containers.RepeatedCompositeFieldContainer[AccessLogEntry]
    requests: _containers.RepeatedCompositeFieldContainer[SubjectRequestRecord]
    def __init__(self, subject_pseudonym: _Optional[str] = ..., items: _Optional[_Iterable[_Union[SubjectItem, _Mapping]]] = ..., consents: _Optional[_Iterable[_Union[ConsentRecord, _Mapping]]] = ..., accesses: _Optional[_Iterable[_Union[AccessLogEntry, _Mapping]]] = ..., requests: _Optional[_Iterable[_Union[SubjectRequestRecord, _Mapping]]] = ...) -> None: ...

class SubjectRequestRecord(_message.Message):
    __slots__ = ("subject_request_id", "kind", "subject_pseudonym", "case_id", "item_id", "document_ref", "outcome", "refusal_ground", "reason", "submitted_at", "decided_at", "controller", "due_at", "overdue")
    SUBJECT_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_PSEUDONYM_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_REF_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    REFUSAL_GROUND_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    CONTROLLER_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    subject_request_id: str
    kind: SubjectRequestKind
    subject_pseudonym: str
    case_id: str
    item_id: str
    document_ref: str
    outcome: SubjectRequestOutcome
    refusal_ground: RefusalGround
    reason: str
    submitted_at: _timestamp_pb2.Timestamp
    decided_at: _timestamp_pb2.Timestamp
    controller: str
    due_at: _timestamp_pb2.Timestamp
    overdue: bool
    def __init__(self, subject_request_id: _Optional[str] = ..., kind: _Optional[_Union[SubjectRequestKind, str]] = ..., subject_pseudonym: _Optional[str] = ..., case_id: _Optional[str] = ..., item_id: _Optional[str] = ..., document_ref: _Optional[str] = ..., outcome: _Optional[_Union[SubjectRequestOutcome, str]] = ..., refusal_ground: _Optional[_Union[RefusalGround, str]] = ..., reason: _Optional[str] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., controller: _Optional[str] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., overdue: _Optional[bool] = ...) -> None: ...

class SubmitSubjectRequestRequest(_message.Message):
    __slots__ = ("request_id", "kind", "subject_pseudonym", "case_id", "item_id", "document_ref", "controller")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_PSEUDONYM_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_REF_FIELD_NUMBER: _ClassVar[int]
    CONTROLLER_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    kind: SubjectRequestKind
    subject_pseudonym: str
    case_id: str
    item_id: str
    document_ref: str
    controller: str
    def __init__(self, request_id: _Optional[str] = ..., kind: _Optional[_Union[SubjectRequestKind, str]] = ..., subject_pseudonym: _Optional[str] = ..., case_id: _Optional[str] = ..., item_id: _Optional[str] = ..., document_ref: _Optional[str] = ..., controller: _Optional[str] = ...) -> None: ...

class SubmitSubjectRequestResponse(_message.Message):
    __slots__ = ("subject_request_id",)
    SUBJECT_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    subject_request_id: str
    def __init__(self, subject_request_id: _Optional[str] = ...) -> None: ...

class DecideSubjectRequestRequest(_message.Message):
    __slots__ = ("request_id", "subject_request_id", "outcome", "refusal_ground", "reason")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    REFUSAL_GROUND_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    subject_request_id: str
    outcome: SubjectRequestOutcome
    refusal_ground: RefusalGround
    reason: str
    def __init__(self, request_id: _Optional[str] = ..., subject_request_id: _Optional[str] = ..., outcome: _Optional[_Union[SubjectRequestOutcome, str]] = ..., refusal_ground: _Optional[_Union[RefusalGround, str]] = ..., reason: _Optional[str] = ...) -> None: ...

class DecideSubjectRequestResponse(_message.Message):
    __slots__ = ("request",)
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: SubjectRequestRecord
    def __init__(self, request: _Optional[_Union[SubjectRequestRecord, _Mapping]] = ...) -> None: ...

class ListSubjectRequestsRequest(_message.Message):
    __slots__ = ("subject_pseudonym", "page_size", "page_token", "kind", "overdue_only")
    SUBJECT_PSEUDONYM_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_ONLY_FIELD_NUMBER: _ClassVar[int]
    subject_pseudonym: str
    page_size: int
    page_token: str
    kind: SubjectRequestKind
    overdue_only: bool
    def __init__(self, subject_pseudonym: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., kind: _Optional[_Union[SubjectRequestKind, str]] = ..., overdue_only: _Optional[bool] = ...) -> None: ...

class ListSubjectRequestsResponse(_message.Message):
    __slots__ = ("requests", "next_page_token")
    REQUESTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    requests: _containers.RepeatedCompositeFieldContainer[SubjectRequestRecord]
    next_page_token: str
    def __init__(self, requests: _Optional[_Iterable[_Union[SubjectRequestRecord, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ProcessingActivity(_message.Message):
    __slots__ = ("id", "version", "name", "controller", "purpose", "subject_categories", "data_categories", "recipients", "legal_basis", "transfers_outside_eea", "retention", "maintainers", "retired_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CONTROLLER_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    DATA_CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    RECIPIENTS_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    TRANSFERS_OUTSIDE_EEA_FIELD_NUMBER: _ClassVar[int]
    RETENTION_FIELD_NUMBER: _ClassVar[int]
    MAINTAINERS_FIELD_NUMBER: _ClassVar[int]
    RETIRED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    version: str
    name: str
    controller: str
    purpose: str
    subject_categories: _containers.RepeatedScalarFieldContainer[str]
    data_categories: _containers.RepeatedScalarFieldContainer[str]
    recipients: _containers.RepeatedScalarFieldContainer[str]
    legal_basis: str
    transfers_outside_eea: str
    retention: str
    maintainers: _containers.RepeatedScalarFieldContainer[str]
    retired_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., version: _Optional[str] = ..., name: _Optional[str] = ..., controller: _Optional[str] = ..., purpose: _Optional[str] = ..., subject_categories: _Optional[_Iterable[str]] = ..., data_categories: _Optional[_Iterable[str]] = ..., recipients: _Optional[_Iterable[str]] = ..., legal_basis: _Optional[str] = ..., transfers_outside_eea: _Optional[str] = ..., retention: _Optional[str] = ..., maintainers: _Optional[_Iterable[str]] = ..., retired_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SubjectDataReportRequest(_message.Message):
    __slots__ = ("case_id", "subject_pseudonym")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_PSEUDONYM_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    subject_pseudonym: str
    def __init__(self, case_id: _Optional[str] = ..., subject_pseudonym: _Optional[str] = ...) -> None: ...

class SubjectDataReportResponse(_message.Message):
    __slots__ = ("services", "assembled_at")
    SERVICES_FIELD_NUMBER: _ClassVar[int]
    ASSEMBLED_AT_FIELD_NUMBER: _ClassVar[int]
    services: _containers.RepeatedCompositeFieldContainer[_subjectdata_pb2.ServiceSection]
    assembled_at: _timestamp_pb2.Timestamp
    def __init__(self, services: _Optional[_Iterable[_Union[_subjectdata_pb2.ServiceSection, _Mapping]]] = ..., assembled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AddProcessingActivityRequest(_message.Message):
    __slots__ = ("request_id", "activity", "reason")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    activity: ProcessingActivity
    reason: str
    def __init__(self, request_id: _Optional[str] = ..., activity: _Optional[_Union[ProcessingActivity, _Mapping]] = ..., reason: _Optional[str] = ...) -> None: ...

class AddProcessingActivityResponse(_message.Message):
    __slots__ = ("activity",)
    ACTIVITY_FIELD_NUMBER: _ClassVar[int]
    activity: ProcessingActivity
    def __init__(self, activity: _Optional[_Union[ProcessingActivity, _Mapping]] = ...) -> None: ...

class ChangeProcessingActivityRequest(_message.Message):
    __slots__ = ("request_id", "activity", "expected_version", "reason")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    activity: ProcessingActivity
    expected_version: str
    reason: str
    def __init__(self, request_id: _Optional[str] = ..., activity: _Optional[_Union[ProcessingActivity, _Mapping]] = ..., expected_version: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ChangeProcessingActivityResponse(_message.Message):
    __slots__ = ("activity",)
    ACTIVITY_FIELD_NUMBER: _ClassVar[int]
    activity: ProcessingActivity
    def __init__(self, activity: _Optional[_Union[ProcessingActivity, _Mapping]] = ...) -> None: ...

class RetireProcessingActivityRequest(_message.Message):
    __slots__ = ("request_id", "activity_id", "reason")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    activity_id: str
    reason: str
    def __init__(self, request_id: _Optional[str] = ..., activity_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class RetireProcessingActivityResponse(_message.Message):
    __slots__ = ("activity",)
    ACTIVITY_FIELD_NUMBER: _ClassVar[int]
    activity: ProcessingActivity
    def __init__(self, activity: _Optional[_Union[ProcessingActivity, _Mapping]] = ...) -> None: ...

class ListProcessingActivityHistoryRequest(_message.Message):
    __slots__ = ("activity_id", "page_size", "page_token")
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    activity_id: str
    page_size: int
    page_token: str
    def __init__(self, activity_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ProcessingActivityChange(_message.Message):
    __slots__ = ("change_id", "activity_id", "version", "change", "changed_fields", "party", "person", "changed_at", "reason", "activity")
    CHANGE_ID_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    PERSON_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_FIELD_NUMBER: _ClassVar[int]
    change_id: str
    activity_id: str
    version: str
    change: str
    changed_fields: _containers.RepeatedScalarFieldContainer[str]
    party: str
    person: str
    changed_at: _timestamp_pb2.Timestamp
    reason: str
    activity: ProcessingActivity
    def __init__(self, change_id: _Optional[str] = ..., activity_id: _Optional[str] = ..., version: _Optional[str] = ..., change: _Optional[str] = ..., changed_fields: _Optional[_Iterable[str]] = ..., party: _Optional[str] = ..., person: _Optional[str] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reason: _Optional[str] = ..., activity: _Optional[_Union[ProcessingActivity, _Mapping]] = ...) -> None: ...

class ListProcessingActivityHistoryResponse(_message.Message):
    __slots__ = ("changes", "next_page_token")
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    changes: _containers.RepeatedCompositeFieldContainer[ProcessingActivityChange]
    next_page_token: str
    def __init__(self, changes: _Optional[_Iterable[_Union[ProcessingActivityChange, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListProcessingActivitiesRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListProcessingActivitiesResponse(_message.Message):
    __slots__ = ("activities", "next_page_token")
    ACTIVITIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    activities: _containers.RepeatedCompositeFieldContainer[ProcessingActivity]
    next_page_token: str
    def __init__(self, activities: _Optional[_Iterable[_Union[ProcessingActivity, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class Breach(_message.Message):
    __slots__ = ("breach_id", "detected_at", "recorded_at", "recorded_by_party", "nature", "data_categories", "subjects_affected", "case_ids", "consequences", "measures", "reported_to_authority", "reported_at", "subjects_informed")
    BREACH_ID_FIELD_NUMBER: _ClassVar[int]
    DETECTED_AT_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_PARTY_FIELD_NUMBER: _ClassVar[int]
    NATURE_FIELD_NUMBER: _ClassVar[int]
    DATA_CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    SUBJECTS_AFFECTED_FIELD_NUMBER: _ClassVar[int]
    CASE_IDS_FIELD_NUMBER: _ClassVar[int]
    CONSEQUENCES_FIELD_NUMBER: _ClassVar[int]
    MEASURES_FIELD_NUMBER: _ClassVar[int]
    REPORTED_TO_AUTHORITY_FIELD_NUMBER: _ClassVar[int]
    REPORTED_AT_FIELD_NUMBER: _ClassVar[int]
    SUBJECTS_INFORMED_FIELD_NUMBER: _ClassVar[int]
    breach_id: str
    detected_at: _timestamp_pb2.Timestamp
    recorded_at: _timestamp_pb2.Timestamp
    recorded_by_party: str
    nature: str
    data_categories: _containers.RepeatedScalarFieldContainer[str]
    subjects_affected: int
    case_ids: _containers.RepeatedScalarFieldContainer[str]
    consequences: str
    measures: str
    reported_to_authority: bool
    reported_at: _timestamp_pb2.Timestamp
    subjects_informed: bool
    def __init__(self, breach_id: _Optional[str] = ..., detected_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., recorded_by_party: _Optional[str] = ..., nature: _Optional[str] = ..., data_categories: _Optional[_Iterable[str]] = ..., subjects_affected: _Optional[int] = ..., case_ids: _Optional[_Iterable[str]] = ..., consequences: _Optional[str] = ..., measures: _Optional[str] = ..., reported_to_authority: _Optional[bool] = ..., reported_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., subjects_informed: _Optional[bool] = ...) -> None: ...

class RecordBreachRequest(_message.Message):
    __slots__ = ("request_id", "breach")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    BREACH_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    breach: Breach
    def __init__(self, request_id: _Optional[str] = ..., breach: _Optional[_Union[Breach, _Mapping]] = ...) -> None: ...

class RecordBreachResponse(_message.Message):
    __slots__ = ("breach_id",)
    BREACH_ID_FIELD_NUMBER: _ClassVar[int]
    breach_id: str
    def __init__(self, breach_id: _Optional[str] = ...) -> None: ...

class ListBreachesRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListBreachesResponse(_message.Message):
    __slots__ = ("breaches", "next_page_token")
    BREACHES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    breaches: _containers.RepeatedCompositeFieldContainer[Breach]
    next_page_token: str
    def __init__(self, breaches: _Optional[_Iterable[_Union[Breach, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ExportRegisterRequest(_message.Message):
    __slots__ = ("register",)
    REGISTER_FIELD_NUMBER: _ClassVar[int]
    register: Register
    def __init__(self, register: _Optional[_Union[Register, str]] = ...) -> None: ...

class ExportRegisterResponse(_message.Message):
    __slots__ = ("media_type", "document")
    MEDIA_TYPE_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    media_type: str
    document: bytes
    def __init__(self, media_type: _Optional[str] = ..., document: _Optional[bytes] = ...) -> None: ...

class OverrideNotice(_message.Message):
    __slots__ = ("decision_id", "item_id", "case_id", "provider", "party", "person", "overridden_at", "client_informed_status", "client_to_be_informed_by", "client_informed_at", "overdue")
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    PERSON_FIELD_NUMBER: _ClassVar[int]
    OVERRIDDEN_AT_FIELD_NUMBER: _ClassVar[int]
    CLIENT_INFORMED_STATUS_FIELD_NUMBER: _ClassVar[int]
    CLIENT_TO_BE_INFORMED_BY_FIELD_NUMBER: _ClassVar[int]
    CLIENT_INFORMED_AT_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    decision_id: str
    item_id: str
    case_id: str
    provider: str
    party: str
    person: str
    overridden_at: _timestamp_pb2.Timestamp
    client_informed_status: ClientInformedStatus
    client_to_be_informed_by: str
    client_informed_at: _timestamp_pb2.Timestamp
    overdue: bool
    def __init__(self, decision_id: _Optional[str] = ..., item_id: _Optional[str] = ..., case_id: _Optional[str] = ..., provider: _Optional[str] = ..., party: _Optional[str] = ..., person: _Optional[str] = ..., overridden_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., client_informed_status: _Optional[_Union[ClientInformedStatus, str]] = ..., client_to_be_informed_by: _Optional[str] = ..., client_informed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., overdue: _Optional[bool] = ...) -> None: ...

class ListOverrideNoticesRequest(_message.Message):
    __slots__ = ("provider", "page_size", "page_token")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    provider: str
    page_size: int
    page_token: str
    def __init__(self, provider: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListOverrideNoticesResponse(_message.Message):
    __slots__ = ("notices", "next_page_token")
    NOTICES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    notices: _containers.RepeatedCompositeFieldContainer[OverrideNotice]
    next_page_token: str
    def __init__(self, notices: _Optional[_Iterable[_Union[OverrideNotice, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListInformingTasksRequest(_message.Message):
    __slots__ = ("party", "page_size", "page_token")
    PARTY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    party: str
    page_size: int
    page_token: str
    def __init__(self, party: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListInformingTasksResponse(_message.Message):
    __slots__ = ("tasks", "next_page_token")
    TASKS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tasks: _containers.RepeatedCompositeFieldContainer[OverrideNotice]
    next_page_token: str
    def __init__(self, tasks: _Optional[_Iterable[_Union[OverrideNotice, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class RecordClientInformedRequest(_message.Message):
    __slots__ = ("request_id", "decision_id", "how", "informed_at")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    HOW_FIELD_NUMBER: _ClassVar[int]
    INFORMED_AT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    decision_id: str
    how: str
    informed_at: _timestamp_pb2.Timestamp
    def __init__(self, request_id: _Optional[str] = ..., decision_id: _Optional[str] = ..., how: _Optional[str] = ..., informed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RecordClientInformedResponse(_message.Message):
    __slots__ = ("notices",)
    NOTICES_FIELD_NUMBER: _ClassVar[int]
    notices: _containers.RepeatedCompositeFieldContainer[OverrideNotice]
    def __init__(self, notices: _Optional[_Iterable[_Union[OverrideNotice, _Mapping]]] = ...) -> None: ...

class CorrectionNotice(_message.Message):
    __slots__ = ("subject_request_id", "item_id", "case_id", "provider", "decided_at", "superseded_by")
    SUBJECT_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    SUPERSEDED_BY_FIELD_NUMBER: _ClassVar[int]
    subject_request_id: str
    item_id: str
    case_id: str
    provider: str
    decided_at: _timestamp_pb2.Timestamp
    superseded_by: str
    def __init__(self, subject_request_id: _Optional[str] = ..., item_id: _Optional[str] = ..., case_id: _Optional[str] = ..., provider: _Optional[str] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., superseded_by: _Optional[str] = ...) -> None: ...

class ListCorrectionNoticesRequest(_message.Message):
    __slots__ = ("provider", "page_size", "page_token")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    provider: str
    page_size: int
    page_token: str
    def __init__(self, provider: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListCorrectionNoticesResponse(_message.Message):
    __slots__ = ("notices", "next_page_token")
    NOTICES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    notices: _containers.RepeatedCompositeFieldContainer[CorrectionNotice]
    next_page_token: str
    def __init__(self, notices: _Optional[_Iterable[_Union[CorrectionNotice, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

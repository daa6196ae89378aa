import datetime

from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CaseState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CASE_STATE_UNSPECIFIED: _ClassVar[CaseState]
    CASE_STATE_OPEN: _ClassVar[CaseState]
    CASE_STATE_MEETING_PLANNED: _ClassVar[CaseState]
    CASE_STATE_PLAN_ACTIVE: _ClassVar[CaseState]
    CASE_STATE_DEESCALATING: _ClassVar[CaseState]
    CASE_STATE_CLOSED: _ClassVar[CaseState]
    CASE_STATE_PURGED: _ClassVar[CaseState]

class MeetingStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MEETING_STATUS_UNSPECIFIED: _ClassVar[MeetingStatus]
    MEETING_STATUS_SCHEDULED: _ClassVar[MeetingStatus]
    MEETING_STATUS_HELD: _ClassVar[MeetingStatus]

class ActionStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ACTION_STATUS_UNSPECIFIED: _ClassVar[ActionStatus]
    ACTION_STATUS_OPEN: _ClassVar[ActionStatus]
    ACTION_STATUS_IN_PROGRESS: _ClassVar[ActionStatus]
    ACTION_STATUS_DONE: _ClassVar[ActionStatus]
    ACTION_STATUS_CANCELLED: _ClassVar[ActionStatus]

class Zvh(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ZVH_UNSPECIFIED: _ClassVar[Zvh]
    ZVH_BRABANT_ZUIDOOST: _ClassVar[Zvh]
    ZVH_BRABANT_NOORDOOST: _ClassVar[Zvh]

class EscalationReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ESCALATION_REASON_UNSPECIFIED: _ClassVar[EscalationReason]
    ESCALATION_REASON_BREAKTHROUGH_NEEDED: _ClassVar[EscalationReason]
    ESCALATION_REASON_CARE_AND_SAFETY_EDGE: _ClassVar[EscalationReason]
CASE_STATE_UNSPECIFIED: CaseState
CASE_STATE_OPEN: CaseState
CASE_STATE_MEETING_PLANNED: CaseState
CASE_STATE_PLAN_ACTIVE: CaseState
CASE_STATE_DEESCALATING: CaseState
CASE_STATE_CLOSED: CaseState
CASE_STATE_PURGED: CaseState
MEETING_STATUS_UNSPECIFIED: MeetingStatus
MEETING_STATUS_SCHEDULED: MeetingStatus
MEETING_STATUS_HELD: MeetingStatus
ACTION_STATUS_UNSPECIFIED: ActionStatus
ACTION_STATUS_OPEN: ActionStatus
ACTION_STATUS_IN_PROGRESS: ActionStatus
ACTION_STATUS_DONE: ActionStatus
ACTION_STATUS_CANCELLED: ActionStatus
ZVH_UNSPECIFIED: Zvh
ZVH_BRABANT_ZUIDOOST: Zvh
ZVH_BRABANT_NOORDOOST: Zvh
ESCALATION_REASON_UNSPECIFIED: EscalationReason
ESCALATION_REASON_BREAKTHROUGH_NEEDED: EscalationReason
ESCALATION_REASON_CARE_AND_SAFETY_EDGE: EscalationReason

class Meeting(_message.Message):
    __slots__ = ("meeting_id", "status", "scheduled_for", "goal_code", "decision_types", "themes", "invitees", "pre_read_item_ids", "attendees", "held_at")
    MEETING_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_FOR_FIELD_NUMBER: _ClassVar[int]
    GOAL_CODE_FIELD_NUMBER: _ClassVar[int]
    DECISION_TYPES_FIELD_NUMBER: _ClassVar[int]
    THEMES_FIELD_NUMBER: _ClassVar[int]
    INVITEES_FIELD_NUMBER: _ClassVar[int]
    PRE_READ_ITEM_IDS_FIELD_NUMBER: _ClassVar[int]
    ATTENDEES_FIELD_NUMBER: _ClassVar[int]
    HELD_AT_FIELD_NUMBER: _ClassVar[int]
    meeting_id: str
    status: MeetingStatus
    scheduled_for: _timestamp_pb2.Timestamp
    goal_code: str
    decision_types: _containers.RepeatedScalarFieldContainer[str]
    themes: _containers.RepeatedScalarFieldContainer[str]
    invitees: _containers.RepeatedScalarFieldContainer[str]
    pre_read_item_ids: _containers.RepeatedScalarFieldContainer[str]
    attendees: _containers.RepeatedScalarFieldContainer[str]
    held_at: _timestamp_pb2.Timestamp
    def __init__(self, meeting_id: _Optional[str] = ..., status: _Optional[_Union[MeetingStatus, str]] = ..., scheduled_for: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., goal_code: _Optional[str] = ..., decision_types: _Optional[_Iterable[str]] = ..., themes: _Optional[_Iterable[str]] = ..., invitees: _Optional[_Iterable[str]] = ..., pre_read_item_ids: _Optional[_Iterable[str]] = ..., attendees: _Optional[_Iterable[str]] = ..., held_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PlanAction(_message.Message):
    __slots__ = ("action_id", "party", "what", "due_date", "status", "progress_note", "updated_at", "overdue")
    ACTION_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    WHAT_FIELD_NUMBER: _ClassVar[int]
    DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_NOTE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    action_id: str
    party: str
    what: str
    due_date: str
    status: ActionStatus
    progress_note: str
    updated_at: _timestamp_pb2.Timestamp
    overdue: bool
    def __init__(self, action_id: _Optional[str] = ..., party: _Optional[str] = ..., what: _Optional[str] = ..., due_date: _Optional[str] = ..., status: _Optional[_Union[ActionStatus, str]] = ..., progress_note: _Optional[str] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., overdue: _Optional[bool] = ...) -> None: ...

class PartyRole(_message.Message):
    __slots__ = ("party", "role", "information_need")
    PARTY_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    INFORMATION_NEED_FIELD_NUMBER: _ClassVar[int]
    party: str
    role: str
    information_need: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, party: _Optional[str] = ..., role: _Optional[str] = ..., information_need: _Optional[_Iterable[str]] = ...) -> None: ...

class DeescalationCriterion(_message.Message):
    __slots__ = ("code", "met")
    CODE_FIELD_NUMBER: _ClassVar[int]
    MET_FIELD_NUMBER: _ClassVar[int]
    code: str
    met: bool
    def __init__(self, code: _Optional[str] = ..., met: _Optional[bool] = ...) -> None: ...

class Escalation(_message.Message):
    __slots__ = ("zvh", "reason", "escalated_at")
    ZVH_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ESCALATED_AT_FIELD_NUMBER: _ClassVar[int]
    zvh: Zvh
    reason: EscalationReason
    escalated_at: _timestamp_pb2.Timestamp
    def __init__(self, zvh: _Optional[_Union[Zvh, str]] = ..., reason: _Optional[_Union[EscalationReason, str]] = ..., escalated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Case(_message.Message):
    __slots__ = ("case_id", "state", "process_director_party", "nominating_party", "subject_pseudonym", "age_band", "case_director_party", "case_director_person", "meetings", "roles", "plan_version", "actions", "criteria", "escalation", "opened_at", "closed_at", "outcome", "withheld_sections", "process_director_person", "delegates")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    PROCESS_DIRECTOR_PARTY_FIELD_NUMBER: _ClassVar[int]
    NOMINATING_PARTY_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_PSEUDONYM_FIELD_NUMBER: _ClassVar[int]
    AGE_BAND_FIELD_NUMBER: _ClassVar[int]
    CASE_DIRECTOR_PARTY_FIELD_NUMBER: _ClassVar[int]
    CASE_DIRECTOR_PERSON_FIELD_NUMBER: _ClassVar[int]
    MEETINGS_FIELD_NUMBER: _ClassVar[int]
    ROLES_FIELD_NUMBER: _ClassVar[int]
    PLAN_VERSION_FIELD_NUMBER: _ClassVar[int]
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    CRITERIA_FIELD_NUMBER: _ClassVar[int]
    ESCALATION_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    WITHHELD_SECTIONS_FIELD_NUMBER: _ClassVar[int]
    PROCESS_DIRECTOR_PERSON_FIELD_NUMBER: _ClassVar[int]
    DELEGATES_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    state: CaseState
    process_director_party: str
    nominating_party: str
    subject_pseudonym: str
    age_band: str
    case_director_party: str
    case_director_person: str
    meetings: _containers.RepeatedCompositeFieldContainer[Meeting]
    roles: _containers.RepeatedCompositeFieldContainer[PartyRole]
    plan_version: int
    actions: _containers.RepeatedCompositeFieldContainer[PlanAction]
    criteria: _containers.RepeatedCompositeFieldContainer[DeescalationCriterion]
    escalation: Escalation
    opened_at: _timestamp_pb2.Timestamp
    closed_at: _timestamp_pb2.Timestamp
    outcome: str
    withheld_sections: _containers.RepeatedScalarFieldContainer[str]
    process_director_person: str
    delegates: _containers.RepeatedCompositeFieldContainer[Delegate]
    def __init__(self, case_id: _Optional[str] = ..., state: _Optional[_Union[CaseState, str]] = ..., process_director_party: _Optional[str] = ..., nominating_party: _Optional[str] = ..., subject_pseudonym: _Optional[str] = ..., age_band: _Optional[str] = ..., case_director_party: _Optional[str] = ..., case_director_person: _Optional[str] = ..., meetings: _Optional[_Iterable[_Union[Meeting, _Mapping]]] = ..., roles: _Optional[_Iterable[_Union[PartyRole, _Mapping]]] = ..., plan_version: _Optional[int] = ..., actions: _Optional[_Iterable[_Union[PlanAction, _Mapping]]] = ..., criteria: _Optional[_Iterable[_Union[DeescalationCriterion, _Mapping]]] = ..., escalation: _Optional[_Union[Escalation, _Mapping]] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., closed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., outcome: _Optional[str] = ..., withheld_sections: _Optional[_Iterable[str]] = ..., process_director_person: _Optional[str] = ..., delegates: _Optional[_Iterable[_Union[Delegate, _Mapping]]] = ...) -> None: ...

class Delegate(_message.Message):
    __slots__ = ("party", "person")
    PARTY_FIELD_NUMBER: _ClassVar[int]
    PERSON_FIELD_NUMBER: _ClassVar[int]
    party: str
    person: str
    def __init__(self, party: _Optional[str] = ..., person: _Optional[str] = ...) -> None: ...

class GetCaseRequest(_message.Message):
    __slots__ = ("case_id",)
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    def __init__(self, case_id: _Optional[str] = ...) -> None: ...

class GetCaseResponse(_message.Message):
    __slots__ = ("case",)
    CASE_FIELD_NUMBER: _ClassVar[int]
    case: Case
    def __init__(self, case: _Optional[_Union[Case, _Mapping]] = ...) -> None: ...

class Invitee(_message.Message):
    __slots__ = ("party", "lawful_themes")
    PARTY_FIELD_NUMBER: _ClassVar[int]
    LAWFUL_THEMES_FIELD_NUMBER: _ClassVar[int]
    party: str
    lawful_themes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, party: _Optional[str] = ..., lawful_themes: _Optional[_Iterable[str]] = ...) -> None: ...

class ScheduleMeetingRequest(_message.Message):
    __slots__ = ("request_id", "case_id", "scheduled_for", "goal_code", "decision_types", "themes", "invitees", "pre_read_item_ids")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_FOR_FIELD_NUMBER: _ClassVar[int]
    GOAL_CODE_FIELD_NUMBER: _ClassVar[int]
    DECISION_TYPES_FIELD_NUMBER: _ClassVar[int]
    THEMES_FIELD_NUMBER: _ClassVar[int]
    INVITEES_FIELD_NUMBER: _ClassVar[int]
    PRE_READ_ITEM_IDS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    case_id: str
    scheduled_for: _timestamp_pb2.Timestamp
    goal_code: str
    decision_types: _containers.RepeatedScalarFieldContainer[str]
    themes: _containers.RepeatedScalarFieldContainer[str]
    invitees: _containers.RepeatedCompositeFieldContainer[Invitee]
    pre_read_item_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, request_id: _Optional[str] = ..., case_id: _Optional[str] = ..., scheduled_for: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., goal_code: _Optional[str] = ..., decision_types: _Optional[_Iterable[str]] = ..., themes: _Optional[_Iterable[str]] = ..., invitees: _Optional[_Iterable[_Union[Invitee, _Mapping]]] = ..., pre_read_item_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class ScheduleMeetingResponse(_message.Message):
    __slots__ = ("meeting",)
    MEETING_FIELD_NUMBER: _ClassVar[int]
    meeting: Meeting
    def __init__(self, meeting: _Optional[_Union[Meeting, _Mapping]] = ...) -> None: ...

class GetPreReadSetRequest(_message.Message):
    __slots__ = ("case_id", "meeting_id", "purpose")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    MEETING_ID_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    meeting_id: str
    purpose: str
    def __init__(self, case_id: _Optional[str] = ..., meeting_id: _Optional[str] = ..., purpose: _Optional[str] = ...) -> None: ...

class PreReadItem(_message.Message):
    __slots__ = ("item_id", "category", "provider", "content_type", "content", "redacted_fields", "decision_id")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    REDACTED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    category: str
    provider: str
    content_type: str
    content: bytes
    redacted_fields: _containers.RepeatedScalarFieldContainer[str]
    decision_id: str
    def __init__(self, item_id: _Optional[str] = ..., category: _Optional[str] = ..., provider: _Optional[str] = ..., content_type: _Optional[str] = ..., content: _Optional[bytes] = ..., redacted_fields: _Optional[_Iterable[str]] = ..., decision_id: _Optional[str] = ...) -> None: ...

class WithheldItem(_message.Message):
    __slots__ = ("item_id", "decision_id", "reasons")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    decision_id: str
    reasons: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, item_id: _Optional[str] = ..., decision_id: _Optional[str] = ..., reasons: _Optional[_Iterable[str]] = ...) -> None: ...

class GetPreReadSetResponse(_message.Message):
    __slots__ = ("items", "withheld")
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    WITHHELD_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[PreReadItem]
    withheld: _containers.RepeatedCompositeFieldContainer[WithheldItem]
    def __init__(self, items: _Optional[_Iterable[_Union[PreReadItem, _Mapping]]] = ..., withheld: _Optional[_Iterable[_Union[WithheldItem, _Mapping]]] = ...) -> None: ...

class RecordMeetingRequest(_message.Message):
    __slots__ = ("request_id", "case_id", "meeting_id", "attendees", "minutes")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    MEETING_ID_FIELD_NUMBER: _ClassVar[int]
    ATTENDEES_FIELD_NUMBER: _ClassVar[int]
    MINUTES_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    case_id: str
    meeting_id: str
    attendees: _containers.RepeatedScalarFieldContainer[str]
    minutes: str
    def __init__(self, request_id: _Optional[str] = ..., case_id: _Optional[str] = ..., meeting_id: _Optional[str] = ..., attendees: _Optional[_Iterable[str]] = ..., minutes: _Optional[str] = ...) -> None: ...

class RecordMeetingResponse(_message.Message):
    __slots__ = ("meeting",)
    MEETING_FIELD_NUMBER: _ClassVar[int]
    meeting: Meeting
    def __init__(self, meeting: _Optional[_Union[Meeting, _Mapping]] = ...) -> None: ...

class GetMinutesRequest(_message.Message):
    __slots__ = ("case_id", "meeting_id")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    MEETING_ID_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    meeting_id: str
    def __init__(self, case_id: _Optional[str] = ..., meeting_id: _Optional[str] = ...) -> None: ...

class GetMinutesResponse(_message.Message):
    __slots__ = ("meeting_id", "minutes")
    MEETING_ID_FIELD_NUMBER: _ClassVar[int]
    MINUTES_FIELD_NUMBER: _ClassVar[int]
    meeting_id: str
    minutes: str
    def __init__(self, meeting_id: _Optional[str] = ..., minutes: _Optional[str] = ...) -> None: ...

class AppointDirectorRequest(_message.Message):
    __slots__ = ("request_id", "case_id", "meeting_id", "party", "person")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    MEETING_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    PERSON_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    case_id: str
    meeting_id: str
    party: str
    person: str
    def __init__(self, request_id: _Optional[str] = ..., case_id: _Optional[str] = ..., meeting_id: _Optional[str] = ..., party: _Optional[str] = ..., person: _Optional[str] = ...) -> None: ...

class AppointDirectorResponse(_message.Message):
    __slots__ = ("case_id", "party", "person")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    PERSON_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    party: str
    person: str
    def __init__(self, case_id: _Optional[str] = ..., party: _Optional[str] = ..., person: _Optional[str] = ...) -> None: ...

class NewAction(_message.Message):
    __slots__ = ("party", "what", "due_date")
    PARTY_FIELD_NUMBER: _ClassVar[int]
    WHAT_FIELD_NUMBER: _ClassVar[int]
    DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    party: str
    what: str
    due_date: str
    def __init__(self, party: _Optional[str] = ..., what: _Optional[str] = ..., due_date: _Optional[str] = ...) -> None: ...

class AdoptPlanRequest(_message.Message):
    __slots__ = ("request_id", "case_id", "meeting_id", "actions")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    MEETING_ID_FIELD_NUMBER: _ClassVar[int]
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    case_id: str
    meeting_id: str
    actions: _containers.RepeatedCompositeFieldContainer[NewAction]
    def __init__(self, request_id: _Optional[str] = ..., case_id: _Optional[str] = ..., meeting_id: _Optional[str] = ..., actions: _Optional[_Iterable[_Union[NewAction, _Mapping]]] = ...) -> None: ...

class AdoptPlanResponse(_message.Message):
    __slots__ = ("plan_version", "actions")
    PLAN_VERSION_FIELD_NUMBER: _ClassVar[int]
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    plan_version: int
    actions: _containers.RepeatedCompositeFieldContainer[PlanAction]
    def __init__(self, plan_version: _Optional[int] = ..., actions: _Optional[_Iterable[_Union[PlanAction, _Mapping]]] = ...) -> None: ...

class SetRolesRequest(_message.Message):
    __slots__ = ("request_id", "case_id", "meeting_id", "roles")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    MEETING_ID_FIELD_NUMBER: _ClassVar[int]
    ROLES_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    case_id: str
    meeting_id: str
    roles: _containers.RepeatedCompositeFieldContainer[PartyRole]
    def __init__(self, request_id: _Optional[str] = ..., case_id: _Optional[str] = ..., meeting_id: _Optional[str] = ..., roles: _Optional[_Iterable[_Union[PartyRole, _Mapping]]] = ...) -> None: ...

class SetRolesResponse(_message.Message):
    __slots__ = ("roles",)
    ROLES_FIELD_NUMBER: _ClassVar[int]
    roles: _containers.RepeatedCompositeFieldContainer[PartyRole]
    def __init__(self, roles: _Optional[_Iterable[_Union[PartyRole, _Mapping]]] = ...) -> None: ...

class SetDeescalationCriteriaRequest(_message.Message):
    __slots__ = ("request_id", "case_id", "meeting_id", "criteria")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    MEETING_ID_FIELD_NUMBER: _ClassVar[int]
    CRITERIA_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    case_id: str
    meeting_id: str
    criteria: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, request_id: _Optional[str] = ..., case_id: _Optional[str] = ..., meeting_id: _Optional[str] = ..., criteria: _Optional[_Iterable[str]] = ...) -> None: ...

class SetDeescalationCriteriaResponse(_message.Message):
    __slots__ = ("criteria",)
    CRITERIA_FIELD_NUMBER: _ClassVar[int]
    criteria: _containers.RepeatedCompositeFieldContainer[DeescalationCriterion]
    def __init__(self, criteria: _Optional[_Iterable[_Union[DeescalationCriterion, _Mapping]]] = ...) -> None: ...

class UpdateActionRequest(_message.Message):
    __slots__ = ("request_id", "case_id", "action_id", "status", "progress_note")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_NOTE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    case_id: str
    action_id: str
    status: ActionStatus
    progress_note: str
    def __init__(self, request_id: _Optional[str] = ..., case_id: _Optional[str] = ..., action_id: _Optional[str] = ..., status: _Optional[_Union[ActionStatus, str]] = ..., progress_note: _Optional[str] = ...) -> None: ...

class UpdateActionResponse(_message.Message):
    __slots__ = ("action",)
    ACTION_FIELD_NUMBER: _ClassVar[int]
    action: PlanAction
    def __init__(self, action: _Optional[_Union[PlanAction, _Mapping]] = ...) -> None: ...

class ListOverdueActionsRequest(_message.Message):
    __slots__ = ("case_id", "page_size", "page_token")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    page_size: int
    page_token: str
    def __init__(self, case_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class OverdueAction(_message.Message):
    __slots__ = ("case_id", "action_id", "party", "due_date", "status", "days_overdue", "flagged_to")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DAYS_OVERDUE_FIELD_NUMBER: _ClassVar[int]
    FLAGGED_TO_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    action_id: str
    party: str
    due_date: str
    status: ActionStatus
    days_overdue: int
    flagged_to: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, case_id: _Optional[str] = ..., action_id: _Optional[str] = ..., party: _Optional[str] = ..., due_date: _Optional[str] = ..., status: _Optional[_Union[ActionStatus, str]] = ..., days_overdue: _Optional[int] = ..., flagged_to: _Optional[_Iterable[str]] = ...) -> None: ...

class ListOverdueActionsResponse(_message.Message):
    __slots__ = ("actions", "next_page_token")
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    actions: _containers.RepeatedCompositeFieldContainer[OverdueAction]
    next_page_token: str
    def __init__(self, actions: _Optional[_Iterable[_Union[OverdueAction, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListCasesAwaitingDirectorRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class CaseAwaitingDirector(_message.Message):
    __slots__ = ("case_id", "party", "left_at")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    LEFT_AT_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    party: str
    left_at: _timestamp_pb2.Timestamp
    def __init__(self, case_id: _Optional[str] = ..., party: _Optional[str] = ..., left_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListCasesAwaitingDirectorResponse(_message.Message):
    __slots__ = ("cases", "next_page_token")
    CASES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    cases: _containers.RepeatedCompositeFieldContainer[CaseAwaitingDirector]
    next_page_token: str
    def __init__(self, cases: _Optional[_Iterable[_Union[CaseAwaitingDirector, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeescalateRequest(_message.Message):
    __slots__ = ("request_id", "case_id", "meeting_id", "criteria_met")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    MEETING_ID_FIELD_NUMBER: _ClassVar[int]
    CRITERIA_MET_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    case_id: str
    meeting_id: str
    criteria_met: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, request_id: _Optional[str] = ..., case_id: _Optional[str] = ..., meeting_id: _Optional[str] = ..., criteria_met: _Optional[_Iterable[str]] = ...) -> None: ...

class DeescalateResponse(_message.Message):
    __slots__ = ("state",)
    STATE_FIELD_NUMBER: _ClassVar[int]
    state: CaseState
    def __init__(self, state: _Optional[_Union[CaseState, str]] = ...) -> None: ...

class CloseCaseRequest(_message.Message):
    __slots__ = ("request_id", "case_id")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    case_id: str
    def __init__(self, request_id: _Optional[str] = ..., case_id: _Optional[str] = ...) -> None: ...

class CloseCaseResponse(_message.Message):
    __slots__ = ("state", "outcome", "cleansed", "kept")
    STATE_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    CLEANSED_FIELD_NUMBER: _ClassVar[int]
    KEPT_FIELD_NUMBER: _ClassVar[int]
    state: CaseState
    outcome: str
    cleansed: _containers.RepeatedScalarFieldContainer[str]
    kept: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, state: _Optional[_Union[CaseState, str]] = ..., outcome: _Optional[str] = ..., cleansed: _Optional[_Iterable[str]] = ..., kept: _Optional[_Iterable[str]] = ...) -> None: ...

class EscalateRequest(_message.Message):
    __slots__ = ("request_id", "case_id", "zvh", "reason")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    ZVH_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    case_id: str
    zvh: Zvh
    reason: EscalationReason
    def __init__(self, request_id: _Optional[str] = ..., case_id: _Optional[str] = ..., zvh: _Optional[_Union[Zvh, str]] = ..., reason: _Optional[_Union[EscalationReason, str]] = ...) -> None: ...

class EscalateResponse(_message.Message):
    __slots__ = ("escalation",)
    ESCALATION_FIELD_NUMBER: _ClassVar[int]
    escalation: Escalation
    def __init__(self, escalation: _Optional[_Union[Escalation, _Mapping]] = ...) -> None: ...

class PurgeRequest(_message.Message):
    __slots__ = ("request_id", "case_id")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    case_id: str
    def __init__(self, request_id: _Optional[str] = ..., case_id: _Optional[str] = ...) -> None: ...

class PurgeResponse(_message.Message):
    __slots__ = ("state",)
    STATE_FIELD_NUMBER: _ClassVar[int]
    state: CaseState
    def __init__(self, state: _Optional[_Union[CaseState, str]] = ...) -> None: ...

class WatchCaseRequest(_message.Message):
    __slots__ = ("case_id", "after_sequence", "follow")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    after_sequence: int
    follow: bool
    def __init__(self, case_id: _Optional[str] = ..., after_sequence: _Optional[int] = ..., follow: _Optional[bool] = ...) -> None: ...

class WatchCaseResponse(_message.Message):
    __slots__ = ("sequence", "case_id", "kind", "occurred_at", "details")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    case_id: str
    kind: str
    occurred_at: _timestamp_pb2.Timestamp
    details: _struct_pb2.Struct
    def __init__(self, sequence: _Optional[int] = ..., case_id: _Optional[str] = ..., kind: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., details: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class NameDelegateRequest(_message.Message):
    __slots__ = ("request_id", "case_id", "person", "party")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    case_id: str
    person: str
    party: str
    def __init__(self, request_id: _Optional[str] = ..., case_id: _Optional[str] = ..., person: _Optional[str] = ..., party: _Optional[str] = ...) -> None: ...

class NameDelegateResponse(_message.Message):
    __slots__ = ("case_id", "party", "person")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    PERSON_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    party: str
    person: str
    def __init__(self, case_id: _Optional[str] = ..., party: _Optional[str] = ..., person: _Optional[str] = ...) -> None: ...

class ReleaseDelegateRequest(_message.Message):
    __slots__ = ("request_id", "case_id", "person", "party")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    case_id: str
    person: str
    party: str
    def __init__(self, request_id: _Optional[str] = ..., case_id: _Optional[str] = ..., person: _Optional[str] = ..., party: _Optional[str] = ...) -> None: ...

class ReleaseDelegateResponse(_message.Message):
    __slots__ = ("case_id", "party", "person")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    PERSON_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    party: str
    person: str
    def __init__(self, case_id: _Optional[str] = ..., party: _Optional[str] = ..., person: _Optional[str] = ...) -> None: ...

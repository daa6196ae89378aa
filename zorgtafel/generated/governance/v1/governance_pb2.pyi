import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PartyKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PARTY_KIND_UNSPECIFIED: _ClassVar[PartyKind]
    PARTY_KIND_MUNICIPALITY: _ClassVar[PartyKind]
    PARTY_KIND_POLICE: _ClassVar[PartyKind]
    PARTY_KIND_MILITARY_POLICE: _ClassVar[PartyKind]
    PARTY_KIND_CARE_PROVIDER: _ClassVar[PartyKind]
    PARTY_KIND_SHELTER: _ClassVar[PartyKind]
    PARTY_KIND_COA: _ClassVar[PartyKind]
    PARTY_KIND_GGD: _ClassVar[PartyKind]
    PARTY_KIND_GGZ: _ClassVar[PartyKind]
    PARTY_KIND_VEILIG_THUIS: _ClassVar[PartyKind]
    PARTY_KIND_YOUTH_CARE: _ClassVar[PartyKind]
    PARTY_KIND_ADDICTION_CARE: _ClassVar[PartyKind]
    PARTY_KIND_PUBLIC_PROSECUTOR: _ClassVar[PartyKind]
    PARTY_KIND_OTHER: _ClassVar[PartyKind]

class PartyStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PARTY_STATUS_UNSPECIFIED: _ClassVar[PartyStatus]
    PARTY_STATUS_APPLICANT: _ClassVar[PartyStatus]
    PARTY_STATUS_ACTIVE: _ClassVar[PartyStatus]
    PARTY_STATUS_WITHDRAWN: _ClassVar[PartyStatus]
    PARTY_STATUS_EXCLUDED: _ClassVar[PartyStatus]

class Body(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BODY_UNSPECIFIED: _ClassVar[Body]
    BODY_REGIONAL_BOARD: _ClassVar[Body]
    BODY_PARTNER_COUNCIL: _ClassVar[Body]
    BODY_MANAGERS: _ClassVar[Body]

class ProposalKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROPOSAL_KIND_UNSPECIFIED: _ClassVar[ProposalKind]
    PROPOSAL_KIND_GENERAL: _ClassVar[ProposalKind]
    PROPOSAL_KIND_ACCESSION: _ClassVar[ProposalKind]
    PROPOSAL_KIND_EXCLUSION: _ClassVar[ProposalKind]
    PROPOSAL_KIND_AMENDMENT: _ClassVar[ProposalKind]
    PROPOSAL_KIND_WORK_PROCESS: _ClassVar[ProposalKind]

class ProposalStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROPOSAL_STATUS_UNSPECIFIED: _ClassVar[ProposalStatus]
    PROPOSAL_STATUS_OPEN: _ClassVar[ProposalStatus]
    PROPOSAL_STATUS_ADOPTED: _ClassVar[ProposalStatus]
    PROPOSAL_STATUS_REJECTED: _ClassVar[ProposalStatus]
    PROPOSAL_STATUS_REFERRED: _ClassVar[ProposalStatus]

class VoteChoice(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VOTE_CHOICE_UNSPECIFIED: _ClassVar[VoteChoice]
    VOTE_CHOICE_FOR: _ClassVar[VoteChoice]
    VOTE_CHOICE_AGAINST: _ClassVar[VoteChoice]
    VOTE_CHOICE_ABSTAIN: _ClassVar[VoteChoice]

class InputKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INPUT_KIND_UNSPECIFIED: _ClassVar[InputKind]
    INPUT_KIND_WRITTEN: _ClassVar[InputKind]
    INPUT_KIND_HEARD: _ClassVar[InputKind]

class AccessionStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ACCESSION_STATUS_UNSPECIFIED: _ClassVar[AccessionStatus]
    ACCESSION_STATUS_APPLIED: _ClassVar[AccessionStatus]
    ACCESSION_STATUS_BOARD_APPROVED: _ClassVar[AccessionStatus]
    ACCESSION_STATUS_JOINED: _ClassVar[AccessionStatus]
    ACCESSION_STATUS_REFUSED: _ClassVar[AccessionStatus]

class DisputeAbout(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DISPUTE_ABOUT_UNSPECIFIED: _ClassVar[DisputeAbout]
    DISPUTE_ABOUT_CASE_DIRECTOR: _ClassVar[DisputeAbout]
    DISPUTE_ABOUT_PROCESS_DIRECTOR: _ClassVar[DisputeAbout]
    DISPUTE_ABOUT_MANAGERS: _ClassVar[DisputeAbout]

class Forum(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FORUM_UNSPECIFIED: _ClassVar[Forum]
    FORUM_PROCESS_DIRECTOR: _ClassVar[Forum]
    FORUM_MANAGERS: _ClassVar[Forum]
    FORUM_PARTNER_COUNCIL: _ClassVar[Forum]
    FORUM_REGIONAL_BOARD: _ClassVar[Forum]

class DisputeStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DISPUTE_STATUS_UNSPECIFIED: _ClassVar[DisputeStatus]
    DISPUTE_STATUS_OPEN: _ClassVar[DisputeStatus]
    DISPUTE_STATUS_RESOLVED: _ClassVar[DisputeStatus]

class ReportFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REPORT_FORMAT_UNSPECIFIED: _ClassVar[ReportFormat]
    REPORT_FORMAT_CSV: _ClassVar[ReportFormat]
    REPORT_FORMAT_JSON: _ClassVar[ReportFormat]
PARTY_KIND_UNSPECIFIED: PartyKind
PARTY_KIND_MUNICIPALITY: PartyKind
PARTY_KIND_POLICE: PartyKind
PARTY_KIND_MILITARY_POLICE: PartyKind
PARTY_KIND_CARE_PROVIDER: PartyKind
PARTY_KIND_SHELTER: PartyKind
PARTY_KIND_COA: PartyKind
PARTY_KIND_GGD: PartyKind
PARTY_KIND_GGZ: PartyKind
PARTY_KIND_VEILIG_THUIS: PartyKind
PARTY_KIND_YOUTH_CARE: PartyKind
PARTY_KIND_ADDICTION_CARE: PartyKind
PARTY_KIND_PUBLIC_PROSECUTOR: PartyKind
PARTY_KIND_OTHER: PartyKind
PARTY_STATUS_UNSPECIFIED: PartyStatus
PARTY_STATUS_APPLICANT: PartyStatus
PARTY_STATUS_ACTIVE: PartyStatus
PARTY_STATUS_WITHDRAWN: PartyStatus
PARTY_STATUS_EXCLUDED: PartyStatus
BODY_UNSPECIFIED: Body
BODY_REGIONAL_BOARD: Body
BODY_PARTNER_COUNCIL: Body
BODY_MANAGERS: Body
PROPOSAL_KIND_UNSPECIFIED: ProposalKind
PROPOSAL_KIND_GENERAL: ProposalKind
PROPOSAL_KIND_ACCESSION: ProposalKind
PROPOSAL_KIND_EXCLUSION: ProposalKind
PROPOSAL_KIND_AMENDMENT: ProposalKind
PROPOSAL_KIND_WORK_PROCESS: ProposalKind
PROPOSAL_STATUS_UNSPECIFIED: ProposalStatus
PROPOSAL_STATUS_OPEN: ProposalStatus
PROPOSAL_STATUS_ADOPTED: ProposalStatus
PROPOSAL_STATUS_REJECTED: ProposalStatus
PROPOSAL_STATUS_REFERRED: ProposalStatus
VOTE_CHOICE_UNSPECIFIED: VoteChoice
VOTE_CHOICE_FOR: VoteChoice
VOTE_CHOICE_AGAINST: VoteChoice
VOTE_CHOICE_ABSTAIN: VoteChoice
INPUT_KIND_UNSPECIFIED: InputKind
INPUT_KIND_WRITTEN: InputKind
INPUT_KIND_HEARD: InputKind
ACCESSION_STATUS_UNSPECIFIED: AccessionStatus
ACCESSION_STATUS_APPLIED: AccessionStatus
ACCESSION_STATUS_BOARD_APPROVED: AccessionStatus
ACCESSION_STATUS_JOINED: AccessionStatus
ACCESSION_STATUS_REFUSED: AccessionStatus
DISPUTE_ABOUT_UNSPECIFIED: DisputeAbout
DISPUTE_ABOUT_CASE_DIRECTOR: DisputeAbout
DISPUTE_ABOUT_PROCESS_DIRECTOR: DisputeAbout
DISPUTE_ABOUT_MANAGERS: DisputeAbout
FORUM_UNSPECIFIED: Forum
FORUM_PROCESS_DIRECTOR: Forum
FORUM_MANAGERS: Forum
FORUM_PARTNER_COUNCIL: Forum
FORUM_REGIONAL_BOARD: Forum
DISPUTE_STATUS_UNSPECIFIED: DisputeStatus
DISPUTE_STATUS_OPEN: DisputeStatus
DISPUTE_STATUS_RESOLVED: DisputeStatus
REPORT_FORMAT_UNSPECIFIED: ReportFormat
REPORT_FORMAT_CSV: ReportFormat
REPORT_FORMAT_JSON: ReportFormat

class Party(_message.Message):
    __slots__ = ("party_id", "name", "kind", "status", "status_since")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_SINCE_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    name: str
    kind: PartyKind
    status: PartyStatus
    status_since: _timestamp_pb2.Timestamp
    def __init__(self, party_id: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[_Union[PartyKind, str]] = ..., status: _Optional[_Union[PartyStatus, str]] = ..., status_since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListPartiesRequest(_message.Message):
    __slots__ = ("kind", "status", "page_size", "page_token")
    KIND_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    kind: PartyKind
    status: PartyStatus
    page_size: int
    page_token: str
    def __init__(self, kind: _Optional[_Union[PartyKind, str]] = ..., status: _Optional[_Union[PartyStatus, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListPartiesResponse(_message.Message):
    __slots__ = ("parties", "next_page_token")
    PARTIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    parties: _containers.RepeatedCompositeFieldContainer[Party]
    next_page_token: str
    def __init__(self, parties: _Optional[_Iterable[_Union[Party, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetPartyRequest(_message.Message):
    __slots__ = ("party_id",)
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    def __init__(self, party_id: _Optional[str] = ...) -> None: ...

class GetPartyResponse(_message.Message):
    __slots__ = ("party",)
    PARTY_FIELD_NUMBER: _ClassVar[int]
    party: Party
    def __init__(self, party: _Optional[_Union[Party, _Mapping]] = ...) -> None: ...

class StatusChange(_message.Message):
    __slots__ = ("status", "at", "cause", "reference")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    CAUSE_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    status: PartyStatus
    at: _timestamp_pb2.Timestamp
    cause: str
    reference: str
    def __init__(self, status: _Optional[_Union[PartyStatus, str]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cause: _Optional[str] = ..., reference: _Optional[str] = ...) -> None: ...

class GetPartyHistoryRequest(_message.Message):
    __slots__ = ("party_id",)
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    def __init__(self, party_id: _Optional[str] = ...) -> None: ...

class GetPartyHistoryResponse(_message.Message):
    __slots__ = ("changes",)
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    changes: _containers.RepeatedCompositeFieldContainer[StatusChange]
    def __init__(self, changes: _Optional[_Iterable[_Union[StatusChange, _Mapping]]] = ...) -> None: ...

class Seat(_message.Message):
    __slots__ = ("seat_id", "body", "role", "held_by_party", "holder_person", "holder_party", "assigned_at")
    SEAT_ID_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    HELD_BY_PARTY_FIELD_NUMBER: _ClassVar[int]
    HOLDER_PERSON_FIELD_NUMBER: _ClassVar[int]
    HOLDER_PARTY_FIELD_NUMBER: _ClassVar[int]
    ASSIGNED_AT_FIELD_NUMBER: _ClassVar[int]
    seat_id: str
    body: Body
    role: str
    held_by_party: str
    holder_person: str
    holder_party: str
    assigned_at: _timestamp_pb2.Timestamp
    def __init__(self, seat_id: _Optional[str] = ..., body: _Optional[_Union[Body, str]] = ..., role: _Optional[str] = ..., held_by_party: _Optional[str] = ..., holder_person: _Optional[str] = ..., holder_party: _Optional[str] = ..., assigned_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class BodyInfo(_message.Message):
    __slots__ = ("body", "articles", "seats", "seats_next_page_token")
    BODY_FIELD_NUMBER: _ClassVar[int]
    ARTICLES_FIELD_NUMBER: _ClassVar[int]
    SEATS_FIELD_NUMBER: _ClassVar[int]
    SEATS_NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    body: Body
    articles: _containers.RepeatedScalarFieldContainer[str]
    seats: _containers.RepeatedCompositeFieldContainer[Seat]
    seats_next_page_token: str
    def __init__(self, body: _Optional[_Union[Body, str]] = ..., articles: _Optional[_Iterable[str]] = ..., seats: _Optional[_Iterable[_Union[Seat, _Mapping]]] = ..., seats_next_page_token: _Optional[str] = ...) -> None: ...

class ListBodiesRequest(_message.Message):
    __slots__ = ("body", "page_size", "page_token")
    BODY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    body: Body
    page_size: int
    page_token: str
    def __init__(self, body: _Optional[_Union[Body, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListBodiesResponse(_message.Message):
    __slots__ = ("bodies", "next_page_token")
    BODIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    bodies: _containers.RepeatedCompositeFieldContainer[BodyInfo]
    next_page_token: str
    def __init__(self, bodies: _Optional[_Iterable[_Union[BodyInfo, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListSeatsRequest(_message.Message):
    __slots__ = ("body", "held_by_party", "holder_party", "page_size", "page_token")
    BODY_FIELD_NUMBER: _ClassVar[int]
    HELD_BY_PARTY_FIELD_NUMBER: _ClassVar[int]
    HOLDER_PARTY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    body: Body
    held_by_party: str
    holder_party: str
    page_size: int
    page_token: str
    def __init__(self, body: _Optional[_Union[Body, str]] = ..., held_by_party: _Optional[str] = ..., holder_party: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListSeatsResponse(_message.Message):
    __slots__ = ("seats", "next_page_token")
    SEATS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    seats: _containers.RepeatedCompositeFieldContainer[Seat]
    next_page_token: str
    def __init__(self, seats: _Optional[_Iterable[_Union[Seat, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class AssignSeatRequest(_message.Message):
    __slots__ = ("request_id", "seat_id", "holder_person", "holder_party")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SEAT_ID_FIELD_NUMBER: _ClassVar[int]
    HOLDER_PERSON_FIELD_NUMBER: _ClassVar[int]
    HOLDER_PARTY_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    seat_id: str
    holder_person: str
    holder_party: str
    def __init__(self, request_id: _Optional[str] = ..., seat_id: _Optional[str] = ..., holder_person: _Optional[str] = ..., holder_party: _Optional[str] = ...) -> None: ...

class ReleaseSeatRequest(_message.Message):
    __slots__ = ("request_id", "seat_id")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SEAT_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    seat_id: str
    def __init__(self, request_id: _Optional[str] = ..., seat_id: _Optional[str] = ...) -> None: ...

class ReleaseSeatResponse(_message.Message):
    __slots__ = ("seat",)
    SEAT_FIELD_NUMBER: _ClassVar[int]
    seat: Seat
    def __init__(self, seat: _Optional[_Union[Seat, _Mapping]] = ...) -> None: ...

class ProcessDirector(_message.Message):
    __slots__ = ("party", "person", "designated_at", "designated")
    PARTY_FIELD_NUMBER: _ClassVar[int]
    PERSON_FIELD_NUMBER: _ClassVar[int]
    DESIGNATED_AT_FIELD_NUMBER: _ClassVar[int]
    DESIGNATED_FIELD_NUMBER: _ClassVar[int]
    party: str
    person: str
    designated_at: _timestamp_pb2.Timestamp
    designated: bool
    def __init__(self, party: _Optional[str] = ..., person: _Optional[str] = ..., designated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., designated: _Optional[bool] = ...) -> None: ...

class DesignateProcessDirectorRequest(_message.Message):
    __slots__ = ("request_id", "party", "person")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    PERSON_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    party: str
    person: str
    def __init__(self, request_id: _Optional[str] = ..., party: _Optional[str] = ..., person: _Optional[str] = ...) -> None: ...

class DesignateProcessDirectorResponse(_message.Message):
    __slots__ = ("process_director",)
    PROCESS_DIRECTOR_FIELD_NUMBER: _ClassVar[int]
    process_director: ProcessDirector
    def __init__(self, process_director: _Optional[_Union[ProcessDirector, _Mapping]] = ...) -> None: ...

class RevokeProcessDirectorRequest(_message.Message):
    __slots__ = ("request_id", "party", "person")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    PERSON_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    party: str
    person: str
    def __init__(self, request_id: _Optional[str] = ..., party: _Optional[str] = ..., person: _Optional[str] = ...) -> None: ...

class RevokeProcessDirectorResponse(_message.Message):
    __slots__ = ("process_director",)
    PROCESS_DIRECTOR_FIELD_NUMBER: _ClassVar[int]
    process_director: ProcessDirector
    def __init__(self, process_director: _Optional[_Union[ProcessDirector, _Mapping]] = ...) -> None: ...

class ListProcessDirectorsRequest(_message.Message):
    __slots__ = ("party", "page_size", "page_token")
    PARTY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    party: str
    page_size: int
    page_token: str
    def __init__(self, party: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListProcessDirectorsResponse(_message.Message):
    __slots__ = ("process_directors", "next_page_token")
    PROCESS_DIRECTORS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    process_directors: _containers.RepeatedCompositeFieldContainer[ProcessDirector]
    next_page_token: str
    def __init__(self, process_directors: _Optional[_Iterable[_Union[ProcessDirector, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class AssignSeatResponse(_message.Message):
    __slots__ = ("seat",)
    SEAT_FIELD_NUMBER: _ClassVar[int]
    seat: Seat
    def __init__(self, seat: _Optional[_Union[Seat, _Mapping]] = ...) -> None: ...

class Meeting(_message.Message):
    __slots__ = ("meeting_id", "body", "scheduled_for", "present")
    MEETING_ID_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_FOR_FIELD_NUMBER: _ClassVar[int]
    PRESENT_FIELD_NUMBER: _ClassVar[int]
    meeting_id: str
    body: Body
    scheduled_for: _timestamp_pb2.Timestamp
    present: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, meeting_id: _Optional[str] = ..., body: _Optional[_Union[Body, str]] = ..., scheduled_for: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., present: _Optional[_Iterable[str]] = ...) -> None: ...

class ScheduleMeetingRequest(_message.Message):
    __slots__ = ("request_id", "body", "scheduled_for")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_FOR_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    body: Body
    scheduled_for: _timestamp_pb2.Timestamp
    def __init__(self, request_id: _Optional[str] = ..., body: _Optional[_Union[Body, str]] = ..., scheduled_for: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ScheduleMeetingResponse(_message.Message):
    __slots__ = ("meeting",)
    MEETING_FIELD_NUMBER: _ClassVar[int]
    meeting: Meeting
    def __init__(self, meeting: _Optional[_Union[Meeting, _Mapping]] = ...) -> None: ...

class RecordAttendanceRequest(_message.Message):
    __slots__ = ("request_id", "meeting_id", "present")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    MEETING_ID_FIELD_NUMBER: _ClassVar[int]
    PRESENT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    meeting_id: str
    present: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, request_id: _Optional[str] = ..., meeting_id: _Optional[str] = ..., present: _Optional[_Iterable[str]] = ...) -> None: ...

class RecordAttendanceResponse(_message.Message):
    __slots__ = ("meeting",)
    MEETING_FIELD_NUMBER: _ClassVar[int]
    meeting: Meeting
    def __init__(self, meeting: _Optional[_Union[Meeting, _Mapping]] = ...) -> None: ...

class GetMeetingRequest(_message.Message):
    __slots__ = ("meeting_id",)
    MEETING_ID_FIELD_NUMBER: _ClassVar[int]
    meeting_id: str
    def __init__(self, meeting_id: _Optional[str] = ...) -> None: ...

class GetMeetingResponse(_message.Message):
    __slots__ = ("meeting",)
    MEETING_FIELD_NUMBER: _ClassVar[int]
    meeting: Meeting
    def __init__(self, meeting: _Optional[_Union[Meeting, _Mapping]] = ...) -> None: ...

class Tally(_message.Message):
    __slots__ = ("votes_for", "votes_against", "votes_abstain")
    VOTES_FOR_FIELD_NUMBER: _ClassVar[int]
    VOTES_AGAINST_FIELD_NUMBER: _ClassVar[int]
    VOTES_ABSTAIN_FIELD_NUMBER: _ClassVar[int]
    votes_for: int
    votes_against: int
    votes_abstain: int
    def __init__(self, votes_for: _Optional[int] = ..., votes_against: _Optional[int] = ..., votes_abstain: _Optional[int] = ...) -> None: ...

class Proposal(_message.Message):
    __slots__ = ("proposal_id", "body", "kind", "subject_code", "significantly_affects", "target_party", "accession_id", "effective_at", "work_process_version", "policy_revision", "referred_from", "status", "tally", "consensus", "binding", "decision_id", "decided_at", "referred_to", "input_from", "proposed_at", "meeting_id")
    PROPOSAL_ID_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_CODE_FIELD_NUMBER: _ClassVar[int]
    SIGNIFICANTLY_AFFECTS_FIELD_NUMBER: _ClassVar[int]
    TARGET_PARTY_FIELD_NUMBER: _ClassVar[int]
    ACCESSION_ID_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_AT_FIELD_NUMBER: _ClassVar[int]
    WORK_PROCESS_VERSION_FIELD_NUMBER: _ClassVar[int]
    POLICY_REVISION_FIELD_NUMBER: _ClassVar[int]
    REFERRED_FROM_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TALLY_FIELD_NUMBER: _ClassVar[int]
    CONSENSUS_FIELD_NUMBER: _ClassVar[int]
    BINDING_FIELD_NUMBER: _ClassVar[int]
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    REFERRED_TO_FIELD_NUMBER: _ClassVar[int]
    INPUT_FROM_FIELD_NUMBER: _ClassVar[int]
    PROPOSED_AT_FIELD_NUMBER: _ClassVar[int]
    MEETING_ID_FIELD_NUMBER: _ClassVar[int]
    proposal_id: str
    body: Body
    kind: ProposalKind
    subject_code: str
    significantly_affects: _containers.RepeatedScalarFieldContainer[str]
    target_party: str
    accession_id: str
    effective_at: _timestamp_pb2.Timestamp
    work_process_version: str
    policy_revision: str
    referred_from: str
    status: ProposalStatus
    tally: Tally
    consensus: bool
    binding: bool
    decision_id: str
    decided_at: _timestamp_pb2.Timestamp
    referred_to: str
    input_from: _containers.RepeatedScalarFieldContainer[str]
    proposed_at: _timestamp_pb2.Timestamp
    meeting_id: str
    def __init__(self, proposal_id: _Optional[str] = ..., body: _Optional[_Union[Body, str]] = ..., kind: _Optional[_Union[ProposalKind, str]] = ..., subject_code: _Optional[str] = ..., significantly_affects: _Optional[_Iterable[str]] = ..., target_party: _Optional[str] = ..., accession_id: _Optional[str] = ..., effective_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., work_process_version: _Optional[str] = ..., policy_revision: _Optional[str] = ..., referred_from: _Optional[str] = ..., status: _Optional[_Union[ProposalStatus, str]] = ..., tally: _Optional[_Union[Tally, _Mapping]] = ..., consensus: _Optional[bool] = ..., binding: _Optional[bool] = ..., decision_id: _Optional[str] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., referred_to: _Optional[str] = ..., input_from: _Optional[_Iterable[str]] = ..., proposed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., meeting_id: _Optional[str] = ...) -> None: ...

class ProposeRequest(_message.Message):
    __slots__ = ("request_id", "body", "kind", "subject_code", "significantly_affects", "target_party", "accession_id", "effective_at", "work_process_version", "policy_revision", "meeting_id")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_CODE_FIELD_NUMBER: _ClassVar[int]
    SIGNIFICANTLY_AFFECTS_FIELD_NUMBER: _ClassVar[int]
    TARGET_PARTY_FIELD_NUMBER: _ClassVar[int]
    ACCESSION_ID_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_AT_FIELD_NUMBER: _ClassVar[int]
    WORK_PROCESS_VERSION_FIELD_NUMBER: _ClassVar[int]
    POLICY_REVISION_FIELD_NUMBER: _ClassVar[int]
    MEETING_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    body: Body
    kind: ProposalKind
    subject_code: str
    significantly_affects: _containers.RepeatedScalarFieldContainer[str]
    target_party: str
    accession_id: str
    effective_at: _timestamp_pb2.Timestamp
    work_process_version: str
    policy_revision: str
    meeting_id: str
    def __init__(self, request_id: _Optional[str] = ..., body: _Optional[_Union[Body, str]] = ..., kind: _Optional[_Union[ProposalKind, str]] = ..., subject_code: _Optional[str] = ..., significantly_affects: _Optional[_Iterable[str]] = ..., target_party: _Optional[str] = ..., accession_id: _Optional[str] = ..., effective_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., work_process_version: _Optional[str] = ..., policy_revision: _Optional[str] = ..., meeting_id: _Optional[str] = ...) -> None: ...

class ProposeResponse(_message.Message):
    __slots__ = ("proposal",)
    PROPOSAL_FIELD_NUMBER: _ClassVar[int]
    proposal: Proposal
    def __init__(self, proposal: _Optional[_Union[Proposal, _Mapping]] = ...) -> None: ...

class GetProposalRequest(_message.Message):
    __slots__ = ("proposal_id",)
    PROPOSAL_ID_FIELD_NUMBER: _ClassVar[int]
    proposal_id: str
    def __init__(self, proposal_id: _Optional[str] = ...) -> None: ...

class GetProposalResponse(_message.Message):
    __slots__ = ("proposal",)
    PROPOSAL_FIELD_NUMBER: _ClassVar[int]
    proposal: Proposal
    def __init__(self, proposal: _Optional[_Union[Proposal, _Mapping]] = ...) -> None: ...

class CastVoteRequest(_message.Message):
    __slots__ = ("request_id", "proposal_id", "seat_id", "choice")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    PROPOSAL_ID_FIELD_NUMBER: _ClassVar[int]
    SEAT_ID_FIELD_NUMBER: _ClassVar[int]
    CHOICE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    proposal_id: str
    seat_id: str
    choice: VoteChoice
    def __init__(self, request_id: _Optional[str] = ..., proposal_id: _Optional[str] = ..., seat_id: _Optional[str] = ..., choice: _Optional[_Union[VoteChoice, str]] = ...) -> None: ...

class CastVoteResponse(_message.Message):
    __slots__ = ("tally",)
    TALLY_FIELD_NUMBER: _ClassVar[int]
    tally: Tally
    def __init__(self, tally: _Optional[_Union[Tally, _Mapping]] = ...) -> None: ...

class RecordWrittenInputRequest(_message.Message):
    __slots__ = ("request_id", "proposal_id", "party_id", "kind")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    PROPOSAL_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    proposal_id: str
    party_id: str
    kind: InputKind
    def __init__(self, request_id: _Optional[str] = ..., proposal_id: _Optional[str] = ..., party_id: _Optional[str] = ..., kind: _Optional[_Union[InputKind, str]] = ...) -> None: ...

class RecordWrittenInputResponse(_message.Message):
    __slots__ = ("proposal",)
    PROPOSAL_FIELD_NUMBER: _ClassVar[int]
    proposal: Proposal
    def __init__(self, proposal: _Optional[_Union[Proposal, _Mapping]] = ...) -> None: ...

class DecideRequest(_message.Message):
    __slots__ = ("request_id", "proposal_id")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    PROPOSAL_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    proposal_id: str
    def __init__(self, request_id: _Optional[str] = ..., proposal_id: _Optional[str] = ...) -> None: ...

class DecideResponse(_message.Message):
    __slots__ = ("proposal", "referral")
    PROPOSAL_FIELD_NUMBER: _ClassVar[int]
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    proposal: Proposal
    referral: Proposal
    def __init__(self, proposal: _Optional[_Union[Proposal, _Mapping]] = ..., referral: _Optional[_Union[Proposal, _Mapping]] = ...) -> None: ...

class Accession(_message.Message):
    __slots__ = ("accession_id", "party_id", "status", "approved_by", "approvals_missing", "decision_id", "form_reference", "applied_at", "joined_at")
    ACCESSION_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    APPROVED_BY_FIELD_NUMBER: _ClassVar[int]
    APPROVALS_MISSING_FIELD_NUMBER: _ClassVar[int]
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    FORM_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    APPLIED_AT_FIELD_NUMBER: _ClassVar[int]
    JOINED_AT_FIELD_NUMBER: _ClassVar[int]
    accession_id: str
    party_id: str
    status: AccessionStatus
    approved_by: _containers.RepeatedScalarFieldContainer[str]
    approvals_missing: _containers.RepeatedScalarFieldContainer[str]
    decision_id: str
    form_reference: str
    applied_at: _timestamp_pb2.Timestamp
    joined_at: _timestamp_pb2.Timestamp
    def __init__(self, accession_id: _Optional[str] = ..., party_id: _Optional[str] = ..., status: _Optional[_Union[AccessionStatus, str]] = ..., approved_by: _Optional[_Iterable[str]] = ..., approvals_missing: _Optional[_Iterable[str]] = ..., decision_id: _Optional[str] = ..., form_reference: _Optional[str] = ..., applied_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., joined_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ApplyAccessionRequest(_message.Message):
    __slots__ = ("request_id", "party_id", "name", "kind")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    party_id: str
    name: str
    kind: PartyKind
    def __init__(self, request_id: _Optional[str] = ..., party_id: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[_Union[PartyKind, str]] = ...) -> None: ...

class ApplyAccessionResponse(_message.Message):
    __slots__ = ("accession",)
    ACCESSION_FIELD_NUMBER: _ClassVar[int]
    accession: Accession
    def __init__(self, accession: _Optional[_Union[Accession, _Mapping]] = ...) -> None: ...

class ApproveAccessionRequest(_message.Message):
    __slots__ = ("request_id", "accession_id")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ACCESSION_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    accession_id: str
    def __init__(self, request_id: _Optional[str] = ..., accession_id: _Optional[str] = ...) -> None: ...

class ApproveAccessionResponse(_message.Message):
    __slots__ = ("accession",)
    ACCESSION_FIELD_NUMBER: _ClassVar[int]
    accession: Accession
    def __init__(self, accession: _Optional[_Union[Accession, _Mapping]] = ...) -> None: ...

class RecordAccessionSignatureRequest(_message.Message):
    __slots__ = ("request_id", "accession_id", "signed_by_organisation", "signed_by_board_chair", "form_reference")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ACCESSION_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNED_BY_ORGANISATION_FIELD_NUMBER: _ClassVar[int]
    SIGNED_BY_BOARD_CHAIR_FIELD_NUMBER: _ClassVar[int]
    FORM_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    accession_id: str
    signed_by_organisation: bool
    signed_by_board_chair: bool
    form_reference: str
    def __init__(self, request_id: _Optional[str] = ..., accession_id: _Optional[str] = ..., signed_by_organisation: _Optional[bool] = ..., signed_by_board_chair: _Optional[bool] = ..., form_reference: _Optional[str] = ...) -> None: ...

class RecordAccessionSignatureResponse(_message.Message):
    __slots__ = ("accession",)
    ACCESSION_FIELD_NUMBER: _ClassVar[int]
    accession: Accession
    def __init__(self, accession: _Optional[_Union[Accession, _Mapping]] = ...) -> None: ...

class GetAccessionRequest(_message.Message):
    __slots__ = ("accession_id",)
    ACCESSION_ID_FIELD_NUMBER: _ClassVar[int]
    accession_id: str
    def __init__(self, accession_id: _Optional[str] = ...) -> None: ...

class GetAccessionResponse(_message.Message):
    __slots__ = ("accession",)
    ACCESSION_FIELD_NUMBER: _ClassVar[int]
    accession: Accession
    def __init__(self, accession: _Optional[_Union[Accession, _Mapping]] = ...) -> None: ...

class SignAmendmentRequest(_message.Message):
    __slots__ = ("request_id", "amendment_id")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    AMENDMENT_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    amendment_id: str
    def __init__(self, request_id: _Optional[str] = ..., amendment_id: _Optional[str] = ...) -> None: ...

class SignAmendmentResponse(_message.Message):
    __slots__ = ("signatures_missing",)
    SIGNATURES_MISSING_FIELD_NUMBER: _ClassVar[int]
    signatures_missing: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, signatures_missing: _Optional[_Iterable[str]] = ...) -> None: ...

class Withdrawal(_message.Message):
    __slots__ = ("withdrawal_id", "party_id", "amendment_id", "effective_at", "effective")
    WITHDRAWAL_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    AMENDMENT_ID_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_AT_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FIELD_NUMBER: _ClassVar[int]
    withdrawal_id: str
    party_id: str
    amendment_id: str
    effective_at: _timestamp_pb2.Timestamp
    effective: bool
    def __init__(self, withdrawal_id: _Optional[str] = ..., party_id: _Optional[str] = ..., amendment_id: _Optional[str] = ..., effective_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., effective: _Optional[bool] = ...) -> None: ...

class WithdrawRequest(_message.Message):
    __slots__ = ("request_id", "amendment_id", "effective_at", "letter_reference")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    AMENDMENT_ID_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_AT_FIELD_NUMBER: _ClassVar[int]
    LETTER_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    amendment_id: str
    effective_at: _timestamp_pb2.Timestamp
    letter_reference: str
    def __init__(self, request_id: _Optional[str] = ..., amendment_id: _Optional[str] = ..., effective_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., letter_reference: _Optional[str] = ...) -> None: ...

class WithdrawResponse(_message.Message):
    __slots__ = ("withdrawal",)
    WITHDRAWAL_FIELD_NUMBER: _ClassVar[int]
    withdrawal: Withdrawal
    def __init__(self, withdrawal: _Optional[_Union[Withdrawal, _Mapping]] = ...) -> None: ...

class RecordNoticeOfDefaultRequest(_message.Message):
    __slots__ = ("request_id", "party_id", "reason_code")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_CODE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    party_id: str
    reason_code: str
    def __init__(self, request_id: _Optional[str] = ..., party_id: _Optional[str] = ..., reason_code: _Optional[str] = ...) -> None: ...

class RecordNoticeOfDefaultResponse(_message.Message):
    __slots__ = ("notice_id", "recorded_at")
    NOTICE_ID_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    notice_id: str
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, notice_id: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ExcludeRequest(_message.Message):
    __slots__ = ("request_id", "party_id", "subject_code")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_CODE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    party_id: str
    subject_code: str
    def __init__(self, request_id: _Optional[str] = ..., party_id: _Optional[str] = ..., subject_code: _Optional[str] = ...) -> None: ...

class ExcludeResponse(_message.Message):
    __slots__ = ("proposal",)
    PROPOSAL_FIELD_NUMBER: _ClassVar[int]
    proposal: Proposal
    def __init__(self, proposal: _Optional[_Union[Proposal, _Mapping]] = ...) -> None: ...

class Dispute(_message.Message):
    __slots__ = ("dispute_id", "about", "case_id", "forum", "remaining", "status", "resolution_code")
    DISPUTE_ID_FIELD_NUMBER: _ClassVar[int]
    ABOUT_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    FORUM_FIELD_NUMBER: _ClassVar[int]
    REMAINING_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_CODE_FIELD_NUMBER: _ClassVar[int]
    dispute_id: str
    about: DisputeAbout
    case_id: str
    forum: Forum
    remaining: _containers.RepeatedScalarFieldContainer[Forum]
    status: DisputeStatus
    resolution_code: str
    def __init__(self, dispute_id: _Optional[str] = ..., about: _Optional[_Union[DisputeAbout, str]] = ..., case_id: _Optional[str] = ..., forum: _Optional[_Union[Forum, str]] = ..., remaining: _Optional[_Iterable[_Union[Forum, str]]] = ..., status: _Optional[_Union[DisputeStatus, str]] = ..., resolution_code: _Optional[str] = ...) -> None: ...

class RegisterDisputeRequest(_message.Message):
    __slots__ = ("request_id", "about", "case_id")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ABOUT_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    about: DisputeAbout
    case_id: str
    def __init__(self, request_id: _Optional[str] = ..., about: _Optional[_Union[DisputeAbout, str]] = ..., case_id: _Optional[str] = ...) -> None: ...

class RegisterDisputeResponse(_message.Message):
    __slots__ = ("dispute",)
    DISPUTE_FIELD_NUMBER: _ClassVar[int]
    dispute: Dispute
    def __init__(self, dispute: _Optional[_Union[Dispute, _Mapping]] = ...) -> None: ...

class EscalateDisputeRequest(_message.Message):
    __slots__ = ("request_id", "dispute_id")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    DISPUTE_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    dispute_id: str
    def __init__(self, request_id: _Optional[str] = ..., dispute_id: _Optional[str] = ...) -> None: ...

class EscalateDisputeResponse(_message.Message):
    __slots__ = ("dispute",)
    DISPUTE_FIELD_NUMBER: _ClassVar[int]
    dispute: Dispute
    def __init__(self, dispute: _Optional[_Union[Dispute, _Mapping]] = ...) -> None: ...

class ResolveDisputeRequest(_message.Message):
    __slots__ = ("request_id", "dispute_id", "resolution_code")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    DISPUTE_ID_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_CODE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    dispute_id: str
    resolution_code: str
    def __init__(self, request_id: _Optional[str] = ..., dispute_id: _Optional[str] = ..., resolution_code: _Optional[str] = ...) -> None: ...

class ResolveDisputeResponse(_message.Message):
    __slots__ = ("dispute",)
    DISPUTE_FIELD_NUMBER: _ClassVar[int]
    dispute: Dispute
    def __init__(self, dispute: _Optional[_Union[Dispute, _Mapping]] = ...) -> None: ...

class GetDisputeRequest(_message.Message):
    __slots__ = ("dispute_id",)
    DISPUTE_ID_FIELD_NUMBER: _ClassVar[int]
    dispute_id: str
    def __init__(self, dispute_id: _Optional[str] = ...) -> None: ...

class GetDisputeResponse(_message.Message):
    __slots__ = ("dispute",)
    DISPUTE_FIELD_NUMBER: _ClassVar[int]
    dispute: Dispute
    def __init__(self, dispute: _Optional[_Union[Dispute, _Mapping]] = ...) -> None: ...

class PolicyRevision(_message.Message):
    __slots__ = ("revision", "work_process_version", "proposal_id", "decision_id", "adopted_at", "baseline", "bundle_digest", "adopted_by_party")
    REVISION_FIELD_NUMBER: _ClassVar[int]
    WORK_PROCESS_VERSION_FIELD_NUMBER: _ClassVar[int]
    PROPOSAL_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    ADOPTED_AT_FIELD_NUMBER: _ClassVar[int]
    BASELINE_FIELD_NUMBER: _ClassVar[int]
    BUNDLE_DIGEST_FIELD_NUMBER: _ClassVar[int]
    ADOPTED_BY_PARTY_FIELD_NUMBER: _ClassVar[int]
    revision: str
    work_process_version: str
    proposal_id: str
    decision_id: str
    adopted_at: _timestamp_pb2.Timestamp
    baseline: bool
    bundle_digest: str
    adopted_by_party: str
    def __init__(self, revision: _Optional[str] = ..., work_process_version: _Optional[str] = ..., proposal_id: _Optional[str] = ..., decision_id: _Optional[str] = ..., adopted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., baseline: _Optional[bool] = ..., bundle_digest: _Optional[str] = ..., adopted_by_party: _Optional[str] = ...) -> None: ...

class AdoptPolicyRevisionRequest(_message.Message):
    __slots__ = ("request_id", "proposal_id", "bundle")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    PROPOSAL_ID_FIELD_NUMBER: _ClassVar[int]
    BUNDLE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    proposal_id: str
    bundle: bytes
    def __init__(self, request_id: _Optional[str] = ..., proposal_id: _Optional[str] = ..., bundle: _Optional[bytes] = ...) -> None: ...

class AdoptPolicyRevisionResponse(_message.Message):
    __slots__ = ("revision",)
    REVISION_FIELD_NUMBER: _ClassVar[int]
    revision: PolicyRevision
    def __init__(self, revision: _Optional[_Union[PolicyRevision, _Mapping]] = ...) -> None: ...

class GetAdoptedPolicyRevisionRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetAdoptedPolicyRevisionResponse(_message.Message):
    __slots__ = ("revision", "enforced")
    REVISION_FIELD_NUMBER: _ClassVar[int]
    ENFORCED_FIELD_NUMBER: _ClassVar[int]
    revision: PolicyRevision
    enforced: _containers.RepeatedCompositeFieldContainer[EnforcedRevision]
    def __init__(self, revision: _Optional[_Union[PolicyRevision, _Mapping]] = ..., enforced: _Optional[_Iterable[_Union[EnforcedRevision, _Mapping]]] = ...) -> None: ...

class ListPolicyRevisionsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListPolicyRevisionsResponse(_message.Message):
    __slots__ = ("revisions", "next_page_token")
    REVISIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    revisions: _containers.RepeatedCompositeFieldContainer[PolicyRevisionEntry]
    next_page_token: str
    def __init__(self, revisions: _Optional[_Iterable[_Union[PolicyRevisionEntry, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class PolicyRevisionEntry(_message.Message):
    __slots__ = ("revision", "in_force", "enforced")
    REVISION_FIELD_NUMBER: _ClassVar[int]
    IN_FORCE_FIELD_NUMBER: _ClassVar[int]
    ENFORCED_FIELD_NUMBER: _ClassVar[int]
    revision: PolicyRevision
    in_force: bool
    enforced: _containers.RepeatedCompositeFieldContainer[EnforcedRevision]
    def __init__(self, revision: _Optional[_Union[PolicyRevision, _Mapping]] = ..., in_force: _Optional[bool] = ..., enforced: _Optional[_Iterable[_Union[EnforcedRevision, _Mapping]]] = ...) -> None: ...

class EnforcedRevision(_message.Message):
    __slots__ = ("service", "instance", "revision", "enforced_at")
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    ENFORCED_AT_FIELD_NUMBER: _ClassVar[int]
    service: str
    instance: str
    revision: str
    enforced_at: _timestamp_pb2.Timestamp
    def __init__(self, service: _Optional[str] = ..., instance: _Optional[str] = ..., revision: _Optional[str] = ..., enforced_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AnnualReportRequest(_message.Message):
    __slots__ = ("year",)
    YEAR_FIELD_NUMBER: _ClassVar[int]
    year: int
    def __init__(self, year: _Optional[int] = ...) -> None: ...

class AnnualReportResponse(_message.Message):
    __slots__ = ("year", "cases_handled", "cases_closed_successfully", "escalations", "disclosures_allowed", "disclosures_denied", "disclosures_break_glass")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    CASES_HANDLED_FIELD_NUMBER: _ClassVar[int]
    CASES_CLOSED_SUCCESSFULLY_FIELD_NUMBER: _ClassVar[int]
    ESCALATIONS_FIELD_NUMBER: _ClassVar[int]
    DISCLOSURES_ALLOWED_FIELD_NUMBER: _ClassVar[int]
    DISCLOSURES_DENIED_FIELD_NUMBER: _ClassVar[int]
    DISCLOSURES_BREAK_GLASS_FIELD_NUMBER: _ClassVar[int]
    year: int
    cases_handled: int
    cases_closed_successfully: int
    escalations: int
    disclosures_allowed: int
    disclosures_denied: int
    disclosures_break_glass: int
    def __init__(self, year: _Optional[int] = ..., cases_handled: _Optional[int] = ..., cases_closed_successfully: _Optional[int] = ..., escalations: _Optional[int] = ..., disclosures_allowed: _Optional[int] = ..., disclosures_denied: _Optional[int] = ..., disclosures_break_glass: _Optional[int] = ...) -> None: ...

class ExportAnnualReportRequest(_message.Message):
    __slots__ = ("year", "format")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    year: int
    format: ReportFormat
    def __init__(self, year: _Optional[int] = ..., format: _Optional[_Union[ReportFormat, str]] = ...) -> None: ...

class ExportAnnualReportResponse(_message.Message):
    __slots__ = ("content_type", "content")
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    content_type: str
    content: bytes
    def __init__(self, content_type: _Optional[str] = ..., content: _Optional[bytes] = ...) -> None: ...

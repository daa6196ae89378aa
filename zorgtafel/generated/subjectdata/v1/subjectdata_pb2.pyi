import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SectionStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SECTION_STATUS_UNSPECIFIED: _ClassVar[SectionStatus]
    SECTION_STATUS_ANSWERED: _ClassVar[SectionStatus]
    SECTION_STATUS_NOT_A_CONTROLLER: _ClassVar[SectionStatus]
    SECTION_STATUS_NOTHING_HELD: _ClassVar[SectionStatus]
SECTION_STATUS_UNSPECIFIED: SectionStatus
SECTION_STATUS_ANSWERED: SectionStatus
SECTION_STATUS_NOT_A_CONTROLLER: SectionStatus
SECTION_STATUS_NOTHING_HELD: SectionStatus

class ExportSubjectDataRequest(_message.Message):
    __slots__ = ("case_id", "subject_pseudonym")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_PSEUDONYM_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    subject_pseudonym: str
    def __init__(self, case_id: _Optional[str] = ..., subject_pseudonym: _Optional[str] = ...) -> None: ...

class SubjectRecord(_message.Message):
    __slots__ = ("kind", "record_id", "case_id", "recorded_at", "party", "fields")
    class FieldsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    KIND_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    kind: str
    record_id: str
    case_id: str
    recorded_at: _timestamp_pb2.Timestamp
    party: str
    fields: _containers.ScalarMap[str, str]
    def __init__(self, kind: _Optional[str] = ..., record_id: _Optional[str] = ..., case_id: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., party: _Optional[str] = ..., fields: _Optional[_Mapping[str, str]] = ...) -> None: ...

class SubjectDataSection(_message.Message):
    __slots__ = ("name", "description", "records")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    name: str
    description: str
    records: _containers.RepeatedCompositeFieldContainer[SubjectRecord]
    def __init__(self, name: _Optional[str] = ..., description: _Optional[str] = ..., records: _Optional[_Iterable[_Union[SubjectRecord, _Mapping]]] = ...) -> None: ...

class WithheldRecord(_message.Message):
    __slots__ = ("section", "kind", "record_id", "case_id", "party", "ground")
    SECTION_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    GROUND_FIELD_NUMBER: _ClassVar[int]
    section: str
    kind: str
    record_id: str
    case_id: str
    party: str
    ground: str
    def __init__(self, section: _Optional[str] = ..., kind: _Optional[str] = ..., record_id: _Optional[str] = ..., case_id: _Optional[str] = ..., party: _Optional[str] = ..., ground: _Optional[str] = ...) -> None: ...

class ExportSubjectDataResponse(_message.Message):
    __slots__ = ("service", "case_ids", "sections", "withheld", "note")
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    CASE_IDS_FIELD_NUMBER: _ClassVar[int]
    SECTIONS_FIELD_NUMBER: _ClassVar[int]
    WITHHELD_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    service: str
    case_ids: _containers.RepeatedScalarFieldContainer[str]
    sections: _containers.RepeatedCompositeFieldContainer[SubjectDataSection]
    withheld: _containers.RepeatedCompositeFieldContainer[WithheldRecord]
    note: str
    def __init__(self, service: _Optional[str] = ..., case_ids: _Optional[_Iterable[str]] = ..., sections: _Optional[_Iterable[_Union[SubjectDataSection, _Mapping]]] = ..., withheld: _Optional[_Iterable[_Union[WithheldRecord, _Mapping]]] = ..., note: _Optional[str] = ...) -> None: ...

class ServiceSection(_message.Message):
    __slots__ = ("service", "status", "data", "reasons")
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    service: str
    status: SectionStatus
    data: ExportSubjectDataResponse
    reasons: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, service: _Optional[str] = ..., status: _Optional[_Union[SectionStatus, str]] = ..., data: _Optional[_Union[ExportSubjectDataResponse, _Mapping]] = ..., reasons: _Optional[_Iterable[str]] = ...) -> None: ...

from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as _disclosure_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ListAccessRequest(_message.Message):
    __slots__ = ("subject_pseudonym", "case_id", "party", "page_size", "page_token", "include_proof")
    SUBJECT_PSEUDONYM_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_PROOF_FIELD_NUMBER: _ClassVar[int]
    subject_pseudonym: str
    case_id: str
    party: str
    page_size: int
    page_token: str
    include_proof: bool
    def __init__(self, subject_pseudonym: _Optional[str] = ..., case_id: _Optional[str] = ..., party: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., include_proof: _Optional[bool] = ...) -> None: ...

class ListAccessResponse(_message.Message):
    __slots__ = ("service", "entries", "next_page_token")
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    service: str
    entries: _containers.RepeatedCompositeFieldContainer[_disclosure_pb2.AccessLogEntry]
    next_page_token: str
    def __init__(self, service: _Optional[str] = ..., entries: _Optional[_Iterable[_Union[_disclosure_pb2.AccessLogEntry, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetCheckpointRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetCheckpointResponse(_message.Message):
    __slots__ = ("checkpoint",)
    CHECKPOINT_FIELD_NUMBER: _ClassVar[int]
    checkpoint: _disclosure_pb2.SignedCheckpoint
    def __init__(self, checkpoint: _Optional[_Union[_disclosure_pb2.SignedCheckpoint, _Mapping]] = ...) -> None: ...

class VerifyLogRequest(_message.Message):
    __slots__ = ("trusted",)
    TRUSTED_FIELD_NUMBER: _ClassVar[int]
    trusted: _containers.RepeatedCompositeFieldContainer[_disclosure_pb2.SignedCheckpoint]
    def __init__(self, trusted: _Optional[_Iterable[_Union[_disclosure_pb2.SignedCheckpoint, _Mapping]]] = ...) -> None: ...

class VerifyLogResponse(_message.Message):
    __slots__ = ("service", "report")
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    REPORT_FIELD_NUMBER: _ClassVar[int]
    service: str
    report: _disclosure_pb2.VerifyLogResponse
    def __init__(self, service: _Optional[str] = ..., report: _Optional[_Union[_disclosure_pb2.VerifyLogResponse, _Mapping]] = ...) -> None: ...

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
    __slots__ = ("kind", "status")
    KIND_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    kind: PartyKind
    status: PartyStatus
    def __init__(self, kind: _Optional[_Union[PartyKind, str]] = ..., status: _Optional[_Union[PartyStatus, str]] = ...) -> None: ...

class ListPartiesResponse(_message.Message):
    __slots__ = ("parties",)
    PARTIES_FIELD_NUMBER: _ClassVar[int]
    parties: _containers.RepeatedCompositeFieldContainer[Party]
    def __init__(self, parties: _Optional[_Iterable[_Union[Party, _Mapping]]] = ...) -> None: ...

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

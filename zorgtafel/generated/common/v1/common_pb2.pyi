import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class UsageTerms(_message.Message):
    __slots__ = ("recipient_parties", "recipient_roles", "purposes", "onward_sharing_allowed", "summary_only_fields", "expires_at", "pre_read_allowed")
    RECIPIENT_PARTIES_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_ROLES_FIELD_NUMBER: _ClassVar[int]
    PURPOSES_FIELD_NUMBER: _ClassVar[int]
    ONWARD_SHARING_ALLOWED_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_ONLY_FIELDS_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    PRE_READ_ALLOWED_FIELD_NUMBER: _ClassVar[int]
    recipient_parties: _containers.RepeatedScalarFieldContainer[str]
    recipient_roles: _containers.RepeatedScalarFieldContainer[str]
    purposes: _containers.RepeatedScalarFieldContainer[str]
    onward_sharing_allowed: bool
    summary_only_fields: _containers.RepeatedScalarFieldContainer[str]
    expires_at: _timestamp_pb2.Timestamp
    pre_read_allowed: bool
    def __init__(self, recipient_parties: _Optional[_Iterable[str]] = ..., recipient_roles: _Optional[_Iterable[str]] = ..., purposes: _Optional[_Iterable[str]] = ..., onward_sharing_allowed: _Optional[bool] = ..., summary_only_fields: _Optional[_Iterable[str]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., pre_read_allowed: _Optional[bool] = ...) -> None: ...

class Obligation(_message.Message):
    __slots__ = ("kind", "fields", "detail")
    KIND_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    kind: str
    fields: _containers.RepeatedScalarFieldContainer[str]
    detail: str
    def __init__(self, kind: _Optional[str] = ..., fields: _Optional[_Iterable[str]] = ..., detail: _Optional[str] = ...) -> None: ...

class PolicyDecision(_message.Message):
    __slots__ = ("decision_id", "allow", "reasons", "obligations", "policy_revision")
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    ALLOW_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    OBLIGATIONS_FIELD_NUMBER: _ClassVar[int]
    POLICY_REVISION_FIELD_NUMBER: _ClassVar[int]
    decision_id: str
    allow: bool
    reasons: _containers.RepeatedScalarFieldContainer[str]
    obligations: _containers.RepeatedCompositeFieldContainer[Obligation]
    policy_revision: str
    def __init__(self, decision_id: _Optional[str] = ..., allow: _Optional[bool] = ..., reasons: _Optional[_Iterable[str]] = ..., obligations: _Optional[_Iterable[_Union[Obligation, _Mapping]]] = ..., policy_revision: _Optional[str] = ...) -> None: ...

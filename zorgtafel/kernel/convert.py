"""Proto <-> Python conversions every servicer shares, with the caller's mistakes answered as
INVALID_ARGUMENT naming the field (never INTERNAL).

Timestamps are bounded to years 1900-2999: a wider value cannot describe anything in this domain,
and values at the edges of ``datetime`` (year 1, 9999) cannot be stored and read back everywhere.
Enums map to the domain's lower-case names (``CASE_STATE_PLAN_ACTIVE`` -> ``plan_active``).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import datetime, timezone
from enum import Enum
from typing import Any, TypeVar

from google.protobuf import json_format, struct_pb2
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.kernel.validate import MAX_JSON_DEPTH, json_depth

EARLIEST = datetime(1900, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(2999, 12, 31, 23, 59, 59, tzinfo=timezone.utc)
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_EARLIEST_S = int(EARLIEST.timestamp())
_LATEST_S = int(LATEST.timestamp())

E = TypeVar("E", bound=Enum)


# -- timestamps -------------------------------------------------------------------------------
def to_timestamp(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    if value.tzinfo is None:  # local time, as protobuf takes a naive one
        ts = Timestamp()
        ts.FromDatetime(value.astimezone(timezone.utc))
        return ts
    # Its distance from the epoch: the seconds and nanos ``FromDatetime`` gives (a timedelta
    # keeps seconds and microseconds non-negative, as the floor of a time before 1970 wants),
    # at a third of its CPU; every row of every list carries two or three (issue #16).
    since = value - _EPOCH
    return Timestamp(seconds=since.days * 86_400 + since.seconds, nanos=since.microseconds * 1000)


def timestamp_in(ts: Timestamp, field: str) -> datetime:
    if not _EARLIEST_S <= ts.seconds <= _LATEST_S or not 0 <= ts.nanos < 1_000_000_000:
        raise InvalidArgument(field, "timestamp out of range (years 1900-2999)")
    value: datetime = ts.ToDatetime(tzinfo=timezone.utc)
    return value


def optional_timestamp(message: Message, name: str, field: str | None = None) -> datetime | None:
    """``message.<name>`` as an aware UTC datetime, or None when it is not set."""
    if not message.HasField(name):
        return None
    return timestamp_in(getattr(message, name), field or name)


# -- enums ------------------------------------------------------------------------------------
def enum_name(
    proto_enum: Any, value: int, prefix: str, field: str, *, required: bool = False
) -> str:
    """The domain's name of a proto enum value; "" for UNSPECIFIED unless ``required``."""
    if value == 0:
        if required:
            raise InvalidArgument(field, "required")
        return ""
    try:
        return str(proto_enum.Name(value)).removeprefix(prefix).lower()
    except ValueError as exc:
        raise InvalidArgument(field, "unknown enum value") from exc


def enum_in(
    proto_enum: Any,
    domain: Callable[[str], E],
    value: int,
    prefix: str,
    field: str,
    *,
    required: bool = False,
) -> E | None:
    """A proto enum value as a member of the domain's enum (None for UNSPECIFIED)."""
    name = enum_name(proto_enum, value, prefix, field, required=required)
    if not name:
        return None
    try:
        return domain(name)
    except ValueError as exc:
        raise InvalidArgument(field, "unknown enum value") from exc


def enum_out(proto_enum: Any, prefix: str, value: Enum | str | None) -> int:
    """A domain value (enum member or name) as the proto enum number; 0 when absent/unknown."""
    if value is None or value == "":
        return 0
    name = value.value if isinstance(value, Enum) else value
    return _enum_number(proto_enum, prefix, str(name))


@functools.lru_cache(maxsize=4096)
def _enum_number(proto_enum: Any, prefix: str, name: str) -> int:
    # Remembered: a list's every row carries two or three codes, and building the proto name
    # and looking it up was about 2 us of CPU each (issue #16). Codes only (a domain's names of
    # its states, kinds, outcomes), never a free text; bounded all the same.
    try:
        return int(proto_enum.Value(prefix + name.upper()))
    except ValueError:
        return 0


# -- JSON structs -----------------------------------------------------------------------------
def struct_out(data: dict[str, Any]) -> struct_pb2.Struct:
    return json_format.ParseDict(data, struct_pb2.Struct())


def message_to_dict(message: Message, field: str) -> dict[str, Any]:
    """A message as JSON-ready data, refusing over-deep nesting (recursion is not INTERNAL)."""
    try:
        data: dict[str, Any] = json_format.MessageToDict(message, preserving_proto_field_name=True)
    except (RecursionError, ValueError) as exc:
        raise InvalidArgument(
            field, f"nests deeper than {MAX_JSON_DEPTH} levels or is not representable as JSON"
        ) from exc
    if json_depth(json.dumps(data)) > MAX_JSON_DEPTH:
        raise InvalidArgument(field, f"nests deeper than {MAX_JSON_DEPTH} levels")
    return data

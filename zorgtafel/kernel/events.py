"""Events: frozen dataclasses in the domain, CloudEvents on the wire (Kafka binary mode).

Each producing service lists its event classes in an explicit ``EventRegistry`` (no discovery by
reflection). An event carries identifiers and pseudonyms only, never personal data or content.
Consumers receive an ``InboundEvent`` (type, id, data dict) and never import another service's
classes: the published language is the type name and the data fields.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, ClassVar, Iterable, Mapping

from cloudevents.core.bindings import kafka as ce_kafka
from cloudevents.core.v1.event import CloudEvent


@dataclass(frozen=True)
class DomainEvent:
    """Base of every domain event. Subclasses set ``TYPE`` and say which field is the key."""

    TYPE: ClassVar[str] = ""
    KEY_FIELD: ClassVar[str] = "case_id"

    @property
    def key(self) -> str:
        return str(getattr(self, self.KEY_FIELD))

    def case_ref(self) -> str | None:
        """The case this event is about, so a purge can find its outbox rows."""
        value = getattr(self, "case_id", None)
        return str(value) if value else None

    def to_data(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, (tuple, list, frozenset, set)):
        items = [_plain(v) for v in value]
        return sorted(items) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


class EventRegistry:
    """The explicit list of event types a service publishes."""

    def __init__(self, classes: Iterable[type[DomainEvent]]) -> None:
        self._by_type: dict[str, type[DomainEvent]] = {}
        for cls in classes:
            if not cls.TYPE or cls.TYPE in self._by_type:
                raise ValueError(f"event type missing or registered twice: {cls.__name__}")
            self._by_type[cls.TYPE] = cls

    def __contains__(self, event_type: str) -> bool:
        return event_type in self._by_type

    def types(self) -> list[str]:
        return sorted(self._by_type)

    def check(self, event: DomainEvent) -> None:
        if self._by_type.get(event.TYPE) is not type(event):
            raise ValueError(f"event {type(event).__name__} is not registered")


@dataclass(frozen=True)
class InboundEvent:
    id: str
    type: str
    source: str
    time: datetime | None
    subject: str | None
    data: Mapping[str, Any]
    key: str | None = None
    traceparent: str | None = None


def to_kafka(event_id: str, event_type: str, source: str, time: datetime, key: str,
             data: Mapping[str, Any], subject: str | None = None,
             traceparent: str | None = None) -> ce_kafka.KafkaMessage:
    attributes: dict[str, Any] = {
        "id": event_id, "type": event_type, "source": source, "time": time,
        "datacontenttype": "application/json", "partitionkey": key,
    }
    if subject:
        attributes["subject"] = subject
    if traceparent:
        attributes["traceparent"] = traceparent  # CloudEvents distributed-tracing extension
    return ce_kafka.to_binary_event(CloudEvent(attributes, dict(data)))


class MalformedEvent(ValueError):
    pass


def from_kafka(headers: list[tuple[str, bytes]] | None, key: bytes | None,
               value: bytes | None) -> InboundEvent:
    try:
        msg = ce_kafka.KafkaMessage(headers={k: v for k, v in (headers or [])}, key=key,
                                    value=value or b"")
        ce = ce_kafka.from_binary_event(msg)
        data = ce.get_data()
        if isinstance(data, (bytes, str)):
            data = json.loads(data)
        if not isinstance(data, dict):
            raise MalformedEvent("event data is not an object")
        return InboundEvent(id=ce.get_id(), type=ce.get_type(), source=ce.get_source(),
                            time=ce.get_time(), subject=ce.get_subject(), data=data,
                            key=key.decode() if isinstance(key, bytes) else key,
                            traceparent=ce.get_extension("traceparent"))
    except MalformedEvent:
        raise
    except Exception as exc:  # noqa: BLE001 - any decoding failure is a malformed event
        raise MalformedEvent(type(exc).__name__) from exc

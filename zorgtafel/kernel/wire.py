"""Events on the wire: CloudEvents in Kafka binary mode (the ``cloudevents`` SDK)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Mapping

from cloudevents.core.bindings import kafka as ce_kafka
from cloudevents.core.v1.event import CloudEvent

from zorgtafel.kernel.events import InboundEvent


def to_kafka(
    event_id: str,
    event_type: str,
    source: str,
    time: datetime,
    key: str,
    data: Mapping[str, Any],
    subject: str | None = None,
    traceparent: str | None = None,
) -> ce_kafka.KafkaMessage:
    attributes: dict[str, Any] = {
        "id": event_id,
        "type": event_type,
        "source": source,
        "time": time,
        "datacontenttype": "application/json",
        "partitionkey": key,
    }
    if subject:
        attributes["subject"] = subject
    if traceparent:
        attributes["traceparent"] = traceparent  # CloudEvents distributed-tracing extension
    return ce_kafka.to_binary_event(CloudEvent(attributes, dict(data)))


class MalformedEvent(ValueError):
    pass


def from_kafka(
    headers: list[tuple[str, bytes]] | None, key: bytes | None, value: bytes | None
) -> InboundEvent:
    try:
        msg = ce_kafka.KafkaMessage(
            headers={k: v for k, v in (headers or [])}, key=key, value=value or b""
        )
        ce = ce_kafka.from_binary_event(msg)
        data = ce.get_data()
        if isinstance(data, (bytes, str)):
            data = json.loads(data)
        if not isinstance(data, dict):
            raise MalformedEvent("event data is not an object")
        return InboundEvent(
            id=ce.get_id(),
            type=ce.get_type(),
            source=ce.get_source(),
            time=ce.get_time(),
            subject=ce.get_subject(),
            data=data,
            key=key.decode() if isinstance(key, bytes) else key,
            traceparent=ce.get_extension("traceparent"),
        )
    except MalformedEvent:
        raise
    except Exception as exc:  # noqa: BLE001 - any decoding failure is a malformed event
        raise MalformedEvent(type(exc).__name__) from exc

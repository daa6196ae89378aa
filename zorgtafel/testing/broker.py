"""Facts from other services on the real broker, and what a service logs."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from google.protobuf.message import Message

if TYPE_CHECKING:  # pragma: no cover - annotations only
    pass

T = TypeVar("T")
E = TypeVar("E")
M = TypeVar("M", bound=Message)


class Publisher:
    """Publishes other services' facts to the real broker, as their relays would (contract
    CloudEvents), so one service can be tested against the facts it consumes."""

    def __init__(self, bootstrap: str) -> None:
        from kafka import KafkaProducer

        self._producer = KafkaProducer(bootstrap_servers=bootstrap.split(","), acks="all")

    def publish(
        self,
        service: str,
        event_type: str,
        key: str,
        data: Mapping[str, Any],
        event_id: str | None = None,
    ) -> str:
        from datetime import datetime, timezone

        from zorgtafel.contracts import events as ev
        from zorgtafel.kernel.wire import to_kafka

        event_id = event_id or str(uuid.uuid4())
        msg = to_kafka(
            event_id, event_type, f"/zorgtafel/{service}", datetime.now(timezone.utc), key, data
        )
        self._producer.send(
            ev.TOPIC[service], key=key.encode(), value=msg.value, headers=list(msg.headers.items())
        ).get(timeout=10)
        return event_id

    def close(self) -> None:
        self._producer.close(timeout=2)


class LogTee:
    """A text stream that keeps everything a service logs, for scanning (thread-safe)."""

    def __init__(self) -> None:
        import threading

        self._lock = threading.Lock()
        self._parts: list[str] = []

    def write(self, s: str) -> int:
        with self._lock:
            self._parts.append(s)
        return len(s)

    def flush(self) -> None:
        pass

    def text(self) -> str:
        with self._lock:
            return "".join(self._parts)


# -- what every service's integration tests share ----------------------------------------------

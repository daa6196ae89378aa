"""Kafka clients configured the one way this suite uses them.

Producer: idempotent (acks=all, retries), so a retried send is written once. Transactions are
deliberately not used: the measured broker (tansu) shows aborted records, so exactly-once rests
on the transactional outbox and idempotent consumers instead.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.partitioner import Partitioner
from kafka.partitioner.default import murmur2

from zorgtafel.kernel.config import Settings

# Tuning that is not in ``Settings`` (read from ``ZORGTAFEL_<NAME>`` through ``settings.extra``).
DEFAULTS = {
    # Every topic a service creates has this many partitions (Strimzi's KafkaTopic says the same).
    "kafka_topic_partitions": "3",
    # For the local broker. tansu does not answer a waiting fetch when a record comes (measured:
    # an event reaches a waiting consumer after about half the wait, p50 53 ms at 100 ms), so
    # the wait is the event's latency here and is kept short: an idle consumer then fetches
    # ~100 times a second (14-19% of a core per service, tansu 7.8% -> 10% for four consumers).
    # Kafka answers as soon as a record comes: the Strimzi component sets Kafka's 500 ms.
    "kafka_fetch_max_wait_ms": "10",
    # How often the relay checks that the broker still holds what it acknowledged.
    "relay_check_interval_s": "5",
    # The consumer lag (records) above which an alert fires; exported as a gauge for the rule.
    "consumer_lag_alert": "1000",
    # How long a new client waits for its first broker answer. kafka-python waits 30 s by
    # default, and every caller here retries (health on its next check, the relay on its next
    # tick, the consumer after a second): with the broker down, 30 s held the health check,
    # a service's start and stop, and the relay's reconnect after the broker came back.
    "kafka_bootstrap_timeout_ms": "3000",
}


def option(settings: Settings, name: str) -> str:
    return settings.setting(name, DEFAULTS[name]) or DEFAULTS[name]


def topic_partitions(settings: Settings) -> int:
    return max(1, int(option(settings, "kafka_topic_partitions")))


def _bootstrap_timeout_ms(settings: Settings) -> int:
    return max(100, int(option(settings, "kafka_bootstrap_timeout_ms")))


def _security(settings: Settings) -> dict[str, str | None]:
    if settings.kafka_security_protocol.upper() == "SSL":
        return {
            "security_protocol": "SSL",
            "ssl_cafile": settings.kafka_ssl_cafile or None,
            "ssl_certfile": settings.kafka_ssl_certfile or None,
            "ssl_keyfile": settings.kafka_ssl_keyfile or None,
        }
    return {"security_protocol": "PLAINTEXT"}


C = TypeVar("C", KafkaAdminClient, KafkaConsumer)


def built(cls: type[C], *args: Any, **config: Any) -> C:
    """``cls(*args, **config)``, without leaving its IO thread behind when the constructor
    fails. kafka-python 3.0's admin client and consumer start their IO thread before they
    bootstrap; a bootstrap that times out (the broker down) raises with that thread running,
    reconnecting for ever, and nothing holds the half-made client to close it: one thread more
    per failed health check or broker check for as long as an outage lasts (measured). Here the
    half-made client's connections are closed and its IO thread stopped before the error goes
    on. The producer starts its thread only after bootstrapping and needs none of this."""
    client = object.__new__(cls)
    try:
        client.__init__(*args, **config)  # the two steps of cls(...)
    except BaseException:
        _stop_half_made(client)
        raise
    return client


def close_producer(producer: Any, timeout: float) -> None:
    """Close ``producer`` and stop its sender thread, also when the broker is down.
    kafka-python 3.0's ``close`` flushes first and, when that flush times out (records pending
    for a broker that is gone), raises before it stops the sender: the thread then reconnects
    for ever (seen: a service stopped during an outage left its relay's network thread). After
    such a failure the sender is force-closed (it aborts what is pending, which the outbox still
    holds unsent) and the producer closed again without waiting."""
    try:
        producer.close(timeout=timeout)
        return
    except Exception:  # noqa: BLE001 - pending records the broker will not take
        pass
    sender = getattr(producer, "_sender", None)  # kafka-python's own name (3.0.x, pinned)
    if sender is not None:
        sender.force_close()
        sender.join(max(timeout, 1.0))
    try:
        producer.close(timeout=0)
    except Exception:  # noqa: BLE001 - its thread is stopped: what is left is bookkeeping
        pass


def _stop_half_made(client: Any) -> None:
    # kafka-python's own attribute names (3.0.x, pinned): the network client and its IO loop.
    network = getattr(client, "_client", None)
    io_loop = getattr(client, "_net", None) or getattr(
        getattr(network, "_manager", None), "_net", None
    )
    for stop in (getattr(network, "close", None), getattr(io_loop, "stop", None)):
        if stop is not None:
            try:
                stop()
            except Exception:  # noqa: BLE001 - cleaning up after the error that is raised
                pass


def make_producer(settings: Settings) -> KafkaProducer:
    """The relay's producer. Its topic is created with the configured partition count first,
    and a key keeps its partition when the broker later reports more (``StablePartitioner``)."""
    ensure_topics(settings, [settings.topic])
    return KafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap.split(","),
        client_id=f"zorgtafel-{settings.service}-relay",
        enable_idempotence=True,
        acks="all",
        retries=5,
        max_in_flight_requests_per_connection=5,
        linger_ms=2,
        request_timeout_ms=8000,
        delivery_timeout_ms=15000,
        reconnect_backoff_max_ms=2000,
        partitioner=StablePartitioner(settings.kafka_bootstrap),
        bootstrap_timeout_ms=_bootstrap_timeout_ms(settings),
        # Honoured by Kafka (Strimzi: the KafkaTopic creates it); tansu ignores it.
        allow_auto_create_topics=False,
        **_security(settings),
    )


class StablePartitioner(Partitioner):  # type: ignore[misc]
    """murmur2(key) over the partitions a topic had when this process first saw it, as Kafka's
    default partitioner over that many: a key keeps its partition when the broker later
    reports more (tansu auto-creates 4 after a restart, before anyone can create the 3 the
    topic had). On Kafka the count never changes underneath, so this is the default placement.
    The first count is kept per broker address and topic for the process, so a producer made
    again after a failure places keys as the one before it."""

    _first_seen: dict[tuple[str, str], int] = {}
    _lock = threading.Lock()

    def __init__(self, scope: str) -> None:
        self.scope = scope

    def partition(
        self,
        topic: str,
        key: Any,
        serialized_key: bytes | None,
        value: Any,
        serialized_value: bytes | None,
        cluster: Any,
    ) -> int:
        partitions: list[int] = sorted(cluster.partitions_for_topic(topic) or ())
        if not partitions:
            raise ValueError("topic has no partitions in the cluster metadata")
        with self._lock:
            first = self._first_seen.setdefault((self.scope, topic), len(partitions))
        usable = partitions[: min(first, len(partitions))]
        if serialized_key is None:
            return usable[0]
        return usable[(int(murmur2(serialized_key)) & 0x7FFFFFFF) % len(usable)]


def make_consumer(settings: Settings, topics: list[str]) -> KafkaConsumer:
    return built(
        KafkaConsumer,
        *topics,
        bootstrap_servers=settings.kafka_bootstrap.split(","),
        client_id=f"zorgtafel-{settings.service}-consumer",
        group_id=settings.consumer_group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        allow_auto_create_topics=False,
        # tansu holds each JoinGroup for half the session timeout (measured): keep it short.
        # Three heartbeats per session, as Kafka advises (6 s in production: one every 2 s).
        session_timeout_ms=settings.kafka_session_timeout_ms,
        heartbeat_interval_ms=max(500, settings.kafka_session_timeout_ms // 3),
        max_poll_records=100,
        fetch_max_wait_ms=int(option(settings, "kafka_fetch_max_wait_ms")),
        reconnect_backoff_max_ms=2000,
        request_timeout_ms=max(30000, settings.kafka_session_timeout_ms + 5000),
        bootstrap_timeout_ms=_bootstrap_timeout_ms(settings),
        **_security(settings),
    )


def make_admin(settings: Settings) -> KafkaAdminClient:
    return built(
        KafkaAdminClient,
        bootstrap_servers=settings.kafka_bootstrap.split(","),
        client_id=f"zorgtafel-{settings.service}-health",
        request_timeout_ms=3000,
        bootstrap_timeout_ms=_bootstrap_timeout_ms(settings),
        reconnect_backoff_max_ms=2000,
        **_security(settings),
    )


def create_topics(admin: KafkaAdminClient, topics: Iterable[str], partitions: int) -> list[str]:
    """Create the topics the broker does not have yet; return the ones created."""
    from kafka.admin import NewTopic
    from kafka.errors import TopicAlreadyExistsError

    existing = set(admin.list_topics())
    missing = [t for t in dict.fromkeys(topics) if t not in existing]
    if missing:
        try:
            admin.create_topics([NewTopic(t, partitions, 1) for t in missing])
        except TopicAlreadyExistsError:
            pass  # another replica or service was first
    return missing


def ensure_topics(settings: Settings, topics: list[str], partitions: int | None = None) -> None:
    """Create the topics a service produces or consumes, with the configured partition count,
    before it asks the broker for them (embedded broker and tests; in Kubernetes Strimzi's
    KafkaTopic resources create them first). A topic that exists is left as it is."""
    admin = make_admin(settings)
    try:
        create_topics(admin, topics, partitions or topic_partitions(settings))
    finally:
        admin.close()


def make_subscribed_consumer(settings: Settings, topics: list[str]) -> KafkaConsumer:
    ensure_topics(settings, topics)
    return make_consumer(settings, topics)


def relay_options(settings: Settings) -> dict[str, Any]:
    """The broker-facing options of a service's ``OutboxRelay``."""
    return {
        "held_records": HeldRecords(settings),
        "check_every_s": float(option(settings, "relay_check_interval_s")),
    }


def consumer_options(settings: Settings) -> dict[str, Any]:
    """The broker-facing options of a service's ``EventConsumer``."""
    return {"lag_alert": int(option(settings, "consumer_lag_alert"))}


# An acknowledged record: (topic, partition, offset, event id)
Acked = tuple[str, int, int, str]
HELD, LOST, EXPIRED, UNKNOWN = "held", "lost", "expired", "unknown"
# What the broker check fetches per partition (and 4x that per request). It needs the one
# record at each sampled offset, the lowest acknowledged one among them: with the library's
# default (1 MB per partition, 50 MB a request) every check fetched all that was published
# since, up to 1 MB a partition, every 5 s, and the kept client held it between checks, so a
# service's memory grew with its topic (disclosure ~0.15 MB per demo case, issue #16). A
# batch larger than this still comes whole (the broker returns a partition's first batch
# whatever the limit), so no verdict is lost to it.
CHECK_FETCH_BYTES = 64 * 1024


class HeldRecords:
    """Whether the broker still holds records it acknowledged, record by record: the record
    at each acknowledged offset is fetched and its CloudEvents id compared. True on every
    broker: tansu reports a partition's end offset as its last *batch's* first offset + 1, so
    no conclusion is drawn from end offsets except "nothing is at or after this offset".

    Verdicts: ``held``; ``lost`` (another event, a gap, or nothing at or after the offset);
    ``expired`` (below the partition's first offset: deleted by retention, not lost);
    ``unknown`` (no answer in time: asked again at the next check).

    One group-less client, kept between checks (a new client per check stalled its thread for
    120-190 ms); it is closed and made again after any error, so metadata cached before a
    broker restart does not outlive it."""

    def __init__(self, settings: Settings, wait_s: float = 2.0) -> None:
        self._settings = settings
        self._wait_s = wait_s
        self._client: KafkaConsumer | None = None
        # Making, dropping and the final close of the client, one at a time: a check still
        # running when the relay stops must not make a client after the close.
        self._lock = threading.Lock()
        self._closed = False

    def _connect(self) -> KafkaConsumer:
        with self._lock:
            if self._closed:
                raise RuntimeError("the broker check is closed")
            if self._client is None:
                self._client = built(
                    KafkaConsumer,
                    bootstrap_servers=self._settings.kafka_bootstrap.split(","),
                    client_id=f"zorgtafel-{self._settings.service}-relay-check",
                    group_id=None,
                    enable_auto_commit=False,
                    # Out of range (past the end, or deleted): go to the end, so no record comes.
                    auto_offset_reset="latest",
                    allow_auto_create_topics=False,
                    fetch_max_wait_ms=20,
                    max_poll_records=50,
                    max_partition_fetch_bytes=CHECK_FETCH_BYTES,
                    fetch_max_bytes=4 * CHECK_FETCH_BYTES,
                    enable_incremental_fetch_sessions=False,
                    request_timeout_ms=5000,
                    bootstrap_timeout_ms=_bootstrap_timeout_ms(self._settings),
                    reconnect_backoff_max_ms=1000,
                    **_security(self._settings),
                )
            return self._client

    def close(self) -> None:
        """At the relay's stop: the client goes and no check makes another."""
        self._drop(closing=True)

    def _drop(self, closing: bool = False) -> None:
        with self._lock:
            self._closed = self._closed or closing
            client, self._client = self._client, None
        if client is not None:
            try:
                client.close(autocommit=False)
            except Exception:  # noqa: BLE001
                pass

    def __call__(self, samples: Sequence[Acked]) -> dict[Acked, str]:
        try:
            return self._check(samples)
        except Exception:
            self._drop()  # made again at the next check
            raise

    def _check(self, samples: Sequence[Acked]) -> dict[Acked, str]:
        client = self._connect()
        verdicts: dict[Acked, str] = {}
        client.topics()  # fresh metadata
        for sample in samples:
            if sample[1] not in (client.partitions_for_topic(sample[0]) or ()):
                verdicts[sample] = LOST  # the topic or the partition itself is gone
        # One offset per partition per round: a consumer has one position per partition.
        rounds: list[dict[TopicPartition, int]] = []
        for sample in samples:
            topic, partition, offset, _ = sample
            if sample in verdicts:
                continue
            tp = TopicPartition(topic, partition)
            for r in rounds:
                if r.get(tp, offset) == offset:
                    r[tp] = offset
                    break
            else:
                rounds.append({tp: offset})
        found: dict[tuple[TopicPartition, int], tuple[int, str | None] | None] = {}
        for targets in rounds:
            found.update(self._fetch(client, targets))
        missing = [key for key, rec in found.items() if rec is None or rec[0] != key[1]]
        first: Mapping[TopicPartition, int] = {}
        end: Mapping[TopicPartition, int] = {}
        if missing:
            tps = list({tp for tp, _ in missing})
            first = client.beginning_offsets(tps)
            end = client.end_offsets(tps)
        for sample in samples:
            if sample in verdicts:
                continue
            topic, partition, offset, event_id = sample
            tp = TopicPartition(topic, partition)
            rec = found.get((tp, offset))
            if rec is not None and rec[0] == offset:
                verdicts[sample] = HELD if rec[1] == event_id else LOST
            elif offset < first.get(tp, 0):
                verdicts[sample] = EXPIRED
            elif rec is not None or end.get(tp, 0) <= offset:
                # A later record and none at the offset, or nothing at or after it.
                verdicts[sample] = LOST
            else:
                verdicts[sample] = UNKNOWN
        return verdicts

    def _fetch(
        self, client: KafkaConsumer, targets: Mapping[TopicPartition, int]
    ) -> dict[tuple[TopicPartition, int], tuple[int, str | None] | None]:
        """The first record at or after each target offset: (offset, ce_id), None if none came."""
        client.assign(list(targets))
        for tp, offset in targets.items():
            client.seek(tp, offset)
        got: dict[tuple[TopicPartition, int], tuple[int, str | None] | None] = {
            (tp, o): None for tp, o in targets.items()
        }
        pending = set(targets)
        deadline = time.monotonic() + self._wait_s
        try:
            while pending and time.monotonic() < deadline:
                for tp, records in client.poll(timeout_ms=50).items():
                    if tp in pending and records:
                        rec = records[0]
                        ce_id = dict(rec.headers or []).get("ce_id")
                        got[(tp, targets[tp])] = (
                            rec.offset,
                            ce_id.decode("utf-8", "replace") if ce_id else None,
                        )
                        pending.discard(tp)
        finally:
            client.assign([])
        return got

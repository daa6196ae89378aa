"""Kafka clients configured the one way this suite uses them.

Producer: idempotent (acks=all, retries), so a retried send is written once. Transactions are
deliberately not used: the measured broker (tansu) shows aborted records, so exactly-once rests
on the transactional outbox and idempotent consumers instead.
"""

from __future__ import annotations

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer

from zorgtafel.kernel.config import Settings


def _security(settings: Settings) -> dict[str, str | None]:
    if settings.kafka_security_protocol.upper() == "SSL":
        return {
            "security_protocol": "SSL",
            "ssl_cafile": settings.kafka_ssl_cafile or None,
            "ssl_certfile": settings.kafka_ssl_certfile or None,
            "ssl_keyfile": settings.kafka_ssl_keyfile or None,
        }
    return {"security_protocol": "PLAINTEXT"}


def make_producer(settings: Settings) -> KafkaProducer:
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
        **_security(settings),
    )


def make_consumer(settings: Settings, topics: list[str]) -> KafkaConsumer:
    return KafkaConsumer(
        *topics,
        bootstrap_servers=settings.kafka_bootstrap.split(","),
        client_id=f"zorgtafel-{settings.service}-consumer",
        group_id=settings.consumer_group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        # tansu holds each JoinGroup for half the session timeout (measured): keep it short.
        session_timeout_ms=settings.kafka_session_timeout_ms,
        heartbeat_interval_ms=max(1000, settings.kafka_session_timeout_ms // 3),
        max_poll_records=100,
        # tansu answers a fetch only when fetch_max_wait_ms has passed or data came: keep the
        # wait short, so an event reaches its consumer in milliseconds, not half a second.
        fetch_max_wait_ms=50,
        reconnect_backoff_max_ms=2000,
        request_timeout_ms=max(30000, settings.kafka_session_timeout_ms + 5000),
        **_security(settings),
    )


def make_admin(settings: Settings) -> KafkaAdminClient:
    return KafkaAdminClient(
        bootstrap_servers=settings.kafka_bootstrap.split(","),
        client_id=f"zorgtafel-{settings.service}-health",
        request_timeout_ms=3000,
        reconnect_backoff_max_ms=2000,
        **_security(settings),
    )


def ensure_topics(settings: Settings, topics: list[str], partitions: int = 3) -> None:
    """Create the topics a consumer needs if the broker does not have them yet (embedded and
    tests; in Kubernetes Strimzi's KafkaTopic resources create them first)."""
    from kafka.admin import NewTopic
    from kafka.errors import TopicAlreadyExistsError

    admin = make_admin(settings)
    try:
        existing = set(admin.list_topics())
        missing = [NewTopic(t, partitions, 1) for t in topics if t not in existing]
        if missing:
            try:
                admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass
    finally:
        admin.close()


def make_subscribed_consumer(settings: Settings, topics: list[str]) -> KafkaConsumer:
    ensure_topics(settings, topics)
    return make_consumer(settings, topics)


class EndOffsets:
    """Asks the broker how far each partition reaches (a fresh group-less client per check, so
    the answer never comes from metadata cached before a broker restart). A partition the
    broker does not know reaches 0."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def __call__(self, partitions: set[tuple[str, int]]) -> dict[tuple[str, int], int]:
        from kafka import TopicPartition

        client = KafkaConsumer(
            bootstrap_servers=self._settings.kafka_bootstrap.split(","),
            client_id=f"zorgtafel-{self._settings.service}-relay-check",
            group_id=None,
            enable_auto_commit=False,
            request_timeout_ms=5000,
            **_security(self._settings),
        )
        try:
            known = []
            for topic in {t for t, _ in partitions}:
                for p in client.partitions_for_topic(topic) or ():
                    known.append(TopicPartition(topic, p))
            ends = client.end_offsets(known) if known else {}
            return {
                (tp.topic, tp.partition): ends.get(tp, 0)
                for tp in (TopicPartition(t, p) for t, p in partitions)
            }
        finally:
            client.close()

"""Audited disclosure decisions per second through gRPC: each call authenticates, asks
``zorgtafel.authz`` and ``zorgtafel.disclosure`` (embedded Rego), appends a hash-chained
access-log record and its DISCLOSURE_DECIDED outbox row in one transaction, then decrypts and
releases the item. Reported with p50/p99 beside a bare gRPC echo server measured in the same
run (ratios), bounded in time (well under 60 s)."""

from __future__ import annotations

import json
import tempfile
import threading
import time
import uuid
from pathlib import Path

from bench.baseline import grpc_echo, percentiles, timed_loop

CARE = "00000099000000000038"
GGZ = "00000099000000000045"


def _seed(app) -> str:
    """The facts other services would publish (party status, the case and its roles), written
    through disclosure's own consumer handlers."""
    from services.disclosure.service_layer import handlers as h
    from zorgtafel.kernel.uow import utcnow

    case_id = uuid.uuid4().hex
    directory = app.definition.tables["party_directory"]
    with app.uow_factory() as uow:
        for party in (CARE, GGZ):
            uow.session.execute(
                directory.insert().values(
                    party_id=party,
                    name="bench",
                    kind="care_provider",
                    status="active",
                    updated_at=utcnow(),
                )
            )
        h.upsert_case(
            uow,
            case_id,
            subject_pseudonym=f"psn-{uuid.uuid4().hex[:8]}",
            age_band="16_plus",
            opened=True,
            roles=json.dumps({CARE: {"role": "care_provider", "information_need": ["health"]}}),
        )
        uow.commit()
    return case_id


def run(
    database_url: str = "", seconds: float = 8.0, threads: int = 4, echo_seconds: float = 3.0
) -> dict:
    from zorgtafel.generated.common.v1 import common_pb2
    from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
    from zorgtafel.generated.disclosure.v1 import disclosure_pb2_grpc as pb_grpc
    from zorgtafel.kernel.broker import LocalBroker, free_port
    from zorgtafel.testing import Keys, channel, running_service

    started = time.perf_counter()
    data_dir = Path(tempfile.mkdtemp(prefix="zorgtafel-bench-disclosure-"))
    keys = Keys(data_dir)
    result: dict = {}
    broker = LocalBroker(free_port(), log_file=data_dir / "broker.log").start()
    try:
        with running_service("disclosure", data_dir, broker.bootstrap, database_url) as app:
            case_id = _seed(app)
            stub = pb_grpc.DisclosureServiceStub(channel(app))
            item = stub.Provide(
                pb.ProvideRequest(
                    request_id=str(uuid.uuid4()),
                    case_id=case_id,
                    category="health",
                    classification=pb.CLASSIFICATION_CONFIDENTIAL,
                    legal_basis=pb.LEGAL_BASIS_PUBLIC_TASK,
                    content_type="application/json",
                    content=json.dumps({"note": "bench", "diag": "x" * 200}).encode(),
                    terms=common_pb2.UsageTerms(
                        purposes=["care_coordination"], summary_only_fields=["diag"]
                    ),
                ),
                metadata=keys.metadata(GGZ, "caseworker"),
            ).item_id
            md = keys.metadata(CARE, "caseworker", "bench-person")
            req = pb.RequestDisclosureRequest(
                item_ids=[item], purpose="care_coordination", action=pb.DISCLOSURE_ACTION_READ
            )

            def call():
                reply = stub.RequestDisclosure(req, metadata=md)
                assert reply.items and reply.items[0].redacted_fields == ["diag"]

            for _ in range(20):
                call()
            sequential = timed_loop(call, seconds=seconds, max_calls=5000)

            # Concurrent clients: the chain head serialises writers, so this shows its cost.
            samples: list[float] = []
            lock = threading.Lock()
            stop_at = time.perf_counter() + seconds / 2

            def worker():
                local = []
                while time.perf_counter() < stop_at:
                    t0 = time.perf_counter()
                    call()
                    local.append(time.perf_counter() - t0)
                with lock:
                    samples.extend(local)

            t0 = time.perf_counter()
            pool = [threading.Thread(target=worker) for _ in range(threads)]
            for t in pool:
                t.start()
            for t in pool:
                t.join(60)
            concurrent = {
                "threads": threads,
                "per_second": len(samples) / (time.perf_counter() - t0),
                **percentiles(samples),
            }
            verified = stub.VerifyLog(pb.VerifyLogRequest(), metadata=keys.metadata(GGZ, "auditor"))
            result.update(sequential)
            result["concurrent"] = concurrent
            result["log_records"] = verified.records
            result["log_intact"] = verified.intact
            result["database"] = "postgresql" if database_url else "sqlite"
    finally:
        broker.stop()
    echo = grpc_echo(seconds=echo_seconds)
    result["grpc_echo"] = echo
    result["p50_ratio_to_echo"] = result["p50_ms"] / echo["p50_ms"]
    result["p99_ratio_to_echo"] = result["p99_ms"] / echo["p99_ms"]
    result["throughput_ratio_to_echo"] = result["per_second"] / echo["per_second"]
    result["elapsed_s"] = round(time.perf_counter() - started, 1)
    return result


if __name__ == "__main__":
    from zorgtafel.testing import postgres_url

    print(json.dumps(run(database_url=postgres_url() or ""), indent=2))

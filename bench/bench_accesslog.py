"""The kernel access log (issue #15): appends under 1 and under 8 concurrent clients through
the group committer (no lock convoy: 8-client p99 within 3x of one client's), and verification
in records per second (records read from the database, every leaf and the tree recomputed, every
checkpoint's signature and root checked). PostgreSQL when one answers, else SQLite."""

from __future__ import annotations

import json
import tempfile
import threading
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

from bench.baseline import percentiles


def _record(i: int):
    from zorgtafel.kernel.accesslog.records import AccessRecord

    return AccessRecord(
        recorded_at=datetime.now(timezone.utc),
        party="00000099000000000038",
        person=f"person-{i % 50}",
        role="care_provider",
        rpc="RequestDisclosure",
        action="read",
        result="allowed",
        resource=f"item-{uuid.uuid4().hex}",
        case_id=f"case-{i % 1000:08d}",
        subject_pseudonym=f"psn-{i % 1000:08d}",
        provider="00000099000000000045",
        purpose="care_coordination",
        processing_activity="pa-care-coordination",
        reasons=("The recipient's role needs the item's category",),
        decision_id=uuid.uuid4().hex,
        policy_revision="rev-bench",
        trace_id="a" * 32,
        span_id="b" * 16,
        recipient="00000099000000000038",
        input_digest="c" * 64,
    )


def run(database_url: str = "", records: int = 100_000, appends: int = 400) -> dict:
    from sqlalchemy import create_engine, text
    from sqlalchemy.orm import sessionmaker

    from zorgtafel.kernel.accesslog import store
    from zorgtafel.kernel.accesslog.checkpoint import Signer
    from zorgtafel.kernel.accesslog.group import GroupCommitLog
    from zorgtafel.kernel.accesslog.verify import leaves_of, verify_log
    from zorgtafel.kernel.events import EventRegistry
    from zorgtafel.kernel.schema import service_metadata
    from zorgtafel.kernel.uow import UnitOfWork, utcnow

    schema = f"bench_accesslog_{uuid.uuid4().hex[:8]}"
    if database_url:
        engine = create_engine(database_url, pool_size=12)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine = engine.execution_options(schema_translate_map={None: schema})
    else:
        path = Path(tempfile.mkdtemp(prefix="zorgtafel-bench-accesslog-")) / "log.db"
        engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 30})
    metadata, tables = service_metadata(party_directory=False)
    metadata.create_all(engine)
    t = store.LogTables.of(tables)
    factory = sessionmaker(bind=engine, expire_on_commit=False)

    def uow_factory():
        return UnitOfWork(factory, tables, topic="t", source="/bench", registry=EventRegistry([]))

    signer = Signer.generate()
    result: dict = {"database": "postgresql" if database_url else "sqlite"}
    try:
        with uow_factory() as uow:
            store.ensure_head(uow.session, t)
            uow.commit()
        log = GroupCommitLog(uow_factory, log_id="bench", signer=signer)
        try:
            # -- appends: one client, then eight --------------------------------------------
            for i in range(20):
                log.append([_record(i)])
            one: list[float] = []
            for i in range(appends):
                t0 = time.perf_counter()
                log.append([_record(i)])
                one.append(time.perf_counter() - t0)
            result["append_1_client"] = {"per_second": len(one) / sum(one), **percentiles(one)}

            eight: list[float] = []
            lock = threading.Lock()
            batches_before = log.batches

            def client(n: int) -> None:
                local = []
                for i in range(n):
                    t0 = time.perf_counter()
                    log.append([_record(i)])
                    local.append(time.perf_counter() - t0)
                with lock:
                    eight.extend(local)

            t0 = time.perf_counter()
            pool = [threading.Thread(target=client, args=(appends // 2,)) for _ in range(8)]
            for th in pool:
                th.start()
            for th in pool:
                th.join(300)
            wall = time.perf_counter() - t0
            result["append_8_clients"] = {
                "per_second": len(eight) / wall,
                "records_per_batch": len(eight) / max(log.batches - batches_before, 1),
                **percentiles(eight),
            }
            result["append_p99_ratio_8_to_1"] = (
                result["append_8_clients"]["p99_ms"] / result["append_1_client"]["p99_ms"]
            )
        finally:
            log.close()

        # -- verification of a log of ``records`` records ---------------------------------
        with uow_factory() as uow:
            have = store.head_size(uow.session.connection(), t) or 0
            while have < records:
                n = min(2000, records - have)
                store.append_batch(
                    uow.session,
                    t,
                    [_record(i) for i in range(n)],
                    signer=signer,
                    log_id="bench",
                    now=utcnow(),
                )
                uow.commit()
                have += n
        with engine.connect() as conn:
            t0 = time.perf_counter()
            report = store.verify(conn, t, [signer.public_key()], log_id="bench")
            dt = time.perf_counter() - t0
        result["verify"] = {
            "records": report.records,
            "intact": report.intact,
            "checkpoints": report.checkpoints_checked,
            "seconds": round(dt, 2),
            "records_per_second": report.records / dt,
        }
        # The same verification with the records already read (what the Python side costs:
        # every leaf re-encoded and hashed, the tree rebuilt, every checkpoint checked).
        with engine.connect() as conn:
            rows = list(store.iter_values(conn, t))
            cps = store.stored_checkpoints(conn, t, "bench")
        t0 = time.perf_counter()
        again = verify_log(leaves_of(rows), cps, [signer.public_key()], log_id="bench")
        dt = time.perf_counter() - t0
        result["verify_records_in_memory"] = {
            "intact": again.intact,
            "records_per_second": again.records / dt,
        }
    finally:
        if database_url:
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()
    result["verify_records_per_second"] = result["verify"]["records_per_second"]
    return result


if __name__ == "__main__":
    from zorgtafel.testing import postgres_url

    print(json.dumps(run(database_url=postgres_url() or ""), indent=2))

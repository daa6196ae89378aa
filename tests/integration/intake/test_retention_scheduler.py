"""The retention scheduler on its own (issue #14), over real gRPC, the real broker and the real
databases (SQLite files, PostgreSQL schemas): intake and disclosure run as the kernel runs them,
with the nomination retention period set to one second (``ZORGTAFEL_RETENTION_OVERRIDE_S``, a
test/dev-only override) and a tick every 0.2 s. A rejected nomination is then forgotten by
intake's scheduler without anyone calling anything, disclosure forgets its projection and case
key on ``NominationForgotten``, and a scan of every table of both databases finds no name, date
of birth or BSN, nor a key that could open a ciphertext of the case."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.integration.intake.conftest import (
    ACTIVE,
    DIRECTOR,
    HELMOND,
    Env,
    judged,
    unique_bsn,
    unique_subject,
)
from zorgtafel.generated.intake.v1 import intake_pb2 as pb
from zorgtafel.kernel.app import App
from zorgtafel.testing import running_service, service_env
from zorgtafel.testing.services import wait_for

RETENTION = {"retention_override_s": "nomination_ended=1", "retention_interval_s": "0.2"}


def every_value(app: App) -> list[str]:
    """Every stored value of every table of a running service, as text."""
    out: list[str] = []
    with app.engine.connect() as conn:
        for table in app.definition.tables.values():
            for row in conn.execute(select(table)).all():
                for value in row:
                    if isinstance(value, bytes | bytearray | memoryview):
                        out.append(bytes(value).decode("latin-1"))
                    elif value is not None:
                        out.append(str(value))
    return out


def has_row(app: App, table: str, case_id: str) -> bool:
    t = app.definition.tables[table]
    with app.engine.connect() as conn:
        return conn.execute(select(t.c.case_id).where(t.c.case_id == case_id)).first() is not None


@pytest.fixture
def suite(broker, data_dir, database_url):
    with service_env(
        "intake", Env, broker.bootstrap, data_dir, database_url, capture_logs=True, **RETENTION
    ) as intake:
        with running_service(
            "disclosure", data_dir, broker.bootstrap, database_url, **RETENTION
        ) as disclosure:
            intake.register_parties(ACTIVE)
            intake.appoint(HELMOND, DIRECTOR)
            yield intake, disclosure


def test_a_rejected_nomination_is_forgotten_on_its_own_clock_in_intake_and_disclosure(suite):
    intake, disclosure = suite
    bsn = unique_bsn()
    subject = unique_subject(bsn=bsn)
    case_id = intake.nominate(subject=subject).case_id
    # disclosure made its projection and case key on CASE_NOMINATED
    wait_for(lambda: has_row(disclosure, "case_keys", case_id), timeout=60)
    intake.assess(
        case_id,
        qualifies=False,
        criteria=judged(a=False),
        rejection_reason=pb.REJECTION_REASON_CRITERIA_NOT_MET,
    )

    # Nobody calls anything: the schedulers do it.
    wait_for(lambda: not has_row(intake.app, "nominations", case_id), timeout=60)
    wait_for(lambda: has_row(disclosure, "forgotten_cases", case_id), timeout=60)

    secrets = (subject.family_name, subject.given_names, subject.date_of_birth, bsn)
    for app in (intake.app, disclosure):
        stored = every_value(app)
        for secret in secrets:
            assert not any(secret in v for v in stored), (app.settings.service, secret)
        assert not has_row(app, "case_keys", case_id)  # nothing left to open a copy with
        assert has_row(app, "forgotten_cases", case_id)  # the bare id, so nothing comes back
    assert not has_row(disclosure, "case_facts", case_id)
    purged = intake.app.metrics.retention_purged.labels(task="nomination_ended")._value.get()
    assert purged >= 1
    logged = intake.logs.text()
    assert "retention_tick" in logged
    for secret in secrets:
        assert secret not in logged

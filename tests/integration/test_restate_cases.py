"""After an upgrade, ``zorgtafel restate-cases`` makes the cases casework holds known to
governance, whose ``case_facts`` (since its migration 9c4e2a7d5b18) began empty: a case opened
before it is unknown there and a dispute naming it UNAVAILABLE for good. The command runs beside
the running casework (``bootstrap.offline``) and writes one ``CaseRestated`` per case to
casework's outbox; the running relay publishes it over the real broker and governance's consumer
applies it. Run twice, it changes nothing in governance. Real databases (PostgreSQL, and the
SQLite files of a development machine), gRPC, Rego and broker."""

from __future__ import annotations

import sys
import uuid

import grpc
import pytest
from sqlalchemy import delete, select

from tests.integration.governance.harness import Board
from zorgtafel.cli import main as cli_main
from zorgtafel.contracts import events as ev
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.kernel.logging import configure_logging
from zorgtafel.testing import Keys, Publisher, running_service, wait_for
from zorgtafel.testing.cli import printed_json

pytestmark = pytest.mark.integration

LUMENS = "00000099000000000053"  # directs the case (12.3)
EINDHOVEN = "00000099000000000013"  # no part in it
VEILIG_THUIS = "00000099000000000066"
SHELTER = "00000099000000000051"
POLICE = "00000099000000000061"


def facts_row(gov, case_id: str) -> dict | None:
    t = gov.definition.tables["case_facts"]
    with gov.engine.connect() as conn:
        row = conn.execute(select(t).where(t.c.case_id == case_id)).mappings().first()
    return dict(row) if row else None


def applied(gov, case_id: str, event_type: str) -> int:
    t = gov.definition.tables["processed_events"]
    with gov.engine.connect() as conn:
        rows = conn.execute(
            select(t.c.event_id).where(t.c.case_id == case_id, t.c.type == event_type)
        )
        return len(rows.all())


def code_of(call) -> grpc.StatusCode:  # noqa: ANN001
    with pytest.raises(grpc.RpcError) as err:
        call()
    return err.value.code()


def restate_cases(casework, monkeypatch, capsys) -> dict:  # noqa: ANN001
    """``zorgtafel restate-cases`` with casework's ``ZORGTAFEL_*`` variables."""
    settings = casework.settings
    monkeypatch.setenv("ZORGTAFEL_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("ZORGTAFEL_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("ZORGTAFEL_DATABASE_SCHEMA", settings.database_schema)
    capsys.readouterr()
    try:
        assert cli_main(["restate-cases"]) == 0
    finally:
        # The command logs to the stderr it was given (pytest's capture here, closed after the
        # test): the services and the tests after this one log to the process's own again.
        configure_logging("INFO", stream=sys.__stderr__)
    return printed_json(capsys.readouterr().out, lambda v: isinstance(v, dict) and "restated" in v)


def test_a_case_known_only_to_casework_is_known_to_governance_after_restate_cases(
    module_broker, tmp_path, database_url, monkeypatch, capsys
):
    keys = Keys(tmp_path)
    bootstrap = module_broker.bootstrap
    publisher = Publisher(bootstrap)
    with (
        running_service("casework", tmp_path, bootstrap, database_url) as casework,
        running_service("governance", tmp_path, bootstrap, database_url) as gov,
    ):
        manager = Board(gov, keys).manager
        director = manager.designate(LUMENS)
        outsider = manager.designate(EINDHOVEN)
        case_id = f"case-{uuid.uuid4()}"
        publisher.publish(
            "intake",
            ev.CASE_TRIAGED,
            case_id,
            {
                "case_id": case_id,
                "subject_pseudonym": "ps-1",
                "nominating_party": VEILIG_THUIS,
                "age_band": "16_plus",
                "routing": "case_meeting",
                "goal_code": "stabilise",
                "themes": ["safety"],
                "decision_types": ["plan"],
                "invitees": [SHELTER, POLICE],
                "process_director_party": LUMENS,
                "process_director_person": director.person,
            },
        )
        wait_for(lambda: facts_row(gov, case_id) is not None, timeout=60)
        # Governance as it is after the upgrade: casework's opening of the case was consumed
        # before migration 9c4e2a7d5b18, so nothing of it is kept.
        with gov.engine.begin() as conn:
            t = gov.definition.tables["case_facts"]
            conn.execute(delete(t).where(t.c.case_id == case_id))

        def dispute(person):  # noqa: ANN001, ANN202
            return lambda: person.RegisterDispute(
                about=pb.DISPUTE_ABOUT_CASE_DIRECTOR, case_id=case_id
            )

        assert code_of(dispute(director)) == grpc.StatusCode.UNAVAILABLE

        report = restate_cases(casework, monkeypatch, capsys)
        assert case_id in report["case_ids"]
        wait_for(lambda: applied(gov, case_id, ev.CASE_RESTATED) == 1, timeout=60)
        assert (
            director.RegisterDispute(
                about=pb.DISPUTE_ABOUT_CASE_DIRECTOR, case_id=case_id
            ).dispute.case_id
            == case_id
        )
        assert code_of(dispute(outsider)) == grpc.StatusCode.PERMISSION_DENIED
        known = facts_row(gov, case_id)
        assert known is not None and known["process_director_person"] == director.person

        # Restated again: applied once more, and nothing changes.
        restate_cases(casework, monkeypatch, capsys)
        wait_for(lambda: applied(gov, case_id, ev.CASE_RESTATED) == 2, timeout=60)
        assert facts_row(gov, case_id) == known
    publisher.close()

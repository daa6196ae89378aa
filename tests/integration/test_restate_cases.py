"""After an upgrade, ``zorgtafel restate-cases`` makes the cases casework holds known to
governance, whose ``case_facts`` (since its migration 9c4e2a7d5b18) began empty: a case opened
before it is unknown there and a dispute naming it UNAVAILABLE for good. The command runs beside
the running casework (``bootstrap.offline``) and writes one ``CaseRestated`` per case to
casework's outbox; the running relay publishes it over the real broker and governance's consumer
applies it. Run twice, it changes nothing in governance. Disclosure, which kept who has a part
in a case only since its migration 114226e7f72b, applies it too: a delegate of a case opened
before is disclosed to after the command. Real databases (PostgreSQL, and the
SQLite files of a development machine), gRPC, Rego and broker."""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import grpc
import pytest
from sqlalchemy import delete, select, update

from tests.integration.governance.harness import Board
from tests.support.cases import LUMENS, POLICE, SHELTER, meeting_request, triaged
from zorgtafel.cli import main as cli_main
from zorgtafel.contracts import events as ev
from zorgtafel.generated.casework.v1 import casework_pb2 as cw
from zorgtafel.generated.casework.v1 import casework_pb2_grpc as cw_grpc
from zorgtafel.generated.common.v1 import common_pb2
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as dis_pb
from zorgtafel.generated.disclosure.v1 import disclosure_pb2_grpc as dis_grpc
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.kernel.accesslog.service import reader
from zorgtafel.kernel.logging import configure_logging
from zorgtafel.testing import Keys, Publisher, channel, rid, running_service, wait_for
from zorgtafel.testing.cli import printed_json

pytestmark = pytest.mark.integration

EINDHOVEN = "00000099000000000013"  # no part in it
DELEGATE = "person-1"  # the delegate casework names for the shelter and the police


def facts_row(app, case_id: str) -> dict | None:  # noqa: ANN001
    """The case's row in the service's case_facts (governance's or disclosure's), if any."""
    t = app.definition.tables["case_facts"]
    with app.engine.connect() as conn:
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


OPERATOR = "beheerder-7"  # the operator who runs the command (a person id, never a name)


def restate_cases(casework, monkeypatch, capsys) -> dict:  # noqa: ANN001
    """``zorgtafel restate-cases`` with casework's ``ZORGTAFEL_*`` variables, by OPERATOR of
    LUMENS."""
    settings = casework.settings
    monkeypatch.setenv("ZORGTAFEL_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("ZORGTAFEL_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("ZORGTAFEL_DATABASE_SCHEMA", settings.database_schema)
    capsys.readouterr()
    try:
        assert cli_main(["restate-cases", "--operator", OPERATOR, "--party", LUMENS]) == 0
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
        publisher.publish("intake", ev.CASE_TRIAGED, case_id, triaged(case_id, director.person))
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
        # No part in it: answered as for a case governance does not know (8.4c).
        assert code_of(dispute(outsider)) == grpc.StatusCode.UNAVAILABLE
        known = facts_row(gov, case_id)
        assert known is not None and known["process_director_person"] == director.person

        # Restated again: applied once more, and nothing changes.
        restate_cases(casework, monkeypatch, capsys)
        wait_for(lambda: applied(gov, case_id, ev.CASE_RESTATED) == 2, timeout=60)
        assert facts_row(gov, case_id) == known
    publisher.close()


@dataclass
class SharedCase:
    """A case casework, governance and disclosure hold, with the shelter's safety item."""

    case_id: str
    director_person: str
    read: Callable[[], Any]  # the police's delegate reads the shelter's item
    delegates: Callable[[], dict]  # the delegates disclosure holds
    close: Callable[[], None]  # criteria set, a plan adopted, met, the case closed (1.2)
    read_own: Callable[[], Any]  # the shelter's delegate reads the shelter's own item


def share_a_case(keys, publisher, casework, gov, dis) -> SharedCase:  # noqa: ANN001
    """Triaged, a meeting held (the shelter and the police attending), roles set (the shelter
    needs identity, the police safety), a delegate named for each, the shelter's safety item
    provided: all through the services' gRPC APIs and the broker."""
    director = Board(gov, keys).manager.designate(LUMENS)
    director_md = keys.metadata(LUMENS, "process_director", director.person)
    stub = cw_grpc.CaseworkServiceStub(channel(casework))
    shelter = dis_grpc.DisclosureServiceStub(channel(dis))

    def on_roster(app) -> bool:  # noqa: ANN001
        t = app.definition.tables["roster"]
        with app.engine.connect() as conn:
            return conn.execute(select(t).where(t.c.person == director.person)).first()

    wait_for(lambda: on_roster(casework) and on_roster(dis), timeout=60)
    case_id = f"case-{uuid.uuid4()}"
    publisher.publish(
        "intake",
        ev.CASE_TRIAGED,
        case_id,
        triaged(case_id, director.person, subject_pseudonym=f"ps-{uuid.uuid4().hex[:8]}"),
    )
    wait_for(lambda: (facts_row(dis, case_id) or {}).get("opened"), timeout=60)
    scheduled = meeting_request(case_id)
    meeting = stub.ScheduleMeeting(scheduled, metadata=director_md).meeting
    stub.RecordMeeting(
        cw.RecordMeetingRequest(
            request_id=rid(),
            case_id=case_id,
            meeting_id=meeting.meeting_id,
            attendees=[SHELTER, POLICE],
            minutes="besproken",
        ),
        metadata=director_md,
    )
    stub.SetRoles(
        cw.SetRolesRequest(
            request_id=rid(),
            case_id=case_id,
            meeting_id=meeting.meeting_id,
            roles=[
                cw.PartyRole(party=SHELTER, role="shelter", information_need=["identity"]),
                cw.PartyRole(party=POLICE, role="safety", information_need=["safety"]),
            ],
        ),
        metadata=director_md,
    )
    for party in (SHELTER, POLICE):
        stub.NameDelegate(
            cw.NameDelegateRequest(request_id=rid(), case_id=case_id, party=party, person=DELEGATE),
            metadata=director_md,
        )

    def delegates() -> dict:
        row = facts_row(dis, case_id) or {}
        return json.loads(row.get("delegates") or "{}")

    wait_for(lambda: delegates() == {SHELTER: [DELEGATE], POLICE: [DELEGATE]}, timeout=60)
    wait_for(lambda: POLICE in json.loads(facts_row(dis, case_id)["roles"]), timeout=60)
    item_id = shelter.Provide(
        dis_pb.ProvideRequest(
            request_id=rid(),
            case_id=case_id,
            category="safety",
            classification=dis_pb.CLASSIFICATION_CONFIDENTIAL,
            legal_basis=dis_pb.LEGAL_BASIS_PUBLIC_TASK,
            content_type="application/json",
            content=b'{"note": "veilige opvang"}',
            terms=common_pb2.UsageTerms(purposes=["care_coordination"]),
        ),
        metadata=keys.metadata(SHELTER, "caseworker", DELEGATE),
    ).item_id

    def read_by(party: str) -> Callable[[], Any]:
        """``party``'s delegate reads the shelter's item."""
        return lambda: shelter.RequestDisclosure(
            dis_pb.RequestDisclosureRequest(
                item_ids=[item_id],
                purpose="care_coordination",
                action=dis_pb.DISCLOSURE_ACTION_READ,
            ),
            metadata=keys.metadata(party, "caseworker", DELEGATE),
        )

    def close() -> None:
        held = meeting.meeting_id
        stub.SetDeescalationCriteria(
            cw.SetDeescalationCriteriaRequest(
                request_id=rid(), case_id=case_id, meeting_id=held, criteria=["safe_housing"]
            ),
            metadata=director_md,
        )
        due = (datetime.now(timezone.utc) + timedelta(days=7)).date().isoformat()
        stub.AdoptPlan(
            cw.AdoptPlanRequest(
                request_id=rid(),
                case_id=case_id,
                meeting_id=held,
                actions=[cw.NewAction(party=SHELTER, what="Opvangplek regelen", due_date=due)],
            ),
            metadata=director_md,
        )
        stub.Deescalate(
            cw.DeescalateRequest(
                request_id=rid(), case_id=case_id, meeting_id=held, criteria_met=["safe_housing"]
            ),
            metadata=director_md,
        )
        stub.CloseCase(cw.CloseCaseRequest(request_id=rid(), case_id=case_id), metadata=director_md)

    return SharedCase(case_id, director.person, read_by(POLICE), delegates, close, read_by(SHELTER))


@contextmanager
def a_shared_case(module_broker, tmp_path, database_url) -> Iterator[tuple]:  # noqa: ANN001
    """Casework, governance and disclosure running on the module's broker with the suite's
    keys, and a case they share (share_a_case): the case and the three services."""
    keys = Keys(tmp_path)
    bootstrap = module_broker.bootstrap
    publisher = Publisher(bootstrap)
    with (
        running_service("casework", tmp_path, bootstrap, database_url) as casework,
        running_service("governance", tmp_path, bootstrap, database_url) as gov,
        running_service("disclosure", tmp_path, bootstrap, database_url) as dis,
    ):
        yield share_a_case(keys, publisher, casework, gov, dis), casework, gov, dis
    publisher.close()


def unknown_parts(dis, case_id: str, **also: None) -> None:  # noqa: ANN001
    """Disclosure as a version before its migration 114226e7f72b left the case: who has a part
    in it (the process director, the delegates, the case's people) not kept, nor ``also``."""
    with dis.engine.begin() as conn:
        t = dis.definition.tables["case_facts"]
        conn.execute(
            update(t)
            .where(t.c.case_id == case_id)
            .values(
                process_director_party=None,
                process_director_person=None,
                delegates=None,
                delegates_changed_at=None,
                **also,
            )
        )
        people = dis.definition.tables["case_people"]
        conn.execute(delete(people).where(people.c.case_id == case_id))


def test_a_delegate_of_a_case_opened_before_disclosure_kept_persons_is_disclosed_to_after_it(
    module_broker, tmp_path, database_url, monkeypatch, capsys
):
    """Disclosure kept who has a part in a case only since its migration 114226e7f72b: the
    delegates and the case director of a case opened before have no relation there and are
    refused (need to know by relationship, ADR 0005). After ``zorgtafel restate-cases`` the
    police's delegate, named by casework, reads the shelter's item on the case."""
    with a_shared_case(module_broker, tmp_path, database_url) as (case, casework, gov, dis):
        case_id, read = case.case_id, case.read
        assert read().items
        # Disclosure as it is after the upgrade: casework's facts of who has a part in the case
        # were consumed before migration 114226e7f72b, so none of them is kept.
        unknown_parts(dis, case_id, case_director_party=None, case_director_person=None)
        assert code_of(read) == grpc.StatusCode.PERMISSION_DENIED

        restate_cases(casework, monkeypatch, capsys)
        wait_for(lambda: applied(dis, case_id, ev.CASE_RESTATED) == 1, timeout=60)
        assert read().items
        assert case.delegates() == {SHELTER: [DELEGATE], POLICE: [DELEGATE]}
        known = facts_row(dis, case_id)
        assert known is not None and known["process_director_person"] == case.director_person


def test_a_party_whose_roles_disclosure_missed_is_disclosed_to_by_its_need_after_restate_cases(
    module_broker, tmp_path, database_url, monkeypatch, capsys
):
    """CASE_RESTATED named the parties with a role, not what each needs to know: a disclosure
    that missed casework's ROLES_SET (upgraded from a version that did not keep it) decided
    need to know on the set it held, zorgtafel restate-cases or not (8.4c, 15.1). Here it
    holds the police's need as housing where casework holds safety: the police's delegate is
    refused the shelter's safety item until the command, and reads it after."""
    with a_shared_case(module_broker, tmp_path, database_url) as (case, casework, gov, dis):
        assert case.read().items
        stale = {
            POLICE: {"role": "safety", "information_need": ["housing"]},
            SHELTER: {"role": "shelter", "information_need": ["identity"]},
        }
        with dis.engine.begin() as conn:
            t = dis.definition.tables["case_facts"]
            conn.execute(
                update(t)
                .where(t.c.case_id == case.case_id)
                .values(roles=json.dumps(stale, sort_keys=True), roles_changed_at=None)
            )
        assert code_of(case.read) == grpc.StatusCode.PERMISSION_DENIED

        restate_cases(casework, monkeypatch, capsys)
        wait_for(lambda: applied(dis, case.case_id, ev.CASE_RESTATED) == 1, timeout=60)
        assert case.read().items
        roles = json.loads(facts_row(dis, case.case_id)["roles"])
        assert roles[POLICE] == {"role": "safety", "information_need": ["safety"]}


def test_a_closed_case_restated_gives_its_parties_nothing_live_events_would_not_have(
    module_broker, tmp_path, database_url, monkeypatch, capsys
):
    """A closed case is restated too (until its purge): its dossier cleansed (1.2, the roles
    among what goes), its delegates and case director kept for disputes about it until the
    purge. A disclosure that knew neither who has a part in it (before 114226e7f72b) nor that
    it was closed (before a3c5e0d1b7f2) lets the police's delegate read the shelter's item
    until the command; after it, as after casework's live events, the case is closed there,
    its items go to their provider only, and no party holds a role or an information need
    the cleansed dossier no longer holds (8.4c). Governance holds it closed."""
    with a_shared_case(module_broker, tmp_path, database_url) as (case, casework, gov, dis):
        case.close()
        wait_for(lambda: (facts_row(dis, case.case_id) or {}).get("closed_at"), timeout=60)
        wait_for(lambda: (facts_row(gov, case.case_id) or {}).get("closed_at"), timeout=60)
        assert code_of(case.read) == grpc.StatusCode.PERMISSION_DENIED
        unknown_parts(dis, case.case_id, closed_at=None)
        with gov.engine.begin() as conn:
            t = gov.definition.tables["case_facts"]
            conn.execute(delete(t).where(t.c.case_id == case.case_id))

        report = restate_cases(casework, monkeypatch, capsys)
        assert case.case_id in report["case_ids"]
        wait_for(lambda: applied(dis, case.case_id, ev.CASE_RESTATED) == 1, timeout=60)
        wait_for(lambda: applied(gov, case.case_id, ev.CASE_RESTATED) == 1, timeout=60)
        with pytest.raises(grpc.RpcError) as err:
            case.read()
        assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
        # No part left in the closed case: the refusal of a case it has no part in, which tells
        # nothing of the case's state (since 64244e6), not "closed".
        assert "not involved" in (err.value.details() or "")
        assert "closed" not in (err.value.details() or "")
        assert case.read_own().items  # the provider keeps its own powers (16.1)
        known = facts_row(dis, case.case_id)
        assert known is not None and known["closed_at"] is not None
        assert json.loads(known["roles"]) == {}
        governed = facts_row(gov, case.case_id)
        assert governed is not None and governed["closed_at"] is not None
        assert json.loads(governed["roles"]) == []
        # Closed, not gone: a dispute about the case director's work until the purge (1.2).
        assert json.loads(governed["delegates"]) == {SHELTER: [DELEGATE], POLICE: [DELEGATE]}


def operator_records(casework) -> list[dict]:  # noqa: ANN001
    t = casework.definition.tables["access_log"]
    with casework.engine.connect() as conn:
        rows = conn.execute(select(t).where(t.c.rpc == "restate-cases").order_by(t.c.seq))
        return [dict(r) for r in rows.mappings()]


def test_restate_cases_is_recorded_in_caseworks_access_log_with_who_when_and_how_many(
    module_broker, tmp_path, database_url, monkeypatch, capsys
):
    """zorgtafel restate-cases publishes facts that grant access (who has a part in each case
    and what each party needs to know, 8.4c) and left no record of who ran it: now casework's
    access log (NEN 7513, hash-chained and signed like every record of it) holds one record
    before any case is restated, with the operator, the party, the time and how many cases it
    restates, and one after, with how many it restated: counts only, no case id, no pseudonym."""
    Keys(tmp_path)  # the suite's development keys (the services' tokens, the log's signing key)
    bootstrap = module_broker.bootstrap
    publisher = Publisher(bootstrap)
    with running_service("casework", tmp_path, bootstrap, database_url) as casework:
        case_id = f"case-{uuid.uuid4()}"
        publisher.publish(
            "intake", ev.CASE_TRIAGED, case_id, triaged(case_id, "pd-9", subject_pseudonym="ps-9")
        )

        def opened() -> bool:
            t = casework.definition.tables["cases"]
            with casework.engine.connect() as conn:
                return conn.execute(select(t.c.case_id).where(t.c.case_id == case_id)).first()

        wait_for(opened, timeout=60)
        before = len(operator_records(casework))
        report = restate_cases(casework, monkeypatch, capsys)
        n = report["restated"]
        assert n >= 1 and case_id in report["case_ids"]
        began, ended = operator_records(casework)[before:]
        for record in (began, ended):
            assert (record["party"], record["person"], record["role"]) == (
                LUMENS,
                OPERATOR,
                "operator",
            )
            assert record["action"] == "restate" and record["result"] == "allowed"
            assert record["case_id"] == "" and record["subject_pseudonym"] == ""
            assert case_id not in json.dumps(record, default=str)
            assert "ps-9" not in json.dumps(record, default=str)
        assert began["seq"] < ended["seq"] and began["recorded_at"] <= ended["recorded_at"]
        assert f"{n} cases" in json.loads(began["reasons"])[0]
        assert f"{n} of {n} cases restated" in json.loads(ended["reasons"])[0]
        # Chained and signed with the running service's records: the log still verifies.
        assert casework.access_log is not None
        with casework.uow_factory() as uow:
            verified = reader(uow).verify(casework.access_log.keys)
        assert verified.intact and verified.records >= ended["seq"]
    publisher.close()

"""12.3 end to end: governance ends a process director's designation, casework takes that person
off the cases it directed (ProcessDirectorChanged, nobody) and lists them to the designated
process directors (ListCasesAwaitingDirector); one of another party takes a case over by
directing it (ProcessDirectorChanged, the one who took it over). The events travel through the
outbox, the relay and a real broker, and disclosure and governance apply them: through their own
gRPC APIs the one who took the case over now does what the one who left did (provides for the
case and reads it; registers a dispute about its case director), and the one who left, designated
again since, no longer does. Real databases (PostgreSQL, and the SQLite files of a development
machine), gRPC, Rego and broker."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import grpc
import pytest
from sqlalchemy import select

from tests.integration.governance.harness import Board, Person
from tests.support.cases import LUMENS, meeting_request, triaged
from zorgtafel.contracts import events as ev
from zorgtafel.generated.casework.v1 import casework_pb2 as cw
from zorgtafel.generated.casework.v1 import casework_pb2_grpc as cw_grpc
from zorgtafel.generated.common.v1 import common_pb2
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as dis_pb
from zorgtafel.generated.disclosure.v1 import disclosure_pb2_grpc as dis_grpc
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.testing import Keys, Publisher, channel, rid, running_service, wait_for

pytestmark = pytest.mark.integration

EINDHOVEN = "00000099000000000013"  # the party of the process director who takes the case over


def applied(app, case_id: str, event_type: str) -> int:  # noqa: ANN001
    """How many events of ``event_type`` about the case the service's consumer applied."""
    t = app.definition.tables["processed_events"]
    with app.engine.connect() as conn:
        rows = conn.execute(
            select(t.c.event_id).where(t.c.case_id == case_id, t.c.type == event_type)
        )
        return len(rows.all())


def designated(app, person: Person, held: bool = True) -> bool:  # noqa: ANN001
    """Whether the service's roster holds ``person`` as a process director of its party."""
    t = app.definition.tables["roster"]
    with app.engine.connect() as conn:
        row = conn.execute(
            select(t.c.held).where(
                t.c.function == "process_director",
                t.c.party == person.party,
                t.c.person == person.person,
            )
        ).first()
    return row is not None and bool(row.held) == held


def code_of(call: Callable[[], Any]) -> grpc.StatusCode:
    with pytest.raises(grpc.RpcError) as err:
        call()
    return err.value.code()


@dataclass
class TakeOver:
    """A case whose process director (of Lumens) left and one of Eindhoven took over."""

    case_id: str
    leaving: Person
    taker: Person
    manager: Person
    casework: Any
    release: Callable[[], None]  # the manager ends the leaving one's designation
    take_over: Callable[[], None]  # the taker finds the case awaiting a director and directs it


def case_to_take_over(keys: Keys, publisher: Publisher, casework, gov, *consumers) -> TakeOver:  # noqa: ANN001
    """A case triaged to a process director of Lumens, designated by the manager; a process
    director of Eindhoven designated too; each consumer (and casework) holds both and the case."""
    manager = Board(gov, keys).manager
    leaving = manager.designate(LUMENS)
    taker = manager.designate(EINDHOVEN)
    for app in (casework, *consumers):
        if "roster" in app.definition.tables:  # governance designates: it holds no copy
            wait_for(
                lambda app=app: designated(app, leaving) and designated(app, taker), timeout=60
            )
    case_id = f"case-{uuid.uuid4()}"
    publisher.publish(
        "intake",
        ev.CASE_TRIAGED,
        case_id,
        triaged(case_id, leaving.person, subject_pseudonym=f"ps-{uuid.uuid4().hex[:8]}"),
    )
    for app in consumers:
        wait_for(lambda app=app: applied(app, case_id, ev.CASE_OPENED) == 1, timeout=60)
    stub = cw_grpc.CaseworkServiceStub(channel(casework))

    def awaiting() -> list[str]:
        reply = stub.ListCasesAwaitingDirector(
            cw.ListCasesAwaitingDirectorRequest(page_size=500),
            metadata=keys.metadata(EINDHOVEN, "process_director", taker.person),
        )
        return [c.case_id for c in reply.cases]

    def release() -> None:
        manager.RevokeProcessDirector(party=LUMENS, person=leaving.person)
        wait_for(lambda: case_id in awaiting(), timeout=60)
        for app in consumers:
            wait_for(lambda app=app: applied(app, case_id, ev.PROCESS_DIRECTOR_CHANGED), timeout=60)

    def take_over() -> None:
        assert case_id in awaiting()
        scheduled = meeting_request(case_id)
        stub.ScheduleMeeting(
            scheduled, metadata=keys.metadata(EINDHOVEN, "process_director", taker.person)
        )
        assert case_id not in awaiting()
        for app in consumers:
            wait_for(
                lambda app=app: applied(app, case_id, ev.PROCESS_DIRECTOR_CHANGED) == 2, timeout=60
            )

    return TakeOver(case_id, leaving, taker, manager, casework, release, take_over)


@contextmanager
def services(module_broker, tmp_path, database_url, *consumers: str) -> Iterator[tuple]:  # noqa: ANN001
    """Casework, governance and ``consumers`` on the module's broker with the suite's keys."""
    keys = Keys(tmp_path)
    bootstrap = module_broker.bootstrap
    publisher = Publisher(bootstrap)
    try:
        with (
            running_service("casework", tmp_path, bootstrap, database_url) as casework,
            running_service("governance", tmp_path, bootstrap, database_url) as gov,
        ):
            if not consumers:
                yield keys, publisher, casework, gov
            else:
                (name,) = consumers
                with running_service(name, tmp_path, bootstrap, database_url) as app:
                    yield keys, publisher, casework, gov, app
    finally:
        publisher.close()


def test_disclosure_releases_the_case_to_the_process_director_who_took_it_over(
    module_broker, tmp_path, database_url
):
    """Disclosure applies casework's ProcessDirectorChanged from the broker: the process
    director of Lumens provided for the case and read it while directing it; once taken off it,
    and once the one of Eindhoven took it over, that one provides for the case and reads it,
    and the one of Lumens, designated again, reads nothing of it (not even its party's item)."""
    with services(module_broker, tmp_path, database_url, "disclosure") as (
        keys,
        publisher,
        casework,
        gov,
        dis,
    ):
        case = case_to_take_over(keys, publisher, casework, gov, dis)
        stub = dis_grpc.DisclosureServiceStub(channel(dis))

        def md(person: Person) -> list:
            return keys.metadata(person.party, "process_director", person.person)

        def provide(person: Person) -> str:
            return stub.Provide(
                dis_pb.ProvideRequest(
                    request_id=rid(),
                    case_id=case.case_id,
                    category="safety",
                    classification=dis_pb.CLASSIFICATION_CONFIDENTIAL,
                    legal_basis=dis_pb.LEGAL_BASIS_PUBLIC_TASK,
                    content_type="application/json",
                    content=b'{"note": "regie"}',
                    terms=common_pb2.UsageTerms(purposes=["care_coordination"]),
                ),
                metadata=md(person),
            ).item_id

        def read(person: Person, item_id: str) -> Callable[[], Any]:
            return lambda: stub.RequestDisclosure(
                dis_pb.RequestDisclosureRequest(
                    item_ids=[item_id],
                    purpose="care_coordination",
                    action=dis_pb.DISCLOSURE_ACTION_READ,
                ),
                metadata=md(person),
            )

        lumens_item = provide(case.leaving)
        assert read(case.leaving, lumens_item)().items
        assert code_of(lambda: provide(case.taker)) == grpc.StatusCode.PERMISSION_DENIED

        case.release()
        case.take_over()
        eindhoven_item = provide(case.taker)
        assert read(case.taker, eindhoven_item)().items

        case.manager.DesignateProcessDirector(party=LUMENS, person=case.leaving.person)
        wait_for(lambda: designated(dis, case.leaving), timeout=60)
        assert code_of(read(case.leaving, lumens_item)) == grpc.StatusCode.PERMISSION_DENIED
        assert code_of(lambda: provide(case.leaving)) == grpc.StatusCode.PERMISSION_DENIED


def test_governance_takes_disputes_about_the_case_from_the_process_director_who_took_it_over(
    module_broker, tmp_path, database_url
):
    """Governance applies casework's ProcessDirectorChanged from the broker: a dispute about
    the case's director is registered by the one who directs it, the process director of
    Lumens while it does and the one of Eindhoven after taking the case over; the one of
    Lumens, designated again, is answered as one with no part in the case."""
    with services(module_broker, tmp_path, database_url) as (keys, publisher, casework, gov):
        case = case_to_take_over(keys, publisher, casework, gov, gov)

        def dispute(person: Person) -> Callable[[], Any]:
            return lambda: person.RegisterDispute(
                about=pb.DISPUTE_ABOUT_CASE_DIRECTOR, case_id=case.case_id
            )

        assert dispute(case.leaving)().dispute.case_id == case.case_id
        no_part = code_of(dispute(case.taker))
        assert no_part == grpc.StatusCode.UNAVAILABLE  # as a case governance does not know

        case.release()
        assert code_of(dispute(case.taker)) == no_part
        case.take_over()
        assert dispute(case.taker)().dispute.case_id == case.case_id

        case.manager.DesignateProcessDirector(party=LUMENS, person=case.leaving.person)
        assert code_of(dispute(case.leaving)) == no_part

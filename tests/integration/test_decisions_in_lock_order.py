"""Decisions about one thing are stamped in the order their transactions take its lock
(``next_decision_time``), and the one answered last is the one in force. On PostgreSQL under
READ COMMITTED two decisions at once are serialised on the thing's row; a decision whose time
was read before it got the lock could find a later one applied by then. Each race is staged,
not hoped for: one side is held behind an open transaction, and the test goes on once
PostgreSQL's own account shows it waiting on a lock, never after a sleep."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from services.disclosure.bootstrap import make_deps
from services.disclosure.domain import commands as c_disclosure
from services.disclosure.service_layer.handlers import subject_rights
from services.governance.bootstrap import make_deps as governance_deps
from services.governance.domain import commands as c
from services.governance.domain.parties import PartyStatus
from services.governance.service_layer.handlers import common, membership, roster, seats
from tests.handlers.test_disclosure_handlers import (
    CARER,
    CELLO,
    GGZ,
    GGZ_OFFICER,
    PROVIDER,
    disclosure_of_the_parties,
    provide,
)
from tests.handlers.test_disclosure_subject_rights import decide, restriction_published, submit
from tests.handlers.test_governance_handlers import ASTEN, HELMOND, representative, run
from zorgtafel.contracts import events as ev
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import FailedPrecondition, PermissionDenied
from zorgtafel.testing import deliver
from zorgtafel.testing.handlers import handler_platform
from zorgtafel.testing.races import waiting_in_thread

pytestmark = pytest.mark.integration


def held_behind(platform, hold, waiting, meanwhile):  # noqa: ANN001, ANN201
    """``hold(uow)`` in a transaction left open while ``waiting()`` runs in a thread; once
    PostgreSQL shows that thread waiting on a lock, ``meanwhile()`` runs (and commits) and
    then the open transaction commits. Returns what ``waiting`` and ``meanwhile`` returned."""
    with platform.uow_factory() as uow:
        hold(uow)
        thread, outcome = waiting_in_thread(platform, waiting)
        assert not outcome, "it did not wait for the open transaction"
        done = meanwhile()
        uow.commit()
    thread.join(30)
    assert outcome, "it did not finish once the lock was free"
    return outcome[0], done


# -- disclosure: a subject's restriction beside a lifting of one of its cases ------------------


@pytest.fixture
def disclosure(tmp_path, pg_url):
    with disclosure_of_the_parties(tmp_path, pg_url) as built:
        yield built, make_deps(built[0])


def open_case(built, case_id: str, subject: str) -> str:
    """Intake's nomination (by GGZ) and casework's opening, roles and delegates."""
    platform, parts = built
    facts = {
        "case_id": case_id,
        "subject_pseudonym": subject,
        "nominating_party": GGZ,
        "age_band": "16_plus",
    }
    deliver(platform, parts, ev.CASE_NOMINATED, {**facts, "nominated_at": "2026-12-01T10:00Z"})
    opened = {**facts, "invitees": [CELLO], "process_director_party": GGZ}
    deliver(platform, parts, ev.CASE_OPENED, {**opened, "process_director_person": "pd-1"})
    roles = {
        CELLO: {"role": "care_provider", "information_need": ["health"]},
        GGZ: {"role": "mental_health", "information_need": ["health"]},
    }
    deliver(platform, parts, ev.ROLES_SET, {"case_id": case_id, "roles": roles})
    for delegate in (PROVIDER, CARER):
        data = {"case_id": case_id, "party": delegate.party, "person": delegate.person}
        deliver(platform, parts, ev.DELEGATE_NAMED, data)
    return case_id


def restriction_changes(platform, case_id: str) -> list[tuple[bool, datetime]]:  # noqa: ANN001
    """What casework and intake are told of the case's restriction, in the order published."""
    data = restriction_published(platform, case_id)
    return [(d["restricted"], datetime.fromisoformat(d["changed_at"])) for d in data]


def test_a_restriction_answered_granted_after_a_lifting_that_took_the_lock_first_is_in_force(
    disclosure,
):
    """A subject's restriction of everything held of it (two cases) and the lifting of one
    case's earlier restriction are decided at once. The restriction read its time, then
    waited for the first case's lock; meanwhile the lifting, later by the clock, was carried
    out on the second case. The restriction was answered granted, yet it changed nothing on
    the second case (taken as decided before the lifting): the subject was told its data was
    restricted while one case was not (GDPR art. 18). Now the restriction reads its time
    under the cases' locks: it is decided after the lifting, in force on both cases, and
    told to casework and intake after the lifting, as they apply the newest decision."""
    built, deps = disclosure
    platform, _ = built
    subject, tag = f"psn-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex[:8]
    first = open_case(built, f"case-a{tag}", subject)  # locked first (case id order)
    second = open_case(built, f"case-b{tag}", subject)
    earlier = decide(platform, deps, submit(platform, deps, "restriction", case_id=second))
    lifting = submit(platform, deps, "lift_restriction", case_id=second)
    everything = submit(platform, deps, "restriction", subject_pseudonym=subject)  # both cases
    restricted, lifted = held_behind(
        platform,
        lambda uow: uow.cases.find(first, hold=True),  # e.g. an item being added to it
        lambda: decide(platform, deps, everything),
        lambda: decide(platform, deps, lifting),
    )
    assert (restricted.outcome, lifted.outcome) == ("granted", "granted")
    with platform.uow_factory() as uow:
        in_force = {case_id: uow.cases.find(case_id).restricted for case_id in (first, second)}
    assert in_force == {first: True, second: True}
    assert restricted.decided_at > lifted.decided_at > earlier.decided_at
    assert restriction_changes(platform, second) == [
        (True, earlier.decided_at),
        (False, lifted.decided_at),
        (True, restricted.decided_at),
    ]
    assert restriction_changes(platform, first) == [(True, restricted.decided_at)]


def test_a_request_decided_by_two_officers_at_once_is_decided_once(disclosure):
    """Two privacy officers decide one request at once: a grant and a refusal. Each read the
    request undecided, the grant restricted the case, and the refusal, written after it,
    overwrote the outcome: the register said refused (so did the answer to the second
    officer) while the restriction was in force. The second decision now finds the request
    decided once it gets the row, and is refused with nothing of it stored."""
    built, deps = disclosure
    platform, _ = built
    subject = f"psn-{uuid.uuid4().hex[:8]}"
    case_id = open_case(built, f"case-{uuid.uuid4().hex[:12]}", subject)
    ref = submit(platform, deps, "restriction", case_id=case_id)
    grant = c_disclosure.DecideSubjectRequest(ref, "granted")

    def refuse() -> str:
        try:
            decide(
                platform,
                deps,
                ref,
                "refused",
                refusal_ground="required_by_law",
                reason="a statutory duty to keep it",
            )
        except FailedPrecondition as refused:
            return refused.state
        return "answered refused"

    second, _ = held_behind(
        platform,
        lambda uow: subject_rights.decide_subject_request(deps, uow, grant, GGZ_OFFICER),
        refuse,
        lambda: None,
    )
    assert second == "decided"
    with platform.uow_factory() as uow:
        request = uow.subject_requests.find(ref)
        facts = uow.cases.find(case_id)
    assert request is not None and request.outcome == "granted"
    assert facts is not None and facts.restricted
    assert [held for held, _ in restriction_changes(platform, case_id)] == [True]


def test_a_case_erasure_beside_a_lifting_of_its_restriction_waits_for_the_lifting(disclosure):
    """A case's erasure and the lifting of its restriction at once. The lifting locks the
    case's row and then its items'; the erasure wrote the items first and then the case's
    row, so each held a lock the other waited for and PostgreSQL aborted one of them
    (DeadlockDetected). Every writer now takes the case's row first, then its items' (in
    id order): the erasure waits for the lifting and is carried out after it."""
    built, deps = disclosure
    platform, _ = built
    subject = f"psn-{uuid.uuid4().hex[:8]}"
    case_id = open_case(built, f"case-{uuid.uuid4().hex[:12]}", subject)
    item_ids = {provide(built, deps, case_id), provide(built, deps, case_id)}
    decide(platform, deps, submit(platform, deps, "restriction", case_id=case_id))
    lifting = submit(platform, deps, "lift_restriction", case_id=case_id)
    erasure = submit(platform, deps, "erasure", case_id=case_id)

    def erase():  # noqa: ANN202
        try:
            return decide(platform, deps, erasure)
        except Exception as failed:  # noqa: BLE001 - the test names what failed
            return failed

    with platform.uow_factory() as uow:
        # The lifting's first step: the case's row lock, then (below) its items'.
        uow.cases.restriction_decided([case_id], datetime.now(timezone.utc))
        thread, outcome = waiting_in_thread(platform, erase)
        assert not outcome, "the erasure did not wait for the case's lock"
        lifted = subject_rights.decide_subject_request(
            deps, uow, c_disclosure.DecideSubjectRequest(lifting, "granted"), GGZ_OFFICER
        )
        uow.commit()
    thread.join(30)
    assert outcome, "the erasure did not finish once the lock was free"
    erased = outcome[0]
    assert not isinstance(erased, Exception), repr(erased)
    assert (lifted.outcome, erased.outcome) == ("granted", "granted")
    with platform.uow_factory() as uow:
        facts = uow.cases.find(case_id)
        assert facts is not None and facts.erased and not facts.restricted
        assert all(uow.items.find(item_id).erased for item_id in item_ids)


# -- governance: a seat's holder, a process director's designation ------------------------------


@pytest.fixture
def governance(tmp_path, pg_url):
    with handler_platform("governance", tmp_path, pg_url) as built:
        yield built, governance_deps(built[0])


def roster_changes(built, person: str) -> list[tuple[bool, datetime]]:  # noqa: ANN001
    """What every service's roster is told of the person, in the order published."""
    platform, _ = built
    with platform.uow_factory() as uow:
        outbox = uow.tables["outbox"]
        rows = uow.session.execute(
            select(outbox.c.data).where(outbox.c.type == ev.ROSTER_CHANGED).order_by(outbox.c.id)
        ).all()
    data = [json.loads(r.data) if isinstance(r.data, str) else r.data for r in rows]
    return [
        (d["held"], datetime.fromisoformat(d["changed_at"])) for d in data if d["person"] == person
    ]


def held_in_the_end(changes: list[tuple[bool, datetime]]) -> bool:
    """Whether a service's roster that applies these in decision order holds the person."""
    return bool(changes) and max(changes, key=lambda change: change[1])[0]


def test_two_appointments_to_one_managers_seat_at_once_end_the_holder_each_replaced(governance):
    """Two appointments to one managers seat at once: each read the seat without a lock, so
    both replaced its first holder, and the holder the first appointed was never released:
    that person stayed a manager on every service's roster though governance had the seat to
    the second (art. 11.2). The seat's row is now locked before its holder is read: the
    second appointment waits for the first, and releases the holder it appointed."""
    built, deps = governance
    rep = representative(HELMOND)
    seat_id = f"managers.{HELMOND}"
    run(built, deps, seats.assign_seat, c.AssignSeat(seat_id, "manager-a"), rep)
    second, _ = held_behind(
        built[0],
        lambda uow: seats.assign_seat(deps, uow, c.AssignSeat(seat_id, "manager-b"), rep),
        lambda: run(built, deps, seats.assign_seat, c.AssignSeat(seat_id, "manager-c"), rep),
        lambda: None,
    )
    assert second.holder == (HELMOND, "manager-c")
    held = {
        p: held_in_the_end(roster_changes(built, p))
        for p in ("manager-a", "manager-b", "manager-c")
    }
    assert held == {"manager-a": False, "manager-b": False, "manager-c": True}
    ((_, named), (_, released)) = roster_changes(built, "manager-b")
    assert released > named


def test_a_designation_beside_a_revocation_of_the_same_person_waits_for_it(governance):
    """A process director's revocation and the person's designation at once: the designation
    found the row the revocation was deleting and answered "designated" while nothing was
    (12.1). The party's and the entry's rows are now locked first: the designation waits,
    finds the person revoked, and designates again after the revocation, so every service's
    roster holds the person as governance does."""
    built, deps = governance
    manager = Caller(HELMOND, "manager-1", "manager", party_status="active")
    appoint = c.AssignSeat(f"managers.{HELMOND}", manager.person)
    run(built, deps, seats.assign_seat, appoint, representative(HELMOND))
    person = "pd-beside-1"
    designate = c.DesignateProcessDirector(ASTEN, person)
    run(built, deps, roster.designate_process_director, designate, manager)
    revoke = c.RevokeProcessDirector(ASTEN, person)
    designated, _ = held_behind(
        built[0],
        lambda uow: roster.revoke_process_director(deps, uow, revoke, manager),
        lambda: run(built, deps, roster.designate_process_director, designate, manager),
        lambda: None,
    )
    platform, _ = built
    with platform.uow_factory() as uow:
        assert person in [d.person for d in roster.list_process_directors(uow, ASTEN)]
    changes = roster_changes(built, person)
    assert [held for held, _ in changes] == [True, False, True]
    assert [at for _, at in changes] == sorted(at for _, at in changes)
    assert changes[-1][1] == designated.designated_at


def test_an_appointment_beside_the_partys_withdrawal_waits_for_it_and_is_refused(governance):
    """A party withdraws (its withdrawal in force at once: its people leave the bodies) while
    its representative appoints a manager to its vacant managers seat. The appointment read
    the party's status without a lock, found it active (the withdrawal not committed yet),
    and left a withdrawn party's person in the seat, a manager on every service's roster
    (art. 11.2, 21.3). The party's row is now locked before its status is read, as the
    withdrawal holds it: the appointment waits, finds the party withdrawn, and is refused."""
    built, deps = governance
    platform, _ = built
    rep = representative(HELMOND)
    delegate = Caller(HELMOND, "delegate-1", "council_delegate", party_status="active")
    appoint = c.AssignSeat(f"partner_council.delegate.{HELMOND}", delegate.person)
    run(built, deps, seats.assign_seat, appoint, rep)
    effective_at = datetime.now(timezone.utc) - timedelta(minutes=1)
    withdraw = c.Withdraw("", effective_at, "letter-2026-12")
    manager = c.AssignSeat(f"managers.{HELMOND}", "manager-beside-1")

    def appointed() -> str:
        try:
            run(built, deps, seats.assign_seat, manager, rep)
        except (PermissionDenied, FailedPrecondition):
            return "refused"
        return "appointed"

    with platform.uow_factory() as uow:
        assert membership.withdraw(deps, uow, withdraw, delegate).effective
        thread, outcome = waiting_in_thread(platform, appointed)
        uow.commit()
    thread.join(30)
    assert outcome == ["refused"]
    with platform.uow_factory() as uow:
        assert uow.parties.get(HELMOND).status is PartyStatus.WITHDRAWN
        assert not uow.seats.held_on_behalf_of(HELMOND)  # its people left the bodies
    assert not held_in_the_end(roster_changes(built, "manager-beside-1"))


def test_a_party_locked_for_its_decision_is_read_afresh_though_read_before_in_the_transaction(
    governance,
):
    """A decision that read a party (its status, for the policy's facts) before it took the
    party's row lock got the row as first read: the lock waited for the party's withdrawal,
    yet the status seen under it was still active, as loaded before. The party is now read
    afresh when its row is locked."""
    built, _ = governance
    platform, _ = built
    with platform.uow_factory() as deciding:
        read = deciding.parties.get(HELMOND)  # held, as a handler holds what it read
        assert read is not None and read.status is PartyStatus.ACTIVE
        with platform.uow_factory() as withdrawing:
            party = withdrawing.parties.get_for_update(HELMOND)
            common.change_status(
                withdrawing,
                party,
                PartyStatus.WITHDRAWN,
                {PartyStatus.ACTIVE},
                datetime.now(timezone.utc),
                "withdrawal",
                "wd-afresh",
            )
            withdrawing.commit()
        assert deciding.parties.get_for_update(HELMOND).status is PartyStatus.WITHDRAWN


# -- disclosure: a subject's erasure beside the purge of one of its cases ----------------------


def test_an_erasure_beside_the_purge_of_one_of_its_cases_brings_nothing_of_that_case_back(
    disclosure,
):
    """A subject's erasure of everything held of it (two cases) read its cases, then waited for
    the first case's lock; meanwhile casework purged the second (1.2). Carried out on both
    cases read before, it wrote the purged case's row again (erased_at): disclosure knew a
    purged case again, and SUBJECT_ERASED named it. Now an erasure acts on the cases still
    known once it holds their locks: the first is erased, nothing of the purged one is back."""
    built, deps = disclosure
    platform, parts = built
    subject, tag = f"psn-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex[:8]
    first = open_case(built, f"case-a{tag}", subject)  # locked first (case id order)
    second = open_case(built, f"case-b{tag}", subject)
    item = provide(built, deps, first)
    erasure = submit(platform, deps, "erasure", subject_pseudonym=subject)  # both cases
    erased, _ = held_behind(
        platform,
        lambda uow: uow.cases.find(first, hold=True),  # e.g. an item being added to it
        lambda: decide(platform, deps, erasure),
        lambda: deliver(platform, parts, ev.CASE_PURGED, {"case_id": second}),
    )
    assert erased.outcome == "granted"
    with platform.uow_factory() as uow:
        assert not uow.items.get(item).readable  # the first case is erased
        assert not uow.cases.known(second)  # the purged one is not known again
        outbox = uow.tables["outbox"]
        told = [
            json.loads(row.data) if isinstance(row.data, str) else row.data
            for row in uow.session.execute(
                select(outbox.c.data).where(
                    outbox.c.type == ev.SUBJECT_ERASED, outbox.c.key == subject
                )
            ).all()
        ]
    assert [t["case_ids"] for t in told] == [[first]]

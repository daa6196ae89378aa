"""A dispute about a case is decided by relationship to the case (art. 8.4c, 12.3, 13.4, 15.1):
governance keeps who has a part in a case from casework's events, and a process director of a
party with no part in it can neither register, read nor take further a dispute about it, where
before every designated process director could. Handlers called directly, on SQLite and
PostgreSQL, with the embedded policy engine."""

from __future__ import annotations

import uuid
from collections import namedtuple
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select

from services.governance.bootstrap import Deps, make_deps
from services.governance.domain import commands as c
from services.governance.domain.disputes import DisputeAbout
from services.governance.service_layer.handlers import disputes, roster, seats
from zorgtafel.contracts import events as ev
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import FailedPrecondition, NotShared, PermissionDenied, Unavailable
from zorgtafel.kernel.purge import forget_case
from zorgtafel.testing import deliver, handler_platform

ASTEN = "00000099000000000001"  # directs the case (12.3)
BEST = "00000099000000000004"  # its case director's party (13.1)
POLICE = "00000099000000000061"  # involved, with a delegate (8.4c)
EINDHOVEN = "00000099000000000013"  # no part in the case
SHELTER = "00000099000000000051"
HELMOND = "00000099000000000018"  # the managers (11.2, 12.1)

CASEWORK = ev.TOPIC["casework"]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def governance(request, tmp_path_factory):
    url = "" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    with handler_platform("governance", tmp_path_factory.mktemp("disputes"), url) as built:
        yield built


@pytest.fixture(scope="module")
def deps(governance) -> Deps:
    return make_deps(governance[0])


def run(governance, deps: Deps, handler, cmd, caller: Caller):  # noqa: ANN001, ANN201
    platform, _ = governance
    with platform.uow_factory() as uow:
        result = handler(deps, uow, cmd, caller)
        uow.commit()
        return result


Seen = namedtuple("Seen", "dispute_id forum case_id")


def read(governance, deps: Deps, dispute_id: str, caller: Caller) -> Seen:  # noqa: ANN001
    """What the caller reads of the dispute (taken out while its unit of work is open)."""
    platform, _ = governance
    with platform.uow_factory() as uow:
        d = disputes.read_dispute(deps, uow, dispute_id, caller)
        return Seen(d.dispute_id, d.forum.value, d.case_id)


def consume(governance, event_type: str, data: dict) -> None:
    platform, parts = governance
    assert event_type in parts.consumes[CASEWORK], event_type
    deliver(platform, parts, event_type, data)


@pytest.fixture(scope="module")
def designated(governance, deps):
    """Designate a process director of ``party`` (art. 12.1), by a manager in Helmond's seat."""
    manager = Caller(HELMOND, "manager-1", "manager", party_status="active")
    representative = Caller(HELMOND, "rep-helmond", "party_representative", party_status="active")
    run(
        governance,
        deps,
        seats.assign_seat,
        c.AssignSeat(f"managers.{HELMOND}", manager.person),
        representative,
    )

    def designate(party: str) -> Caller:
        person = f"pd-{uuid.uuid4().hex[:8]}"
        cmd = c.DesignateProcessDirector(party, person)
        run(governance, deps, roster.designate_process_director, cmd, manager)
        return Caller(party, person, "process_director", party_status="active")

    return designate


class Case:
    """A case as casework tells governance about it: opened by ``director`` (12.3), Police
    involved with its delegate, Best's case director appointed (13.1)."""

    def __init__(self, governance, director: Caller) -> None:
        self.case_id = f"case-{uuid.uuid4().hex}"
        self.director = director
        self.delegate = Caller(POLICE, f"del-{self.case_id[-6:]}", "caseworker", "active")
        self.case_director = Caller(BEST, f"cd-{self.case_id[-6:]}", "case_director", "active")
        consume(governance, ev.CASE_OPENED, self.opened())
        roles = {p: {"role": "care", "information_need": []} for p in (BEST, POLICE)}
        consume(governance, ev.ROLES_SET, {"case_id": self.case_id, "roles": roles})
        consume(governance, ev.DELEGATE_NAMED, self.named(self.delegate))
        appointed = {"case_id": self.case_id, "party": BEST, "person": self.case_director.person}
        consume(governance, ev.DIRECTOR_APPOINTED, appointed)

    def opened(self) -> dict:
        return {
            "case_id": self.case_id,
            "subject_pseudonym": "ps-1",
            "nominating_party": ASTEN,
            "age_band": "18_plus",
            "invitees": [ASTEN],
            "process_director_party": self.director.party,
            "process_director_person": self.director.person,
        }

    def named(self, who: Caller) -> dict:
        return {"case_id": self.case_id, "party": who.party, "person": who.person}


def register(governance, deps, case_id: str, caller: Caller, about=DisputeAbout.CASE_DIRECTOR):  # noqa: ANN001, ANN201
    return run(
        governance, deps, disputes.register_dispute, c.RegisterDispute(about, case_id), caller
    )


def test_an_uninvolved_partys_process_director_cannot_register_a_dispute_about_the_case(
    governance, deps, designated
):
    case = Case(governance, designated(ASTEN))
    outsider = designated(EINDHOVEN)
    # Answered as for a case governance does not know (below): nothing of the case said.
    with pytest.raises(Unavailable) as err:
        register(governance, deps, case.case_id, outsider)
    assert case.case_id not in str(err.value)
    # A person of a party with a part, with none itself, is told the policy's reasons.
    colleague = replace(case.delegate, person="colleague-of-the-delegate-1")
    with pytest.raises(PermissionDenied) as denied:
        register(governance, deps, case.case_id, colleague)
    assert any("art. 8.4c" in r for r in denied.value.reasons)
    assert not any(case.case_id in r for r in denied.value.reasons)


def test_those_with_a_part_in_the_case_register_a_dispute_about_it(governance, deps, designated):
    case = Case(governance, designated(ASTEN))
    for who in (case.delegate, case.director, case.case_director):
        dispute = register(governance, deps, case.case_id, who)
        assert (dispute.case_id, dispute.registered_by_person) == (case.case_id, who.person)


def test_within_an_involved_party_only_its_delegates_have_a_part(governance, deps, designated):
    case = Case(governance, designated(ASTEN))
    colleague = replace(case.delegate, person="colleague-of-the-delegate")
    with pytest.raises(PermissionDenied):
        register(governance, deps, case.case_id, colleague)
    consume(governance, ev.DELEGATE_RELEASED, case.named(case.delegate))
    with pytest.raises(PermissionDenied):  # released: no part any more
        register(governance, deps, case.case_id, case.delegate)


def test_an_uninvolved_process_director_cannot_read_or_take_further_a_dispute_about_the_case(
    governance, deps, designated
):
    case = Case(governance, designated(ASTEN))
    outsider = designated(EINDHOVEN)
    dispute = register(governance, deps, case.case_id, case.delegate)
    with pytest.raises(NotShared):
        read(governance, deps, dispute.dispute_id, outsider)
    for handler, cmd in (
        (disputes.escalate_dispute, c.EscalateDispute(dispute.dispute_id)),
        (disputes.resolve_dispute, c.ResolveDispute(dispute.dispute_id, "settled")),
    ):
        with pytest.raises(NotShared) as err:
            run(governance, deps, handler, cmd, outsider)
        # Told as an id of no dispute; the access log keeps the policy's own refusal.
        assert any("13.4" in r for r in err.value.logged.reasons)
    # 12.3, 13.4: the case's own process director holds it, and its registrant reads it.
    assert read(governance, deps, dispute.dispute_id, case.director).forum == "process_director"
    assert read(governance, deps, dispute.dispute_id, case.delegate).case_id == case.case_id
    up = run(
        governance,
        deps,
        disputes.escalate_dispute,
        c.EscalateDispute(dispute.dispute_id),
        case.director,
    )
    assert up.forum.value == "partner_council"


def test_a_dispute_about_a_case_governance_has_not_heard_of_is_unavailable_not_denied(
    governance, deps, designated
):
    director = designated(ASTEN)
    case_id = f"case-{uuid.uuid4().hex}"
    with pytest.raises(Unavailable):
        register(governance, deps, case_id, director)
    # Not even an event of the case before its opening makes it known.
    consume(governance, ev.DELEGATE_NAMED, {"case_id": case_id, "party": ASTEN, "person": "x"})
    with pytest.raises(Unavailable):
        register(governance, deps, case_id, director)
    opened = {
        "case_id": case_id,
        "subject_pseudonym": "ps-2",
        "nominating_party": ASTEN,
        "age_band": "18_plus",
        "invitees": [],
        "process_director_party": ASTEN,
        "process_director_person": director.person,
    }
    consume(governance, ev.CASE_OPENED, opened)
    assert register(governance, deps, case_id, director).case_id == case_id


def test_a_general_dispute_is_unchanged(governance, deps, designated):
    outsider = designated(EINDHOVEN)
    dispute = register(governance, deps, "", outsider, DisputeAbout.CASE_DIRECTOR)
    assert dispute.case_id is None
    other = designated(ASTEN)  # any designated process director holds a general one (13.4)
    assert read(governance, deps, dispute.dispute_id, other).dispute_id == dispute.dispute_id


def test_a_dispute_registered_before_by_a_party_with_no_part_is_read_only_by_those_with_one(
    governance, deps, designated
):
    """Registered when governance kept no case facts, by a person of a party with no part in
    the case: its registrant reads it no more; the case's process director (its forum) does."""
    case = Case(governance, designated(ASTEN))
    outsider = designated(EINDHOVEN)
    platform, _ = governance
    now = datetime.now(timezone.utc)
    dispute_id = f"dsp-{uuid.uuid4().hex}"
    with platform.uow_factory() as uow:
        uow.session.execute(
            insert(uow.tables["disputes"]).values(
                dispute_id=dispute_id,
                about="case_director",
                case_id=case.case_id,
                level=0,
                status="open",
                registered_by_party=outsider.party,
                registered_by_person=outsider.person,
                registered_at=now,
                updated_at=now,
            )
        )
        uow.commit()
    with pytest.raises(PermissionDenied):
        read(governance, deps, dispute_id, outsider)
    assert read(governance, deps, dispute_id, case.director).dispute_id == dispute_id


def test_the_facts_of_a_case_are_kept_once_and_go_with_its_purge(governance, deps, designated):
    case = Case(governance, designated(ASTEN))
    consume(governance, ev.CASE_OPENED, case.opened())  # a redelivery changes nothing
    consume(governance, ev.DELEGATE_NAMED, case.named(case.delegate))
    platform, _ = governance
    with platform.uow_factory() as uow:
        parts = uow.cases.get(case.case_id)
    assert parts is not None
    assert parts.delegates == {POLICE: (case.delegate.person,)}
    assert parts.involved_parties == sorted({ASTEN, BEST, POLICE})
    consume(governance, ev.CASE_CLOSED, {"case_id": case.case_id, "outcome": "successful"})
    dispute = register(governance, deps, case.case_id, case.delegate)  # closed, not gone
    purge(governance, case.case_id)
    with platform.uow_factory() as uow:
        t = uow.tables["case_facts"]
        assert uow.session.execute(select(t).where(t.c.case_id == case.case_id)).first() is None
        assert uow.disputes.get(dispute.dispute_id).case_id is None  # stands, unlinked
    # A late event of the purged case does not bring its facts back (1.2).
    consume(governance, ev.DELEGATE_NAMED, case.named(case.delegate))
    with platform.uow_factory() as uow:
        assert uow.cases.get(case.case_id) is None


def purge(governance, case_id: str) -> None:
    """CASE_PURGED as the kernel's consumer applies it: the handler, then the kernel forgets
    the case id (kernel/purge.py)."""
    consume(governance, ev.CASE_PURGED, {"case_id": case_id})
    platform, _ = governance
    with platform.uow_factory() as uow:
        forget_case(uow.session, uow.tables, case_id)
        uow.commit()


def test_a_party_invited_or_attending_stays_involved_and_one_with_a_role_only_while_it_has_it(
    governance, deps, designated
):
    """Involved as casework counts it (8.4c): invited to or attending a meeting is never taken
    back; a role is, by the next complete set of roles."""
    case = Case(governance, designated(ASTEN))  # Best and Police have a role
    consume(
        governance,
        ev.MEETING_SCHEDULED,
        {
            "case_id": case.case_id,
            "meeting_id": "m-1",
            "scheduled_for": "2026-12-20T10:00:00+00:00",
            "invitees": [EINDHOVEN],
        },
    )
    consume(
        governance,
        ev.MEETING_HELD,
        {"case_id": case.case_id, "meeting_id": "m-1", "attendees": [HELMOND]},
    )
    consume(governance, ev.ROLES_SET, {"case_id": case.case_id, "roles": {}})
    platform, _ = governance
    with platform.uow_factory() as uow:
        parts = uow.cases.get(case.case_id)
    assert parts is not None
    assert parts.involved_parties == sorted({ASTEN, EINDHOVEN, HELMOND})
    # Police's delegate no longer has a part (its party has no role and was never invited):
    # answered as for a case governance does not know (its party may not learn of it).
    with pytest.raises(Unavailable):
        register(governance, deps, case.case_id, case.delegate)
    invited = Caller(EINDHOVEN, f"del-e-{case.case_id[-6:]}", "caseworker", "active")
    consume(governance, ev.DELEGATE_NAMED, case.named(invited))
    assert register(governance, deps, case.case_id, invited).case_id == case.case_id


def test_an_id_of_no_dispute_and_one_the_party_has_no_part_in_are_answered_alike(
    governance, deps, designated
):
    """An id is no oracle of a dispute, nor of the case it names (8.4c, ADR 0005): a party with
    no part in the dispute (not its registrant, no part in its case) is told of a real one
    exactly what it is told of an id that names none, on every call by id."""
    case = Case(governance, designated(ASTEN))
    outsider = designated(EINDHOVEN)
    real = register(governance, deps, case.case_id, case.delegate).dispute_id
    unknown = f"dsp-{uuid.uuid4().hex}"

    def answers(dispute_id: str) -> list[tuple[type, tuple[str, ...]]]:
        said = []
        for call in (
            lambda: read(governance, deps, dispute_id, outsider),
            lambda: run(
                governance, deps, disputes.escalate_dispute, c.EscalateDispute(dispute_id), outsider
            ),
            lambda: run(
                governance,
                deps,
                disputes.resolve_dispute,
                c.ResolveDispute(dispute_id, "settled"),
                outsider,
            ),
        ):
            with pytest.raises(PermissionDenied) as err:
                call()
            said.append((type(err.value), tuple(err.value.reasons)))
        return said

    assert answers(real) == answers(unknown)
    assert all(kind is NotShared for kind, _ in answers(real))
    # Those with a part still hear the policy's reasons: the case's delegate's colleague at
    # Police (an involved party) is refused with them.
    colleague = replace(case.delegate, person="colleague-of-the-delegate")
    with pytest.raises(PermissionDenied) as err:
        run(governance, deps, disputes.escalate_dispute, c.EscalateDispute(real), colleague)
    assert not isinstance(err.value, NotShared)


def test_who_has_a_part_follows_the_order_casework_decided_it_not_the_arrival(
    governance, deps, designated
):
    """The membership events carry when casework decided them (changed_at); one re-sent after
    a later decision (the relay re-sends a batch on a suspected broker loss) changes nothing:
    a naming after the release, an earlier case director, an earlier set of roles."""
    case = Case(governance, designated(ASTEN))  # events without times, as before the field
    t0 = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)
    t1 = t0 + timedelta(minutes=1)

    def at(data: dict, when: datetime) -> dict:
        return data | {"changed_at": when.isoformat()}

    named, released = case.named(case.delegate), case.named(case.delegate)
    consume(governance, ev.DELEGATE_NAMED, at(named, t0))
    consume(governance, ev.DELEGATE_RELEASED, at(released, t1))
    consume(governance, ev.DELEGATE_NAMED, at(named, t0))  # re-sent, late
    with pytest.raises(PermissionDenied):
        register(governance, deps, case.case_id, case.delegate)
    later = {"case_id": case.case_id, "party": BEST, "person": "cd-later"}
    consume(governance, ev.DIRECTOR_APPOINTED, at(later, t1))
    earlier = {"case_id": case.case_id, "party": BEST, "person": "cd-earlier"}
    consume(governance, ev.DIRECTOR_APPOINTED, at(earlier, t0))
    consume(governance, ev.ROLES_SET, at({"case_id": case.case_id, "roles": {}}, t1))
    police = {POLICE: {"role": "care", "information_need": []}}
    consume(governance, ev.ROLES_SET, at({"case_id": case.case_id, "roles": police}, t0))
    platform, _ = governance
    with platform.uow_factory() as uow:
        parts = uow.cases.get(case.case_id)
    assert parts is not None
    assert parts.case_director == (BEST, "cd-later")
    assert parts.roles == frozenset()
    assert parts.delegates == {}
    # The next decisions, later still, apply.
    t2 = t1 + timedelta(minutes=1)
    consume(governance, ev.ROLES_SET, at({"case_id": case.case_id, "roles": police}, t2))
    consume(governance, ev.DELEGATE_NAMED, at(named, t2))
    assert register(governance, deps, case.case_id, case.delegate).case_id == case.case_id


# -- cases opened before governance kept their facts (migration 9c4e2a7d5b18): a case unknown
# here and a dispute naming it UNAVAILABLE for good, until casework restates it
# (``zorgtafel restate-cases``: CaseRestated through its outbox).


def restatement(case_id: str, director: Caller, **more) -> dict:
    """What casework restates of a case: who directs it, Best's case director, Police and Best
    with a role, Police's delegate."""
    return {
        "case_id": case_id,
        "process_director_party": director.party,
        "process_director_person": director.person,
        "invitees": [ASTEN],
        "roles": [BEST, POLICE],
        "case_director_party": BEST,
        "case_director_person": f"cd-{case_id[-6:]}",
        "delegates": {POLICE: [f"del-{case_id[-6:]}"]},
        "closed": False,
    } | more


def row(governance, case_id: str) -> dict | None:
    platform, _ = governance
    with platform.uow_factory() as uow:
        t = uow.tables["case_facts"]
        found = uow.session.execute(select(t).where(t.c.case_id == case_id)).mappings().first()
        return dict(found) if found else None


def test_a_case_opened_before_governance_kept_case_facts_is_known_once_restated(
    governance, deps, designated
):
    director = designated(ASTEN)
    case_id = f"case-{uuid.uuid4().hex}"
    with pytest.raises(Unavailable):  # casework's opening of it came before the table
        register(governance, deps, case_id, director)
    consume(governance, ev.CASE_RESTATED, restatement(case_id, director))
    dispute = register(governance, deps, case_id, director)
    assert dispute.case_id == case_id
    delegate = Caller(POLICE, f"del-{case_id[-6:]}", "caseworker", "active")
    assert register(governance, deps, case_id, delegate).case_id == case_id
    outsider = designated(EINDHOVEN)
    with pytest.raises(Unavailable):  # as for a case it does not know (no part in it)
        register(governance, deps, case_id, outsider)
    # Restated again (the operator ran the command twice): nothing changes.
    before = row(governance, case_id)
    consume(governance, ev.CASE_RESTATED, restatement(case_id, director))
    assert row(governance, case_id) == before
    assert read(governance, deps, dispute.dispute_id, director).case_id == case_id


def test_a_case_known_here_stays_as_its_events_made_it(governance, deps, designated):
    """A restatement written before a change that reached governance first (the relay re-sends
    a batch on a suspected broker loss) does not undo the change."""
    case = Case(governance, designated(ASTEN))
    before = row(governance, case.case_id)
    outsider = designated(EINDHOVEN)
    older = restatement(
        case.case_id,
        case.director,
        roles=[BEST, POLICE, EINDHOVEN],
        case_director_person="cd-before",
        delegates={EINDHOVEN: [outsider.person]},
        closed=True,
    )
    consume(governance, ev.CASE_RESTATED, older)
    assert row(governance, case.case_id) == before
    with pytest.raises(Unavailable):  # no part: as for a case it does not know
        register(governance, deps, case.case_id, outsider)


def test_a_case_known_only_from_events_after_the_upgrade_takes_the_restatement_but_later_facts(
    governance, deps, designated
):
    """Opened before the upgrade, changed after it: the restatement (as of casework's last
    decision it holds) gives governance the opening's facts (who directs the case) and every
    fact not decided after it; one decided after it stands (the relay re-sent the restatement
    after the later change), and a fact decided before it gives way to it."""
    director = designated(ASTEN)
    case_id = f"case-{uuid.uuid4().hex}"
    t0 = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)
    t1, t2 = t0 + timedelta(minutes=1), t0 + timedelta(minutes=2)

    def at(data: dict, when: datetime) -> dict:
        return {"case_id": case_id} | data | {"changed_at": when.isoformat()}

    consume(governance, ev.DIRECTOR_APPOINTED, at({"party": BEST, "person": "cd-2"}, t2))
    consume(governance, ev.DELEGATE_NAMED, at({"party": POLICE, "person": "p-2"}, t2))
    consume(governance, ev.DELEGATE_RELEASED, at({"party": POLICE, "person": "p-3"}, t2))
    consume(governance, ev.DELEGATE_NAMED, at({"party": SHELTER, "person": "s-2"}, t0))
    with pytest.raises(Unavailable):
        register(governance, deps, case_id, director)
    older = restatement(
        case_id,
        director,
        case_director_person="cd-1",
        roles=[POLICE],
        delegates={POLICE: ["p-1", "p-3"], SHELTER: ["s-1"]},
        invitees=[ASTEN, SHELTER],
        changed_at=t1.isoformat(),
    )
    consume(governance, ev.CASE_RESTATED, older)
    platform, _ = governance
    with platform.uow_factory() as uow:
        parts = uow.cases.get(case_id)
    assert parts is not None and parts.opened
    assert parts.process_director == (ASTEN, director.person)
    assert parts.case_director == (BEST, "cd-2")  # appointed after the restatement
    assert parts.roles == frozenset({POLICE})
    # p-2 named and p-3 released after it; s-2 named before it and released by t1 (not in it)
    assert parts.delegates == {POLICE: ("p-1", "p-2"), SHELTER: ("s-1",)}
    assert parts.involved_parties == sorted({ASTEN, POLICE, SHELTER})
    assert register(governance, deps, case_id, director).case_id == case_id


def test_a_restatement_of_a_purged_case_does_not_bring_it_back(governance, deps, designated):
    case = Case(governance, designated(ASTEN))
    purge(governance, case.case_id)
    consume(governance, ev.CASE_RESTATED, restatement(case.case_id, case.director))
    assert row(governance, case.case_id) is None


def test_a_caller_refused_whatever_the_case_is_refused_when_governance_does_not_know_it(
    governance, deps, designated
):
    """UNAVAILABLE (the case's facts have not arrived) only to a caller whom those facts could
    let in; one refused whatever the case is told the refusal, as of a case governance knows
    and it has no part in, so the answer is no oracle of which cases governance knows, nor of
    a dispute's existence. Not a deny on a missing fact: no case's facts would allow it."""
    platform, _ = governance
    known = Case(governance, designated(ASTEN)).case_id
    unknown = f"case-{uuid.uuid4().hex}"
    # A dispute registered when governance kept no case facts, about a case it never heard of.
    registrant = designated(ASTEN)
    now = datetime.now(timezone.utc)
    on_unknown = f"dsp-{uuid.uuid4().hex}"
    with platform.uow_factory() as uow:
        uow.session.execute(
            insert(uow.tables["disputes"]).values(
                dispute_id=on_unknown,
                about="case_director",
                case_id=unknown,
                level=0,
                status="open",
                registered_by_party=registrant.party,
                registered_by_person=registrant.person,
                registered_at=now,
                updated_at=now,
            )
        )
        uow.commit()
    # A caseworker of a party with no part: no process director, no forum, not the registrant.
    outsider = Caller(EINDHOVEN, "cw-1", "caseworker", party_status="active")

    def answers(dispute_id: str) -> list[tuple[type, tuple[str, ...]]]:
        said = []
        for handler, cmd in (
            (lambda d, uow, i, who: disputes.read_dispute(d, uow, i, who), dispute_id),
            (disputes.escalate_dispute, c.EscalateDispute(dispute_id)),
            (disputes.resolve_dispute, c.ResolveDispute(dispute_id, "settled")),
        ):
            with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
                handler(deps, uow, cmd, outsider)
            said.append((type(err.value), tuple(err.value.reasons)))
        return said

    assert answers(on_unknown) == answers(f"dsp-{uuid.uuid4().hex}")
    # A party that is not active registers no dispute about any case (art. 21.3, 23.2): told
    # so alike for a case governance knows and one it does not.
    withdrawn = Caller(EINDHOVEN, "pd-w", "process_director", party_status="withdrawn")
    told = []
    for case_id in (known, unknown):
        with pytest.raises(PermissionDenied) as err:
            register(governance, deps, case_id, withdrawn)
        told.append(tuple(err.value.reasons))
    assert told[0] == told[1]
    # The registrant, the case's process director for all governance knows, waits for the facts.
    with pytest.raises(Unavailable):
        read(governance, deps, on_unknown, registrant)


def answer_and_kept(governance, deps, case_id: str, caller: Caller) -> tuple[object, ...]:  # noqa: ANN001
    """What RegisterDispute about ``case_id`` answers ``caller`` (the refusal's type, words and
    reasons, or "registered") and how many disputes it added to those stored."""
    platform, _ = governance

    def stored() -> int:
        with platform.uow_factory() as uow:
            return len(uow.session.execute(select(uow.tables["disputes"])).all())

    before = stored()
    try:
        register(governance, deps, case_id, caller)
    except (PermissionDenied, Unavailable, FailedPrecondition) as err:
        said: tuple[object, ...] = (type(err), str(err), tuple(getattr(err, "reasons", ())))
    else:
        said = ("registered",)
    return (*said, stored() - before)


def test_a_purged_case_is_named_as_purged_to_its_parties_and_as_never_heard_of_to_others(
    governance, deps, designated
):
    """A dispute naming a purged case was answered UNAVAILABLE ("try again later") forever to
    a caller the case's facts could let in, its own process director and delegates too: a
    purged case never gets facts again. At the purge governance now keeps which parties had a
    part (their ids only: no person, nothing of the subject); to a person of such a party, who
    may know the case, RegisterDispute names the state (FAILED_PRECONDITION case_purged, on
    case_id), as long as the policy would let it in on a case it has every part in (a withdrawn
    party is told the refusal); to anyone else the purged id answers as an id governance never
    heard of, so no outsider can tell which ids were purged cases. Nothing is kept."""
    platform, _ = governance
    case = Case(governance, designated(ASTEN))
    purge(governance, case.case_id)
    never = f"case-{uuid.uuid4().hex}"
    colleague = replace(case.delegate, person="colleague-of-the-delegate-2")
    had_part = (case.director, case.delegate, case.case_director, colleague)
    others = (
        designated(EINDHOVEN),
        Caller(EINDHOVEN, "cw-2", "caseworker", party_status="active"),
        Caller(EINDHOVEN, "pd-w2", "process_director", party_status="withdrawn"),
        Caller(POLICE, "pd-w4", "process_director", party_status="withdrawn"),
    )

    def answer(case_id: str, caller: Caller) -> tuple[object, ...]:
        return answer_and_kept(governance, deps, case_id, caller)

    for caller in others:
        assert answer(case.case_id, caller) == answer(never, caller), caller
        assert answer(case.case_id, caller)[-1] == 0, caller  # nothing kept
    for caller in had_part:
        with pytest.raises(FailedPrecondition) as err:
            register(governance, deps, case.case_id, caller)
        assert (err.value.state, err.value.subject) == ("case_purged", "case_id"), caller
        assert case.case_id not in str(err.value)
    assert answer(case.case_id, case.director)[-1] == 0
    # Governance keeps the parties' ids only, never a person.
    with platform.uow_factory() as uow:
        t = uow.tables["purged_case_parties"]
        kept = uow.session.execute(select(t).where(t.c.case_id == case.case_id)).mappings().all()
    assert sorted(r["party"] for r in kept) == sorted({ASTEN, BEST, POLICE})
    assert set(kept[0]) == {"case_id", "party", "purged_at"}  # and when: its retention


def test_a_party_with_no_part_in_a_case_cannot_tell_it_from_an_id_governance_never_heard_of(
    governance, deps, designated
):
    """RegisterDispute naming a case governance knows answered a person of a party with no
    part in it PERMISSION_DENIED ("no part in the case"), and an id governance never heard of
    UNAVAILABLE ("try again later") to the same person: any active party's person could tell
    a case id that exists from one that does not (8.4c: a party not in the case learns
    nothing of it, not even that it exists). A party with no part is now answered as for an
    id governance does not know: the same status (so the same refusal budget spent), words and
    reasons; a party with a part (it may know the case) still gets the policy's reasons."""
    platform, _ = governance
    case = Case(governance, designated(ASTEN))
    never = f"case-{uuid.uuid4().hex}"
    outsiders = (
        designated(EINDHOVEN),
        Caller(EINDHOVEN, "cw-3", "caseworker", party_status="active"),
        Caller(SHELTER, "cd-3", "case_director", party_status="active"),
        Caller(EINDHOVEN, "pd-w3", "process_director", party_status="withdrawn"),
    )

    def answer(case_id: str, caller: Caller) -> tuple[object, ...]:
        try:
            register(governance, deps, case_id, caller)
        except (PermissionDenied, Unavailable) as err:
            return (type(err), str(err), tuple(getattr(err, "reasons", ())))
        return ("registered",)

    for outsider in outsiders:
        assert answer(case.case_id, outsider) == answer(never, outsider), outsider
    # A colleague of the delegate: its party has a part, so it is told the policy's reasons.
    colleague = replace(case.delegate, person="colleague-of-the-delegate-3")
    with pytest.raises(PermissionDenied) as err:
        register(governance, deps, case.case_id, colleague)
    assert any("art. 8.4c" in r for r in err.value.reasons)


def test_a_refusal_of_an_unknown_dispute_id_costs_the_policy_work_of_a_real_one(
    governance, deps, designated
):
    """GetDispute, EscalateDispute and ResolveDispute refused an id of no dispute at once, and
    a real one the caller's party has no part in after the policy's decision: the same answer,
    but not the same time, so an outsider could tell a real dispute id from one never given
    out by how long its refusal took. An unknown id now costs the same decision, on a
    stand-in dispute nobody has a part in (its answer not used: still the one refusal)."""
    from zorgtafel.kernel.gate import PolicyGate
    from zorgtafel.testing import CountingEngine

    platform, _ = governance
    counting = CountingEngine(deps.policy.engine, "zorgtafel.governance")
    spied = replace(deps, policy=PolicyGate(counting))
    case = Case(governance, designated(ASTEN))
    real = register(governance, deps, case.case_id, case.delegate).dispute_id
    calls = (
        (lambda d, uow, i, who: disputes.read_dispute(d, uow, i, who), lambda i: i),
        (disputes.escalate_dispute, c.EscalateDispute),
        (disputes.resolve_dispute, lambda i: c.ResolveDispute(i, "settled")),
    )
    outsiders = (designated(EINDHOVEN), Caller(EINDHOVEN, "cw-5", "caseworker", "active"))
    for handler, command in calls:
        for who in outsiders:
            work = []
            for dispute_id in (real, f"dsp-{uuid.uuid4().hex}"):
                counting.evaluated = 0
                with platform.uow_factory() as uow, pytest.raises(NotShared):
                    handler(spied, uow, command(dispute_id), who)
                work.append(counting.evaluated)
            assert work[0] == work[1] and work[0] > 0, (who.person, work)


# -- the purged case's marker and its retention period (art. 1.2; kind purged_case_marker) -----
def marker_scheduler(governance, clock, **overrides):  # noqa: ANN001, ANN201
    """Governance's retention tasks (the running service's, ``ServiceParts.retention``) run by
    hand on a fixed clock, as the kernel's scheduler runs them on its thread."""
    from zorgtafel.kernel.scheduler import LeaderLock, RetentionScheduler

    platform, parts = governance
    with platform.uow_factory() as uow:
        engine = uow.session.get_bind()
    return RetentionScheduler(
        service="governance",
        tasks=parts.retention,
        policy=platform.policy,
        lock=LeaderLock(engine, "governance", schema=platform.settings.effective_schema),  # type: ignore[arg-type]
        interval_s=0,
        overrides=overrides,
        clock=clock,
    )


def marker(governance, case_id: str) -> list[dict]:  # noqa: ANN001
    platform, _ = governance
    with platform.uow_factory() as uow:
        t = uow.tables["purged_case_parties"]
        rows = uow.session.execute(select(t).where(t.c.case_id == case_id)).mappings().all()
    return [dict(r) for r in rows]


def marker_task(report, name: str = "purged_case_marker"):  # noqa: ANN001, ANN201
    return next(t for t in report.tasks if t.name == name)


def test_a_purged_cases_marker_goes_after_its_period_and_then_the_id_is_one_never_given(
    governance, deps, designated
):
    """The ids of the parties that had a part in a purged case were kept for ever, while the
    dossier finally disappears (1.2). The marker now holds when governance applied the purge
    and goes after the period the policy owners set (kind ``purged_case_marker``, 365 days):
    not a day early, once, and from then on the purged id answers as an id never given out to
    those who had a part too (nothing kept either way)."""
    case = Case(governance, designated(ASTEN))
    before = datetime.now(timezone.utc)
    purge(governance, case.case_id)
    after = datetime.now(timezone.utc)
    kept = marker(governance, case.case_id)
    assert sorted(r["party"] for r in kept) == sorted({ASTEN, BEST, POLICE})
    made = {r["purged_at"] for r in kept}
    assert len(made) == 1 and before <= made.pop() <= after

    early = marker_scheduler(governance, lambda: before + timedelta(days=364))
    assert case.case_id not in marker_task(early.plan()).due
    assert case.case_id not in marker_task(early.tick()).done
    assert len(marker(governance, case.case_id)) == 3
    with pytest.raises(FailedPrecondition):  # still named as purged to those with a part
        register(governance, deps, case.case_id, case.director)

    due = marker_scheduler(governance, lambda: after + timedelta(days=365, seconds=1))
    assert case.case_id in marker_task(due.tick()).done
    assert marker(governance, case.case_id) == []
    assert case.case_id not in marker_task(due.tick()).due  # once: nothing left to drop

    never = f"case-{uuid.uuid4().hex}"

    def answer(case_id: str, caller: Caller) -> tuple[object, ...]:
        return answer_and_kept(governance, deps, case_id, caller)

    colleague = replace(case.delegate, person="colleague-of-the-delegate-3")
    for caller in (case.director, case.delegate, case.case_director, colleague):
        assert answer(case.case_id, caller) == answer(never, caller), caller
        assert answer(case.case_id, caller)[-1] == 0, caller


def test_a_purged_cases_marker_is_dropped_once_by_two_sweeps_and_in_batches(governance):
    """Each marker is dropped in its own transaction, re-read under the case's lock: a second
    apply (another replica, a tick run twice) drops nothing; a tick lists at most a batch, the
    oldest first, and the next tick the rest."""
    from services.governance.service_layer.handlers import retention

    platform, _ = governance
    cases = [f"case-{uuid.uuid4().hex}" for _ in range(3)]
    for case_id in cases:
        opened = {
            "case_id": case_id,
            "subject_pseudonym": "ps-1",
            "nominating_party": ASTEN,
            "age_band": "18_plus",
            "invitees": [ASTEN],
            "process_director_party": ASTEN,
            "process_director_person": "pd-bare",
        }
        consume(governance, ev.CASE_OPENED, opened)
        purge(governance, case_id)
    assert all(marker(governance, c) for c in cases)
    period = timedelta(days=365)
    later = datetime.now(timezone.utc) + period + timedelta(seconds=1)
    listed: list[str] = []
    while due := retention.purge_markers_due(platform.uow_factory, period, later, batch=2):
        assert len(due) <= 2
        for case_id in due:
            assert retention.drop_purge_marker(platform.uow_factory, case_id, period, later)
            assert not retention.drop_purge_marker(platform.uow_factory, case_id, period, later)
        listed += due
    assert set(cases) <= set(listed) and len(listed) == len(set(listed))
    assert not any(marker(governance, c) for c in cases)


def test_without_a_period_from_the_policy_the_marker_is_kept(governance, designated):
    """A malformed or missing period (or an engine that is away) keeps the marker: fail closed
    towards keeping, as every retention kind."""

    class NoPeriod:
        revision = "no-period"

        def evaluate(self, policy: str, input: dict) -> dict:
            return {"periods": {}, "invalid": ["purged_case_marker"], "choices": {}}

    case = Case(governance, designated(ASTEN))
    purge(governance, case.case_id)
    s = marker_scheduler(governance, lambda: datetime.now(timezone.utc) + timedelta(days=3650))
    s.policy = NoPeriod()
    assert marker_task(s.tick()).skipped == "no_period"
    assert len(marker(governance, case.case_id)) == 3


def test_the_test_override_sets_the_markers_period_outside_production():
    from zorgtafel.kernel.config import Settings
    from zorgtafel.kernel.retention import RetentionConfigError, parse_overrides

    dev = Settings("governance", extra={"retention_override_s": "purged_case_marker=1"})
    assert parse_overrides(dev) == {"purged_case_marker": 1}
    with pytest.raises(RetentionConfigError):
        parse_overrides(dev.with_(production=True))


def test_the_marker_goes_after_the_overridden_period(governance, designated):
    case = Case(governance, designated(ASTEN))
    purge(governance, case.case_id)
    soon = marker_scheduler(
        governance, lambda: datetime.now(timezone.utc) + timedelta(seconds=2), purged_case_marker=1
    )
    assert case.case_id in marker_task(soon.tick()).done
    assert marker(governance, case.case_id) == []


# -- a replayed request after the case's purge (nothing twice) ----------------------------------
def test_a_dispute_replayed_after_its_case_was_purged_is_refused_not_registered_again(
    governance, deps, designated
):
    """The stored answer of RegisterDispute goes with the case (1.2); the request id stays
    recognised, so a late retry is FAILED_PRECONDITION request_purged, never a second dispute
    or an answer decided afresh on the purged case."""
    from services.governance.entrypoints.grpc_api import GovernanceServicer
    from zorgtafel.generated.governance.v1 import governance_pb2 as pb
    from zorgtafel.testing.statements import call

    platform, _ = governance
    case = Case(governance, designated(ASTEN))
    servicer = GovernanceServicer(platform.uow_factory, deps)
    request = pb.RegisterDisputeRequest(
        request_id=f"req-{uuid.uuid4()}",
        about=pb.DISPUTE_ABOUT_CASE_DIRECTOR,
        case_id=case.case_id,
    )
    first = call(servicer.RegisterDispute, request, case.director)
    assert call(servicer.RegisterDispute, request, case.director) == first
    purge(governance, case.case_id)
    with pytest.raises(FailedPrecondition) as refused:
        call(servicer.RegisterDispute, request, case.director)
    assert refused.value.state == "request_purged"
    assert case.case_id not in str(refused.value)
    with platform.uow_factory() as uow:
        kept = repr(uow.session.execute(select(uow.tables["purged_requests"])).all())
        stored = repr(uow.session.execute(select(uow.tables["command_results"])).all())
    assert case.case_id not in kept and request.request_id not in kept
    assert first.dispute.dispute_id not in stored


def test_who_directs_the_case_is_the_one_casework_says_directs_it_now(governance, deps, designated):
    """12.3: casework took the process director off the case (the designation ended:
    PROCESS_DIRECTOR_CHANGED, person "") and a designated process director of another party
    then took it over; governance kept the opening's process director, so disputes about the
    case were decided as if that person still directed it and the one who took it over had no
    part. Now it follows casework, in the order casework decided it: a late release, a repeat
    or a re-sent opening changes nothing, nor does a restatement of the case known here."""
    from services.governance.domain.cases import party_has_part

    leaving = designated(ASTEN)
    case = Case(governance, leaving)
    taker = designated(EINDHOVEN)
    t0 = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)
    left = {"case_id": case.case_id, "party": ASTEN, "person": "", "changed_at": t0.isoformat()}
    taken = left | {
        "party": EINDHOVEN,
        "person": taker.person,
        "changed_at": (t0 + timedelta(minutes=1)).isoformat(),
    }
    platform, _ = governance

    def parts():  # noqa: ANN202
        with platform.uow_factory() as uow:
            return uow.cases.get(case.case_id)

    consume(governance, ev.PROCESS_DIRECTOR_CHANGED, left)
    assert parts().process_director is None
    for data in (taken, left, taken):
        consume(governance, ev.PROCESS_DIRECTOR_CHANGED, data)
    consume(governance, ev.CASE_OPENED, case.opened())  # re-sent: the opening's director
    assert parts().process_director == (EINDHOVEN, taker.person)
    assert party_has_part(parts(), EINDHOVEN)
    restated = {
        "case_id": case.case_id,
        "process_director_party": ASTEN,
        "process_director_person": leaving.person,
        "invitees": [ASTEN],
        "roles": [BEST, POLICE],
        "case_director_party": BEST,
        "case_director_person": case.case_director.person,
        "delegates": {POLICE: [case.delegate.person]},
        "closed": False,
        "changed_at": t0.isoformat(),
    }
    consume(governance, ev.CASE_RESTATED, restated)  # a known case keeps what it knows
    assert parts().process_director == (EINDHOVEN, taker.person)

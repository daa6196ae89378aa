"""Retention (issue #14) at the handler tier, on SQLite and PostgreSQL: the scheduler of
``zorgtafel/kernel/scheduler.py`` run by hand (a fixed clock instead of its thread) over each
service's ``ServiceParts.retention``, the same tasks the running service runs.

* intake forgets a nomination that ended without a case after its period: a scan of every table
  finds no name, date of birth or BSN, and its case key is gone;
* the consent age band follows the birthday on the Europe/Amsterdam calendar (clock injected);
* casework purges a closed case past its period through the domain rule, once, even when two
  schedulers (two replicas) run at the same time or the purge of one case is applied twice;
* disclosure forgets its projection and case key of a forgotten nomination and follows the band.
"""

from __future__ import annotations

import json
import threading
import uuid
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text, update

from services.intake.adapters.repository import NominationRepository
from services.intake.bootstrap import make_deps as intake_deps
from services.intake.domain.commands import (
    Assess,
    DecideRouting,
    GetNomination,
    Nominate,
    Withdraw,
)
from services.intake.domain.model import Problem, Safety
from services.intake.domain.vocabulary import (
    Chain,
    ConsentStatus,
    LifeDomain,
    RejectionReason,
    Routing,
    Status,
)
from services.intake.service_layer.handlers import nominations
from zorgtafel.contracts import events as ev
from zorgtafel.kernel import db
from zorgtafel.kernel.accesslog import prune, store
from zorgtafel.kernel.bootstrap import make_platform, make_retention_scheduler
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import NotShared
from zorgtafel.kernel.gate import PolicyGate
from zorgtafel.kernel.purge import forget_case
from zorgtafel.kernel.registry import definition
from zorgtafel.kernel.scheduler import LeaderLock, RetentionScheduler, _lock_key
from zorgtafel.kernel.service import Platform, ServiceParts
from zorgtafel.testing import (
    deliver,
    handler_platform,
    logged_read,
    restriction_changed,
    set_party_status,
    set_roster,
)
from zorgtafel.testing.services import shared_policy_engine

ASTEN = "00000099000000000001"
HELMOND = "00000099000000000018"
LUMENS = "00000099000000000053"
SHELTER = "00000099000000000051"
NOMINATING = Caller(ASTEN, "worker-1", "caseworker", party_status="active")
DIRECTOR = Caller(HELMOND, "zorgcoordinator-1", "process_director", party_status="active")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = datetime.now(timezone.utc)


def scheduler(platform: Platform, parts: ServiceParts, clock, **overrides) -> RetentionScheduler:
    with platform.uow_factory() as uow:
        engine = uow.session.get_bind()
    return RetentionScheduler(
        service=platform.settings.service,
        tasks=parts.retention,
        policy=platform.policy,
        lock=LeaderLock(  # type: ignore[arg-type]
            engine, platform.settings.service, schema=platform.settings.effective_schema
        ),
        interval_s=0,
        overrides=overrides,
        clock=clock,
    )


def outbox(platform: Platform, event_type: str) -> list[dict]:
    with platform.uow_factory() as uow:
        t = uow.tables["outbox"]
        rows = uow.session.execute(select(t.c.data).where(t.c.type == event_type)).all()
    return [json.loads(r.data) for r in rows]


def every_value(platform: Platform) -> list[str]:
    """Every stored value of every table of the service, as text (bytes decoded leniently)."""
    out: list[str] = []
    with platform.uow_factory() as uow:
        for table in uow.tables.values():
            for row in uow.session.execute(select(table)).all():
                for value in row:
                    if isinstance(value, bytes | bytearray | memoryview):
                        out.append(bytes(value).decode("latin-1"))
                    elif value is not None:
                        out.append(str(value))
    return out


# -- intake -----------------------------------------------------------------------------------
@pytest.fixture
def intake(data_dir, database_url):
    with handler_platform("intake", data_dir, database_url) as (platform, parts):
        for party in (ASTEN, HELMOND):
            set_party_status(platform, party, "active")
        set_roster(platform, "process_director", DIRECTOR.party, DIRECTOR.person)
        yield platform, parts, intake_deps(platform)


def nominate(intake, *, dob: date, bsn: str = "111222333", family: str = "") -> tuple[str, str]:
    platform, _parts, deps = intake
    family = family or f"Wiśniewska-{uuid.uuid4().hex[:8]}"
    cmd = Nominate(
        given_names="Zofia",
        family_name=family,
        date_of_birth=dob.isoformat(),
        bsn=bsn,
        v_number="",
        age_band=None,
        problems=(Problem(LifeDomain.HOUSING, "dakloos"), Problem(LifeDomain.SAFETY, "bedreigd")),
        safety=Safety(serious_local_safety_problem=True, multiple_chains_needed=True),
        chains=(Chain.CARE, Chain.COERCION_AND_PRESSURE),
        consent=ConsentStatus.GIVEN,
        usage_terms={"purposes": ["care_coordination"]},
    )
    with platform.uow_factory() as uow:
        nom = nominations.nominate(deps, uow, cmd, NOMINATING)
        uow.commit()
    return nom.case_id, family


def reject(intake, case_id: str) -> None:
    from services.intake.domain.assessment import Judged, JudgedCriteria
    from services.intake.service_layer.handlers import assessment

    platform, _parts, deps = intake
    criteria = JudgedCriteria(*(Judged(x, "besproken") for x in (False, False, True, True)))
    cmd = Assess(case_id, False, RejectionReason.CRITERIA_NOT_MET, "nee", True, criteria)
    with platform.uow_factory() as uow:
        assessment.assess(deps, uow, cmd, DIRECTOR)
        uow.commit()


def test_a_rejected_nomination_is_forgotten_after_its_period_and_nothing_identifies_her(intake):
    platform, parts, _deps = intake
    dob = date(1990, 3, 14)
    case_id, family = nominate(intake, dob=dob, bsn="111222333")
    reject(intake, case_id)
    kept = nominate(intake, dob=date(1991, 4, 15), bsn="")[0]  # in progress: never due
    now = datetime.now(timezone.utc)
    clock = {"now": now}
    s = scheduler(platform, parts, lambda: clock["now"], nomination_ended=3600)

    assert s.tick().counts()["nomination_ended"] == 0  # not yet: the period has not ended
    assert case_id in " ".join(every_value(platform))
    clock["now"] = now + timedelta(hours=1, seconds=1)
    plan = s.plan()
    assert plan.tasks[0].due == (case_id,)
    report = s.tick()
    assert report.ran and report.tasks[0].done == (case_id,)

    stored = every_value(platform)
    for secret in (family, dob.isoformat(), "14-03-1990", "111222333"):
        assert not any(secret in v for v in stored), secret
    with platform.uow_factory() as uow:
        assert platform.case_keys.find(uow.session, case_id) is None  # nothing opens a copy
        assert platform.case_keys.find(uow.session, kept) is not None
        forgotten = uow.tables["forgotten_cases"]
        assert uow.session.execute(
            select(forgotten.c.case_id).where(forgotten.c.case_id == case_id)
        ).first()
    assert outbox(platform, ev.NOMINATION_FORGOTTEN) == [{"case_id": case_id}]
    # Once: a second tick finds nothing to forget and emits nothing more.
    assert s.tick().tasks[0].done == ()
    assert len(outbox(platform, ev.NOMINATION_FORGOTTEN)) == 1


def escalate(intake, case_id: str) -> None:
    from services.intake.service_layer.handlers import routing

    platform, _parts, deps = intake
    cmd = DecideRouting(case_id, Routing.ZVH_BRABANT_ZUIDOOST, None, "acute_danger", {})
    with platform.uow_factory() as uow:
        routing.decide_routing(deps, uow, cmd, DIRECTOR)  # from the queue: takes it up
        uow.commit()


@pytest.mark.parametrize("as_before", [False, True], ids=["routed-with-it", "left-linked"])
def test_a_nomination_linked_to_one_routed_away_ends_and_is_forgotten_with_it(intake, as_before):
    """A linked nomination shares the outcome of the nomination it is linked to (the same
    subject): escalated to a ZVH (or sent back to regular care), it is routed so too, by the
    same process director, and forgotten after the same period. Never is it left "linked" to a
    forgotten nomination without a director, where it looked like the intake queue's: any
    designated process director read the subject's identity (12.3) and it was kept for ever.
    One left linked by an earlier version goes when the nomination it is linked to goes."""
    platform, parts, deps = intake
    other_director = Caller(HELMOND, "zorgcoordinator-2", "process_director")
    set_roster(platform, "process_director", other_director.party, other_director.person)
    primary, family = nominate(intake, dob=date(1992, 5, 6), bsn="123456782")
    linked, _ = nominate(intake, dob=date(1992, 5, 6), bsn="123456782", family=family)
    escalate(intake, primary)
    with platform.uow_factory() as uow:
        nom = NominationRepository(uow).get(linked)
        assert nom is not None
        if as_before:  # as the routing left it before: linked, no routing of its own
            n = uow.tables["nominations"]
            uow.session.execute(
                update(n).where(n.c.case_id == linked).values(status="linked", routing=None)
            )
            uow.commit()
        else:
            assert (nom.status, nom.routing) == (Status.ROUTED, Routing.ZVH_BRABANT_ZUIDOOST)
            assert nom.process_director == (DIRECTOR.party, DIRECTOR.person)
    now = datetime.now(timezone.utc)
    s = scheduler(
        platform, parts, lambda: now + timedelta(hours=1, seconds=1), nomination_ended=3600
    )
    report = s.tick()
    assert set(report.tasks[0].done) == ({primary} if as_before else {primary, linked})
    stored = every_value(platform)
    assert not any(family in v for v in stored)
    assert not any("123456782" in v for v in stored)
    with platform.uow_factory() as uow:
        with pytest.raises(NotShared):  # nobody reads it, from no queue
            nominations.get_nomination(deps, uow, GetNomination(linked), other_director)
    forgotten = {e["case_id"] for e in outbox(platform, ev.NOMINATION_FORGOTTEN)}
    assert forgotten == {primary, linked}


def test_a_restricted_nomination_linked_to_an_ended_one_is_kept_until_its_lifting(intake):
    """GDPR art. 18(2): a nomination linked to one that ended went with it after the period,
    though the subject's restriction of its own case held. It now stays, in nobody's queue,
    while the other goes; it goes at the first tick after its lifting."""
    platform, parts, _deps = intake
    primary, family = nominate(intake, dob=date(1992, 5, 6), bsn="123456782")
    linked, _ = nominate(intake, dob=date(1992, 5, 6), bsn="123456782", family=family)
    escalate(intake, primary)
    with platform.uow_factory() as uow:  # as an earlier version left it: linked, not routed
        n = uow.tables["nominations"]
        uow.session.execute(
            update(n).where(n.c.case_id == linked).values(status="linked", routing=None)
        )
        uow.commit()
    restriction_of(platform, parts, linked, True, NOW)
    later = datetime.now(timezone.utc) + timedelta(hours=1, seconds=1)
    s = scheduler(platform, parts, lambda: later, nomination_ended=3600)
    assert s.tick().tasks[0].done == (primary,)
    with platform.uow_factory() as uow:
        assert platform.case_keys.find(uow.session, linked) is not None
    assert {e["case_id"] for e in outbox(platform, ev.NOMINATION_FORGOTTEN)} == {primary}
    restriction_of(platform, parts, linked, False, NOW + timedelta(seconds=1))
    assert s.tick().tasks[0].done == (linked,)
    assert not any(family in v for v in every_value(platform))


def test_a_nomination_an_earlier_version_left_linked_to_nothing_is_in_nobodys_queue(intake):
    """Its nomination was forgotten and it was left "linked" with no link and no process
    director: the access policy no longer takes it for the intake queue (12.3), so no
    designated process director reads it; the person who nominated it still does (16.2)."""
    platform, _parts, deps = intake
    other_director = Caller(HELMOND, "zorgcoordinator-2", "process_director")
    set_roster(platform, "process_director", other_director.party, other_director.person)
    primary, family = nominate(intake, dob=date(1993, 7, 8), bsn="")
    linked, _ = nominate(intake, dob=date(1993, 7, 8), bsn="", family=family)
    with platform.uow_factory() as uow:  # as an earlier version's scheduler left it
        NominationRepository(uow).forget(primary)
        uow.commit()
    with platform.uow_factory() as uow:
        nom = NominationRepository(uow).get(linked)
        assert nom is not None and nom.status == Status.LINKED and not nom.linked_to_case_id
        for director in (other_director, DIRECTOR):
            with pytest.raises(NotShared) as denied:
                nominations.get_nomination(deps, uow, GetNomination(linked), director)
            # Told as an unknown id; the access log keeps the policy's own reasons.
            assert any("art. 12.3" in r for r in denied.value.logged.reasons)
            assert not any(family in r for r in denied.value.reasons + denied.value.logged.reasons)
        view = nominations.get_nomination(deps, uow, GetNomination(linked), NOMINATING)
        assert not view.full


def test_a_nomination_an_earlier_version_left_linked_to_nothing_is_forgotten(intake):
    """It shared the outcome of the nomination it was linked to, which ended and was forgotten
    after its period: it is past its period as well, so the scheduler forgets it (Bijlage 3
    houdbaarheid) instead of keeping it for ever."""
    platform, parts, _deps = intake
    primary, family = nominate(intake, dob=date(1994, 9, 10), bsn="")
    linked, _ = nominate(intake, dob=date(1994, 9, 10), bsn="", family=family)
    kept = nominate(intake, dob=date(1995, 1, 1), bsn="")[0]  # in progress: never due
    with platform.uow_factory() as uow:  # as an earlier version's scheduler left it
        NominationRepository(uow).forget(primary)
        uow.commit()
    now = datetime.now(timezone.utc)
    clock = {"now": now}
    s = scheduler(platform, parts, lambda: clock["now"], nomination_ended=3600)
    assert s.tick().tasks[0].done == ()  # not before its period
    clock["now"] = now + timedelta(hours=1, seconds=1)
    assert s.tick().tasks[0].done == (linked,)
    assert not any(family in v for v in every_value(platform))
    assert outbox(platform, ev.NOMINATION_FORGOTTEN) == [{"case_id": linked}]
    with platform.uow_factory() as uow:
        assert NominationRepository(uow).get(kept) is not None


def test_a_withdrawn_nomination_is_forgotten_too_and_the_apply_is_idempotent(intake):
    platform, parts, deps = intake
    case_id, _ = nominate(intake, dob=date(1985, 1, 2), bsn="")
    with platform.uow_factory() as uow:
        nominations.withdraw(deps, uow, Withdraw(case_id, "other"), NOMINATING)
        uow.commit()
    task = next(t for t in parts.retention if t.name == "nomination_ended")
    later = datetime.now(timezone.utc) + timedelta(seconds=10)
    assert task.due(timedelta(seconds=5), later) == [case_id]
    assert task.apply(case_id, timedelta(seconds=5), later) is True
    assert task.apply(case_id, timedelta(seconds=5), later) is False  # a second replica's try
    assert len(outbox(platform, ev.NOMINATION_FORGOTTEN)) == 1


def test_without_a_period_from_the_policy_nothing_is_forgotten(intake, monkeypatch):
    platform, parts, _deps = intake
    case_id, _ = nominate(intake, dob=date(1990, 3, 14), bsn="")
    reject(intake, case_id)

    class Broken:
        revision = "x"

        def evaluate(self, policy, facts):
            return {"periods": {}, "invalid": ["nomination_ended"]}

    s = scheduler(platform, parts, lambda: NOW + timedelta(days=10_000))
    s.policy = Broken()
    report = s.tick()
    assert report.tasks[0].skipped == "no_period" and report.tasks[0].done == ()


def _routed_after_triage(intake, question: str) -> tuple[str, datetime]:  # noqa: ANN001
    """A nomination of a new subject assessed, triaged with LUMENS (``question``) and routed to
    a case meeting now (the routing itself has its own tests): its case id and routing time."""
    from services.intake.domain.assessment import Judged, JudgedCriteria
    from services.intake.domain.commands import StartTriage
    from services.intake.service_layer.handlers import assessment, triage

    platform, _parts, deps = intake
    set_party_status(platform, LUMENS, "active")
    case_id, _ = nominate(intake, dob=date(1990, 3, 14), bsn="")
    criteria = JudgedCriteria(*(Judged(x, "besproken") for x in (True, False, True, True)))
    with platform.uow_factory() as uow:
        assessment.assess(deps, uow, Assess(case_id, True, None, "ja", True, criteria), DIRECTOR)
        start = StartTriage(case_id, (LUMENS,), NOW + timedelta(days=1), ("safety",), question)
        triage.start_triage(deps, uow, start, DIRECTOR)
        uow.commit()
    routed_at = datetime.now(timezone.utc)
    with platform.uow_factory() as uow:  # the routing itself has its own tests
        n = uow.tables["nominations"]
        uow.session.execute(
            n.update()
            .where(n.c.case_id == case_id)
            .values(status="routed", routing="case_meeting", routed_at=routed_at)
        )
        uow.commit()
    return case_id, routed_at


def test_the_triage_round_of_a_routed_case_goes_after_its_period(intake):
    platform, parts, _deps = intake
    case_id, routed_at = _routed_after_triage(intake, "Is zij bij u bekend?")
    task = next(t for t in parts.retention if t.name == "triage_round")
    period = timedelta(days=90)
    assert task.due(period, routed_at + timedelta(days=89)) == []
    later = routed_at + timedelta(days=91)
    assert task.due(period, later) == [case_id]
    assert task.apply(case_id, period, later) is True
    assert task.apply(case_id, period, later) is False
    with platform.uow_factory() as uow:
        for table in ("triage_rounds", "triage_answers"):
            t = uow.tables[table]
            assert uow.session.execute(select(t).where(t.c.case_id == case_id)).first() is None
        # the nomination itself stays (the case goes with casework's purge)
        assert platform.case_keys.find(uow.session, case_id) is not None


def test_a_restricted_ended_nomination_is_kept_and_forgotten_at_the_first_tick_after_lifting(
    intake,
):
    """GDPR art. 18(2): while the subject's restriction of the case holds its data may only be
    stored. Intake forgot a rejected nomination past its period all the same (and told
    disclosure to forget it); it is now kept while restricted, and forgotten at the first tick
    after the lifting, its period counted from its end as before."""
    platform, parts, _deps = intake
    case_id, _family = nominate(intake, dob=date(1990, 3, 14), bsn="111222333")
    reject(intake, case_id)
    restriction_of(platform, parts, case_id, True, NOW)
    later = datetime.now(timezone.utc) + timedelta(hours=2)
    s = scheduler(platform, parts, lambda: later, nomination_ended=3600)
    task = next(t for t in parts.retention if t.name == "nomination_ended")
    assert task.due(timedelta(seconds=3600), later) == []
    assert task.apply(case_id, timedelta(seconds=3600), later) is False  # listed before the grant
    assert next(t for t in s.tick().tasks if t.name == "nomination_ended").done == ()
    with platform.uow_factory() as uow:
        assert platform.case_keys.find(uow.session, case_id) is not None
    assert outbox(platform, ev.NOMINATION_FORGOTTEN) == []
    restriction_of(platform, parts, case_id, False, NOW + timedelta(seconds=1))
    assert next(t for t in s.tick().tasks if t.name == "nomination_ended").done == (case_id,)
    assert outbox(platform, ev.NOMINATION_FORGOTTEN) == [{"case_id": case_id}]


def test_intake_keeps_a_restricted_nomination_casework_purged_until_the_lifting(intake):
    """GDPR art. 18(2): casework purges a case only while it holds no restriction of it, but
    it may purge one before it learns the restriction disclosure granted, and intake, which
    had learnt it, erased the nomination (identity, answers, key) at CASE_PURGED all the
    same. Now it keeps a restricted nomination then, and purges it at the first tick after
    the lifting, once (the event is not lost)."""
    platform, parts, _deps = intake
    case_id, _family = nominate(intake, dob=date(1990, 3, 14), bsn="111222333")
    restriction_of(platform, parts, case_id, True, NOW)
    deliver(platform, parts, ev.CASE_PURGED, {"case_id": case_id})
    with platform.uow_factory() as uow:
        assert NominationRepository(uow).get(case_id) is not None
        assert platform.case_keys.find(uow.session, case_id) is not None
    task = next(t for t in parts.retention if t.name == "purge_held_by_a_restriction")
    assert case_id not in task.due(None, NOW)
    assert task.apply(case_id, None, NOW) is False
    restriction_of(platform, parts, case_id, False, NOW + timedelta(seconds=1))
    assert case_id in task.due(None, NOW)
    assert task.apply(case_id, None, NOW) is True
    assert task.apply(case_id, None, NOW) is False  # once
    with platform.uow_factory() as uow:
        assert NominationRepository(uow).get(case_id) is None
        assert platform.case_keys.find(uow.session, case_id) is None
    assert "111222333" not in " ".join(every_value(platform))
    # Disclosure learnt it from casework's purge: no NOMINATION_FORGOTTEN of a case.
    assert outbox(platform, ev.NOMINATION_FORGOTTEN) == []


def test_a_restricted_nomination_linked_to_a_purged_one_is_kept_until_its_lifting(intake):
    """GDPR art. 18(2): casework's purge of a case took the nominations linked to its
    nomination (the same subject) with it, a nomination restricted on its own too (its own
    case id, a request naming it). It now stays, linked to nothing, marked, while the rest
    goes; it goes at the first tick after its lifting, once. Disclosure is told of each
    linked nomination when it goes (NOMINATION_FORGOTTEN), not before, and once."""
    platform, parts, _deps = intake
    primary, family = nominate(intake, dob=date(1992, 5, 6), bsn="123456782")
    kept, _ = nominate(intake, dob=date(1992, 5, 6), bsn="123456782", family=family)
    gone, _ = nominate(intake, dob=date(1992, 5, 6), bsn="123456782", family=family)
    with platform.uow_factory() as uow:
        repo = NominationRepository(uow)
        assert repo.linked_case_ids(primary) == [kept, gone]
    restriction_of(platform, parts, kept, True, NOW)
    deliver(platform, parts, ev.CASE_PURGED, {"case_id": primary})
    with platform.uow_factory() as uow:
        repo = NominationRepository(uow)
        assert repo.get(primary) is None and repo.get(gone) is None
        nom = repo.get(kept)
        assert nom is not None and not nom.linked_to_case_id
        assert platform.case_keys.find(uow.session, kept) is not None
    assert [e["case_id"] for e in outbox(platform, ev.NOMINATION_FORGOTTEN)] == [gone]
    task = next(t for t in parts.retention if t.name == "purge_held_by_a_restriction")
    assert kept not in task.due(None, NOW)
    assert task.apply(kept, None, NOW) is False
    restriction_of(platform, parts, kept, False, NOW + timedelta(seconds=1))
    assert task.due(None, NOW) == [kept]
    assert task.apply(kept, None, NOW) is True
    assert task.apply(kept, None, NOW) is False  # once
    with platform.uow_factory() as uow:
        assert NominationRepository(uow).get(kept) is None
        assert platform.case_keys.find(uow.session, kept) is None
    assert sorted(e["case_id"] for e in outbox(platform, ev.NOMINATION_FORGOTTEN)) == sorted(
        [gone, kept]
    )
    assert not any(family in v for v in every_value(platform))


def test_an_erasure_of_a_case_keeps_a_restricted_nomination_linked_to_it_it_does_not_name(
    intake,
):
    """GDPR art. 17, 18(2): an erasure erases the cases it names, restricted or not, and the
    nominations linked to them go with them; but one it does not name that the subject's
    restriction of its own case holds stays until its lifting, and disclosure learns it went
    only then."""
    platform, parts, _deps = intake
    primary, family = nominate(intake, dob=date(1992, 5, 6), bsn="123456782")
    kept, _ = nominate(intake, dob=date(1992, 5, 6), bsn="123456782", family=family)
    with platform.uow_factory() as uow:
        nom = NominationRepository(uow).get(primary)
        assert nom is not None
        pseudonym = nom.subject_pseudonym
    restriction_of(platform, parts, primary, True, NOW)
    restriction_of(platform, parts, kept, True, NOW)
    erased = {
        "subject_request_id": "sr-1",
        "subject_pseudonym": pseudonym,
        "case_ids": [primary],
        "controller": ASTEN,
        "erased_at": NOW.isoformat(),
    }
    deliver(platform, parts, ev.SUBJECT_ERASED, erased)
    with platform.uow_factory() as uow:
        assert NominationRepository(uow).get(primary) is None  # restricted, but erased
        assert NominationRepository(uow).get(kept) is not None
    assert outbox(platform, ev.NOMINATION_FORGOTTEN) == []
    restriction_of(platform, parts, kept, False, NOW + timedelta(seconds=1))
    task = next(t for t in parts.retention if t.name == "purge_held_by_a_restriction")
    assert task.due(None, NOW) == [kept]
    assert task.apply(kept, None, NOW) is True
    assert outbox(platform, ev.NOMINATION_FORGOTTEN) == [{"case_id": kept}]
    assert not any(family in v for v in every_value(platform))


def test_a_restricted_cases_triage_round_is_kept_until_the_restriction_is_lifted(intake):
    """GDPR art. 18(2): the triage round of a routed case went after its period while the
    subject's restriction of the case held; it is now kept until the lifting, and goes at the
    first tick after it."""
    platform, parts, _deps = intake
    case_id, routed_at = _routed_after_triage(intake, "Bekend?")
    restriction_of(platform, parts, case_id, True, routed_at)
    task = next(t for t in parts.retention if t.name == "triage_round")
    period, later = timedelta(days=90), routed_at + timedelta(days=91)
    assert task.due(period, later) == []
    assert task.apply(case_id, period, later) is False
    with platform.uow_factory() as uow:
        t = uow.tables["triage_rounds"]
        assert uow.session.execute(select(t).where(t.c.case_id == case_id)).first() is not None
    restriction_of(platform, parts, case_id, False, routed_at + timedelta(seconds=1))
    assert task.due(period, later) == [case_id]
    assert task.apply(case_id, period, later) is True


def twelfth_birthday_soon() -> tuple[date, date]:
    """A date of birth whose twelfth birthday is a few days ahead: (dob, birthday)."""
    birthday = date.today() + timedelta(days=5)
    if (birthday.month, birthday.day) == (2, 29):
        birthday += timedelta(days=1)
    return birthday.replace(year=birthday.year - 12), birthday


def test_a_childs_band_changes_on_her_birthday_in_amsterdam_not_in_utc(intake):
    platform, parts, _deps = intake
    dob, birthday = twelfth_birthday_soon()
    case_id, _ = nominate(intake, dob=dob, bsn="")
    s = scheduler(platform, parts, lambda: NOW)
    eve = datetime.combine(birthday - timedelta(days=1), time(23, 30), AMSTERDAM)
    just_after_midnight = datetime.combine(birthday, time(0, 30), AMSTERDAM)
    assert just_after_midnight.astimezone(timezone.utc).date() < birthday  # UTC: still the eve

    s.clock = lambda: eve
    assert s.tick().counts()["age_band"] == 0
    s.clock = lambda: just_after_midnight
    report = s.tick()
    assert next(t for t in report.tasks if t.name == "age_band").done == (case_id,)
    with platform.uow_factory() as uow:
        n = uow.tables["nominations"]
        band = uow.session.execute(select(n.c.age_band).where(n.c.case_id == case_id)).scalar()
    assert band == "12_to_16"
    sent = outbox(platform, ev.AGE_BAND_CHANGED)
    assert sent == [{"case_id": case_id, "age_band": "12_to_16"}]  # never a date
    assert s.tick().counts()["age_band"] == 0  # once


# -- casework ---------------------------------------------------------------------------------
@pytest.fixture
def casework(data_dir, database_url):
    with handler_platform("casework", data_dir, database_url) as built:
        platform, _parts = built
        for party in (LUMENS, SHELTER, ASTEN):
            set_party_status(platform, party)
        yield built


def triaged_to_a_meeting(platform, parts, case_id: str) -> None:
    """Intake's outcome for the case: routed to a case meeting (casework opens it)."""
    deliver(
        platform,
        parts,
        ev.CASE_TRIAGED,
        {
            "case_id": case_id,
            "subject_pseudonym": "ps-1",
            "nominating_party": ASTEN,
            "age_band": "12_to_16",
            "routing": "case_meeting",
            "goal_code": "stabilise",
            "themes": ["safety"],
            "decision_types": ["plan"],
            "invitees": [SHELTER],
            "process_director_party": LUMENS,
            "process_director_person": "zorgcoordinator-1",
        },
    )


def closed_case(casework, closed_at: datetime) -> str:
    """A case opened from intake's triage outcome and closed at ``closed_at`` (the life cycle
    up to closing has its own tests; here only the retention clock matters)."""
    from services.casework.domain.model import CaseState

    platform, parts = casework
    case_id = f"case-{uuid.uuid4()}"
    triaged_to_a_meeting(platform, parts, case_id)
    with platform.uow_factory() as uow:
        case = uow.cases.get(case_id, for_update=True)
        case.state, case.closed_at, case.outcome = CaseState.CLOSED, closed_at, "successful"
        uow.cases.save(case)
        uow.commit()
    return case_id


def test_casework_purges_a_closed_case_past_its_period_once(casework):
    platform, parts = casework
    old = closed_case(casework, NOW - timedelta(seconds=120))
    fresh = closed_case(casework, NOW)
    s = scheduler(platform, parts, lambda: NOW, case_closed=60)
    assert s.plan().tasks[0].due == (old,)
    report = s.tick()
    assert report.tasks[0].done == (old,)
    purged = [e["case_id"] for e in outbox(platform, ev.CASE_PURGED)]
    assert purged == [old]
    with platform.uow_factory() as uow:
        assert uow.cases.was_purged(old) and uow.cases.get(fresh) is not None
        assert platform.case_keys.find(uow.session, old) is None
    assert s.tick().tasks[0].done == ()  # already gone: nothing twice


def test_the_adopted_policy_period_keeps_a_closed_case_a_year(casework):
    platform, parts = casework
    case_id = closed_case(casework, NOW - timedelta(days=364))
    s = scheduler(platform, parts, lambda: NOW)  # no override: the policy's 365 days
    assert s.plan().tasks[0].due == ()
    s.clock = lambda: NOW + timedelta(days=2)
    assert s.tick().tasks[0].done == (case_id,)


def restriction_of(platform, parts, case_id: str, restricted: bool, at: datetime) -> None:
    """Disclosure's fact: the controller granted (or lifted) the subject's restriction of the
    case at ``at`` (Bijlage 3 "afschermen", GDPR art. 18)."""
    restriction_changed(platform, parts, case_id, restricted, at)


def test_casework_keeps_a_restricted_closed_case_and_purges_it_at_the_first_tick_after_lifting(
    casework,
):
    """GDPR art. 18(2): while restricted, a case's data may only be stored. The retention
    sweep purged a restricted case past its period as any other; it now skips it, and purges
    it at the first tick after the lifting (its period counted from its closing, as before)."""
    platform, parts = casework
    kept = closed_case(casework, NOW - timedelta(seconds=120))
    other = closed_case(casework, NOW - timedelta(seconds=120))
    restriction_of(platform, parts, kept, True, NOW - timedelta(seconds=60))
    s = scheduler(platform, parts, lambda: NOW, case_closed=60)
    assert s.tick().tasks[0].done == (other,)
    with platform.uow_factory() as uow:
        assert uow.cases.get(kept) is not None and not uow.cases.was_purged(kept)
    assert kept not in [e["case_id"] for e in outbox(platform, ev.CASE_PURGED)]
    # Listed before the grant and purged after it (a busy machine): still kept.
    from services.casework.service_layer.handlers import retention

    assert not retention.purge_closed_case(platform.uow_factory, kept, timedelta(seconds=60), NOW)
    restriction_of(platform, parts, kept, False, NOW - timedelta(seconds=30))
    assert s.tick().tasks[0].done == (kept,)
    assert [e["case_id"] for e in outbox(platform, ev.CASE_PURGED)] == [other, kept]


def test_casework_follows_the_age_band_intake_noticed(casework):
    platform, parts = casework
    case_id = closed_case(casework, NOW)
    deliver(platform, parts, ev.AGE_BAND_CHANGED, {"case_id": case_id, "age_band": "16_plus"})
    with platform.uow_factory() as uow:
        assert uow.cases.get(case_id).age_band == "16_plus"
    deliver(platform, parts, ev.AGE_BAND_CHANGED, {"case_id": case_id, "age_band": "old"})
    with platform.uow_factory() as uow:
        assert uow.cases.get(case_id).age_band == "16_plus"  # outside the vocabulary: ignored


def test_two_replicas_on_one_database_purge_a_case_once(casework):
    """Two schedulers with their own engines (as two pods) tick at the same time: one runs,
    or both run one after the other; either way one CASE_PURGED."""
    platform, parts = casework
    cases = [closed_case(casework, NOW - timedelta(hours=2)) for _ in range(3)]
    second = make_platform(
        platform.settings,
        definition("casework"),
        shared_policy_engine(platform.settings.policy_dir),
        run_migrations=False,
    )
    try:
        parts2 = second.definition.build(second.platform)
        a = scheduler(platform, parts, lambda: NOW, case_closed=60)
        b = scheduler(second.platform, parts2, lambda: NOW, case_closed=60)
        start = threading.Barrier(2)
        reports = []

        def run(s: RetentionScheduler) -> None:
            start.wait()
            reports.append(s.tick())

        threads = [threading.Thread(target=run, args=(s,)) for s in (a, b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        done = [c for r in reports if r.ran for t in r.tasks for c in t.done]
        assert sorted(done) == sorted(cases)
        purged = [e["case_id"] for e in outbox(platform, ev.CASE_PURGED)]
        assert sorted(purged) == sorted(cases)
    finally:
        second.platform.stopped.set()
        second.engine.dispose()


def test_on_postgresql_a_replica_without_the_lock_stands_by(casework, database_url):
    if not database_url:
        pytest.skip("the advisory lock is PostgreSQL's; SQLite runs one process")
    platform, parts = casework
    case_id = closed_case(casework, NOW - timedelta(hours=2))
    holder = db.make_engine(platform.settings)
    try:
        with holder.connect() as conn:
            key = _lock_key("casework", platform.settings.effective_schema)
            assert conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
            report = scheduler(platform, parts, lambda: NOW, case_closed=60).tick()
            assert report.ran is False and outbox(platform, ev.CASE_PURGED) == []
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
        report = scheduler(platform, parts, lambda: NOW, case_closed=60).tick()
        assert report.tasks[0].done == (case_id,)
    finally:
        holder.dispose()


def test_on_postgresql_another_deployments_casework_in_the_same_database_does_not_hold_it_back(
    casework, database_url
):
    # Advisory locks are per database: a second deployment (another schema prefix) whose casework
    # holds its own leader lock must not make this one stand aside.
    if not database_url:
        pytest.skip("the advisory lock is PostgreSQL's; SQLite runs one process")
    platform, parts = casework
    case_id = closed_case(casework, NOW - timedelta(hours=2))
    other_schema = f"{platform.settings.effective_schema}_other_deployment"
    holder = db.make_engine(platform.settings)
    try:
        with holder.connect() as conn:
            key = _lock_key("casework", other_schema)
            assert conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
            report = scheduler(platform, parts, lambda: NOW, case_closed=60).tick()
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
        assert report.ran is True and report.tasks[0].done == (case_id,)
    finally:
        holder.dispose()


# -- disclosure -------------------------------------------------------------------------------
@pytest.fixture
def disclosure(data_dir, database_url):
    with handler_platform("disclosure", data_dir, database_url) as built:
        yield built


def nominated_fact(case_id: str) -> dict:
    return {
        "case_id": case_id,
        "subject_pseudonym": "a" * 64,
        "nominating_party": ASTEN,
        "age_band": "under_12",
        "nominated_at": NOW.isoformat(),
    }


def test_disclosure_forgets_a_forgotten_nomination_and_its_key(disclosure):
    platform, parts = disclosure
    case_id = uuid.uuid4().hex
    deliver(platform, parts, ev.CASE_NOMINATED, nominated_fact(case_id))
    with platform.uow_factory() as uow:
        assert uow.cases.known(case_id) and platform.case_keys.find(uow.session, case_id)
    deliver(platform, parts, ev.NOMINATION_FORGOTTEN, {"case_id": case_id})
    deliver(platform, parts, ev.CASE_NOMINATED, nominated_fact(case_id))  # a late redelivery
    with platform.uow_factory() as uow:
        assert not uow.cases.known(case_id)
        assert platform.case_keys.find(uow.session, case_id) is None
    assert not any("a" * 64 in v for v in every_value(platform))


def test_disclosure_follows_the_age_band(disclosure):
    platform, parts = disclosure
    case_id = uuid.uuid4().hex
    deliver(platform, parts, ev.CASE_NOMINATED, nominated_fact(case_id))
    deliver(platform, parts, ev.AGE_BAND_CHANGED, {"case_id": case_id, "age_band": "12_to_16"})
    with platform.uow_factory() as uow:
        assert uow.cases.find(case_id).age_band == "12_to_16"


def _consent_recorded(uow, case_id: str, recorded_at: datetime, withdrawn_at: datetime | None):  # noqa: ANN001, ANN202
    """A subject's consent for the case as disclosure stores one, its id (how consents are
    recorded has its own tests)."""
    consent_id = uuid.uuid4().hex
    uow.session.execute(
        uow.tables["consents"]
        .insert()
        .values(
            consent_id=consent_id,
            kind="subject",
            case_id=case_id,
            given_by="subject",
            scope="[]",
            document_ref="doc-1",
            recorded_by_party=ASTEN,
            recorded_by_person="worker-1",
            recorded_at=recorded_at,
            withdrawn_at=withdrawn_at,
        )
    )
    return consent_id


def test_disclosure_deletes_a_withdrawn_consent_after_its_period_only(disclosure):
    platform, parts = disclosure
    case_id = uuid.uuid4().hex
    withdrawn_at = datetime.now(timezone.utc)

    def consent(withdrawn: datetime | None) -> str:
        with platform.uow_factory() as uow:
            recorded = withdrawn_at - timedelta(days=30)
            consent_id = _consent_recorded(uow, case_id, recorded, withdrawn)
            uow.commit()
        return consent_id

    gone = consent(withdrawn_at)
    in_force = consent(None)
    s = scheduler(platform, parts, lambda: withdrawn_at + timedelta(days=364))
    assert s.plan().tasks[0].due == ()  # the policy's 365 days have not passed
    s.clock = lambda: withdrawn_at + timedelta(days=366)
    assert s.tick().tasks[0].done == (gone,)
    with platform.uow_factory() as uow:
        t = uow.tables["consents"]
        left = set(uow.session.scalars(select(t.c.consent_id).where(t.c.case_id == case_id)))
    assert left == {in_force}


def test_disclosure_keeps_a_restricted_cases_withdrawn_consent_until_the_lifting(disclosure):
    """GDPR art. 18(2): while the subject's restriction of the case holds, its data may only be
    stored, the evidence of a withdrawn consent included (it may be what a legal claim needs).
    Disclosure deleted it after its period all the same; it is now kept while the case is
    restricted and deleted at the first tick after the lifting, its period counted as before."""
    platform, parts = disclosure
    case_id = uuid.uuid4().hex
    deliver(platform, parts, ev.CASE_NOMINATED, nominated_fact(case_id))
    withdrawn_at = datetime.now(timezone.utc)
    with platform.uow_factory() as uow:
        consent_id = _consent_recorded(
            uow, case_id, withdrawn_at - timedelta(days=30), withdrawn_at
        )
        assert uow.cases.set_restricted(case_id, True, withdrawn_at)  # as carry_out does
        uow.commit()
    later = withdrawn_at + timedelta(days=366)
    task = next(t for t in parts.retention if t.name == "consent_withdrawn")
    period = timedelta(days=365)
    assert task.due(period, later) == []
    assert task.apply(consent_id, period, later) is False  # listed before the grant
    with platform.uow_factory() as uow:
        assert uow.cases.set_restricted(case_id, False, withdrawn_at + timedelta(seconds=1))
        uow.commit()
    assert task.due(period, later) == [consent_id]
    assert task.apply(consent_id, period, later) is True


def test_the_policy_gate_gives_each_service_its_own_periods():
    gate = PolicyGate(shared_policy_engine())
    from zorgtafel.kernel.retention import read_periods

    assert set(read_periods(gate, "intake").periods) == {"nomination_ended", "triage_round"}
    assert read_periods(gate, "casework").of("case_closed") == timedelta(days=365)
    assert read_periods(gate, "casework", {"case_closed": 2}).of("case_closed") == timedelta(
        seconds=2
    )


# -- zorgtafel purge [--dry-run] ---------------------------------------------------------------
def test_zorgtafel_purge_dry_run_lists_ids_by_kind_and_purge_runs_one_tick(
    intake, data_dir, database_url
):
    if database_url:
        pytest.skip("the CLI finds the SQLite file by ZORGTAFEL_DATA_DIR; PostgreSQL alike")
    import os
    import subprocess
    import sys

    case_id, family = nominate(intake, dob=date(1990, 3, 14), bsn="111222333")
    reject(intake, case_id)
    env = {k: v for k, v in os.environ.items() if k != "ZORGTAFEL_DATABASE_URL"}
    env.update(
        ZORGTAFEL_DATA_DIR=str(data_dir), ZORGTAFEL_RETENTION_OVERRIDE_S="nomination_ended=0"
    )

    def purge(*args: str) -> str:
        # The command as an operator runs it: its own process (its logging is its own too).
        run = subprocess.run(
            [sys.executable, "-m", "zorgtafel.cli", "purge", *args, "--service", "intake"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stderr[-2000:]
        assert family not in run.stderr and "111222333" not in run.stderr
        return run.stdout

    out = purge("--dry-run")
    (report,) = json.loads(out)
    task = next(t for t in report["tasks"] if t["name"] == "nomination_ended")
    assert report["dry_run"] and task["due"] == [case_id] and task["done"] == []
    assert family not in out and "111222333" not in out and "1990" not in out
    platform, _parts, _deps = intake
    with platform.uow_factory() as uow:
        assert platform.case_keys.find(uow.session, case_id) is not None  # nothing changed

    (report,) = json.loads(purge())
    task = next(t for t in report["tasks"] if t["name"] == "nomination_ended")
    assert task["done"] == [case_id]
    with platform.uow_factory() as uow:
        assert platform.case_keys.find(uow.session, case_id) is None


def test_the_test_override_is_refused_in_production():
    from zorgtafel.kernel.config import Settings
    from zorgtafel.kernel.retention import RetentionConfigError, parse_overrides

    dev = Settings("intake", extra={"retention_override_s": "nomination_ended=1,consent=2"})
    assert parse_overrides(dev) == {"nomination_ended": 1, "consent": 2}
    legacy = Settings("casework", extra={"casework_retention_days": "0.5"})
    assert parse_overrides(legacy) == {"case_closed": 43_200}
    with pytest.raises(RetentionConfigError):
        parse_overrides(dev.with_(production=True))
    with pytest.raises(RetentionConfigError):
        parse_overrides(Settings("intake", extra={"retention_override_s": "nomination_ended"}))


# -- a granted erasure of everything about a subject (Bijlage 3, GDPR art. 17) ------------------
# Disclosure publishes SUBJECT_ERASED (ids and the pseudonym only); intake and casework forget
# what they hold of the subject's cases at once, in any state, once.
def erased(*case_ids: str) -> dict:
    return {
        "subject_request_id": "sr-erase-1",
        "subject_pseudonym": "ps-1",
        "case_ids": list(case_ids),
        "controller": "00000099000000000001",
        "erased_at": NOW.isoformat(),
    }


def test_an_open_case_of_an_erased_subject_is_purged_at_once_and_once(casework):
    from services.casework.domain.model import CaseState

    platform, parts = casework
    case_id = closed_case(casework, NOW)
    with platform.uow_factory() as uow:  # back to an open case: erasure does not wait for it
        case = uow.cases.get(case_id, for_update=True)
        case.state, case.closed_at, case.outcome = CaseState.PLAN_ACTIVE, None, None
        uow.cases.save(case)
        uow.commit()
    deliver(platform, parts, ev.SUBJECT_ERASED, erased(case_id, "case-unknown-here"))
    assert [e["case_id"] for e in outbox(platform, ev.CASE_PURGED)] == [case_id]
    with platform.uow_factory() as uow:
        assert uow.cases.was_purged(case_id) and uow.cases.get(case_id) is None
        assert platform.case_keys.find(uow.session, case_id) is None
    deliver(platform, parts, ev.SUBJECT_ERASED, erased(case_id))  # a second grant: nothing twice
    assert len(outbox(platform, ev.CASE_PURGED)) == 1


def test_a_granted_erasure_purges_a_restricted_case_at_once(casework):
    """GDPR art. 17 beside art. 18: the subject's erasure, granted by the controller's privacy
    officer (who refuses it on a Bijlage 3 ground when the data must be kept), is not held back
    by the subject's restriction of the case, as no state of the case holds it back (README,
    Retention); only the retention purge waits for the lifting."""
    platform, parts = casework
    case_id = closed_case(casework, NOW)
    restriction_of(platform, parts, case_id, True, NOW)
    deliver(platform, parts, ev.SUBJECT_ERASED, erased(case_id))
    assert [e["case_id"] for e in outbox(platform, ev.CASE_PURGED)] == [case_id]
    with platform.uow_factory() as uow:
        assert uow.cases.was_purged(case_id) and uow.cases.get(case_id) is None


def test_a_case_erased_before_casework_opened_it_is_not_opened_by_the_late_triage_outcome(
    casework,
):
    """The erasure was granted while the case was still intake's (routed to a case meeting,
    its CASE_TRIAGED not yet applied here): SUBJECT_ERASED comes on disclosure's topic, the
    triage outcome on intake's, in either order. Casework knew no case to erase and forgot
    nothing, so the late triage outcome opened the erased subject's case (pseudonym, invitees,
    process director) and published CASE_OPENED to disclosure (GDPR art. 17)."""
    platform, parts = casework
    case_id = f"case-{uuid.uuid4()}"
    deliver(platform, parts, ev.SUBJECT_ERASED, erased(case_id))
    triaged_to_a_meeting(platform, parts, case_id)
    with platform.uow_factory() as uow:
        assert uow.cases.get(case_id) is None
        assert platform.case_keys.find(uow.session, case_id) is None
    assert case_id not in [e["case_id"] for e in outbox(platform, ev.CASE_OPENED)]
    # Nothing was held here, so there is nothing for intake and disclosure to forget from here.
    assert case_id not in [e["case_id"] for e in outbox(platform, ev.CASE_PURGED)]


def test_intake_forgets_an_erased_subjects_nomination_in_progress(intake):
    platform, parts, _deps = intake
    case_id, family = nominate(intake, dob=date(2001, 4, 17), bsn="123456782")
    other, _ = nominate(intake, dob=date(1990, 1, 2), bsn="111222333")
    deliver(platform, parts, ev.SUBJECT_ERASED, erased(case_id))
    from services.intake.adapters.repository import NominationRepository

    with platform.uow_factory() as uow:
        repo = NominationRepository(uow)
        assert repo.get(case_id) is None
        assert repo.get(other) is not None  # another subject's nomination stays
        assert platform.case_keys.find(uow.session, case_id) is None
        assert platform.case_keys.find(uow.session, other) is not None


def stored_request(
    platform: Platform,
    kind: str,
    subject: str,
    case_id: str | None,
    outcome: str | None,
    at: datetime,
    item_id: str | None = None,
) -> str:
    """A subject request of ``subject`` about ``case_id`` (None: everything held of the
    subject; its item ``item_id``) submitted ``NOW`` by Asten and decided ``outcome`` at
    ``at`` (None: not decided): its id."""
    from services.disclosure.domain.subject_rights import SubjectRequest

    rid = f"sr-{uuid.uuid4().hex}"
    with platform.uow_factory() as uow:
        uow.subject_requests.add(
            SubjectRequest(rid, kind, subject, case_id, item_id, "ref", ASTEN, NOW)
        )
        if outcome:
            uow.subject_requests.decide(
                rid,
                outcome=outcome,
                refusal_ground=None,
                reason="r",
                party=ASTEN,
                person="fg-1",
                now=at,
            )
        uow.commit()
    return rid


def test_decided_subject_requests_go_after_their_period_but_a_restriction_in_force_stays(
    disclosure,
):
    platform, parts = disclosure
    decided_at = NOW - timedelta(days=10)

    def request(kind: str, outcome: str | None, at: datetime = decided_at) -> str:
        return stored_request(platform, kind, "b" * 64, "case-r", outcome, at)

    erasure = request("erasure", "granted")
    pending = request("correction", None)
    restriction = request("restriction", "granted")
    recent = request("objection", "refused", NOW)
    s = scheduler(platform, parts, lambda: NOW, subject_request=86_400)
    task = next(t for t in s.plan().tasks if t.kind == "subject_request")
    assert set(task.due) == {erasure}  # undecided, recent and a restriction in force stay
    s.tick()
    with platform.uow_factory() as uow:
        left = {r.subject_request_id for r in uow.subject_requests.of_subject("b" * 64)}
    assert left == {pending, restriction, recent}
    # The restriction ends (its lifting decided after it, as the case's lock orders them):
    # both may go now.
    lift = request("lift_restriction", "granted", decided_at + timedelta(seconds=1))
    task = next(t for t in s.plan().tasks if t.kind == "subject_request")
    assert set(task.due) == {restriction, lift}


def test_a_restricted_cases_other_decided_requests_are_kept_until_the_lifting(disclosure):
    """GDPR art. 18(2): while the subject's restriction of a case holds, what is held about the
    case may only be stored. Disclosure deleted the case's other decided requests (an access
    request, an objection: the controller's account of how they were handled, naming the case)
    after their period all the same; they are now kept while the case is restricted, by a
    restriction of the case or of everything of the subject, and go at the first tick after
    the lifting, their period counted from their decision as before."""
    platform, parts = disclosure
    case_id = uuid.uuid4().hex
    deliver(platform, parts, ev.CASE_NOMINATED, nominated_fact(case_id))
    decided_at = NOW - timedelta(days=10)
    access = stored_request(platform, "access", "a" * 64, case_id, "granted", decided_at)
    with platform.uow_factory() as uow:  # as carry_out restricts each case, subject-wide too
        assert uow.cases.set_restricted(case_id, True, decided_at)
        uow.commit()
    task = next(t for t in parts.retention if t.name == "subject_request_decided")
    period = timedelta(days=1)
    assert access not in task.due(period, NOW)
    assert task.apply(access, period, NOW) is False  # listed before the grant
    with platform.uow_factory() as uow:
        assert uow.cases.set_restricted(case_id, False, decided_at + timedelta(seconds=1))
        uow.commit()
    assert access in task.due(period, NOW)
    assert task.apply(access, period, NOW) is True


def test_a_restriction_granted_again_after_its_lifting_keeps_its_request_while_in_force(
    disclosure,
):
    platform, parts = disclosure

    def request(kind: str, at: datetime, item_id: str | None = None) -> str:
        return stored_request(platform, kind, "c" * 64, "case-again", "granted", at, item_id)

    first = request("restriction", NOW - timedelta(days=10))
    lift = request("lift_restriction", NOW - timedelta(days=9))
    again = request("restriction", NOW - timedelta(days=8))
    # Lifting one item of the case ends no restriction of the whole case.
    item_lift = request("lift_restriction", NOW - timedelta(days=7), item_id="item-again")
    s = scheduler(platform, parts, lambda: NOW, subject_request=86_400)
    task = next(t for t in s.plan().tasks if t.kind == "subject_request")
    assert set(task.due) == {first, lift, item_lift}
    s.tick()
    with platform.uow_factory() as uow:
        left = {r.subject_request_id for r in uow.subject_requests.of_subject("c" * 64)}
    assert left == {again}  # the ground of the restriction in force


def test_a_subject_wide_lifting_decided_after_a_restriction_of_a_case_or_item_ends_it(
    disclosure,
):
    platform, parts = disclosure
    subject = uuid.uuid4().hex * 2

    def request(kind: str, at: datetime, case_id: str | None, item_id: str | None = None) -> str:
        return stored_request(platform, kind, subject, case_id, "granted", at, item_id)

    of_case = request("restriction", NOW - timedelta(days=10), "case-wide")
    of_item = request("restriction", NOW - timedelta(days=10), "case-wide-2", "item-wide")
    # A subject-wide lifting (no case: carry_out lifts every case of the subject, their items'
    # own restrictions too) ends both.
    lift = request("lift_restriction", NOW - timedelta(days=9), None)
    # A restriction granted after it is in force.
    after = request("restriction", NOW - timedelta(days=8), "case-wide")
    s = scheduler(platform, parts, lambda: NOW, subject_request=86_400)
    task = next(t for t in s.plan().tasks if t.kind == "subject_request")
    assert {of_case, of_item, lift} <= set(task.due)
    assert after not in task.due
    s.tick()
    with platform.uow_factory() as uow:
        left = {r.subject_request_id for r in uow.subject_requests.of_subject(subject)}
    assert left == {after}  # the ground of the restriction in force


def test_a_purged_cases_lifting_ends_no_restriction_of_another_case(disclosure):
    platform, parts = disclosure
    subject = uuid.uuid4().hex * 2

    def request(kind: str, at: datetime, case_id: str) -> str:
        return stored_request(platform, kind, subject, case_id, "granted", at)

    kept = request("restriction", NOW - timedelta(days=10), "case-kept")
    lift = request("lift_restriction", NOW - timedelta(days=9), "case-purged")
    with platform.uow_factory() as uow:
        # The purged case's requests no longer name it: its lifting has no case, as a
        # subject-wide one, yet it lifted that case only.
        uow.subject_requests.unlink_case("case-purged")
        uow.commit()
    s = scheduler(platform, parts, lambda: NOW, subject_request=86_400)
    task = next(t for t in s.plan().tasks if t.kind == "subject_request")
    assert lift in task.due
    assert kept not in task.due


def test_a_purged_cases_requests_neither_end_a_subject_wide_restriction_nor_ground_one(
    disclosure,
):
    platform, parts = disclosure
    subject = uuid.uuid4().hex * 2

    def request(kind: str, at: datetime, case_id: str | None) -> str:
        return stored_request(platform, kind, subject, case_id, "granted", at)

    # Restricted subject-wide (every case of the subject), then one case lifted and purged:
    # the restriction is in force for the other cases.
    everything = request("restriction", NOW - timedelta(days=10), None)
    with platform.uow_factory() as uow:
        # The other case, restricted by it (as carry_out does, at its decision time).
        uow.cases.upsert("case-left", subject_pseudonym=subject, nominating_party=ASTEN)
        assert uow.cases.set_restricted("case-left", True, NOW - timedelta(days=10))
        uow.commit()
    lift = request("lift_restriction", NOW - timedelta(days=9), "case-gone")
    # A case restricted and purged without a lifting: no restriction is in force any more.
    purged = request("restriction", NOW - timedelta(days=8), "case-gone-too")
    with platform.uow_factory() as uow:
        uow.subject_requests.unlink_case("case-gone")
        uow.subject_requests.unlink_case("case-gone-too")
        uow.commit()
    s = scheduler(platform, parts, lambda: NOW, subject_request=86_400)
    task = next(t for t in s.plan().tasks if t.kind == "subject_request")
    assert lift in task.due and purged in task.due
    assert everything not in task.due
    s.tick()
    with platform.uow_factory() as uow:
        left = {r.subject_request_id for r in uow.subject_requests.of_subject(subject)}
    assert left == {everything}


def decided_request(
    platform: Platform,
    kind: str,
    subject: str,
    case_id: str | None,
    controller: str,
    at: datetime,
) -> str:
    """A request of ``subject`` about ``case_id`` (None: everything held of the subject)
    addressed to ``controller``, granted by its officer at ``at``: its id."""
    from services.disclosure.domain.subject_rights import SubjectRequest

    rid = f"sr-{uuid.uuid4().hex}"
    with platform.uow_factory() as uow:
        uow.subject_requests.add(
            SubjectRequest(
                rid, kind, subject, case_id, None, "ref", controller, NOW, controller=controller
            )
        )
        uow.subject_requests.decide(
            rid,
            outcome="granted",
            refusal_ground=None,
            reason="r",
            party=controller,
            person="fg-1",
            now=at,
        )
        uow.commit()
    return rid


def test_a_subject_wide_lifting_ends_no_restriction_of_a_case_another_party_nominated(
    disclosure,
):
    """A lifting of everything held of a subject lifts its controller's cases only
    (``subject_effects.controlled_cases``): a case another party nominated stays restricted,
    so the request of that restriction, its ground, stays too (GDPR art. 18); a case of the
    lifting's controller is ended as before."""
    platform, parts = disclosure
    subject = uuid.uuid4().hex * 2
    with platform.uow_factory() as uow:
        uow.cases.upsert("case-helmond", subject_pseudonym=subject, nominating_party=HELMOND)
        uow.cases.upsert("case-asten", subject_pseudonym=subject, nominating_party=ASTEN)
        uow.commit()
    others = decided_request(
        platform, "restriction", subject, "case-helmond", HELMOND, NOW - timedelta(days=10)
    )
    own = decided_request(
        platform, "restriction", subject, "case-asten", ASTEN, NOW - timedelta(days=10)
    )
    lift = decided_request(
        platform, "lift_restriction", subject, None, ASTEN, NOW - timedelta(days=9)
    )
    s = scheduler(platform, parts, lambda: NOW, subject_request=86_400)
    task = next(t for t in s.plan().tasks if t.kind == "subject_request")
    assert {own, lift} <= set(task.due)
    assert others not in task.due


def test_a_subject_wide_restriction_whose_every_case_was_lifted_one_by_one_is_no_longer_kept(
    disclosure,
):
    """A restriction of everything held of a subject restricts the subject's cases (those its
    controller nominated) and is in force while one of them is still restricted by it; once
    each was lifted on its own (a request about that case), or purged, nothing is restricted
    by it any more and its request follows its period as a lifted one does (GDPR art. 5(1)(e),
    Bijlage 3 "houdbaarheid"); it waited for a subject-wide lifting no one would ask for, kept
    for ever. One case still restricted by it keeps it (GDPR art. 18)."""
    platform, parts = disclosure
    subject = uuid.uuid4().hex * 2
    cases = ("case-one", "case-two")
    with platform.uow_factory() as uow:
        for case_id in cases:
            uow.cases.upsert(case_id, subject_pseudonym=subject, nominating_party=ASTEN)
        uow.commit()

    def carried_out(kind: str, case_id: str | None, at: datetime) -> str:
        """Decided at ``at`` and carried out as ``carry_out`` does: the cases' rows at ``at``."""
        rid = decided_request(platform, kind, subject, case_id, ASTEN, at)
        with platform.uow_factory() as uow:
            for c in (case_id,) if case_id else cases:
                assert uow.cases.set_restricted(c, kind == "restriction", at)
            uow.commit()
        return rid

    def due() -> set[str]:
        s = scheduler(platform, parts, lambda: NOW, subject_request=86_400)
        return set(next(t for t in s.plan().tasks if t.kind == "subject_request").due)

    everything = carried_out("restriction", None, NOW - timedelta(days=10))
    one = carried_out("lift_restriction", "case-one", NOW - timedelta(days=9))
    assert one in due() and everything not in due()  # case-two is restricted by it
    two = carried_out("lift_restriction", "case-two", NOW - timedelta(days=8))
    assert {everything, one, two} <= due()


def test_a_subject_wide_restriction_whose_every_case_was_purged_is_no_longer_kept(disclosure):
    """Nothing is left to restrict of a subject whose every case was purged (art. 1.2): a
    restriction of everything held of it is in force nowhere and its request follows its
    period (it waited for a subject-wide lifting no one could still ask for). A restricted
    case is purged once erased (art. 17, which the restriction does not hold back; one not
    erased is held until the lifting: the tests of ``purge_held_by_a_restriction``)."""
    platform, parts = disclosure
    subject = uuid.uuid4().hex * 2
    with platform.uow_factory() as uow:
        uow.cases.upsert("case-purged", subject_pseudonym=subject, nominating_party=ASTEN)
        uow.commit()
    at = NOW - timedelta(days=10)
    everything = decided_request(platform, "restriction", subject, None, ASTEN, at)
    with platform.uow_factory() as uow:
        assert uow.cases.set_restricted("case-purged", True, at)  # as carry_out does
        uow.cases.upsert("case-purged", erased_at=at + timedelta(seconds=1))  # as erase_case
        uow.commit()
    deliver(platform, parts, ev.CASE_PURGED, {"case_id": "case-purged"})
    with platform.uow_factory() as uow:
        assert not uow.cases.known("case-purged")
    s = scheduler(platform, parts, lambda: NOW, subject_request=86_400)
    assert everything in next(t for t in s.plan().tasks if t.kind == "subject_request").due


# -- the markers of purged requests (kernel, kind purged_request) -----------------------------
def test_the_marker_of_a_purged_request_goes_after_its_period_and_only_then(intake):
    """A request id whose answer went with its case stays recognised for the period of kind
    ``purged_request`` (a partner's retries and outbox redeliveries), then the kernel's task
    in every service deletes the marker: the party and a hash, no case, nothing of the
    request."""
    from sqlalchemy import insert

    from zorgtafel.kernel.purge import drop_stored_answers, purged_requests_task

    platform, _parts, _deps = intake
    case_id = f"case-{uuid.uuid4().hex}"
    ids = [f"req-{uuid.uuid4()}" for _ in range(2)]
    start = datetime.now(timezone.utc)  # the markers are dated a moment after it
    with platform.uow_factory() as uow:
        commands = uow.tables["command_results"]
        for request_id in ids:
            uow.session.execute(
                insert(commands).values(
                    party_id=ASTEN,
                    request_id=request_id,
                    method="/t/Nominate",
                    request_digest="0" * 64,
                    response=b"",
                    case_id=case_id,
                    created_at=NOW,
                )
            )
        drop_stored_answers(uow.session, uow.tables, case_id)
        uow.commit()
    with platform.uow_factory() as uow:
        engine = uow.session.get_bind()
        markers = uow.session.execute(select(uow.tables["purged_requests"])).all()
    assert len(markers) == 2 and case_id not in repr(markers)
    assert not any(request_id in repr(markers) for request_id in ids)

    def at(days: int) -> RetentionScheduler:
        return RetentionScheduler(
            service=platform.settings.service,
            tasks=(purged_requests_task(platform.uow_factory),),
            policy=platform.policy,
            lock=LeaderLock(  # type: ignore[arg-type]
                engine, platform.settings.service, schema=platform.settings.effective_schema
            ),
            interval_s=0,
            clock=lambda: start + timedelta(days=days, hours=1),
            also_owners=("kernel",),
        )

    report = at(89).tick()
    assert report.tasks[0].name == "purged_request_sweep" and report.tasks[0].done == ()
    report = at(90).tick()
    assert len(report.tasks[0].done) == 2
    with platform.uow_factory() as uow:
        assert uow.session.execute(select(uow.tables["purged_requests"])).all() == []


def restricted_item(platform: Platform, case_id: str, at: datetime) -> str:
    """An item of ``case_id`` (how items are provided has its own tests) whose own restriction
    (GDPR art. 18, of this item only) was granted at ``at``, as carry_out restricts it: its id."""
    return stored_item(platform, case_id, at, restricted=True)


def stored_item(platform: Platform, case_id: str, at: datetime, *, restricted: bool) -> str:
    """An item of ``case_id`` provided before ``at``, its own restriction granted at ``at``
    when ``restricted``: its id."""
    item_id = uuid.uuid4().hex
    with platform.uow_factory() as uow:
        uow.session.execute(
            uow.tables["items"]
            .insert()
            .values(
                item_id=item_id,
                case_id=case_id,
                provider=LUMENS,
                provided_by_person="worker-9",
                category="care_history",
                classification="confidential",
                legal_basis="consent",
                content_type="application/json",
                terms="{}",
                retracted=False,
                erased=False,
                provided_at=at - timedelta(days=30),
                updated_at=at,
            )
        )
        if restricted:
            uow.items.set_restricted([item_id], at, at)
        uow.commit()
    return item_id


def lift_item(platform: Platform, item_id: str, at: datetime) -> None:
    with platform.uow_factory() as uow:
        uow.items.set_restricted([item_id], None, at)
        uow.commit()


def test_a_restricted_items_decided_requests_are_kept_until_the_lifting(disclosure):
    """GDPR art. 18(2), of one item: while the subject's restriction of the item holds, what is
    held about it may only be stored. Disclosure held back a case's requests only for a
    restriction of the whole case and deleted an item's other decided requests (an objection
    to it, a refused correction: the controller's account naming the item) after their period;
    they are now kept while the item is restricted and go at the first tick after the lifting,
    their period counted from their decision as before. The case's requests about no such
    item go as before."""
    platform, parts = disclosure
    case_id = uuid.uuid4().hex
    deliver(platform, parts, ev.CASE_NOMINATED, nominated_fact(case_id))
    decided_at = NOW - timedelta(days=10)
    subject = "e" * 64
    item_id = restricted_item(platform, case_id, decided_at)
    objection = stored_request(
        platform, "objection", subject, case_id, "granted", decided_at, item_id=item_id
    )
    of_case = stored_request(platform, "access", subject, case_id, "granted", decided_at)
    task = next(t for t in parts.retention if t.name == "subject_request_decided")
    period = timedelta(days=1)
    due = task.due(period, NOW)
    assert objection not in due and of_case in due
    assert task.apply(objection, period, NOW) is False  # listed before the grant
    lift_item(platform, item_id, decided_at + timedelta(seconds=1))
    assert objection in task.due(period, NOW)
    assert task.apply(objection, period, NOW) is True


def test_disclosure_keeps_a_restricted_items_withdrawn_written_consent_until_the_lifting(
    disclosure,
):
    """GDPR art. 18(2), of one item: a provider's written consent for a third party (9.2)
    names the item; withdrawn, it is the evidence of what was lawful when. Disclosure deleted
    it after its period while the item's own restriction held (only a case's restriction held
    it back); it is now kept while the item is restricted and deleted at the first tick after
    the lifting, its period counted from the withdrawal as before."""
    platform, parts = disclosure
    case_id = uuid.uuid4().hex
    deliver(platform, parts, ev.CASE_NOMINATED, nominated_fact(case_id))
    withdrawn_at = datetime.now(timezone.utc)
    item_id = restricted_item(platform, case_id, withdrawn_at)
    consent_id = uuid.uuid4().hex
    with platform.uow_factory() as uow:  # how consents are recorded has its own tests
        uow.session.execute(
            uow.tables["consents"]
            .insert()
            .values(
                consent_id=consent_id,
                kind="provider_written",
                case_id=case_id,
                item_id=item_id,
                given_by=LUMENS,
                scope="[]",
                recipient=SHELTER,
                document_ref="doc-1",
                recorded_by_party=LUMENS,
                recorded_by_person="worker-9",
                recorded_at=withdrawn_at - timedelta(days=30),
                withdrawn_at=withdrawn_at,
            )
        )
        uow.commit()
    later = withdrawn_at + timedelta(days=366)
    task = next(t for t in parts.retention if t.name == "consent_withdrawn")
    period = timedelta(days=365)
    assert consent_id not in task.due(period, later)
    assert task.apply(consent_id, period, later) is False  # listed before the grant
    lift_item(platform, item_id, withdrawn_at + timedelta(seconds=1))
    assert consent_id in task.due(period, later)
    assert task.apply(consent_id, period, later) is True


def items_of(platform: Platform, case_id: str) -> set[str]:
    with platform.uow_factory() as uow:
        t = uow.tables["items"]
        return set(uow.session.scalars(select(t.c.item_id).where(t.c.case_id == case_id)))


def purged_by_casework(platform: Platform, parts: ServiceParts, case_id: str) -> None:
    """CASE_PURGED as the kernel's consumer applies it: the handler, then the kernel forgets
    the case id (kernel/purge.py)."""
    deliver(platform, parts, ev.CASE_PURGED, {"case_id": case_id})
    with platform.uow_factory() as uow:
        forget_case(uow.session, uow.tables, case_id)
        uow.commit()


def test_a_purged_cases_item_restricted_on_its_own_is_kept_until_the_lifting_then_purged(
    disclosure,
):
    """GDPR art. 18(2), of one item: casework knows only restrictions of the whole case, so it
    purges a case whose item the subject restricted, and disclosure's CASE_PURGED deleted that
    item with the rest (and destroyed the key its content is sealed under). Now the restricted
    item, its case's facts and key are held (the other items go at once), and the first tick
    after the lifting purges what was held, once: the event is not lost."""
    platform, parts = disclosure
    case_id = uuid.uuid4().hex
    deliver(platform, parts, ev.CASE_NOMINATED, nominated_fact(case_id))
    at = NOW - timedelta(days=10)
    held = restricted_item(platform, case_id, at)
    other = stored_item(platform, case_id, at, restricted=False)
    purged_by_casework(platform, parts, case_id)
    assert items_of(platform, case_id) == {held} and other
    with platform.uow_factory() as uow:
        assert uow.cases.known(case_id)
        assert platform.case_keys.find(uow.session, case_id) is not None
    task = next(t for t in parts.retention if t.name == "purge_held_by_a_restriction")
    assert case_id not in task.due(None, NOW)
    assert task.apply(case_id, None, NOW) is False  # still restricted
    lift_item(platform, held, at + timedelta(seconds=1))
    assert case_id in task.due(None, NOW)
    assert task.apply(case_id, None, NOW) is True
    assert task.apply(case_id, None, NOW) is False  # once
    assert items_of(platform, case_id) == set()
    with platform.uow_factory() as uow:
        assert not uow.cases.known(case_id)
        assert platform.case_keys.find(uow.session, case_id) is None
    assert case_id not in task.due(None, NOW)


def test_a_case_purged_by_casework_before_it_learnt_the_restriction_is_held_until_the_lifting(
    disclosure,
):
    """GDPR art. 18(2), of a whole case: disclosure granted the restriction, and casework,
    which had not learnt it yet, purged the case; disclosure's CASE_PURGED deleted everything
    of it. Now all it holds of the case stays while the restriction holds, and the first tick
    after the lifting purges it."""
    platform, parts = disclosure
    case_id = uuid.uuid4().hex
    deliver(platform, parts, ev.CASE_NOMINATED, nominated_fact(case_id))
    at = NOW - timedelta(days=10)
    item_id = stored_item(platform, case_id, at, restricted=False)
    with platform.uow_factory() as uow:
        assert uow.cases.set_restricted(case_id, True, at)
        uow.commit()
    purged_by_casework(platform, parts, case_id)
    assert items_of(platform, case_id) == {item_id}
    task = next(t for t in parts.retention if t.name == "purge_held_by_a_restriction")
    assert case_id not in task.due(None, NOW)
    with platform.uow_factory() as uow:
        assert uow.cases.set_restricted(case_id, False, at + timedelta(seconds=1))
        uow.commit()
    assert task.due(None, NOW) == [case_id]
    assert task.apply(case_id, None, NOW) is True
    assert items_of(platform, case_id) == set()
    with platform.uow_factory() as uow:
        assert not uow.cases.known(case_id)
        assert platform.case_keys.find(uow.session, case_id) is None


def test_a_restricted_nomination_intake_forgot_before_it_learnt_the_restriction_is_held(
    disclosure,
):
    """GDPR art. 18(2): intake forgets a nomination that ended without a case only while it
    holds no restriction of it, but may forget one before it learns the restriction
    disclosure granted; disclosure's NOMINATION_FORGOTTEN then deleted its facts, consents and
    key all the same. Now they are held as a purged case's are, and the first tick after the
    lifting forgets them."""
    platform, parts = disclosure
    case_id = uuid.uuid4().hex
    deliver(platform, parts, ev.CASE_NOMINATED, nominated_fact(case_id))
    at = NOW - timedelta(days=10)
    with platform.uow_factory() as uow:
        assert uow.cases.set_restricted(case_id, True, at)
        uow.commit()
    deliver(platform, parts, ev.NOMINATION_FORGOTTEN, {"case_id": case_id})
    with platform.uow_factory() as uow:
        assert uow.cases.known(case_id)
        assert platform.case_keys.find(uow.session, case_id) is not None
    task = next(t for t in parts.retention if t.name == "purge_held_by_a_restriction")
    assert case_id not in task.due(None, NOW)
    with platform.uow_factory() as uow:
        assert uow.cases.set_restricted(case_id, False, at + timedelta(seconds=1))
        uow.commit()
    assert task.apply(case_id, None, NOW) is True
    with platform.uow_factory() as uow:
        assert not uow.cases.known(case_id)
        assert platform.case_keys.find(uow.session, case_id) is None


def test_a_held_purge_is_completed_once_the_held_case_is_erased(disclosure):
    """GDPR art. 17, which a restriction does not hold back (README, Retention): a case whose
    purge a restriction held and whose erasure the controller then granted has nothing left to
    hold, so the next tick purges it without waiting for a lifting no one needs to ask for."""
    platform, parts = disclosure
    case_id = uuid.uuid4().hex
    deliver(platform, parts, ev.CASE_NOMINATED, nominated_fact(case_id))
    at = NOW - timedelta(days=10)
    restricted_item(platform, case_id, at)
    purged_by_casework(platform, parts, case_id)
    task = next(t for t in parts.retention if t.name == "purge_held_by_a_restriction")
    assert case_id not in task.due(None, NOW)
    with platform.uow_factory() as uow:
        uow.cases.upsert(case_id, erased_at=NOW)  # as erase_case marks it
        uow.commit()
    assert case_id in task.due(None, NOW)
    assert task.apply(case_id, None, NOW) is True
    assert items_of(platform, case_id) == set()


def test_the_access_log_is_not_pruned_from_a_restricted_cases_item_or_subjects_first_record(
    disclosure,
):
    """GDPR art. 18(2): while a subject's restriction holds, what is held about it may only be
    stored, and the access log is the subject's evidence of who looked. The kernel pruned the
    log's prefix past its period without looking at restrictions; in disclosure pruning now
    stops before the first record of a restricted case, of an item restricted on its own or
    naming the subject of a restricted case (a read by pseudonym names no case), and goes on
    at the first tick after the lifting, the period counted from the record as before."""
    platform, parts = disclosure
    held, free = uuid.uuid4().hex, uuid.uuid4().hex
    subject_held, subject_free = uuid.uuid4().hex * 2, uuid.uuid4().hex * 2
    for case_id, subject in ((held, subject_held), (free, subject_free)):
        deliver(
            platform,
            parts,
            ev.CASE_NOMINATED,
            {**nominated_fact(case_id), "subject_pseudonym": subject},
        )
    old = NOW - timedelta(days=10)
    item_id = restricted_item(platform, free, old)
    lift_item(platform, item_id, old + timedelta(seconds=1))
    with platform.uow_factory() as uow:
        start = prune.first_whole(uow.session.connection(), store.LogTables.of(uow.tables))
    seqs = [
        platform.access_log.append([record])[0]
        for record in (
            logged_read(free, subject_free, old, ""),  # nothing of it restricted
            logged_read(held, subject_held, old, ""),  # of the case restricted below
            logged_read(free, subject_free, old, item_id),  # of the item restricted below
            logged_read("", subject_held, old, ""),  # by the pseudonym of the restricted case
        )
    ]
    assert seqs == list(range(start, start + 4))
    with platform.uow_factory() as uow:
        engine = uow.session.get_bind()
    s = make_retention_scheduler(
        platform.settings, parts.retention, platform.policy, engine, access_log=platform.uow_factory
    )
    assert s is not None
    task = next(t for t in s.tasks if t.name == "access_log_prune")
    period = timedelta(days=1)

    def restrict(case: bool, item: bool, at: datetime) -> None:
        with platform.uow_factory() as uow:  # as carry_out does
            uow.cases.set_restricted(held, case, at)
            uow.items.set_restricted([item_id], at if item else None, at)
            uow.commit()

    due = task.due(period, NOW)
    assert due[: len(seqs)] == [str(seq) for seq in seqs]  # listed before the grant
    restrict(True, True, old + timedelta(seconds=2))
    assert task.due(period, NOW) == [str(seqs[0])]  # the prefix ends before the case's
    assert task.apply(str(seqs[0]), period, NOW) is True
    assert task.apply(str(seqs[1]), period, NOW) is False
    restrict(False, True, old + timedelta(seconds=3))  # the case lifted, the item not
    assert task.due(period, NOW) == [str(seqs[1])]
    assert task.apply(str(seqs[1]), period, NOW) is True
    assert task.apply(str(seqs[2]), period, NOW) is False
    restrict(True, False, old + timedelta(seconds=4))  # the item lifted, the case again
    assert task.due(period, NOW) == [str(seqs[2])]
    assert task.apply(str(seqs[2]), period, NOW) is True
    assert task.apply(str(seqs[3]), period, NOW) is False  # its subject's case is restricted
    restrict(False, False, old + timedelta(seconds=5))
    assert task.due(period, NOW)[:1] == [str(seqs[3])]
    assert task.apply(str(seqs[3]), period, NOW) is True

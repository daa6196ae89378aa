"""A purge and another write of the same case at once leave nothing of the case (covenant
1.2: the dossier finally disappears). On PostgreSQL under READ COMMITTED neither transaction
sees the other's uncommitted rows, so each pair is serialised on a lock: an event applied by
the consumer and the kernel's purge on the case's advisory lock (kernel/purge.py); an item,
consent or subject request added in disclosure and the purge there on the case's row
(CaseFactsRepository.find). Each race is staged, not hoped for: one side is held at a known
point, and the test waits on PostgreSQL's own account of a lock wait, never on a sleep."""

from __future__ import annotations

import threading
import uuid
from collections import namedtuple
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from services.disclosure.adapters.case_facts import CaseFactsRepository
from services.disclosure.bootstrap import make_deps
from services.disclosure.domain import commands as c
from services.disclosure.service_layer.handlers import consents, items, subject_rights
from services.disclosure.service_layer.handlers import disclosure as disclosure_handlers
from services.governance.bootstrap import make_deps as governance_deps
from services.governance.domain.commands import RegisterDispute
from services.governance.domain.disputes import DisputeAbout
from services.governance.service_layer.handlers import disputes
from services.intake.bootstrap import make_deps as intake_deps
from services.intake.domain.commands import StartTriage
from services.intake.service_layer.handlers import assessment, nominations, triage
from tests.handlers import test_intake_handlers as nominating
from tests.handlers.test_casework_handlers import outbox
from tests.handlers.test_disclosure_handlers import (
    CARER,
    FARENT,
    GGZ,
    PROVIDER,
    disclosure_of_the_parties,
    open_case,
    provide_cmd,
)
from zorgtafel.contracts import events as contract_events
from zorgtafel.contracts.casework import CASE_PURGED, DELEGATE_NAMED
from zorgtafel.contracts.disclosure import SUBJECT_ERASED
from zorgtafel.contracts.intake import CASE_NOMINATED, NOMINATION_FORGOTTEN
from zorgtafel.kernel.consumer import EventConsumer
from zorgtafel.kernel.errors import ZorgtafelError
from zorgtafel.kernel.events import InboundEvent
from zorgtafel.kernel.purge import forget_case
from zorgtafel.kernel.uow import utcnow
from zorgtafel.kernel.wire import to_kafka
from zorgtafel.testing import deliver
from zorgtafel.testing.handlers import handler_platform, set_party_status, set_roster
from zorgtafel.testing.races import in_thread, waiting_in_thread

pytestmark = pytest.mark.integration

Record = namedtuple("Record", "topic partition offset key value headers")
TOPIC = "zorgtafel.casework.v1"


@pytest.fixture
def casework(tmp_path, pg_url):
    with handler_platform("casework", tmp_path, pg_url) as (platform, _parts):
        yield platform


def record(event_type: str, case_id: str, **more) -> tuple[str, Record]:
    event_id = str(uuid.uuid4())
    data = {"case_id": case_id, **more}
    if event_type == DELEGATE_NAMED:
        data |= {"party": "00000099000000000002", "person": "delegate-1"}
    msg = to_kafka(event_id, event_type, "/zorgtafel/casework", utcnow(), case_id, data)
    return event_id, Record(TOPIC, 0, 0, msg.key.encode(), msg.value, list(msg.headers.items()))


def consumer(platform, handler=lambda uow, event: None) -> EventConsumer:
    handlers = {DELEGATE_NAMED: handler, CASE_PURGED: lambda uow, event: None}
    return EventConsumer([TOPIC], handlers, platform.uow_factory, lambda topics: None)


def case_named(platform, table: str, key: str, value: str) -> str | None:
    """The case id the row of ``table`` whose ``key`` is ``value`` names (None: unlinked)."""
    with platform.uow_factory() as uow:
        t = uow.tables[table]
        return uow.session.execute(select(t.c.case_id).where(t.c[key] == value)).scalar_one()


def inbox_case(platform, event_id: str) -> str | None:
    return case_named(platform, "processed_events", "event_id", event_id)


def purge(platform, case_id: str) -> None:
    with platform.uow_factory() as uow:
        forget_case(uow.session, uow.tables, case_id)
        uow.commit()


def staged(platform, first, then):  # noqa: ANN001, ANN201
    """``first(uow)`` in a transaction left open while ``then()`` runs in a thread; once
    PostgreSQL shows that thread waiting on a lock, the transaction commits. Returns what
    ``then`` returned (in a list: empty had it not finished)."""
    with platform.uow_factory() as uow:
        first(uow)
        thread, outcome = waiting_in_thread(platform, then)
        assert not outcome, "it did not wait for the open transaction"
        uow.commit()
    thread.join(30)
    return outcome


def attempt(platform, write) -> str:  # noqa: ANN001
    """``write(uow)`` committed: "added", or the kind of refusal."""
    with platform.uow_factory() as uow:
        try:
            write(uow)
        except ZorgtafelError as exc:
            return type(exc).__name__
        uow.commit()
        return "added"


def rows_of(platform, case_id: str, names: tuple[str, ...]) -> dict[str, int]:
    """How many rows of each named table still name the case (only those that do)."""
    found = {}
    with platform.uow_factory() as uow:
        for name in names:
            t = uow.tables[name]
            n = uow.session.execute(
                select(func.count()).select_from(t).where(t.c.case_id == case_id)
            ).scalar_one()
            if n:
                found[name] = n
    return found


def test_an_event_applied_while_its_case_is_purged_keeps_no_case_id(casework):
    # The consumer has written its inbox row and is in its handler when the purge commits:
    # the purge's unlink cannot see that uncommitted row, so the consumer must notice the
    # purge itself before it commits.
    case_id = str(uuid.uuid4())
    in_handler, go_on = threading.Event(), threading.Event()

    def held(uow, event) -> None:  # noqa: ANN001
        in_handler.set()
        assert go_on.wait(30)

    event_id, rec = record(DELEGATE_NAMED, case_id)
    thread, outcome = in_thread(lambda: consumer(casework, held).handle_record(rec))
    assert in_handler.wait(30)
    purge(casework, case_id)  # commits while the consumer's transaction is open
    go_on.set()
    thread.join(30)
    assert outcome == ["applied"]
    assert inbox_case(casework, event_id) is None


def test_an_event_decided_while_a_purge_is_uncommitted_waits_for_it(casework):
    # The purge has unlinked what it saw and holds the case's lock, not yet committed: the
    # consumer waits for it (PostgreSQL's lock table shows the wait) and then sees the case
    # forgotten.
    case_id = str(uuid.uuid4())
    event_id, rec = record(DELEGATE_NAMED, case_id)
    outcome = staged(
        casework,
        lambda uow: forget_case(uow.session, uow.tables, case_id),
        lambda: consumer(casework).handle_record(rec),
    )
    assert outcome == ["applied"]
    assert inbox_case(casework, event_id) is None


def test_an_event_applied_before_the_purge_is_unlinked_by_it(casework):
    case_id = str(uuid.uuid4())
    event_id, rec = record(DELEGATE_NAMED, case_id)
    assert consumer(casework).handle_record(rec) == "applied"
    assert inbox_case(casework, event_id) == case_id  # so the purge can find it
    purge(casework, case_id)
    assert inbox_case(casework, event_id) is None


def test_the_purge_event_itself_names_no_case_and_later_events_are_not_linked(casework):
    case_id = str(uuid.uuid4())
    purged_id, purged = record(CASE_PURGED, case_id)
    later_id, later = record(DELEGATE_NAMED, case_id)
    c = consumer(casework)
    assert c.handle_record(purged) == "applied"
    assert c.handle_record(later) == "applied"
    assert inbox_case(casework, purged_id) is None
    assert inbox_case(casework, later_id) is None
    assert c.handle_record(later) == "duplicate"  # still recognised without its case id


# -- disclosure: an addition to a case beside its purge ---------------------------------------


@pytest.fixture
def disclosure(tmp_path, pg_url):
    with disclosure_of_the_parties(tmp_path, pg_url) as built:
        yield built, make_deps(built[0])


def consumed(parts) -> dict:  # noqa: ANN001
    return {t: h for hs in parts.consumes.values() for t, h in hs.items()}


def purge_through_the_consumer(built, case_id: str) -> str:
    """casework's CASE_PURGED applied by the kernel's consumer with the service's handlers."""
    platform, parts = built
    _, rec = record(CASE_PURGED, case_id)
    return EventConsumer(
        [TOPIC], consumed(parts), platform.uow_factory, lambda t: None
    ).handle_record(rec)


def purging(built, case_id: str):  # noqa: ANN001, ANN201
    """What the consumer does with CASE_PURGED in its one transaction (the service's handler,
    then the kernel's forget_case), for ``staged`` to hold open."""

    def purge_in(uow) -> None:  # noqa: ANN001
        consumed(built[1])[CASE_PURGED](uow, inbound(CASE_PURGED, case_id))
        forget_case(uow.session, uow.tables, case_id)

    return purge_in


def inbound(event_type: str, case_id: str, data: dict | None = None) -> InboundEvent:
    """The event as the consumer hands it to a handler (``data``: its fields, by default the
    case id only)."""
    data = data or {"case_id": case_id}
    return InboundEvent(
        id=str(uuid.uuid4()),
        type=event_type,
        source="/test",
        time=utcnow(),
        subject=None,
        data=data,
        payload=contract_events.parse(event_type, data),
    )


DISCLOSURE_TABLES = ("items", "consents", "case_facts", "subject_requests", "case_keys")


def consent_cmd(case_id: str) -> c.RecordSubjectConsent:
    return c.RecordSubjectConsent(case_id, "subject", ("health",), "doc:consent/1")


def request_cmd(platform, case_id: str) -> c.SubmitSubjectRequest:  # noqa: ANN001
    """An objection by the case's subject (a request names its case's subject)."""
    with platform.uow_factory() as uow:
        case = uow.cases.find(case_id)
    return c.SubmitSubjectRequest(
        kind="objection",
        subject_pseudonym=case.subject_pseudonym if case is not None else "psn-1",
        case_id=case_id,
        document_ref="doc:r/1",
    )


def provider_consent(deps, platform, case_id: str):  # noqa: ANN001, ANN201
    """The provider's written consent (art. 9.2) on an item provided before."""
    with platform.uow_factory() as uow:
        item_id = items.provide(deps, uow, provide_cmd(case_id), PROVIDER)
        uow.commit()
    cmd = c.RecordProviderConsent(item_id, FARENT, "doc:provider-consent/1")
    return lambda uow: consents.record_provider_consent(deps, uow, cmd, PROVIDER)


# Each: (deps, platform, case_id) -> the addition, to run in the test's unit of work.
ADDITIONS = {
    "item": lambda deps, platform, case_id: (
        lambda uow: items.provide(deps, uow, provide_cmd(case_id), PROVIDER)
    ),
    "consent": lambda deps, platform, case_id: (
        lambda uow: consents.record_subject_consent(deps, uow, consent_cmd(case_id), CARER)
    ),
    "provider consent": provider_consent,
    "subject request": lambda deps, platform, case_id: (
        lambda uow: subject_rights.submit_subject_request(
            deps, uow, request_cmd(platform, case_id), CARER
        )
    ),
}


@pytest.mark.parametrize("addition", sorted(ADDITIONS))
def test_an_addition_uncommitted_when_the_purge_comes_goes_with_the_purge(disclosure, addition):
    built, deps = disclosure
    platform = built[0]
    case_id = open_case(built)
    add = ADDITIONS[addition](deps, platform, case_id)
    # The purge waits for the addition holding the case's row.
    assert staged(platform, add, lambda: purge_through_the_consumer(built, case_id)) == ["applied"]
    assert rows_of(platform, case_id, DISCLOSURE_TABLES) == {}


@pytest.mark.parametrize("addition", sorted(ADDITIONS))
def test_an_addition_while_the_purge_is_uncommitted_finds_no_case(disclosure, addition):
    built, deps = disclosure
    platform = built[0]
    case_id = open_case(built)
    add = ADDITIONS[addition](deps, platform, case_id)
    # The addition waits for the purge holding the case's row.
    outcome = staged(platform, purging(built, case_id), lambda: attempt(platform, add))
    # Every addition is refused (no case: FAILED_PRECONDITION; PERMISSION_DENIED as for any
    # case where the caller has no part, a purged case having none left: an item, a consent,
    # a subject request; the item gone: NOT_FOUND).
    assert outcome[0] in ("FailedPrecondition", "PermissionDenied", "NotFound"), outcome
    assert rows_of(platform, case_id, DISCLOSURE_TABLES) == {}


def test_a_break_glass_review_written_beside_the_purge_keeps_no_justification(disclosure):
    # The read began before the purge committed (it saw the item and the case key); the
    # access log's committer writes its review after: the justification must not outlive it.
    built, deps = disclosure
    platform, parts = built
    case_id = open_case(built)
    with platform.uow_factory() as uow:
        item_id = items.provide(deps, uow, provide_cmd(case_id, legal_basis="consent"), PROVIDER)
        uow.commit()
    override = c.RequestDisclosure(
        action="read",
        purpose="care_coordination",
        item_ids=(item_id,),
        break_glass=c.BreakGlass(
            "threat of violence tonight", "person-9", "told in person", "informed"
        ),
    )

    def glass() -> list[str]:
        with platform.uow_factory() as uow:
            outcome = disclosure_handlers.request_disclosure(deps, uow, override, CARER)
            uow.commit()
        return [r.item_id for r in outcome.released]

    # The review waits for the purge holding the case's row.
    outcome = staged(platform, purging(built, case_id), glass)
    assert outcome == [[item_id]]  # released under the override: a review is due
    with platform.uow_factory() as uow:
        t = uow.tables["reviews"]
        sealed = uow.session.execute(
            select(t.c.justification_sealed, t.c.client_informed_sealed).where(
                t.c.case_id == case_id
            )
        ).all()
    assert sealed == [(None, None)]


def test_a_fact_of_the_case_from_another_topic_beside_its_purge_is_not_written_again(
    disclosure, monkeypatch
):
    # Two replicas: one applies intake's CASE_NOMINATED (intake's topic), the other casework's
    # CASE_PURGED. The first has found the case not forgotten and is about to write its facts
    # when the purge runs: the purge must not commit in between (it would find the row, the
    # fact would then write it again).
    built, _deps = disclosure
    platform, parts = built
    case_id = open_case(built)
    checked, go_on = threading.Event(), threading.Event()
    original = CaseFactsRepository.upsert

    def paused(self, case, **values):  # noqa: ANN001, ANN202
        if threading.current_thread().name == "nominated":
            checked.set()
            assert go_on.wait(30)
        return original(self, case, **values)

    monkeypatch.setattr(CaseFactsRepository, "upsert", paused)
    _, fact = record(
        CASE_NOMINATED,
        case_id,
        subject_pseudonym="psn-late",
        nominating_party=GGZ,
        age_band="16_plus",
        nominated_at="2026-12-01T10:00:00+00:00",
    )
    apply = EventConsumer([TOPIC], consumed(parts), platform.uow_factory, lambda t: None)
    nominated = threading.Thread(target=lambda: apply.handle_record(fact), name="nominated")
    nominated.start()
    assert checked.wait(30)
    purge_thread, purged = waiting_in_thread(
        platform, lambda: purge_through_the_consumer(built, case_id)
    )
    go_on.set()
    nominated.join(30)
    purge_thread.join(30)
    assert purged == ["applied"]
    assert rows_of(platform, case_id, DISCLOSURE_TABLES) == {}


# -- intake: a triage round started while the nomination is purged ------------------------------
# Here the nomination's row is the lock: a request updates it (versioned) before it adds a round,
# and the purge's delete of it cascades to the rounds and answers once the request committed.


@pytest.fixture
def intake(tmp_path, pg_url):
    with handler_platform("intake", tmp_path, pg_url) as built:
        platform, _parts = built
        for party in (nominating.ASTEN, nominating.HELMOND, nominating.POLICE):
            set_party_status(platform, party)
        set_roster(
            platform, "process_director", nominating.DIRECTOR.party, nominating.DIRECTOR.person
        )
        yield built, intake_deps(platform)


def assessed_nomination(built, deps) -> tuple[str, StartTriage]:
    platform = built[0]
    with platform.uow_factory() as uow:
        case_id = nominations.nominate(
            deps, uow, nominating.nomination(), nominating.NOMINATING
        ).case_id
        uow.commit()
    with platform.uow_factory() as uow:
        assessment.assess(deps, uow, nominating.qualify(case_id), nominating.DIRECTOR)
        uow.commit()
    start = StartTriage(
        case_id, (nominating.POLICE,), utcnow() + timedelta(days=1), ("safety",), "bekend?"
    )
    return case_id, start


INTAKE_TABLES = ("nominations", "triage_rounds", "triage_answers", "open_subject_tokens")


def test_a_triage_round_uncommitted_when_the_purge_comes_goes_with_the_purge(intake):
    built, deps = intake
    platform = built[0]
    case_id, start = assessed_nomination(built, deps)
    # The round and its open answers; the purge waits for the nomination's row.
    outcome = staged(
        platform,
        lambda uow: triage.start_triage(deps, uow, start, nominating.DIRECTOR),
        lambda: purge_through_the_consumer(built, case_id),
    )
    assert outcome == ["applied"]
    assert rows_of(platform, case_id, INTAKE_TABLES) == {}


def test_a_triage_round_started_while_the_purge_is_uncommitted_is_refused(intake):
    built, deps = intake
    platform, parts = built
    case_id, start = assessed_nomination(built, deps)
    outcome = staged(
        platform,
        purging(built, case_id),
        lambda: attempt(
            platform, lambda uow: triage.start_triage(deps, uow, start, nominating.DIRECTOR)
        ),
    )
    assert outcome == ["FailedPrecondition"]  # the nomination changed under it: it is gone
    assert rows_of(platform, case_id, INTAKE_TABLES) == {}


# -- intake: a nomination of the same subject, linked beside the erasure of the open one --------
# A second nomination of a subject is linked to the open one; the subject's erasure purges the
# open one with what is linked to it. The open nomination's row is the lock: the linking
# share-locks it, the purge locks it before it reads what is linked.


def nominate(deps, uow) -> str:  # noqa: ANN001
    """A nomination of the subject every ``nominating.nomination()`` names (one BSN)."""
    return nominations.nominate(deps, uow, nominating.nomination(), nominating.NOMINATING).case_id


def nominated(platform, deps) -> str:  # noqa: ANN001
    with platform.uow_factory() as uow:
        case_id = nominate(deps, uow)
        uow.commit()
        return case_id


def erasing(built, case_id: str):  # noqa: ANN001, ANN201
    """The subject's erasure as intake applies it, naming the case ids known when granted."""
    data = {
        "subject_request_id": "sr-" + uuid.uuid4().hex,
        "subject_pseudonym": "psn-test",
        "case_ids": [case_id],
        "controller": nominating.ASTEN,
        "erased_at": utcnow().isoformat(),
    }
    event = inbound(SUBJECT_ERASED, case_id, data)
    return lambda uow: consumed(built[1])[SUBJECT_ERASED](uow, event)


def nomination_row(platform, case_id: str):  # noqa: ANN001, ANN201
    with platform.uow_factory() as uow:
        n = uow.tables["nominations"]
        return uow.session.execute(
            select(n.c.status, n.c.linked_to_case_id).where(n.c.case_id == case_id)
        ).first()


def linked_to(platform, case_id: str) -> int:
    with platform.uow_factory() as uow:
        n = uow.tables["nominations"]
        return uow.session.execute(
            select(func.count()).select_from(n).where(n.c.linked_to_case_id == case_id)
        ).scalar_one()


@pytest.mark.parametrize(
    "held_open",
    ["the_new_nomination", "the_erasure"],
    ids=["linked-uncommitted-when-the-erasure-comes", "made-while-the-erasure-is-uncommitted"],
)
def test_a_nomination_of_the_subject_beside_the_erasure_of_its_open_one_is_never_left_linked_to_it(
    intake, held_open
):
    built, deps = intake
    platform = built[0]
    first = nominated(platform, deps)
    second: list[str] = []

    def add(uow) -> None:  # noqa: ANN001
        second.append(nominate(deps, uow))

    erase = erasing(built, first)
    if held_open == "the_new_nomination":
        outcome = staged(platform, add, lambda: attempt(platform, erase))
    else:
        outcome = staged(platform, erase, lambda: attempt(platform, add))
    assert outcome == ["added"]
    assert rows_of(platform, first, INTAKE_TABLES) == {} and linked_to(platform, first) == 0
    forgotten = outbox(platform, second[0], NOMINATION_FORGOTTEN)
    if held_open == "the_new_nomination":
        # As for any nomination linked before the erasure: it goes with the open one, and
        # disclosure (which named the cases it knew) learns that intake forgot it.
        assert nomination_row(platform, second[0]) is None
        assert forgotten == [{"case_id": second[0]}]
    else:
        # Never linked to a nomination that is gone (it would wait there for nobody): its own,
        # open and not announced as forgotten.
        assert nomination_row(platform, second[0]) == ("nominated", None)
        assert rows_of(platform, second[0], ("open_subject_tokens",)) and forgotten == []


# -- governance: a dispute naming the case, registered beside its purge -------------------------
# Governance keeps no row of the case: the dispute and the purge's unlink meet on the case's
# advisory lock (kernel/purge.py lock_case, taken by register_dispute and by the purge handler
# before it unlinks).


@pytest.fixture
def governance(tmp_path, pg_url):
    with handler_platform("governance", tmp_path, pg_url) as built:
        yield built, governance_deps(built[0])


def known_case(built, case_id: str) -> None:
    """Governance learns of the case (casework's CASE_OPENED): CARER directs it, so has a part
    in it and may register a dispute about it (art. 8.4c, 12.3)."""
    platform, parts = built
    opened = {
        "case_id": case_id,
        "subject_pseudonym": "ps-1",
        "nominating_party": CARER.party,
        "age_band": "18_plus",
        "invitees": [],
        "process_director_party": CARER.party,
        "process_director_person": CARER.person,
    }
    deliver(platform, parts, contract_events.CASE_OPENED, opened)


def register(deps, uow, case_id: str) -> str:  # noqa: ANN001
    dispute = disputes.register_dispute(
        deps, uow, RegisterDispute(DisputeAbout.CASE_DIRECTOR, case_id), CARER
    )
    return dispute.dispute_id


def dispute_case(platform, dispute_id: str) -> str | None:
    return case_named(platform, "disputes", "dispute_id", dispute_id)


def test_a_dispute_registered_uncommitted_when_the_purge_comes_is_unlinked(governance):
    built, deps = governance
    platform = built[0]
    case_id = str(uuid.uuid4())
    known_case(built, case_id)
    registered: list[str] = []
    outcome = staged(
        platform,
        lambda uow: registered.append(register(deps, uow, case_id)),
        lambda: purge_through_the_consumer(built, case_id),
    )
    assert outcome == ["applied"]
    assert dispute_case(platform, registered[0]) is None  # the dispute stands, unlinked
    with platform.uow_factory() as uow:
        assert uow.cases.get(case_id) is None  # and what governance knew of the case is gone


def test_a_dispute_registered_while_the_purge_is_uncommitted_is_refused_as_of_no_case(governance):
    """It waits for the purge, then is decided as a dispute naming a case governance never
    heard of (the case's facts went with the purge) and nothing is kept (it was registered as
    a general matter, where an unknown id was refused); CARER's party had a part in the case,
    so it is told the case was purged (not UNAVAILABLE, a retry that never ends), where an id
    never given out is UNAVAILABLE."""
    built, deps = governance
    platform = built[0]
    case_id = str(uuid.uuid4())
    known_case(built, case_id)
    before = disputes_kept(platform)
    outcome = staged(
        platform,
        purging(built, case_id),
        lambda: attempt(platform, lambda uow: register(deps, uow, case_id)),
    )
    never = attempt(platform, lambda uow: register(deps, uow, str(uuid.uuid4())))
    assert outcome == ["FailedPrecondition"]  # case_purged, to a party that had a part
    assert never == "Unavailable"  # CARER's part could let it in: retry later
    assert disputes_kept(platform) == before


def disputes_kept(platform) -> int:  # noqa: ANN001
    with platform.uow_factory() as uow:
        t = uow.tables["disputes"]
        return uow.session.execute(select(func.count()).select_from(t)).scalar_one()

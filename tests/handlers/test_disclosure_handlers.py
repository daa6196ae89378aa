"""Disclosure's use cases called directly (no gRPC, no broker): a migrated database, the
embedded policy engine and the case keys, as ``zorgtafel.testing.handler_platform`` builds
them. The case becomes known the way it does in production: through the consumed-event
handlers for intake's nomination and casework's opening, roles and delegates; the process
director is on the roster as governance would have designated them."""

from __future__ import annotations

import dataclasses
import json
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from services.disclosure.bootstrap import Deps, make_deps
from services.disclosure.domain import commands as c
from services.disclosure.domain.decisions import CasePerson
from services.disclosure.domain.items import Terms
from services.disclosure.service_layer.handlers import (
    audit,
    consents,
    disclosure,
    items,
    subject_rights,
)
from zorgtafel.contracts import events as ev
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from zorgtafel.kernel.purge import forget_case
from zorgtafel.testing import deliver, handler_platform, set_party_status, set_roster

GGZ = "00000099000000000045"  # the provider
CELLO = "00000099000000000038"  # involved, needs "health"
FARENT = "00000099000000000042"  # a party, not involved in the case
ASTEN = "00000099000000000001"  # a party with nothing to do with any of these cases

PROVIDER = Caller(GGZ, "behandelaar-1", "caseworker", party_status="active")
CARER = Caller(CELLO, "zorgcoordinator-2", "caseworker", party_status="active")
OFFICER = Caller(CELLO, "fg-1", "privacy_officer", party_status="active")
GGZ_OFFICER = Caller(GGZ, "fg-2", "privacy_officer", party_status="active")
DIRECTOR = Caller(GGZ, "pd-1", "process_director", party_status="active")
CONTENT = {"note": "sees a counsellor weekly", "risk": "low"}


@contextmanager
def disclosure_of_the_parties(
    data_dir: Path, url: str, parties: tuple[str, ...] = (GGZ, CELLO, FARENT)
):
    """Disclosure's handler platform with ``parties`` active in its party projection and
    DIRECTOR designated GGZ's process director on its roster: (platform, parts)."""
    with handler_platform("disclosure", data_dir, url) as built:
        platform, _parts = built
        for party in parties:
            set_party_status(platform, party)
        set_roster(platform, "process_director", GGZ, DIRECTOR.person)
        yield built


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def disclosure_platform(request, tmp_path_factory):
    url = "" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    data_dir = tmp_path_factory.mktemp("disclosure")
    with disclosure_of_the_parties(data_dir, url, (GGZ, CELLO, FARENT, ASTEN)) as built:
        yield built


@pytest.fixture(scope="module")
def deps(disclosure_platform) -> Deps:
    return make_deps(disclosure_platform[0])


OUTSIDER = Caller(FARENT, "p-7", "caseworker", party_status="active")  # of no case here


def nominate(
    disclosure_platform,
    nominated_at: str = "2026-12-01T10:00:00+00:00",
    subject_pseudonym: str = "",
    party: str = GGZ,
) -> dict:
    """Intake's nomination of a new case by ``party`` through the consumed handler (of a new
    subject, or of ``subject_pseudonym``'s): the case's facts, for its opening."""
    platform, parts = disclosure_platform
    facts = {
        "case_id": f"case-{uuid.uuid4().hex[:12]}",
        "subject_pseudonym": subject_pseudonym or f"psn-{uuid.uuid4().hex[:8]}",
        "nominating_party": party,
        "age_band": "16_plus",
    }
    deliver(platform, parts, ev.CASE_NOMINATED, {**facts, "nominated_at": nominated_at})
    return facts


def open_case(disclosure_platform, subject_pseudonym: str = "") -> str:
    """Intake's nomination, casework's opening and roles, through the consumed handlers (of a
    new subject, or of ``subject_pseudonym``'s)."""
    platform, parts = disclosure_platform
    facts = nominate(disclosure_platform, subject_pseudonym=subject_pseudonym)
    case_id = facts["case_id"]
    opened = {
        **facts,
        "invitees": [CELLO],
        "process_director_party": GGZ,
        "process_director_person": DIRECTOR.person,
    }
    roles = {
        CELLO: {"role": "care_provider", "information_need": ["health"]},
        GGZ: {"role": "mental_health", "information_need": ["health"]},
    }
    deliver(platform, parts, ev.CASE_OPENED, opened)
    deliver(platform, parts, ev.ROLES_SET, {"case_id": case_id, "roles": roles})
    for delegate in (PROVIDER, CARER):  # each party names who represents it (Bijlage 3)
        name_delegate(disclosure_platform, case_id, delegate)
    return case_id


def name_delegate(
    disclosure_platform,
    case_id: str,
    caller: Caller,
    named: bool = True,
    at: datetime | None = None,
) -> None:
    """Casework's fact, decided at ``at``; without it as a casework that did not yet say when
    it decided sent it."""
    platform, parts = disclosure_platform
    event = ev.DELEGATE_NAMED if named else ev.DELEGATE_RELEASED
    data = {"case_id": case_id, "party": caller.party, "person": caller.person}
    deliver(platform, parts, event, {**data, "changed_at": at.isoformat()} if at else data)


def provide_cmd(
    case_id: str, content: bytes | None = None, legal_basis: str = "public_task", **terms
) -> c.Provide:
    terms.setdefault("purposes", ("care_coordination",))
    return c.Provide(
        case_id=case_id,
        category="health",
        classification="confidential",
        legal_basis=legal_basis,
        content_type="application/json",
        content=content if content is not None else json.dumps(CONTENT).encode(),
        terms=Terms(**terms),
    )


def provide(disclosure_platform, deps, case_id: str) -> str:
    with disclosure_platform[0].uow_factory() as uow:
        item_id = items.provide(deps, uow, provide_cmd(case_id), PROVIDER)
        uow.commit()
    return item_id


def test_an_involved_party_with_need_to_know_reads_the_item_and_the_read_is_logged(
    disclosure_platform, deps
):
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    item_id = provide(disclosure_platform, deps, case_id)
    with platform.uow_factory() as uow:
        outcome = disclosure.request_disclosure(
            deps,
            uow,
            c.RequestDisclosure(action="read", purpose="care_coordination", item_ids=(item_id,)),
            CARER,
        )
    assert [json.loads(r.content) for r in outcome.released] == [CONTENT]
    with platform.uow_factory() as uow:
        logged = audit.query_access_log(
            deps, uow, c.QueryAccessLog("provider", GGZ), OFFICER
        ).records
        assert audit.verify_log(deps, uow, c.VerifyLog(), OFFICER).report.intact
    assert [
        (r["decision_id"], r["party"], r["result"]) for r in logged if r["resource"] == item_id
    ] == [(outcome.released[0].decision_id, CELLO, "allowed")]


def test_a_party_outside_the_case_is_denied_with_the_policys_reasons_and_logged(
    disclosure_platform, deps
):
    platform, _ = disclosure_platform
    outsider = Caller(FARENT, "p-7", "caseworker", party_status="active")
    item_id = provide(disclosure_platform, deps, open_case(disclosure_platform))
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
        disclosure.request_disclosure(
            deps,
            uow,
            c.RequestDisclosure(action="read", purpose="care_coordination", item_ids=(item_id,)),
            outsider,
        )
    assert any("not involved" in r for r in err.value.reasons)
    assert err.value.policy == "zorgtafel.disclosure" and err.value.decision_id
    with platform.uow_factory() as uow:
        logged = uow.access_log.latest("party", FARENT)
    assert [(r["decision_id"], r["result"]) for r in logged] == [(err.value.decision_id, "denied")]


def test_only_the_provider_changes_the_usage_terms(disclosure_platform, deps):
    platform, _ = disclosure_platform
    item_id = provide(disclosure_platform, deps, open_case(disclosure_platform))
    change = c.SetUsageTerms(item_id, Terms(purposes=("research",)))
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
        items.set_usage_terms(deps, uow, change, CARER)
    assert any("art. 16.2" in r for r in err.value.reasons)
    # The caller knows which item it asked about: the refusal does not repeat the id typed.
    assert not any(item_id in r for r in err.value.reasons)
    assert item_id not in str(err.value)
    with platform.uow_factory() as uow:
        assert items.set_usage_terms(deps, uow, change, PROVIDER).terms.purposes == ("research",)


def test_an_item_for_a_case_disclosure_never_heard_of_is_refused_as_without_a_part(
    disclosure_platform, deps
):
    """A case disclosure has no facts of yet has no parties (art. 15.1, 8.4c): refused, with
    words that say its facts may still be on their way."""
    with disclosure_platform[0].uow_factory() as uow, pytest.raises(PermissionDenied) as err:
        items.provide(deps, uow, provide_cmd("case-never-nominated"), PROVIDER)
    assert err.value.policy == "zorgtafel.disclosure.control"
    assert any("has no part in the case as disclosure knows it" in r for r in err.value.reasons)
    assert not any("case-never-nominated" in r for r in err.value.reasons)  # never echoed
    assert any("arrive from intake and casework" in r for r in err.value.reasons)


def test_a_party_without_a_part_in_the_case_cannot_provide_to_it(disclosure_platform, deps):
    """Art. 15.1, 8.4c: FARENT has no part in the case; it writes nothing into it, and its
    refusal reads the same whether the case exists or not (no oracle)."""
    platform, _ = disclosure_platform
    outsider = Caller(FARENT, "p-7", "caseworker", party_status="active")
    case_id = open_case(disclosure_platform)
    answers = []
    for asked in (case_id, "case-doesnotexist"):
        with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
            items.provide(deps, uow, provide_cmd(asked), outsider)
        answers.append([r.replace(asked, "<case>") for r in err.value.reasons])
    assert answers[0] == answers[1]
    assert any("art. 15.1" in r for r in answers[0])
    with platform.uow_factory() as uow:
        assert uow.items.of_cases([case_id]) == []


def test_a_party_with_a_part_provides_nothing_for_a_closed_case(disclosure_platform, deps):
    """Art. 1.2: a closed case's dossier is cleansed and removed; nothing is added to it."""
    platform, parts = disclosure_platform
    case_id = open_case(disclosure_platform)
    deliver(platform, parts, ev.CASE_CLOSED, {"case_id": case_id, "outcome": "successful"})
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
        items.provide(deps, uow, provide_cmd(case_id), PROVIDER)
    assert any("The case is closed" in r and "art. 1.2" in r for r in err.value.reasons)
    # The caller knows which case it asked about: the refusal does not repeat the id typed.
    assert not any(case_id in r for r in err.value.reasons)
    assert case_id not in str(err.value)


def subject_of_item(platform, item_id: str) -> str:
    """The pseudonym of the subject whose case holds the item (a request is the subject's)."""
    with platform.uow_factory() as uow:
        item = uow.items.find(item_id)
        case = uow.cases.find(item.case_id) if item is not None else None
        assert case is not None
        return case.subject_pseudonym


def test_a_subject_request_is_decided_once(disclosure_platform, deps):
    platform, _ = disclosure_platform
    item_id = provide(disclosure_platform, deps, open_case(disclosure_platform))
    with platform.uow_factory() as uow:
        ref = subject_rights.submit_subject_request(
            deps,
            uow,
            c.SubmitSubjectRequest(
                kind="correction",
                subject_pseudonym=subject_of_item(platform, item_id),
                document_ref="doc:r/1",
                item_id=item_id,
            ),
            OFFICER,
        )
        subject_rights.decide_subject_request(
            deps, uow, c.DecideSubjectRequest(ref, "granted"), GGZ_OFFICER
        )
        uow.commit()
    with platform.uow_factory() as uow, pytest.raises(FailedPrecondition) as err:
        subject_rights.decide_subject_request(
            deps,
            uow,
            c.DecideSubjectRequest(ref, "refused", "pending_complaint", "a complaint is pending"),
            GGZ_OFFICER,
        )
    assert err.value.state == "decided"


@pytest.mark.parametrize(
    "content,field",
    [
        (b"[" * 100_000, "content"),  # nests far too deep: not INTERNAL
        (b"{not json", "content"),
    ],
)
def test_content_that_is_not_acceptable_json_is_an_invalid_argument(
    disclosure_platform, deps, content, field
):
    case_id = open_case(disclosure_platform)
    with disclosure_platform[0].uow_factory() as uow, pytest.raises(InvalidArgument) as err:
        items.provide(deps, uow, provide_cmd(case_id, content), PROVIDER)
    assert [f for f, _ in err.value.violations] == [field]


def test_a_refused_attempt_to_read_lands_in_the_access_log(disclosure_platform, deps):
    platform, _ = disclosure_platform
    item_id = provide(disclosure_platform, deps, open_case(disclosure_platform))
    excluded = Caller("00000099000000000063", "p-9", "caseworker", party_status="excluded")
    with platform.uow_factory() as uow:
        audit.record_refusal(
            deps,
            uow,
            c.RecordRefusal(
                action="read",
                purpose="care_coordination",
                item_ids=(item_id, "not-an-id"),
                decision_id="dec-1",
                reasons=("excluded (art. 23.2)",),
                policy_revision="r1",
            ),
            excluded,
        )
    with platform.uow_factory() as uow:
        logged = uow.access_log.latest("party", excluded.party)
        assert uow.access_log.verify(deps.log_keys).intact
    assert [(r["resource"], r["provider"], r["result"]) for r in logged] == [
        (item_id, GGZ, "denied")
    ]


# -- need to know by relationship (ADR 0005, issue #13) ---------------------------------------


def read(deps, uow, item_id: str, caller: Caller, **kw):
    return disclosure.request_disclosure(
        deps,
        uow,
        c.RequestDisclosure(
            action=kw.pop("action", "read"), purpose="care_coordination", item_ids=(item_id,), **kw
        ),
        caller,
    )


def test_a_colleague_of_an_involved_party_without_a_part_in_the_case_reads_nothing(
    disclosure_platform, deps
):
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    item_id = provide(disclosure_platform, deps, case_id)
    colleague = Caller(CELLO, "collega-3", "caseworker", party_status="active")
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
        read(deps, uow, item_id, colleague)
    assert any("no part in the case" in r and "Bijlage 3" in r for r in err.value.reasons)
    name_delegate(disclosure_platform, case_id, CARER, named=False)
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied):
        read(deps, uow, item_id, CARER)  # a released delegate no longer reaches the case


def test_a_naming_that_arrives_after_the_release_leaves_the_delegate_released(
    disclosure_platform, deps
):
    """Named, released: the outbox relay sends the naming again (a suspected broker loss) and
    it arrives after the release. Disclosure applied whichever came last, so the released
    delegate reached the case again (8.4c, Bijlage 3). Now the decision times say the order."""
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    item_id = provide(disclosure_platform, deps, case_id)
    named = datetime.now(timezone.utc) - timedelta(minutes=10)
    released = named + timedelta(minutes=2)
    name_delegate(disclosure_platform, case_id, CARER, at=named)
    name_delegate(disclosure_platform, case_id, CARER, named=False, at=released)
    for late in (named, named + timedelta(minutes=1), None):  # re-sent, older, without a time
        name_delegate(disclosure_platform, case_id, CARER, at=late)
        with platform.uow_factory() as uow, pytest.raises(PermissionDenied):
            read(deps, uow, item_id, CARER)
    named_again = released + timedelta(minutes=1)
    for _ in range(2):  # the new naming, and a repeat of it
        name_delegate(disclosure_platform, case_id, CARER, at=named_again)
        with platform.uow_factory() as uow:
            assert read(deps, uow, item_id, CARER).released
    name_delegate(disclosure_platform, case_id, CARER, named=False, at=released)  # older
    with platform.uow_factory() as uow:
        assert read(deps, uow, item_id, CARER).released
    # A release without a time (a casework before decision times) always applies.
    name_delegate(disclosure_platform, case_id, CARER, named=False)
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied):
        read(deps, uow, item_id, CARER)


def set_roles(disclosure_platform, case_id: str, cello_needs: list[str], at: datetime | None):
    platform, parts = disclosure_platform
    roles = {
        CELLO: {"role": "care_provider", "information_need": cello_needs},
        GGZ: {"role": "mental_health", "information_need": ["health"]},
    }
    data = {"case_id": case_id, "roles": roles}
    deliver(platform, parts, ev.ROLES_SET, {**data, "changed_at": at.isoformat()} if at else data)


def test_a_roles_decision_that_arrives_after_a_later_one_changes_nothing(disclosure_platform, deps):
    """The case meeting gave CELLO a need for health, then took it away (8.4c); the first
    decision, re-sent, arrives last: CELLO's delegate must not read health items again."""
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    item_id = provide(disclosure_platform, deps, case_id)
    first = datetime.now(timezone.utc) - timedelta(minutes=10)
    later = first + timedelta(minutes=2)
    set_roles(disclosure_platform, case_id, ["health"], first)
    with platform.uow_factory() as uow:
        assert read(deps, uow, item_id, CARER).released
    set_roles(disclosure_platform, case_id, ["housing"], later)
    for late in (first, None, later):  # re-sent, without a time, a repeat
        set_roles(disclosure_platform, case_id, ["health"] if late != later else ["housing"], late)
        with platform.uow_factory() as uow, pytest.raises(PermissionDenied):
            read(deps, uow, item_id, CARER)
    set_roles(disclosure_platform, case_id, ["health"], later + timedelta(minutes=1))
    with platform.uow_factory() as uow:
        assert read(deps, uow, item_id, CARER).released


def test_a_case_director_appointment_that_arrives_after_a_later_one_grants_nothing(
    disclosure_platform, deps
):
    """13.1: the case meeting appointed one person of CELLO, then another in their place; the
    first appointment, re-sent, arrives last: the first person no longer directs the case."""
    platform, parts = disclosure_platform
    case_id = open_case(disclosure_platform)
    item_id = provide(disclosure_platform, deps, case_id)
    first = Caller(CELLO, "casusregisseur-1", "caseworker", party_status="active")
    second = Caller(CELLO, "casusregisseur-2", "caseworker", party_status="active")
    at = datetime.now(timezone.utc) - timedelta(minutes=10)

    def appoint(caller: Caller, when: datetime | None) -> None:
        data = {"case_id": case_id, "party": caller.party, "person": caller.person}
        if when:
            data["changed_at"] = when.isoformat()
        deliver(platform, parts, ev.DIRECTOR_APPOINTED, data)

    appoint(first, at)
    with platform.uow_factory() as uow:
        assert read(deps, uow, item_id, first).released
    later = at + timedelta(minutes=2)
    appoint(second, later)
    for late in (at, None):  # re-sent, without a time
        appoint(first, late)
        with platform.uow_factory() as uow, pytest.raises(PermissionDenied):
            read(deps, uow, item_id, first)
    for _ in range(2):  # a repeat of the later appointment changes nothing either
        appoint(second, later)
        with platform.uow_factory() as uow:
            assert read(deps, uow, item_id, second).released


def test_the_process_director_reads_only_while_designated(disclosure_platform, deps):
    platform, _ = disclosure_platform
    item_id = provide(disclosure_platform, deps, open_case(disclosure_platform))
    with platform.uow_factory() as uow:
        assert read(deps, uow, item_id, DIRECTOR).released
    set_roster(platform, "process_director", GGZ, DIRECTOR.person, held=False)
    try:
        with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
            read(deps, uow, item_id, DIRECTOR)
        assert any("art. 12.1" in r for r in err.value.reasons)
    finally:
        set_roster(platform, "process_director", GGZ, DIRECTOR.person)


def test_the_process_director_is_the_one_casework_says_directs_the_case_now(
    disclosure_platform, deps
):
    """12.3: casework took the process director off the case (the designation ended:
    PROCESS_DIRECTOR_CHANGED, person "") and a designated process director then took it over.
    Disclosure kept the opening's process director, who read on when designated again, and
    the one who took it over read nothing; now it releases to the one who directs the case,
    applied in the order casework decided it: a late release, a repeat or a re-sent opening
    changes nothing."""
    platform, parts = disclosure_platform
    case_id = open_case(disclosure_platform)
    item_id = provide(disclosure_platform, deps, case_id)
    taker = Caller(GGZ, "zorgcoordinator-30", "process_director", party_status="active")
    set_roster(platform, "process_director", GGZ, taker.person)
    t0 = datetime.now(timezone.utc)
    left = {"case_id": case_id, "party": GGZ, "person": "", "changed_at": t0.isoformat()}
    taken = {**left, "person": taker.person, "changed_at": (t0 + timedelta(seconds=1)).isoformat()}
    deliver(platform, parts, ev.PROCESS_DIRECTOR_CHANGED, left)
    for caller in (DIRECTOR, taker):  # DIRECTOR is designated (again): not its director
        with platform.uow_factory() as uow, pytest.raises(PermissionDenied):
            read(deps, uow, item_id, caller)
    for data in (taken, left, taken):
        deliver(platform, parts, ev.PROCESS_DIRECTOR_CHANGED, data)
    with platform.uow_factory() as uow:
        known = uow.cases.find(case_id)
    assert known is not None
    opened = {
        "case_id": case_id,
        "subject_pseudonym": known.subject_pseudonym,
        "nominating_party": GGZ,
        "age_band": "16_plus",
        "invitees": [CELLO],
        "process_director_party": GGZ,
        "process_director_person": DIRECTOR.person,
    }
    deliver(platform, parts, ev.CASE_OPENED, opened)  # re-sent: the opening's director
    with platform.uow_factory() as uow:
        assert read(deps, uow, item_id, taker).released
        facts = uow.cases.find(case_id)
    assert facts is not None and facts.process_director == CasePerson(GGZ, taker.person)
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied):
        read(deps, uow, item_id, DIRECTOR)
    # An operator's restatement as of the release (re-sent after the take-over) naming nobody
    # leaves the take-over standing; one as of a later decision decides it.
    restated = {
        "case_id": case_id,
        "process_director_party": GGZ,
        "process_director_person": "",
        "invitees": [CELLO],
        "roles": [CELLO, GGZ],
        "case_director_party": "",
        "case_director_person": "",
        "delegates": {GGZ: [PROVIDER.person], CELLO: [CARER.person]},
        "closed": False,
        "changed_at": t0.isoformat(),
    }
    deliver(platform, parts, ev.CASE_RESTATED, restated)
    with platform.uow_factory() as uow:
        assert read(deps, uow, item_id, taker).released
    later = (t0 + timedelta(seconds=2)).isoformat()
    deliver(platform, parts, ev.CASE_RESTATED, {**restated, "changed_at": later})
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied):
        read(deps, uow, item_id, taker)


def test_a_token_for_a_persons_id_in_other_case_is_that_person_in_the_case(
    disclosure_platform, deps
):
    """A person id names its person without case ("PD-1" is pd-1: validate.same_person, the
    token's subject), but the disclosure policy compared the requester as typed with the case's
    delegates, case director and process director: the delegate zorgcoordinator-2 with a token
    for "Zorgcoordinator-2" had no part in the case. The policy's input now carries the person
    ids lowered (lower() in the policy would cost builtin calls, issue #16); the access log
    keeps the caller's id as given."""
    platform, parts = disclosure_platform
    case_id = open_case(disclosure_platform)
    item_id = provide(disclosure_platform, deps, case_id)
    director = Caller(CELLO, "casusregisseur-9", "caseworker", party_status="active")
    data = {"case_id": case_id, "party": CELLO, "person": director.person}
    deliver(platform, parts, ev.DIRECTOR_APPOINTED, data)
    for caller in (CARER, DIRECTOR, director):
        token = dataclasses.replace(caller, person=caller.person.upper())
        with platform.uow_factory() as uow:
            assert read(deps, uow, item_id, token).released
    with platform.uow_factory() as uow:
        logged = uow.access_log.latest("party", CELLO)
    assert logged[0]["person"] == director.person.upper()
    other = Caller(CELLO, "Zorgcoordinator-20", "caseworker", party_status="active")
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied):
        read(deps, uow, item_id, other)


def test_an_uninvolved_party_cannot_release_to_a_third_party_despite_written_consent(
    disclosure_platform, deps
):
    platform, _ = disclosure_platform
    item_id = provide(disclosure_platform, deps, open_case(disclosure_platform))
    third = "00000099000000000099"
    with platform.uow_factory() as uow:
        consents.record_provider_consent(
            deps, uow, c.RecordProviderConsent(item_id, third, "doc:9.2/1"), PROVIDER
        )
        uow.commit()
    outsider = Caller(FARENT, "p-7", "caseworker", party_status="active")
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
        read(deps, uow, item_id, outsider, action="third_party_release", third_party=third)
    # Refused for having no part in the case, and told nothing else of it (ADR 0005).
    assert [r for r in err.value.reasons if "has no part in the case" not in r] == []
    with platform.uow_factory() as uow:
        released = read(deps, uow, item_id, CARER, action="third_party_release", third_party=third)
        assert released.released
        logged = uow.access_log.latest("party", CELLO)
    assert (logged[0]["party"], logged[0]["person"], logged[0]["recipient"]) == (
        CELLO,
        CARER.person,
        third,
    )


def test_consent_is_recorded_only_by_a_person_with_a_part_and_a_withdrawal_stops_releases(
    disclosure_platform, deps
):
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    with platform.uow_factory() as uow:
        item_id = items.provide(deps, uow, provide_cmd(case_id, legal_basis="consent"), PROVIDER)
        uow.commit()
    given = c.RecordSubjectConsent(case_id, "subject", ("health",), "doc:consent/1")
    outsider = Caller(FARENT, "p-7", "caseworker", party_status="active")
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
        consents.record_subject_consent(deps, uow, given, outsider)
    assert any("Bijlage 3" in r for r in err.value.reasons)
    with platform.uow_factory() as uow:
        consent_id = consents.record_subject_consent(deps, uow, given, CARER)
        uow.commit()
    with platform.uow_factory() as uow:
        assert read(deps, uow, item_id, CARER).released
    with platform.uow_factory() as uow:
        withdrawn = consents.withdraw_consent(
            deps, uow, c.WithdrawConsent(consent_id, "doc:withdrawal/1"), DIRECTOR
        )
        uow.commit()
    assert (withdrawn.withdrawn_by_party, withdrawn.withdrawal_document_ref) == (
        GGZ,
        "doc:withdrawal/1",
    )
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
        read(deps, uow, item_id, CARER)
    assert any("withdrawn" in r for r in err.value.reasons)


def test_a_consent_withdrawal_is_after_its_recording_when_the_clock_goes_back(
    disclosure_platform, deps
):
    """Intake applies the subject's consent changes of a case in the order disclosure
    decided them (changed_at) and ignores an older one: a withdrawal recorded on a replica
    whose clock is behind the one that recorded the consent, or dated back (withdrawn_at),
    would have left intake sharing on a consent taken back (Bijlage 3, GDPR art. 7(3))."""
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    now = datetime.now(timezone.utc)
    ahead = dataclasses.replace(deps, clock=lambda: now + timedelta(minutes=5))
    behind = dataclasses.replace(deps, clock=lambda: now - timedelta(minutes=5))
    given = c.RecordSubjectConsent(case_id, "subject", ("health",), "doc:consent/1")
    with platform.uow_factory() as uow:
        consent_id = consents.record_subject_consent(ahead, uow, given, CARER)
        uow.commit()
        (recorded,) = [e for e in uow.published if e.TYPE == ev.SUBJECT_CONSENT_CHANGED]
    with platform.uow_factory() as uow:
        consents.withdraw_consent(
            behind,
            uow,
            c.WithdrawConsent(consent_id, "doc:withdrawal/1", now - timedelta(days=1)),
            DIRECTOR,
        )
        uow.commit()
        (withdrawn,) = [e for e in uow.published if e.TYPE == ev.SUBJECT_CONSENT_CHANGED]
    first = datetime.fromisoformat(recorded.changed_at)
    assert datetime.fromisoformat(withdrawn.changed_at) == first + timedelta(microseconds=1)


def test_a_subject_consent_recorded_or_withdrawn_reaches_intake_as_ids_and_a_status(
    disclosure_platform, deps
):
    """Intake shares a nomination in triage on the subject's consent: a withdrawal recorded
    here never reached it, so the parties asked in triage went on reading the question
    (Bijlage 3, GDPR art. 7(3)). Published through the outbox with the change, keyed by the
    case; never who gave it, its scope or its document. A provider's written consent (art.
    9.2) is not the subject's and is not published."""
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    given = c.RecordSubjectConsent(case_id, "subject", ("health",), "doc:consent/1")
    with platform.uow_factory() as uow:
        consent_id = consents.record_subject_consent(deps, uow, given, CARER)
        uow.commit()
        recorded = [e for e in uow.published if e.TYPE == ev.SUBJECT_CONSENT_CHANGED]
    with platform.uow_factory() as uow:
        consents.withdraw_consent(
            deps, uow, c.WithdrawConsent(consent_id, "doc:withdrawal/1"), DIRECTOR
        )
        uow.commit()
        withdrawn = [e for e in uow.published if e.TYPE == ev.SUBJECT_CONSENT_CHANGED]
    assert [(e.case_id, e.consent_id, e.status) for e in recorded + withdrawn] == [
        (case_id, consent_id, "given"),
        (case_id, consent_id, "withdrawn"),
    ]
    assert set(withdrawn[0].to_data()) == {"case_id", "consent_id", "status", "changed_at"}
    item_id = provide(disclosure_platform, deps, case_id)
    third = "00000099000000000099"
    with platform.uow_factory() as uow:
        consents.record_provider_consent(
            deps, uow, c.RecordProviderConsent(item_id, third, "doc:9.2/1"), PROVIDER
        )
        uow.commit()
        assert not [e for e in uow.published if e.TYPE == ev.SUBJECT_CONSENT_CHANGED]


def test_oversight_sees_only_what_concerns_its_own_party(disclosure_platform, deps):
    platform, _ = disclosure_platform
    item_id = provide(disclosure_platform, deps, open_case(disclosure_platform))
    with platform.uow_factory() as uow:
        read(deps, uow, item_id, CARER)
        ref = subject_rights.submit_subject_request(
            deps,
            uow,
            c.SubmitSubjectRequest(
                "erasure", subject_of_item(platform, item_id), "doc:r/2", item_id=item_id
            ),
            CARER,
        )
        uow.commit()
    other = Caller(ASTEN, "fg-9", "privacy_officer", party_status="active")
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
        audit.query_access_log(deps, uow, c.QueryAccessLog("provider", GGZ), other)
    assert any("own party as controller" in r for r in err.value.reasons)
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
        subject_rights.decide_subject_request(
            deps, uow, c.DecideSubjectRequest(ref, "granted"), OFFICER
        )
    assert any(
        "privacy officer of the controller it is addressed to" in r for r in err.value.reasons
    )
    with platform.uow_factory() as uow:
        assert subject_rights.list_subject_requests(deps, uow, c.ListSubjectRequests(), other) == []
        assert [
            r.subject_request_id
            for r in subject_rights.list_subject_requests(
                deps, uow, c.ListSubjectRequests(), GGZ_OFFICER
            )
            if r.subject_request_id == ref
        ] == [ref]


# -- a case opened before disclosure kept who has a part in it (migration 114226e7f72b) ----------
# Its process director, case director and delegates were consumed before the columns existed:
# no relation is known, so its delegates are refused (ADR 0005) until casework restates the case
# (``zorgtafel restate-cases``: CaseRestated through its outbox).


def open_old_case(disclosure_platform) -> str:
    """A case as disclosure holds it after the upgrade: its subject and the roles, no person."""
    platform, parts = disclosure_platform
    facts = nominate(disclosure_platform, "2026-11-01T10:00:00Z")
    case_id = facts["case_id"]
    # An opening of a casework before it named the process director, as in older events.
    opened = {**facts, "invitees": [CELLO], "process_director_party": ""}
    deliver(platform, parts, ev.CASE_OPENED, opened)
    roles = {
        CELLO: {"role": "care_provider", "information_need": ["health"]},
        GGZ: {"role": "mental_health", "information_need": ["health"]},
    }
    deliver(platform, parts, ev.ROLES_SET, {"case_id": case_id, "roles": roles})
    return case_id


def restate(disclosure_platform, case_id: str, at: datetime | None, **more) -> None:
    """Casework's restatement of the case as of ``at``: GGZ directs it (DIRECTOR), CELLO's
    casusregisseur-1 is its case director, PROVIDER and CARER the delegates."""
    platform, parts = disclosure_platform
    data = {
        "case_id": case_id,
        "process_director_party": GGZ,
        "process_director_person": DIRECTOR.person,
        "invitees": [CELLO],
        "roles": [CELLO, GGZ],
        "case_director_party": CELLO,
        "case_director_person": "casusregisseur-1",
        "delegates": {GGZ: [PROVIDER.person], CELLO: [CARER.person]},
        "closed": False,
        "changed_at": at.isoformat() if at else "",
        **more,
    }
    deliver(platform, parts, ev.CASE_RESTATED, data)


def people_of(platform, case_id: str):
    with platform.uow_factory() as uow:
        known = uow.cases.find(case_id)
        return (
            None
            if known is None
            else (known.process_director, known.case_director, dict(known.delegates))
        )


def test_a_delegate_of_a_case_opened_before_the_persons_were_kept_reads_once_restated(
    disclosure_platform, deps
):
    """Disclosure did not consume CASE_RESTATED: the delegates of a case opened before its
    migration 114226e7f72b stayed without a part for good (refused, ADR 0005). Now the
    restatement makes unknown relations known; restating again changes nothing."""
    platform, _ = disclosure_platform
    case_id = open_old_case(disclosure_platform)
    assert people_of(platform, case_id) == (None, None, {})
    restate(disclosure_platform, case_id, datetime.now(timezone.utc) - timedelta(minutes=5))
    item_id = provide(disclosure_platform, deps, case_id)
    case_director = Caller(CELLO, "casusregisseur-1", "caseworker", party_status="active")
    for caller in (CARER, case_director, DIRECTOR):
        with platform.uow_factory() as uow:
            assert read(deps, uow, item_id, caller).released
    held = people_of(platform, case_id)
    assert held == (
        CasePerson(GGZ, DIRECTOR.person),
        CasePerson(CELLO, "casusregisseur-1"),
        {GGZ: (PROVIDER.person,), CELLO: (CARER.person,)},
    )
    with platform.uow_factory() as uow:
        assert case_id in uow.cases.cases_of_person(CELLO, CARER.person, ["delegate"])
    restate(disclosure_platform, case_id, datetime.now(timezone.utc) - timedelta(minutes=5))
    assert people_of(platform, case_id) == held


def test_a_restatement_keeps_what_was_decided_after_it_and_takes_away_what_it_no_longer_holds(
    disclosure_platform, deps
):
    """As of its time (casework's last decision on who has a part), the restatement decides
    every fact held here that was not decided after it: a delegate held without a time that
    casework no longer holds goes, and a release or appointment decided after it stands (the
    relay may re-send the restatement after a later change). A closed case is closed here."""
    platform, _ = disclosure_platform
    case_id = open_old_case(disclosure_platform)
    colleague = Caller(CELLO, "collega-3", "caseworker", party_status="active")
    name_delegate(disclosure_platform, case_id, colleague)  # no time: before decision times
    as_of = datetime.now(timezone.utc) - timedelta(minutes=10)
    name_delegate(disclosure_platform, case_id, CARER, named=False, at=as_of + timedelta(minutes=1))
    later = Caller(CELLO, "casusregisseur-2", "caseworker", party_status="active")
    deliver(
        platform,
        disclosure_platform[1],
        ev.DIRECTOR_APPOINTED,
        {
            "case_id": case_id,
            "party": CELLO,
            "person": later.person,
            "changed_at": (as_of + timedelta(minutes=2)).isoformat(),
        },
    )
    restate(disclosure_platform, case_id, as_of)
    item_id = provide(disclosure_platform, deps, case_id)
    _, case_director, delegates = people_of(platform, case_id)
    assert case_director == CasePerson(CELLO, later.person)
    assert delegates == {GGZ: (PROVIDER.person,)}
    for refused in (colleague, CARER):
        with platform.uow_factory() as uow, pytest.raises(PermissionDenied):
            read(deps, uow, item_id, refused)
    # Without a time the restatement decides only facts held without one.
    restate(disclosure_platform, case_id, None, roles=[GGZ], closed=True)
    with platform.uow_factory() as uow:
        known = uow.cases.find(case_id)
    assert known is not None and known.closed
    assert known.case_director == CasePerson(CELLO, later.person)
    assert set(known.involved) == {GGZ}  # CELLO has no role any more (8.4c)


def test_a_restatement_of_a_purged_case_does_not_bring_it_back(disclosure_platform):
    platform, parts = disclosure_platform
    case_id = open_old_case(disclosure_platform)
    # CASE_PURGED as the kernel's consumer applies it: the handler, then the kernel forgets
    # the case id (kernel/purge.py).
    deliver(platform, parts, ev.CASE_PURGED, {"case_id": case_id})
    with platform.uow_factory() as uow:
        forget_case(uow.session, uow.tables, case_id)
        uow.commit()
    restate(disclosure_platform, case_id, datetime.now(timezone.utc))
    assert people_of(platform, case_id) is None


def roles_row(platform, case_id: str) -> tuple[str, object]:
    with platform.uow_factory() as uow:
        facts = uow.tables["case_facts"]
        row = uow.session.execute(
            select(facts.c.roles, facts.c.roles_changed_at).where(facts.c.case_id == case_id)
        ).one()
    return row.roles, row.roles_changed_at


def test_a_restatement_gives_each_party_the_information_need_casework_holds_now(
    disclosure_platform, deps
):
    """CASE_RESTATED said which parties have a role, not what each needs to know, so a
    disclosure that missed casework's ROLES_SET kept deciding need to know on the set it held:
    CELLO, whose need casework narrowed to housing, still read health items, and FARENT, given
    a role it never heard of, read nothing (8.4c, 15.1). Now the restatement's information
    needs are taken as its roles are (unless decided after it), and applying it again changes
    nothing."""
    platform, _ = disclosure_platform
    case_id = open_old_case(disclosure_platform)  # CELLO needs health (a set without a time)
    item_id = provide(disclosure_platform, deps, case_id)
    worker = Caller(FARENT, "farent-1", "caseworker", party_status="active")
    needs = {
        CELLO: {"role": "care_provider", "information_need": ["housing"]},
        GGZ: {"role": "mental_health", "information_need": ["health"]},
        FARENT: {"role": "youth_care", "information_need": ["health", "safety"]},
    }
    as_of = datetime.now(timezone.utc) - timedelta(minutes=5)
    more = {
        "roles": [CELLO, FARENT, GGZ],
        "information_needs": needs,
        "delegates": {GGZ: [PROVIDER.person], CELLO: [CARER.person], FARENT: [worker.person]},
    }
    restate(disclosure_platform, case_id, as_of, **more)
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied):
        read(deps, uow, item_id, CARER)
    with platform.uow_factory() as uow:
        assert read(deps, uow, item_id, worker).released
    held = roles_row(platform, case_id)
    assert json.loads(held[0])[FARENT] == {
        "role": "youth_care",
        "information_need": ["health", "safety"],
    }
    restate(disclosure_platform, case_id, as_of, **more)
    assert roles_row(platform, case_id) == held
    # A set decided after the restatement stands (the relay may re-send the restatement).
    set_roles(disclosure_platform, case_id, ["health"], as_of + timedelta(minutes=1))
    restate(disclosure_platform, case_id, as_of, **more)
    with platform.uow_factory() as uow:
        assert read(deps, uow, item_id, CARER).released


def test_an_officer_lists_her_own_partys_log_before_it_holds_a_record_of_it(
    disclosure_platform, deps
):
    """The access log by provider or party, asked by a privacy officer or auditor of that
    very party, concerns that party (Bijlage 3, NEN 7513) also while no record names it yet:
    an empty list, not a refusal (which the console showed as her access log page refused,
    counted in her budget of refusals); another party's listing stays refused, with or without
    records, in the same words."""
    platform, _ = disclosure_platform
    party = f"000000990000{uuid.uuid4().int % 10**8:08d}"  # no record names it in any test
    for role in ("privacy_officer", "auditor"):
        own = Caller(party, "fg-new", role, party_status="active")
        set_party_status(platform, party, "active")
        for by in ("provider", "party"):
            with platform.uow_factory() as uow:
                page = audit.query_access_log(deps, uow, c.QueryAccessLog(by, party), own)
            assert page.records == [], (role, by)
            with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
                audit.query_access_log(deps, uow, c.QueryAccessLog(by, ASTEN), own)
            assert any("own party as controller" in r for r in err.value.reasons)

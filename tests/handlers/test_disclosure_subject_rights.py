"""Issue #14 at the handlers: closure reaches disclosure (only the provider reads a closed
case's items), and subject requests take effect once the controller's privacy officer decides
them: erasure of an item, a case or everything about a subject, correction by a superseding
version, restriction and its lifting, objections and complaints answered with reasons, the
GDPR's month tracked. Same platform as ``test_disclosure_handlers.py`` (real database, embedded
policy engine, consumed events through the handlers)."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from services.disclosure.adapters.orm import subject_requests
from services.disclosure.domain import commands as c
from services.disclosure.domain.subject_rights import SubjectRequest, one_month_after
from services.disclosure.service_layer import subject_data
from services.disclosure.service_layer.handlers import consents, items, subject_rights
from services.disclosure.service_layer.handlers import subject_effects as effects
from tests.handlers import test_disclosure_handlers as base
from tests.handlers.test_disclosure_handlers import (
    CARER,
    CONTENT,
    FARENT,
    GGZ,
    GGZ_OFFICER,
    OFFICER,
    PROVIDER,
    open_case,
    provide,
    provide_cmd,
    read,
)
from zorgtafel.contracts import events as ev
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from zorgtafel.kernel.events import InboundEvent
from zorgtafel.kernel.gate import PolicyGate
from zorgtafel.kernel.purge import forget_case
from zorgtafel.kernel.subjectdata.servicer import export_subject_data
from zorgtafel.testing import deliver

# The same module-scoped platform (SQLite and PostgreSQL) and dependencies.
disclosure_platform = base.disclosure_platform
deps = base.deps
FARENT_WORKER = Caller(FARENT, "p-7", "caseworker", party_status="active")  # no part in a case
FARENT_OFFICER = Caller(FARENT, "fg-7", "privacy_officer", party_status="active")


def export(platform, deps, by: str, value: str, caller: Caller):
    """Disclosure's ExportSubjectData as the kernel's servicer runs it (policy included)."""
    return export_subject_data(
        "disclosure", platform.uow_factory, deps.policy, subject_data.export, by, value, caller
    )


def submit(platform, deps, kind: str, caller=CARER, **kw) -> str:
    """A subject's request, by default of the subject of the case (or item) it names."""
    if "subject_pseudonym" not in kw:
        kw["subject_pseudonym"] = _subject_of(platform, kw.get("case_id"), kw.get("item_id"))
    with platform.uow_factory() as uow:
        ref = subject_rights.submit_subject_request(
            deps, uow, c.SubmitSubjectRequest(kind=kind, document_ref="doc:r/1", **kw), caller
        )
        uow.commit()
    return ref


def _subject_of(platform, case_id: str | None, item_id: str | None) -> str:
    """The subject of the named case or item, or a pseudonym of no one when none is held."""
    with platform.uow_factory() as uow:
        item = uow.items.find(item_id) if item_id else None
        case = uow.cases.find(item.case_id if item else case_id or "")
    return case.subject_pseudonym if case is not None else "psn-x"


def decide(platform, deps, ref: str, outcome: str = "granted", caller=GGZ_OFFICER, **kw):
    with platform.uow_factory() as uow:
        decided = subject_rights.decide_subject_request(
            deps, uow, c.DecideSubjectRequest(ref, outcome, **kw), caller
        )
        uow.commit()
    return decided


def pseudonym_of(platform, case_id: str) -> str:
    with platform.uow_factory() as uow:
        case = uow.cases.find(case_id)
        assert case is not None
        return case.subject_pseudonym


def test_a_closed_case_is_read_only_by_the_provider(disclosure_platform, deps):
    platform, parts = disclosure_platform
    case_id = open_case(disclosure_platform)
    item_id = provide(disclosure_platform, deps, case_id)
    with platform.uow_factory() as uow:
        assert read(deps, uow, item_id, CARER).released
    deliver(platform, parts, ev.CASE_CLOSED, {"case_id": case_id, "outcome": "successful"})
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
        read(deps, uow, item_id, CARER)
    assert any("is closed" in r and "art. 1.2" in r for r in err.value.reasons)
    with platform.uow_factory() as uow:
        assert [json.loads(r.content) for r in read(deps, uow, item_id, PROVIDER).released] == [
            CONTENT
        ]


def test_another_partys_officer_does_not_decide_and_a_decision_is_taken_once(
    disclosure_platform, deps
):
    platform, _ = disclosure_platform
    item_id = provide(disclosure_platform, deps, open_case(disclosure_platform))
    ref = submit(platform, deps, "erasure", item_id=item_id)
    with pytest.raises(PermissionDenied):
        decide(platform, deps, ref, caller=OFFICER)  # CELLO's officer: not the controller
    assert decide(platform, deps, ref).outcome == "granted"
    with pytest.raises(FailedPrecondition) as err:
        decide(platform, deps, ref)
    assert err.value.state == "decided"


def test_another_partys_officer_is_told_of_a_request_what_of_an_id_of_none(
    disclosure_platform, deps
):
    """A subject request id tells a privacy officer of a party it is not addressed to neither
    that the request exists nor which party controls what it is about (Bijlage 3, art. 8.4c):
    an id of no request is decided as a request addressed to no party, and the refusal does
    not name the controller."""
    platform, _ = disclosure_platform
    item_id = provide(disclosure_platform, deps, open_case(disclosure_platform))
    ref = submit(platform, deps, "erasure", item_id=item_id)
    with pytest.raises(PermissionDenied) as real:
        decide(platform, deps, ref, caller=OFFICER)
    with pytest.raises(PermissionDenied) as none:
        decide(platform, deps, "sr-" + uuid.uuid4().hex, caller=OFFICER)
    assert real.value.reasons == none.value.reasons
    assert GGZ_OFFICER.party not in str(real.value.reasons)
    assert ref not in str(real.value.reasons)


def test_a_request_with_an_effect_is_addressed_to_the_controller_of_what_it_changes(
    disclosure_platform, deps
):
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    item_id = provide(disclosure_platform, deps, case_id)
    with pytest.raises(InvalidArgument) as err:
        submit(platform, deps, "erasure", item_id=item_id, controller=CARER.party)
    assert [f for f, _ in err.value.violations] == ["controller"]
    with pytest.raises(InvalidArgument) as err:
        submit(platform, deps, "correction", case_id=case_id)
    assert [f for f, _ in err.value.violations] == ["item_id"]
    # A case is the nominating party's (12.3): GGZ, whatever the submitter.
    ref = submit(platform, deps, "restriction", case_id=case_id)
    with platform.uow_factory() as uow:
        request = uow.subject_requests.find(ref)
    assert request is not None and request.controller == GGZ


def test_a_case_erasure_leaves_nothing_readable(disclosure_platform, deps):
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    item_ids = [provide(disclosure_platform, deps, case_id) for _ in range(2)]
    ref = submit(platform, deps, "erasure", case_id=case_id)
    decide(platform, deps, ref)
    with platform.uow_factory() as uow:
        assert uow.keys.find(uow.session, case_id) is None
        assert all(not i.readable for i in uow.items.get_many(item_ids))
        with pytest.raises(PermissionDenied):
            read(deps, uow, item_ids[0], PROVIDER)
    with platform.uow_factory() as uow, pytest.raises(FailedPrecondition) as err:
        items.provide(deps, uow, provide_cmd(case_id), PROVIDER)
    assert err.value.state == "case_erased"


def test_a_case_erasure_is_published_so_casework_and_intake_erase_that_case_too(
    disclosure_platform, deps
):
    """A granted erasure of one case reaches the services that hold the rest of it: casework
    (its minutes, plan and timeline) and intake (the nomination with the subject's identity)
    act on SUBJECT_ERASED; without it the case's delegates kept reading them after the
    controller granted the erasure (GDPR art. 17). Only the named case: another case of the
    same subject is not named."""
    platform, parts = disclosure_platform
    case_id = open_case(disclosure_platform)
    pseudonym = pseudonym_of(platform, case_id)
    other = f"case-{uuid.uuid4().hex[:12]}"
    deliver(
        platform,
        parts,
        ev.CASE_NOMINATED,
        {
            "case_id": other,
            "subject_pseudonym": pseudonym,
            "nominating_party": GGZ,
            "age_band": "16_plus",
            "nominated_at": "2026-12-01T10:00:00+00:00",
        },
    )
    ref = submit(platform, deps, "erasure", case_id=case_id)
    decide(platform, deps, ref)
    with platform.uow_factory() as uow:
        outbox = uow.tables["outbox"]
        rows = uow.session.execute(
            select(outbox).where(outbox.c.type == ev.SUBJECT_ERASED, outbox.c.key == pseudonym)
        ).all()
    assert len(rows) == 1
    data = json.loads(rows[0].data) if isinstance(rows[0].data, str) else rows[0].data
    assert data["case_ids"] == [case_id] and data["subject_request_id"] == ref
    assert data["controller"] == GGZ


def test_erasure_of_everything_about_a_subject_erases_every_case_and_says_so(
    disclosure_platform, deps
):
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    item_id = provide(disclosure_platform, deps, case_id)
    pseudonym = pseudonym_of(platform, case_id)
    ref = submit(platform, deps, "erasure", subject_pseudonym=pseudonym)
    decide(platform, deps, ref)
    with platform.uow_factory() as uow:
        assert not uow.items.get(item_id).readable
        outbox = uow.tables["outbox"]
        rows = uow.session.execute(
            select(outbox).where(outbox.c.type == ev.SUBJECT_ERASED, outbox.c.key == pseudonym)
        ).all()
    assert len(rows) == 1
    data = json.loads(rows[0].data) if isinstance(rows[0].data, str) else rows[0].data
    assert data["case_ids"] == [case_id] and data["subject_request_id"] == ref
    assert set(data) == {
        "subject_request_id",
        "subject_pseudonym",
        "case_ids",
        "controller",
        "erased_at",
    }


def test_a_correction_supersedes_the_old_version_and_the_provider_is_told(
    disclosure_platform, deps
):
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    old = provide(disclosure_platform, deps, case_id)
    decide(platform, deps, submit(platform, deps, "correction", item_id=old))
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
        read(deps, uow, old, CARER)
    assert any("corrected" in r for r in err.value.reasons)
    with platform.uow_factory() as uow:
        notices = subject_rights.list_correction_notices(
            deps, uow, c.ListCorrectionNotices(), GGZ_OFFICER
        )
        assert [(n.item_id, n.done) for n in notices if n.item_id == old] == [(old, False)]
        with pytest.raises(PermissionDenied):
            subject_rights.list_correction_notices(
                deps, uow, c.ListCorrectionNotices(provider=GGZ), CARER
            )
    corrected = {"note": "sees a counsellor monthly", "risk": "low"}
    new_cmd = replace(provide_cmd(case_id, json.dumps(corrected).encode()), supersedes=old)
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied):
        items.provide(deps, uow, new_cmd, CARER)  # not the provider of the old item
    with platform.uow_factory() as uow:
        new = items.provide(deps, uow, new_cmd, PROVIDER)
        uow.commit()
    with platform.uow_factory() as uow:
        assert [json.loads(r.content) for r in read(deps, uow, new, CARER).released] == [corrected]
    with platform.uow_factory() as uow:
        with pytest.raises(PermissionDenied):
            read(deps, uow, old, PROVIDER)  # the old content, never again, to anyone
        notices = subject_rights.list_correction_notices(
            deps, uow, c.ListCorrectionNotices(), GGZ_OFFICER
        )
    assert [n.superseded_by for n in notices if n.item_id == old] == [new]
    with platform.uow_factory() as uow, pytest.raises(FailedPrecondition) as err:
        items.provide(deps, uow, new_cmd, PROVIDER)
    assert err.value.state == "already_superseded"


def test_professional_opinions_are_not_corrected(disclosure_platform, deps):
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    with platform.uow_factory() as uow:
        opinion = items.provide(
            deps, uow, replace(provide_cmd(case_id), category="professional_opinion"), PROVIDER
        )
        uow.commit()
    ref = submit(platform, deps, "correction", item_id=opinion)
    with pytest.raises(FailedPrecondition) as err:
        decide(platform, deps, ref)
    assert err.value.state == "professional_opinion"
    refused = decide(
        platform,
        deps,
        ref,
        "refused",
        refusal_ground="professional_opinion",
        reason="a clinician's assessment; the subject's view is added as a note",
    )
    assert (refused.outcome, refused.refusal_ground) == ("refused", "professional_opinion")


def test_a_restriction_blocks_release_except_to_the_provider_until_lifted(
    disclosure_platform, deps
):
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    item_id = provide(disclosure_platform, deps, case_id)
    decide(platform, deps, submit(platform, deps, "restriction", item_id=item_id))
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
        read(deps, uow, item_id, CARER)
    assert any("GDPR art. 18" in r for r in err.value.reasons)
    with platform.uow_factory() as uow:
        assert read(deps, uow, item_id, PROVIDER).released
    decide(platform, deps, submit(platform, deps, "lift_restriction", item_id=item_id))
    with platform.uow_factory() as uow:
        assert read(deps, uow, item_id, CARER).released


def restriction_published(platform, case_id: str) -> list[dict]:
    """The data of what casework and intake are told of the case's restriction
    (``CaseRestrictionChanged`` in the outbox), in the order published."""
    with platform.uow_factory() as uow:
        outbox = uow.tables["outbox"]
        rows = uow.session.execute(
            select(outbox.c.data)
            .where(outbox.c.type == ev.CASE_RESTRICTION_CHANGED, outbox.c.key == case_id)
            .order_by(outbox.c.id)
        ).all()
    return [json.loads(r.data) if isinstance(r.data, str) else r.data for r in rows]


def test_a_case_restriction_and_its_lifting_are_published_for_casework(disclosure_platform, deps):
    """Casework holds the rest of the case (minutes, plan, the subject's section): it learns
    of a granted restriction and its lifting, per case, ids only (GDPR art. 18)."""
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    decide(platform, deps, submit(platform, deps, "restriction", case_id=case_id))
    decide(platform, deps, submit(platform, deps, "lift_restriction", case_id=case_id))
    data = restriction_published(platform, case_id)
    assert [(d["case_id"], d["restricted"]) for d in data] == [(case_id, True), (case_id, False)]
    assert set(data[0]) == {"case_id", "restricted", "subject_request_id", "changed_at"}


def test_a_case_restriction_carried_out_after_a_lifting_is_in_effect_whatever_its_clock(
    disclosure_platform, deps
):
    """Two privacy officers decide at once: a grant and a lifting. The lifting's transaction
    wrote first; the grant, carried out after it on a replica whose clock reads a time before
    the lifting, was answered granted yet changed nothing (it was taken as decided before the
    lifting), so the subject was told of a restriction not in force (GDPR art. 18). The
    grant is now decided after the lifting, under the case's lock: it is in effect, and
    published after the lifting for casework and intake, which apply the newest decision."""
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    item_id = provide(disclosure_platform, deps, case_id)
    grant = submit(platform, deps, "restriction", case_id=case_id)
    lifted = decide(platform, deps, submit(platform, deps, "lift_restriction", case_id=case_id))
    assert lifted.decided_at is not None
    with platform.uow_factory() as uow:
        request = uow.subject_requests.find(grant)
        assert request is not None
        at = effects.carry_out(uow, request, lifted.decided_at - timedelta(seconds=1))
        uow.commit()
    assert at == lifted.decided_at + timedelta(microseconds=1)
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied):
        read(deps, uow, item_id, CARER)
    data = restriction_published(platform, case_id)
    assert [(d["restricted"], datetime.fromisoformat(d["changed_at"])) for d in data] == [
        (False, lifted.decided_at),
        (True, at),
    ]


def test_a_case_restriction_decided_on_a_replica_whose_clock_is_behind_is_decided_after_the_last(
    disclosure_platform, deps
):
    """The decision's time (decided_at, and changed_at of what casework and intake apply) is
    after the case's last restriction decision, whatever the deciding replica's clock says."""
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    restricted = decide(platform, deps, submit(platform, deps, "restriction", case_id=case_id))
    assert restricted.decided_at is not None
    behind = replace(deps, clock=lambda: restricted.decided_at - timedelta(minutes=5))
    lifted = decide(platform, behind, submit(platform, deps, "lift_restriction", case_id=case_id))
    assert lifted.decided_at == restricted.decided_at + timedelta(microseconds=1)
    with platform.uow_factory() as uow:
        facts = uow.cases.find(case_id)
    assert facts is not None and not facts.restricted


def test_an_item_restriction_decided_on_a_replica_whose_clock_is_behind_is_in_effect_after_the_last(
    disclosure_platform, deps
):
    """An item's restriction and its lifting are decided in the order they are carried out
    (under the item's lock), whatever the deciding replica's clock says: a restriction granted
    again after a lifting, on a replica whose clock is behind, was decided (its decided_at)
    before the lifting, so the register ordered them the other way round from the item, and
    retention took the lifting as ending it (GDPR art. 18)."""
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    item_id = provide(disclosure_platform, deps, case_id)
    restricted = decide(platform, deps, submit(platform, deps, "restriction", item_id=item_id))
    assert restricted.decided_at is not None
    behind = replace(deps, clock=lambda: restricted.decided_at - timedelta(minutes=5))
    lifted = decide(platform, behind, submit(platform, deps, "lift_restriction", item_id=item_id))
    assert lifted.decided_at == restricted.decided_at + timedelta(microseconds=1)
    with platform.uow_factory() as uow:
        assert read(deps, uow, item_id, CARER).released
    again = decide(platform, behind, submit(platform, deps, "restriction", item_id=item_id))
    assert again.decided_at == lifted.decided_at + timedelta(microseconds=1)
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied):
        read(deps, uow, item_id, CARER)
    with platform.uow_factory() as uow:
        item = uow.items.find(item_id)
    assert item is not None and item.restricted_at == again.decided_at


def test_a_case_lifting_is_decided_after_its_items_own_restrictions_whatever_its_clock(
    disclosure_platform, deps
):
    """A case's lifting ends its items' own restrictions too: it is decided after the last
    of them (under their rows' locks), so it is not placed before the restriction it ends."""
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    item_id = provide(disclosure_platform, deps, case_id)
    ahead = replace(deps, clock=lambda: datetime.now(timezone.utc) + timedelta(minutes=5))
    restricted = decide(platform, ahead, submit(platform, deps, "restriction", item_id=item_id))
    assert restricted.decided_at is not None
    lifted = decide(platform, deps, submit(platform, deps, "lift_restriction", case_id=case_id))
    assert lifted.decided_at == restricted.decided_at + timedelta(microseconds=1)
    with platform.uow_factory() as uow:
        assert read(deps, uow, item_id, CARER).released


def test_a_case_erasure_decided_on_a_replica_whose_clock_is_behind_is_decided_after_the_lifting(
    disclosure_platform, deps
):
    """A case's erasure waits for a lifting of the case's restriction (the case's lock): it
    is decided after it, its decided_at and the erased_at casework and intake are told,
    whatever the deciding replica's clock says; read before the lock, it was stamped before
    the lifting it waited for."""
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    pseudonym = pseudonym_of(platform, case_id)
    provide(disclosure_platform, deps, case_id)
    decide(platform, deps, submit(platform, deps, "restriction", case_id=case_id))
    lifted = decide(platform, deps, submit(platform, deps, "lift_restriction", case_id=case_id))
    assert lifted.decided_at is not None
    behind = replace(deps, clock=lambda: lifted.decided_at - timedelta(minutes=5))
    erased = decide(platform, behind, submit(platform, deps, "erasure", case_id=case_id))
    assert erased.decided_at == lifted.decided_at + timedelta(microseconds=1)
    with platform.uow_factory() as uow:
        outbox = uow.tables["outbox"]
        rows = uow.session.execute(
            select(outbox.c.data).where(
                outbox.c.type == ev.SUBJECT_ERASED, outbox.c.key == pseudonym
            )
        ).all()
    data = [json.loads(r.data) if isinstance(r.data, str) else r.data for r in rows]
    assert [datetime.fromisoformat(d["erased_at"]) for d in data] == [erased.decided_at]


def test_a_restricted_cases_refusal_to_provide_says_the_case_not_the_id_typed(
    disclosure_platform, deps
):
    """A party with a part is told why it provides nothing for a restricted case (GDPR art.
    18), in words that do not repeat the case id it typed: it knows which case it asked about."""
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    decide(platform, deps, submit(platform, deps, "restriction", case_id=case_id))
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
        items.provide(deps, uow, provide_cmd(case_id), PROVIDER)
    assert any("The case is restricted" in r for r in err.value.reasons)
    assert not any(case_id in r for r in err.value.reasons)
    assert case_id not in str(err.value)


def test_a_restriction_granted_before_the_case_opened_is_told_to_casework_when_it_opens(
    disclosure_platform, deps
):
    """A nomination's restriction, granted before casework opened the case: casework had no
    case to mark then, and the case it opened later showed everything; disclosure states the
    restriction again once the case is opened (GDPR art. 18)."""
    platform, parts = disclosure_platform
    facts = base.nominate(disclosure_platform)
    case_id = facts["case_id"]
    decide(platform, deps, submit(platform, deps, "restriction", case_id=case_id, caller=PROVIDER))
    opened = {**facts, "invitees": [], "process_director_party": GGZ}
    deliver(platform, parts, ev.CASE_OPENED, {**opened, "process_director_person": "pd-1"})
    data = restriction_published(platform, case_id)
    assert [(d["case_id"], d["restricted"]) for d in data] == [(case_id, True), (case_id, True)]
    # Stated again with the time it was granted, not the time it was restated: a lifting the
    # controller decided before the restatement was written must not look older than it to
    # casework, which applies the newest decision (GDPR art. 18(3)).
    assert data[1]["changed_at"] == data[0]["changed_at"]


def test_objection_and_complaint_are_routed_and_answered_with_reasons(disclosure_platform, deps):
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    item_id = provide(disclosure_platform, deps, case_id)
    objection = submit(platform, deps, "objection", item_id=item_id)
    complaint = submit(platform, deps, "complaint", case_id=case_id, controller=GGZ)
    with platform.uow_factory() as uow:
        listed = subject_rights.list_subject_requests(
            deps, uow, c.ListSubjectRequests(kind="objection"), GGZ_OFFICER
        )
        assert objection in {r.subject_request_id for r in listed}
        assert all(r.kind == "objection" for r in listed)
        assert objection not in {
            r.subject_request_id
            for r in subject_rights.list_subject_requests(
                deps, uow, c.ListSubjectRequests(), OFFICER
            )
        }
    with pytest.raises(InvalidArgument) as err:
        decide(platform, deps, objection, "granted")
    assert [f for f, _ in err.value.violations] == ["reason"]
    answered = decide(platform, deps, objection, "refused", reason="the care plan needs it")
    assert (answered.outcome, answered.reason) == ("refused", "the care plan needs it")
    upheld = decide(platform, deps, complaint, "granted", reason="the worker was reminded")
    assert upheld.outcome == "granted"


def test_the_month_is_tracked_and_overdue_requests_are_listed(disclosure_platform, deps):
    platform, _ = disclosure_platform
    item_id = provide(disclosure_platform, deps, open_case(disclosure_platform))
    late = submit(platform, deps, "erasure", item_id=item_id)
    fresh = submit(platform, deps, "restriction", item_id=item_id)
    past = datetime.now(timezone.utc) - timedelta(days=40)
    with platform.uow_factory() as uow:
        uow.session.execute(
            update(subject_requests)
            .where(subject_requests.c.subject_request_id == late)
            .values(submitted_at=past, due_at=one_month_after(past))
        )
        uow.commit()
    with platform.uow_factory() as uow:
        overdue = subject_rights.list_subject_requests(
            deps, uow, c.ListSubjectRequests(overdue_only=True), GGZ_OFFICER
        )
    ids = {r.subject_request_id for r in overdue}
    assert late in ids and fresh not in ids


def test_one_month_is_a_calendar_month():
    t = datetime(2027, 1, 31, 9, 0, tzinfo=timezone.utc)
    assert one_month_after(t) == datetime(2027, 2, 28, 9, 0, tzinfo=timezone.utc)
    assert one_month_after(datetime(2026, 12, 2, tzinfo=timezone.utc)).month == 1


def test_a_repeated_request_id_does_not_release_what_was_restricted_since(
    disclosure_platform, deps
):
    platform, _ = disclosure_platform
    item_id = provide(disclosure_platform, deps, open_case(disclosure_platform))
    same = dict(request_id=f"req-{item_id}", request_digest="digest-1")
    with platform.uow_factory() as uow:
        assert read(deps, uow, item_id, CARER, **same).released
    with platform.uow_factory() as uow:
        assert read(deps, uow, item_id, CARER, **same).released  # decided again: released
    decide(platform, deps, submit(platform, deps, "restriction", item_id=item_id))
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
        read(deps, uow, item_id, CARER, **same)  # decided again: refused
    assert any("restriction" in r for r in err.value.reasons)


def test_a_complaint_addressed_to_a_party_without_a_part_does_not_make_it_a_controller(
    disclosure_platform, deps
):
    """Bijlage 3: an objection or complaint goes to the FG of a party that processes what it is
    about. Naming FARENT (no part in the case) is refused; unnamed, a complaint goes to the
    submitter's party (it has a part); and FARENT's privacy officer gets no export of the subject's data
    (its consents, the withheld index)."""
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    item_id = provide(disclosure_platform, deps, case_id)
    with platform.uow_factory() as uow:
        read(deps, uow, item_id, CARER)
    pseudonym = pseudonym_of(platform, case_id)
    for scope in ({"case_id": case_id}, {"item_id": item_id}, {}):
        with pytest.raises(InvalidArgument) as err:
            submit(
                platform, deps, "complaint", subject_pseudonym=pseudonym, controller=FARENT, **scope
            )
        assert [f for f, _ in err.value.violations] == ["controller"]
    ref = submit(platform, deps, "complaint", subject_pseudonym=pseudonym, case_id=case_id)
    with platform.uow_factory() as uow:
        request = uow.subject_requests.find(ref)
    # Unnamed: the submitter's party, which processes the case's data (it has a part in it).
    assert request is not None and request.controller == CARER.party
    for by, value in (("subject_pseudonym", pseudonym), ("case_id", case_id)):
        with pytest.raises(PermissionDenied):
            export(platform, deps, by, value, FARENT_OFFICER)
    # A party that received the item processes it: it may be addressed.
    assert submit(platform, deps, "objection", item_id=item_id, controller=CARER.party)


def test_a_party_without_a_part_learns_nothing_from_submitting_a_subject_request(
    disclosure_platform, deps
):
    """Bijlage 3, 8.4c: only a party with a part in the case passes a subject's request about
    it on. FARENT is refused with the same words whether the case or item exists or not and
    whichever controller it names: no oracle of a case, its nominator or an item's provider."""
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    item_id = provide(disclosure_platform, deps, case_id)
    pseudonym = pseudonym_of(platform, case_id)
    asked = [
        {"case_id": case_id},
        {"case_id": "case-doesnotexist"},
        {"case_id": case_id, "controller": GGZ},
        {"case_id": case_id, "controller": FARENT},
        {"item_id": item_id, "controller": GGZ},
        {"item_id": "itm-" + "0" * 32},
        {"subject_pseudonym": pseudonym},
        {"subject_pseudonym": "psn-nobody"},
    ]
    answers = set()
    for scope in asked:
        with pytest.raises(PermissionDenied) as err:
            submit(platform, deps, "restriction", caller=FARENT_WORKER, **scope)
        answers.add(tuple(err.value.reasons))
    assert len(answers) == 1 and any("Bijlage 3, art. 8.4c" in r for r in answers.pop())
    with platform.uow_factory() as uow:
        assert uow.subject_requests.of_subject(pseudonym) == []


def test_a_request_addressed_to_a_party_gives_it_no_export_of_the_subjects_data(
    disclosure_platform, deps
):
    """A request stored as addressed to FARENT (as one could be before complaints were checked)
    does not make FARENT a controller of the case's data (Bijlage 3): its privacy officer is
    refused the export; the controllers' own officers are not."""
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    provide(disclosure_platform, deps, case_id)
    pseudonym = pseudonym_of(platform, case_id)
    with platform.uow_factory() as uow:
        uow.subject_requests.add(
            SubjectRequest(
                subject_request_id=f"sr-{uuid.uuid4().hex}",
                kind="complaint",
                subject_pseudonym=pseudonym,
                case_id=case_id,
                item_id=None,
                document_ref="doc:r/1",
                submitted_by_party=FARENT,
                submitted_at=datetime.now(timezone.utc),
                controller=FARENT,
            ).with_due()
        )
        uow.commit()
    with pytest.raises(PermissionDenied):
        export(platform, deps, "subject_pseudonym", pseudonym, FARENT_OFFICER)
    assert case_id in export(platform, deps, "case_id", case_id, GGZ_OFFICER).case_ids


def test_a_request_names_the_subject_of_the_case_or_item_it_is_about(disclosure_platform, deps):
    """GDPR art. 17, 18: granting an erasure of case A on a request by the subject of case B
    would erase the wrong person's data: a request whose pseudonym is not its case's (or its
    item's case's) subject is refused, naming the field."""
    platform, _ = disclosure_platform
    case_a, case_b = open_case(disclosure_platform), open_case(disclosure_platform)
    item_a = provide(disclosure_platform, deps, case_a)
    other = pseudonym_of(platform, case_b)
    for scope in ({"case_id": case_a}, {"item_id": item_a}):
        with pytest.raises(InvalidArgument) as err:
            submit(platform, deps, "erasure", subject_pseudonym=other, **scope)
        assert [f for f, _ in err.value.violations] == ["subject_pseudonym"]
    assert submit(platform, deps, "erasure", case_id=case_a)  # its own subject


def test_an_export_of_a_case_names_nothing_of_another_case_of_the_subject(
    disclosure_platform, deps
):
    """The subject has a second case in which only ASTEN has a part (it nominated, directs,
    provided and read an item). GGZ's officer, exporting the first case, is told nothing of
    the second: not its id nor who looked into it, not even as a withheld line (8.4c: parties
    not involved see nothing of a case, also not through an access log)."""
    platform, parts = disclosure_platform
    case_a = open_case(disclosure_platform)
    provide(disclosure_platform, deps, case_a)
    case_b = f"case-{uuid.uuid4().hex[:12]}"
    asten = Caller(base.ASTEN, "w-asten", "caseworker", party_status="active")
    facts = {
        "case_id": case_b,
        "subject_pseudonym": pseudonym_of(platform, case_a),
        "nominating_party": base.ASTEN,
        "age_band": "16_plus",
    }
    deliver(platform, parts, ev.CASE_NOMINATED, {**facts, "nominated_at": "2026-12-02T10:00:00Z"})
    deliver(
        platform,
        parts,
        ev.CASE_OPENED,
        {
            **facts,
            "invitees": [base.ASTEN],
            "process_director_party": base.ASTEN,
            "process_director_person": "pd-asten",
        },
    )
    roles = {base.ASTEN: {"role": "municipality", "information_need": ["health"]}}
    deliver(platform, parts, ev.ROLES_SET, {"case_id": case_b, "roles": roles})
    base.name_delegate(disclosure_platform, case_b, asten)
    with platform.uow_factory() as uow:
        item_b = items.provide(deps, uow, provide_cmd(case_b), asten)
        uow.commit()
    with platform.uow_factory() as uow:
        assert read(deps, uow, item_b, asten).released  # logged: a look into case B
    reply = export(platform, deps, "case_id", case_a, GGZ_OFFICER)
    named = {w.case_id for w in reply.withheld} | {
        r.case_id for s in reply.sections for r in s.records
    }
    assert case_b not in named and base.ASTEN not in repr(reply)
    # ASTEN's own officer, by its case, sees its case's look.
    own = export(
        platform,
        deps,
        "case_id",
        case_b,
        Caller(base.ASTEN, "fg-a", "privacy_officer", party_status="active"),
    )
    assert case_b in {r.case_id for s in own.sections for r in s.records}


def test_each_controllers_officer_gets_only_the_consents_its_party_answers_for(
    disclosure_platform, deps
):
    """GDPR art. 15, art. 15.1, 16.2: a consent record is its recorder's processing. CELLO
    received GGZ's item and recorded the subject's consent; GGZ nominated the case and gave its
    written consent (9.2) for its own item; CELLO gave one for the item it provided. Each
    officer gets the consents its party recorded (GGZ, the case's nominating party, also the
    subject's consent for the case, 12.3); another provider's written consent is listed as
    withheld with the ground, never given."""
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    ggz_item = provide(disclosure_platform, deps, case_id)
    third = "00000099000000000099"
    with platform.uow_factory() as uow:
        read(deps, uow, ggz_item, CARER)  # CELLO received GGZ's item
        cello_item = items.provide(deps, uow, provide_cmd(case_id), CARER)
        uow.commit()
    with platform.uow_factory() as uow:
        ggz_written = consents.record_provider_consent(
            deps, uow, c.RecordProviderConsent(ggz_item, third, "doc:9.2/ggz"), PROVIDER
        )
        cello_written = consents.record_provider_consent(
            deps, uow, c.RecordProviderConsent(cello_item, third, "doc:9.2/cello"), CARER
        )
        subjects = consents.record_subject_consent(
            deps,
            uow,
            c.RecordSubjectConsent(case_id, "subject", ("health",), "doc:consent/1"),
            CARER,
        )
        uow.commit()

    def seen(officer: Caller) -> tuple[set[str], set[str]]:
        given = export(platform, deps, "case_id", case_id, officer)
        shown = {r.record_id for s in given.sections if s.name == "consents" for r in s.records}
        return shown, {w.record_id for w in given.withheld if w.section == "consents"}

    assert seen(OFFICER) == ({subjects, cello_written}, {ggz_written})
    assert seen(GGZ_OFFICER) == ({subjects, ggz_written}, {cello_written})


def purge(disclosure_platform, case_id: str) -> None:
    """CASE_PURGED as the kernel's consumer applies it: the handler, then the kernel forgets
    the case id, in one transaction (kernel/consumer.py, kernel/purge.py)."""
    platform, parts = disclosure_platform
    handler = next(h[ev.CASE_PURGED] for h in parts.consumes.values() if ev.CASE_PURGED in h)
    event = InboundEvent(
        id=str(uuid.uuid4()),
        type=ev.CASE_PURGED,
        source="/test",
        time=None,
        subject=None,
        data={"case_id": case_id},
        payload=ev.parse(ev.CASE_PURGED, {"case_id": case_id}),
    )
    with platform.uow_factory() as uow:
        handler(uow, event)
        forget_case(uow.session, uow.tables, case_id)
        uow.commit()


@pytest.mark.parametrize("kind", ["restriction", "lift_restriction", "erasure"])
def test_a_request_about_a_purged_case_is_refused_and_changes_no_other_case(
    disclosure_platform, deps, kind
):
    """A request naming a case already purged (1.2), or an item of it, is refused as one
    naming a case disclosure never knew (no oracle), and nothing is stored: kept without its
    case it would read as a request about everything of the subject, and granted, lift (or
    restrict, or erase) every other case of the subject (GDPR art. 17, 18)."""
    platform, _ = disclosure_platform
    other = open_case(disclosure_platform)
    pseudonym = pseudonym_of(platform, other)
    other_item = provide(disclosure_platform, deps, other)
    decide(platform, deps, submit(platform, deps, "restriction", case_id=other))
    purged = open_case(disclosure_platform, subject_pseudonym=pseudonym)
    purged_item = provide(disclosure_platform, deps, purged)
    purge(disclosure_platform, purged)
    with platform.uow_factory() as uow:
        requests = uow.subject_requests.of_subject(pseudonym)
    published = restriction_published(platform, other)
    for caller in (CARER, PROVIDER, base.DIRECTOR):
        told = set()
        for scope in (
            {"case_id": purged},
            {"item_id": purged_item},
            {"case_id": f"case-{uuid.uuid4().hex[:12]}"},  # never known here
        ):
            with pytest.raises(PermissionDenied) as err:
                submit(platform, deps, kind, caller, subject_pseudonym=pseudonym, **scope)
            told.add(tuple(err.value.reasons))
        assert len(told) == 1, caller
    with platform.uow_factory() as uow:
        assert uow.subject_requests.of_subject(pseudonym) == requests  # nothing stored
        case = uow.cases.find(other)
        assert case is not None and case.restricted  # still restricted, not lifted
        assert uow.items.get(other_item).readable  # nor erased
    assert restriction_published(platform, other) == published


@pytest.mark.parametrize("kind", ["restriction", "lift_restriction", "erasure"])
@pytest.mark.parametrize("about", ["case", "item"])
def test_a_request_whose_case_is_purged_before_its_decision_changes_no_other_case(
    disclosure_platform, deps, kind, about
):
    """A request about a case (or an item of it) still undecided when the case is purged is
    kept unlinked (``unlink_case``: no case, no item, no document reference). It is about what
    the purge took, not about everything of the subject: granted, it changes nothing left
    (the purge took it all), and never lifts, restricts or erases the subject's other cases
    (GDPR art. 17, 18)."""
    platform, _ = disclosure_platform
    other = open_case(disclosure_platform)
    pseudonym = pseudonym_of(platform, other)
    other_item = provide(disclosure_platform, deps, other)
    decide(platform, deps, submit(platform, deps, "restriction", case_id=other))
    purged = open_case(disclosure_platform, subject_pseudonym=pseudonym)
    purged_item = provide(disclosure_platform, deps, purged)
    scope = {"case_id": purged} if about == "case" else {"item_id": purged_item}
    ref = submit(platform, deps, kind, **scope)
    purge(disclosure_platform, purged)
    published = restriction_published(platform, other)
    decided = decide(platform, deps, ref)
    assert (decided.outcome, decided.case_id, decided.item_id) == ("granted", None, None)
    with platform.uow_factory() as uow:
        case = uow.cases.find(other)
        assert case is not None and case.restricted  # not lifted
        assert uow.items.get(other_item).readable  # not erased
        outbox = uow.tables["outbox"]
        erased = uow.session.execute(
            select(outbox.c.id).where(outbox.c.type == ev.SUBJECT_ERASED, outbox.c.key == pseudonym)
        ).all()
    assert restriction_published(platform, other) == published
    assert erased == []  # casework and intake are told of no erasure of the other case


@pytest.mark.parametrize("about", ["case", "item"])
def test_a_restriction_that_held_its_cases_purge_can_still_be_lifted_and_the_case_then_goes(
    disclosure_platform, deps, about
):
    """GDPR art. 18: casework purged a case while the subject's restriction of an item of it
    (or of the case, not yet learnt there) held; disclosure keeps what is restricted until the
    lifting (``on_case_purged``). The lifting, named by the item or the case, was refused as a
    request about a case disclosure never knew (its id is forgotten at the purge), so what
    was held stayed for ever. Now a held case's request is taken, granted it lifts, and the
    first retention tick then purges the case."""
    platform, parts = disclosure_platform
    case_id = open_case(disclosure_platform)
    item_id = provide(disclosure_platform, deps, case_id)
    scope = {"case_id": case_id} if about == "case" else {"item_id": item_id}
    decide(platform, deps, submit(platform, deps, "restriction", **scope))
    purge(disclosure_platform, case_id)
    with platform.uow_factory() as uow:
        assert uow.items.find(item_id) is not None  # held
    decide(platform, deps, submit(platform, deps, "lift_restriction", **scope))
    task = next(t for t in parts.retention if t.name == "purge_held_by_a_restriction")
    assert case_id in task.due(None, datetime.now(timezone.utc))
    assert task.apply(case_id, None, datetime.now(timezone.utc)) is True
    with platform.uow_factory() as uow:
        assert uow.items.find(item_id) is None and not uow.cases.known(case_id)


class _AllowingSubmissions(PolicyGate):
    """The control policy, but every subject request's submission allowed: a double, here
    only, that lets a submission past the policy's refusal to show the handler refuses it
    too (fail closed in depth)."""

    def decide(self, policy, facts):
        decision = super().decide(policy, facts)
        if facts.get("operation") != "submit_subject_request":
            return decision
        return replace(decision, allow=True, reasons=())


@pytest.mark.parametrize("kind", ["restriction", "lift_restriction", "erasure", "objection"])
@pytest.mark.parametrize("about", ["case", "item"])
def test_a_request_about_a_case_marked_purged_is_refused_though_its_facts_are_left(
    disclosure_platform, deps, kind, about
):
    """Should a case's purge mark ever come before its facts go (here: ``forget_case`` alone),
    a party with a part in it passes the policy, yet a request naming the case or an item of
    it is refused all the same, with the words of a case disclosure never knew (no oracle),
    and nothing is stored: kept without its case and item but with its document reference it
    would read as a request about everything of the subject, and granted act on every other
    case of it (GDPR art. 17, 18). With a policy that allowed it, it is refused as what
    ``controller_of`` answers of a case never known (FAILED_PRECONDITION case_not_known)."""
    platform, _ = disclosure_platform
    pseudonym = pseudonym_of(platform, open_case(disclosure_platform))
    purged = open_case(disclosure_platform, subject_pseudonym=pseudonym)
    purged_item = provide(disclosure_platform, deps, purged)
    with platform.uow_factory() as uow:
        forget_case(uow.session, uow.tables, purged)  # the mark only: the case's facts stay
        uow.commit()
    with platform.uow_factory() as uow:
        requests = uow.subject_requests.of_subject(pseudonym)
    scope = {"case_id": purged} if about == "case" else {"item_id": purged_item}
    never = {"case_id": f"case-{uuid.uuid4().hex[:12]}"}  # never known here
    for caller in (CARER, PROVIDER):
        told = set()
        for named in (scope, never):
            with pytest.raises(PermissionDenied) as err:
                submit(platform, deps, kind, caller, subject_pseudonym=pseudonym, **named)
            told.add(tuple(err.value.reasons))
        assert len(told) == 1, caller
    allowing = replace(deps, policy=_AllowingSubmissions(deps.policy.engine))
    answers = set()
    for named in (scope, never):
        with pytest.raises(FailedPrecondition) as refused:
            submit(platform, allowing, kind, CARER, subject_pseudonym=pseudonym, **named)
        answers.add((refused.value.state, str(refused.value)))
    assert [state for state, _ in answers] == ["case_not_known"]
    with platform.uow_factory() as uow:
        assert uow.subject_requests.of_subject(pseudonym) == requests  # nothing stored


@pytest.mark.parametrize(
    "kind", ["restriction", "lift_restriction", "erasure", "correction", "objection"]
)
def test_a_request_naming_an_item_not_held_is_refused_and_acts_on_no_other_item(
    disclosure_platform, deps, kind
):
    """A request naming an item disclosure does not hold (never provided here, or gone with
    its case's purge), alone or with a case, tells a party no more than one naming another
    case's real item (the same refusal: no oracle), and should the policy allow it (a double,
    here only), it is refused as an item not known (FAILED_PRECONDITION item_not_known, the
    same words whichever case is named) and nothing is stored: kept, it was granted as if
    carried out while nothing was, and a restriction of it without a case was read by
    retention as one of everything of the subject, kept until a subject-wide lifting."""
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    pseudonym = pseudonym_of(platform, case_id)
    real = provide(disclosure_platform, deps, case_id)
    elsewhere = provide(disclosure_platform, deps, open_case(disclosure_platform))
    ghost = "itm-" + uuid.uuid4().hex
    with platform.uow_factory() as uow:
        requests = uow.subject_requests.of_subject(pseudonym)
    told = set()
    for item_id in (ghost, real, elsewhere):  # a party with no part in either case
        with pytest.raises(PermissionDenied) as err:
            submit(
                platform, deps, kind, FARENT_WORKER, subject_pseudonym=pseudonym, item_id=item_id
            )
        told.add(tuple(err.value.reasons))
    assert len(told) == 1
    allowing = replace(deps, policy=_AllowingSubmissions(deps.policy.engine))
    answers = set()
    for named in ({"item_id": ghost}, {"item_id": ghost, "case_id": case_id}):
        with pytest.raises(FailedPrecondition) as refused:
            submit(platform, allowing, kind, CARER, subject_pseudonym=pseudonym, **named)
        answers.add((refused.value.state, str(refused.value)))
    assert [state for state, _ in answers] == ["item_not_known"]
    assert all(ghost not in text and case_id not in text for _, text in answers)
    with platform.uow_factory() as uow:
        assert uow.subject_requests.of_subject(pseudonym) == requests  # nothing stored
        assert uow.items.get(real).readable and uow.items.get(real).restricted_at is None


def open_case_nominated_by(disclosure_platform, subject_pseudonym: str, party: str) -> str:
    """A case of ``subject_pseudonym`` that ``party`` nominated (another controller, art.
    12.3), GGZ invited, both delegates named, as ``open_case`` opens GGZ's."""
    platform, parts = disclosure_platform
    facts = base.nominate(disclosure_platform, subject_pseudonym=subject_pseudonym, party=party)
    case_id = facts["case_id"]
    opened = {
        **facts,
        "invitees": [GGZ],
        "process_director_party": GGZ,
        "process_director_person": base.DIRECTOR.person,
    }
    deliver(platform, parts, ev.CASE_OPENED, opened)
    roles = {
        base.CELLO: {"role": "care_provider", "information_need": ["health"]},
        GGZ: {"role": "mental_health", "information_need": ["health"]},
    }
    deliver(platform, parts, ev.ROLES_SET, {"case_id": case_id, "roles": roles})
    for delegate in (PROVIDER, CARER):
        base.name_delegate(disclosure_platform, case_id, delegate)
    return case_id


@pytest.mark.parametrize("kind", ["restriction", "lift_restriction", "erasure"])
def test_a_subject_wide_request_decided_after_another_party_nominated_a_case_leaves_that_case(
    disclosure_platform, deps, kind
):
    """A request about everything held of a subject is addressed to the one party that
    nominated the subject's cases when it is made (art. 12.3; several are refused then). A
    case another party nominates before it is decided is that party's to decide on (Bijlage 3:
    no privacy officer decides over another controller's data): granted, the request restricts,
    lifts or erases its controller's cases only, and the other case keeps its restriction,
    its items and what casework and intake were told of it (GDPR art. 17, 18)."""
    platform, _ = disclosure_platform
    own = open_case(disclosure_platform)
    pseudonym = pseudonym_of(platform, own)
    own_item = provide(disclosure_platform, deps, own)
    ref = submit(platform, deps, kind, subject_pseudonym=pseudonym)
    other = open_case_nominated_by(disclosure_platform, pseudonym, base.CELLO)
    other_item = provide(disclosure_platform, deps, other)
    # Restricted by its own controller's officer (CELLO's), on a request about that case.
    decide(platform, deps, submit(platform, deps, "restriction", case_id=other), caller=OFFICER)
    published = restriction_published(platform, other)
    assert decide(platform, deps, ref).outcome == "granted"  # by GGZ's officer
    with platform.uow_factory() as uow:
        case, mine = uow.cases.find(other), uow.cases.find(own)
        assert case is not None and case.restricted  # not lifted
        assert uow.items.get(other_item).readable  # not erased
        assert mine is not None
        assert mine.restricted == (kind == "restriction")
        assert uow.items.get(own_item).readable == (kind != "erasure")
        outbox = uow.tables["outbox"]
        erased = [
            json.loads(row.data) if isinstance(row.data, str) else row.data
            for row in uow.session.execute(
                select(outbox.c.data).where(
                    outbox.c.type == ev.SUBJECT_ERASED, outbox.c.key == pseudonym
                )
            ).all()
        ]
    assert restriction_published(platform, other) == published
    assert [e["case_ids"] for e in erased] == ([[own]] if kind == "erasure" else [])


def test_a_subject_wide_restriction_restricts_each_case_at_its_decision_time(
    disclosure_platform, deps
):
    """Each case a restriction of everything held of the subject restricts is restricted at
    the request's decision time: retention keeps the request while a case is restricted by it
    (or before it), so a case lifted on its own, or restricted again later, no longer holds
    it (``SubjectRequestRepository._restricts_a_case``)."""
    platform, _ = disclosure_platform
    first = open_case(disclosure_platform)
    pseudonym = pseudonym_of(platform, first)
    second = open_case(disclosure_platform, subject_pseudonym=pseudonym)
    decided = decide(
        platform, deps, submit(platform, deps, "restriction", subject_pseudonym=pseudonym)
    )
    with platform.uow_factory() as uow:
        assert [uow.cases.restricted_since(c) for c in (first, second)] == [decided.decided_at] * 2


@pytest.mark.parametrize("kind", ["restriction", "erasure"])
@pytest.mark.parametrize("about", ["case", "item"])
def test_a_request_whose_case_is_another_subjects_by_its_decision_changes_nothing_of_it(
    disclosure_platform, deps, kind, about
):
    """A request is the subject's (``_same_subject``, on submission). Should the case it is
    about be told as another subject's before it is decided (a fact about the case with
    another pseudonym: here CASE_OPENED again), it is no longer that subject's data: granted,
    the request restricts or erases nothing of it (GDPR art. 17, 18: the wrong person's data),
    and casework and intake are told of nothing."""
    platform, parts = disclosure_platform
    case_id = open_case(disclosure_platform)
    pseudonym = pseudonym_of(platform, case_id)
    item_id = provide(disclosure_platform, deps, case_id)
    scope = {"case_id": case_id} if about == "case" else {"item_id": item_id}
    ref = submit(platform, deps, kind, **scope)
    other = f"psn-{uuid.uuid4().hex[:8]}"
    opened = {
        "case_id": case_id,
        "subject_pseudonym": other,
        "nominating_party": GGZ,
        "age_band": "16_plus",
        "invitees": [base.CELLO],
        "process_director_party": GGZ,
        "process_director_person": base.DIRECTOR.person,
    }
    deliver(platform, parts, ev.CASE_OPENED, opened)
    assert pseudonym_of(platform, case_id) == other
    published = restriction_published(platform, case_id)
    assert decide(platform, deps, ref).outcome == "granted"
    with platform.uow_factory() as uow:
        case, item = uow.cases.find(case_id), uow.items.get(item_id)
        assert case is not None and not case.restricted and not case.erased
        assert item.readable and item.restricted_at is None
        outbox = uow.tables["outbox"]
        erased = uow.session.execute(
            select(outbox.c.id)
            .where(outbox.c.type == ev.SUBJECT_ERASED)
            .where(outbox.c.key.in_([pseudonym, other]))
        ).all()
    assert restriction_published(platform, case_id) == published
    assert erased == []


def test_a_correction_of_an_item_erased_before_its_decision_asks_the_provider_for_nothing(
    disclosure_platform, deps
):
    """A correction and an erasure of one item, the erasure granted first: nothing of the
    item's content is left to correct. Granted, the correction asked its provider for a
    corrected version (an open notice, ListCorrectionNotices) and let it provide one, content
    the subject had erased brought back as a new version (GDPR art. 16, 17). Now it is
    granted with nothing to supersede, no notice is open, and a version superseding the
    erased item is refused (FAILED_PRECONDITION item_erased); the case takes new items."""
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    old = provide(disclosure_platform, deps, case_id)
    correction = submit(platform, deps, "correction", item_id=old)
    decide(platform, deps, submit(platform, deps, "erasure", item_id=old))
    assert decide(platform, deps, correction).outcome == "granted"
    with platform.uow_factory() as uow:
        notices = subject_rights.list_correction_notices(
            deps, uow, c.ListCorrectionNotices(), GGZ_OFFICER
        )
        assert [n for n in notices if n.item_id == old] == []
        assert uow.items.get(old).superseded_at is None
    again = replace(provide_cmd(case_id), supersedes=old)
    with platform.uow_factory() as uow, pytest.raises(FailedPrecondition) as refused:
        items.provide(deps, uow, again, PROVIDER)
    assert refused.value.state == "item_erased"
    assert old not in str(refused.value)
    assert provide(disclosure_platform, deps, case_id)  # a new item, not a version of it


def test_disclosures_part_tells_an_officer_of_no_controller_nothing_of_whether_it_is_held(
    disclosure_platform, deps
):
    """Need to know (8.4c): that disclosure holds data about a person is that person's data.
    FARENT's privacy officer, no controller of the case, is refused its export by case id or
    pseudonym in the same words as for a case id or pseudonym of nothing held, which name
    neither the case, the subject nor a controller; the provider's officer still gets it."""
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    provide(disclosure_platform, deps, case_id)
    pseudonym = pseudonym_of(platform, case_id)
    refusals = []
    for by, value in (
        ("case_id", case_id),
        ("case_id", f"case-{uuid.uuid4().hex[:12]}"),
        ("subject_pseudonym", pseudonym),
        ("subject_pseudonym", f"psn-{uuid.uuid4().hex}"),
    ):
        with pytest.raises(PermissionDenied) as refused:
            export(platform, deps, by, value, FARENT_OFFICER)
        refusals.append(refused.value.reasons)
    assert all(r == refusals[0] for r in refusals), refusals
    assert f"nothing held for party {FARENT} as controller" in " ".join(refusals[0])
    assert GGZ_OFFICER.party not in repr(refusals) and case_id not in repr(refusals)
    assert case_id in export(platform, deps, "case_id", case_id, GGZ_OFFICER).case_ids


def test_disclosures_subject_rpcs_by_pseudonym_tell_an_officer_of_no_controller_nothing_either(
    disclosure_platform, deps
):
    """The same oracle checked on disclosure's other subject RPCs by pseudonym (8.4c): to
    FARENT's privacy officer, with no part in the subject's case, the access report of a
    subject held and of a pseudonym of none is refused in the same words, and the listing of
    subject requests is empty for both, though a request about the subject is held."""
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    provide(disclosure_platform, deps, case_id)
    pseudonym = pseudonym_of(platform, case_id)
    submit(platform, deps, "objection", case_id=case_id)
    refusals, listed = [], []
    for value in (pseudonym, f"psn-{uuid.uuid4().hex}"):
        with platform.uow_factory() as uow:
            with pytest.raises(PermissionDenied) as refused:
                subject_rights.subject_access_report(
                    deps, uow, c.SubjectAccessReport(value), FARENT_OFFICER
                )
            refusals.append(refused.value.reasons)
            listed.append(
                subject_rights.list_subject_requests(
                    deps, uow, c.ListSubjectRequests(subject_pseudonym=value), FARENT_OFFICER
                )
            )
    assert refusals[0] == refusals[1] and listed == [[], []]
    assert pseudonym not in repr(refusals) and case_id not in repr(refusals)


# -- a replayed request after the case's erasure or purge (nothing twice) ------------------------
def test_an_item_provided_again_by_a_replay_after_the_case_was_erased_is_refused_as_erased(
    disclosure_platform, deps
):
    """The stored answer of Provide goes with the erased case (GDPR art. 17); the request id
    stays recognised, so a partner's late retry is FAILED_PRECONDITION request_erased, never
    carried out again on what is left, and a colleague's replay with other content too."""
    from tests.handlers.disclosure_pages import servicer
    from zorgtafel.generated.common.v1 import common_pb2
    from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
    from zorgtafel.testing.statements import call

    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    rpcs = servicer(platform)
    request = pb.ProvideRequest(
        request_id=f"req-{uuid.uuid4()}",
        case_id=case_id,
        category="health",
        classification=pb.CLASSIFICATION_CONFIDENTIAL,
        legal_basis=pb.LEGAL_BASIS_PUBLIC_TASK,
        content_type="application/json",
        content=json.dumps(CONTENT).encode(),
        terms=common_pb2.UsageTerms(purposes=["care_coordination"]),
    )
    first = call(rpcs.Provide, request, PROVIDER)
    assert call(rpcs.Provide, request, PROVIDER) == first  # the stored answer
    decide(platform, deps, submit(platform, deps, "erasure", case_id=case_id))
    with pytest.raises(FailedPrecondition) as refused:
        call(rpcs.Provide, request, PROVIDER)
    assert refused.value.state == "request_erased"
    assert case_id not in str(refused.value) and first.item_id not in str(refused.value)
    request.category = "safety"
    with pytest.raises(FailedPrecondition) as again:
        call(rpcs.Provide, request, Caller(PROVIDER.party, "colleague-9", PROVIDER.role, "active"))
    assert again.value.state == "request_erased"
    with platform.uow_factory() as uow:
        kept = repr(uow.session.execute(select(uow.tables["purged_requests"])).all())
    assert case_id not in kept and request.request_id not in kept


def test_a_disclosure_request_replayed_after_the_case_was_purged_is_refused_as_purged(
    disclosure_platform, deps
):
    """RequestDisclosure's claim of its id goes with the purged case (1.2); a repeat is then
    refused, request_purged, not decided afresh on a case that is gone."""
    from zorgtafel.kernel.purge import forget_case as forget

    platform, parts = disclosure_platform
    case_id = open_case(disclosure_platform)
    item_id = provide(disclosure_platform, deps, case_id)
    same = dict(request_id=f"req-{uuid.uuid4().hex}", request_digest=f"d-{uuid.uuid4().hex}")
    with platform.uow_factory() as uow:
        read(deps, uow, item_id, CARER, **same)
        uow.commit()
    deliver(platform, parts, ev.CASE_PURGED, {"case_id": case_id})
    with platform.uow_factory() as uow:  # the kernel's consumer forgets the id after the handler
        forget(uow.session, uow.tables, case_id)
        uow.commit()
    with platform.uow_factory() as uow, pytest.raises(FailedPrecondition) as refused:
        read(deps, uow, item_id, CARER, **same)
    assert refused.value.state == "request_purged"


@pytest.mark.parametrize(
    "reason",
    ["granted \u202egnirongi", "granted\x00", "g" * 2001],
    ids=["bidi_override", "control_character", "too_long"],
)
def test_a_granted_decisions_reason_is_checked_as_free_text_naming_the_field(
    disclosure_platform, deps, reason
):
    """A granted decision's reason (optional) is stored and answered like a refusal's: a
    bidi override, a control character or a text over the limit is refused naming
    ``reason``, never cut to length or stored unchecked; nothing of the decision is kept."""
    platform, _ = disclosure_platform
    item_id = provide(disclosure_platform, deps, open_case(disclosure_platform))
    ref = submit(platform, deps, "restriction", item_id=item_id)
    with pytest.raises(InvalidArgument) as err:
        decide(platform, deps, ref, reason=reason)
    assert [f for f, _ in err.value.violations] == ["reason"]
    assert decide(platform, deps, ref, reason="  granted as asked ").reason == "granted as asked"

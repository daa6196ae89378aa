"""Issue #14 over real gRPC and a real broker, on SQLite and PostgreSQL: a closed case's items
go to no one but their provider; subject requests decided by the controller's privacy officer
take effect - a case-level erasure leaves nothing readable, a correction supersedes (the old
content never released again, the provider told), a restriction blocks a release until a later
decision lifts it, objections and complaints are routed and answered, overdue requests listed.
Hostile tries: another party's officer deciding, a provider that is not the item's, a replayed
decision, a restricted item by break-glass or pre-read."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone

import grpc
import pytest
from sqlalchemy import LargeBinary, select, update

from tests.integration.disclosure.conftest import (
    ASTEN,
    CELLO,
    GGZ,
    denial,
    field_violations,
    provide,
    reasons_of,
    request,
    terms,
)
from zorgtafel.contracts import events as ev
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.testing import rid, wait_for

pytestmark = pytest.mark.integration

OFFICER = (GGZ, "privacy_officer", "fg-1")  # the controller's: GGZ provides and nominates
OTHER_OFFICER = (CELLO, "privacy_officer", "fg-2")
MARKER = "uniek-merkteken-"


def submit(env, kind, *, pseudonym, by=CELLO, **kw) -> str:
    return env.stub.SubmitSubjectRequest(
        pb.SubmitSubjectRequestRequest(
            request_id=rid(),
            kind=kind,
            subject_pseudonym=pseudonym,
            document_ref=f"doc:request/{uuid.uuid4().hex[:6]}",
            **kw,
        ),
        metadata=env.md(by),
    ).subject_request_id


def decide(env, ref, outcome=pb.SUBJECT_REQUEST_OUTCOME_GRANTED, who=OFFICER, request_id="", **kw):
    return env.stub.DecideSubjectRequest(
        pb.DecideSubjectRequestRequest(
            request_id=request_id or rid(), subject_request_id=ref, outcome=outcome, **kw
        ),
        metadata=env.md(*who),
    ).request


def close(env, case_id: str) -> None:
    env.pub.publish(
        "casework", ev.CASE_CLOSED, case_id, {"case_id": case_id, "outcome": "successful"}
    )
    t = env.tables["case_facts"]

    def closed():
        with env.app.engine.connect() as conn:
            row = conn.execute(select(t.c.closed_at).where(t.c.case_id == case_id)).first()
        return row is not None and row.closed_at is not None

    wait_for(closed)


def test_a_closed_cases_items_go_only_to_their_provider(env):
    case_id, _ = env.open_case()
    item = provide(env, case_id, usage=terms(pre_read_allowed=True))
    assert request(env, CELLO, [item]).items
    close(env, case_id)
    code, info = denial(lambda: request(env, CELLO, [item]))
    assert code == grpc.StatusCode.PERMISSION_DENIED and "is closed" in reasons_of(info)
    assert request(env, GGZ, [item]).items[0].item_id == item  # the provider's own read
    code, _ = denial(lambda: request(env, CELLO, [item], action=pb.DISCLOSURE_ACTION_PRE_READ))
    assert code == grpc.StatusCode.PERMISSION_DENIED  # so never in a pre-read set either


def _every_value(env) -> list[tuple[str, str, object]]:
    out = []
    with env.app.engine.connect() as conn:
        for name, table in env.tables.items():
            for row in conn.execute(select(table)).mappings():
                out.extend((name, col, value) for col, value in row.items())
    return out


def test_a_case_level_erasure_leaves_nothing_readable(env):
    case_id, pseudonym = env.open_case(age_band="16_plus")
    secret = MARKER + uuid.uuid4().hex
    items = [
        provide(env, case_id, content=json.dumps({"note": secret}).encode()),
        provide(env, case_id, category="housing", content=json.dumps({"adres": secret}).encode()),
    ]
    # The stored answers of the case's commands go with the erasure (as with a purge): a replay
    # of the request that recorded the consent must not hand the erased consent back.
    reference = f"doc:consent/{uuid.uuid4().hex}"
    consent = pb.RecordConsentRequest(
        request_id=rid(),
        subject=pb.SubjectConsent(
            case_id=case_id,
            given_by=pb.CONSENT_GIVER_SUBJECT,
            scope_categories=["health"],
            document_ref=reference,
        ),
    )
    env.stub.RecordConsent(consent, metadata=env.md(CELLO))
    assert request(env, CELLO, items[:1]).items
    ref = submit(env, pb.SUBJECT_REQUEST_KIND_ERASURE, pseudonym=pseudonym, case_id=case_id)
    decided = decide(env, ref)
    assert decided.outcome == pb.SUBJECT_REQUEST_OUTCOME_GRANTED and decided.controller == GGZ
    # Nothing readable: no key of the case, no ciphertext of it, the marker nowhere.
    keys = env.tables["case_keys"]
    with env.app.engine.connect() as conn:
        assert conn.execute(select(keys).where(keys.c.case_id == case_id)).first() is None
    for table, col, value in _every_value(env):
        text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
        assert secret not in text, (table, col)
    binary = {
        (name, c.name)
        for name, t in env.tables.items()
        for c in t.columns
        if isinstance(c.type, LargeBinary)
    }
    item_t, review_t = env.tables["items"], env.tables["reviews"]
    with env.app.engine.connect() as conn:
        rows = conn.execute(select(item_t).where(item_t.c.case_id == case_id)).all()
        assert rows and all(r.content_sealed is None and r.summaries_sealed is None for r in rows)
        assert not conn.execute(
            select(review_t).where(
                review_t.c.case_id == case_id, review_t.c.justification_sealed.is_not(None)
            )
        ).first()
        consents = env.tables["consents"]
        assert not conn.execute(select(consents).where(consents.c.case_id == case_id)).first()
    assert ("items", "content_sealed") in binary
    for who in (CELLO, GGZ):
        assert denial(lambda who=who: request(env, who, items))[0] == (
            grpc.StatusCode.PERMISSION_DENIED
        )
    code, info = denial(lambda: provide(env, case_id))
    assert code == grpc.StatusCode.FAILED_PRECONDITION
    answers = env.tables["command_results"]
    with env.app.engine.connect() as conn:
        kept = conn.execute(select(answers.c.method).where(answers.c.case_id == case_id)).scalars()
        # Only the answer to the controller's decision that granted the erasure is written
        # after it (its texts are never stored in it): nothing of what was erased.
        assert set(kept) <= {"/zorgtafel.disclosure.v1.DisclosureService/DecideSubjectRequest"}
    try:
        replayed = env.stub.RecordConsent(consent, metadata=env.md(CELLO))
    except grpc.RpcError as err:  # decided afresh on the erased case: refused
        assert reference not in (err.details() or "")
    else:
        assert reference not in str(replayed), "a replay handed back the erased consent"


def test_everything_about_a_subject_is_erased_and_announced_by_ids(env, broker):
    case_id, pseudonym = env.open_case()
    item = provide(env, case_id)
    ref = submit(env, pb.SUBJECT_REQUEST_KIND_ERASURE, pseudonym=pseudonym)
    decide(env, ref)
    assert denial(lambda: request(env, GGZ, [item]))[0] == grpc.StatusCode.PERMISSION_DENIED

    def announced():
        rows = [r for r in env.outbox() if r.type == ev.SUBJECT_ERASED and r.key == pseudonym]
        return rows and json.loads(rows[0].data)

    data = wait_for(announced)
    assert data["case_ids"] == [case_id] and data["controller"] == GGZ
    assert "content" not in json.dumps(data)


def test_a_correction_supersedes_and_the_provider_is_told(env):
    case_id, pseudonym = env.open_case()
    old = provide(env, case_id, content=b'{"note": "old"}')
    ref = submit(env, pb.SUBJECT_REQUEST_KIND_CORRECTION, pseudonym=pseudonym, item_id=old)
    # Hostile: CELLO's privacy officer is not the controller of GGZ's item.
    code, info = denial(lambda: decide(env, ref, who=OTHER_OFFICER))
    assert code == grpc.StatusCode.PERMISSION_DENIED and "controller" in reasons_of(info)
    same = rid()
    first = decide(env, ref, request_id=same)
    assert decide(env, ref, request_id=same) == first  # a replay gets the same answer
    code, _ = denial(lambda: decide(env, ref))  # a second decision is refused
    assert code == grpc.StatusCode.FAILED_PRECONDITION
    code, info = denial(lambda: request(env, CELLO, [old]))
    assert code == grpc.StatusCode.PERMISSION_DENIED and "corrected" in reasons_of(info)
    notices = env.stub.ListCorrectionNotices(
        pb.ListCorrectionNoticesRequest(), metadata=env.md(GGZ)
    ).notices
    assert [(n.item_id, n.superseded_by) for n in notices if n.item_id == old] == [(old, "")]
    code, _ = denial(
        lambda: env.stub.ListCorrectionNotices(
            pb.ListCorrectionNoticesRequest(provider=GGZ), metadata=env.md(CELLO)
        )
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED

    def new_version(party):
        return env.stub.Provide(
            pb.ProvideRequest(
                request_id=rid(),
                case_id=case_id,
                category="health",
                classification=pb.CLASSIFICATION_CONFIDENTIAL,
                legal_basis=pb.LEGAL_BASIS_PUBLIC_TASK,
                content_type="application/json",
                content=b'{"note": "corrected"}',
                terms=terms(),
                supersedes=old,
            ),
            metadata=env.md(party),
        ).item_id

    # Hostile: a provider that is not the item's provider.
    assert denial(lambda: new_version(CELLO))[0] == grpc.StatusCode.PERMISSION_DENIED
    new = new_version(GGZ)
    assert json.loads(request(env, CELLO, [new]).items[0].content) == {"note": "corrected"}
    assert denial(lambda: request(env, GGZ, [old]))[0] == grpc.StatusCode.PERMISSION_DENIED
    notices = env.stub.ListCorrectionNotices(
        pb.ListCorrectionNoticesRequest(), metadata=env.md(GGZ)
    ).notices
    assert [n.superseded_by for n in notices if n.item_id == old] == [new]


def test_a_restriction_blocks_a_release_and_lifting_it_restores(env):
    case_id, pseudonym = env.open_case(age_band="16_plus")
    item = provide(env, case_id, usage=terms(pre_read_allowed=True))
    consented = provide(env, case_id, legal_basis=pb.LEGAL_BASIS_CONSENT)
    ref = submit(env, pb.SUBJECT_REQUEST_KIND_RESTRICTION, pseudonym=pseudonym, case_id=case_id)
    decide(env, ref)
    code, info = denial(lambda: request(env, CELLO, [item]))
    assert code == grpc.StatusCode.PERMISSION_DENIED and "GDPR art. 18" in reasons_of(info)
    assert denial(lambda: request(env, CELLO, [item], action=pb.DISCLOSURE_ACTION_PRE_READ))[0] == (
        grpc.StatusCode.PERMISSION_DENIED
    )
    # Hostile: the safety override is no way around a restriction.
    code, info = denial(
        lambda: env.stub.BreakGlass(
            pb.BreakGlassRequest(
                item_ids=[consented],
                purpose="care_coordination",
                justification="acuut gevaar",
                consulted_colleague="collega-2",
                client_informed="in gesprek",
                client_informed_status=pb.CLIENT_INFORMED_STATUS_INFORMED,
            ),
            metadata=env.md(CELLO),
        )
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED and "GDPR art. 18" in reasons_of(info)
    assert request(env, GGZ, [item]).items  # the provider's own read
    lift = submit(
        env, pb.SUBJECT_REQUEST_KIND_LIFT_RESTRICTION, pseudonym=pseudonym, case_id=case_id
    )
    decide(env, lift, reason="the correction is done")
    assert request(env, CELLO, [item]).items[0].item_id == item


def test_objection_and_complaint_are_routed_and_answered_and_overdue_listed(env):
    case_id, pseudonym = env.open_case()
    item = provide(env, case_id)
    objection = submit(env, pb.SUBJECT_REQUEST_KIND_OBJECTION, pseudonym=pseudonym, item_id=item)
    complaint = submit(
        env, pb.SUBJECT_REQUEST_KIND_COMPLAINT, pseudonym=pseudonym, controller=ASTEN
    )

    def listed(who, **kw):
        return {
            r.subject_request_id: r
            for r in env.stub.ListSubjectRequests(
                pb.ListSubjectRequestsRequest(subject_pseudonym=pseudonym, **kw),
                metadata=env.md(*who),
            ).requests
        }

    assert objection in listed(OFFICER) and complaint not in listed(OFFICER)
    assert complaint in listed((ASTEN, "privacy_officer", "fg-3"))
    assert set(listed(OFFICER, kind=pb.SUBJECT_REQUEST_KIND_OBJECTION)) == {objection}
    assert field_violations(lambda: decide(env, objection)) == ["reason"]
    answered = decide(
        env, objection, pb.SUBJECT_REQUEST_OUTCOME_REFUSED, reason="needed for the care plan"
    )
    assert answered.reason == "needed for the care plan" and not answered.overdue
    # GDPR art. 12(3): a request older than a month and undecided is overdue.
    late = submit(env, pb.SUBJECT_REQUEST_KIND_ERASURE, pseudonym=pseudonym, item_id=item)
    past = datetime.now(timezone.utc) - timedelta(days=40)
    t = env.tables["subject_requests"]
    with env.app.engine.begin() as conn:
        conn.execute(
            update(t)
            .where(t.c.subject_request_id == late)
            .values(submitted_at=past, due_at=past + timedelta(days=31))
        )
    overdue = listed(OFFICER, overdue_only=True)
    assert set(overdue) == {late} and overdue[late].overdue
    assert overdue[late].due_at.ToDatetime(tzinfo=timezone.utc) < datetime.now(timezone.utc)
    assert not listed(OFFICER)[objection].overdue


def test_a_refusal_names_a_covenant_ground(env):
    case_id, pseudonym = env.open_case()
    item = provide(env, case_id)
    ref = submit(env, pb.SUBJECT_REQUEST_KIND_ERASURE, pseudonym=pseudonym, item_id=item)
    assert field_violations(
        lambda: decide(env, ref, pb.SUBJECT_REQUEST_OUTCOME_REFUSED, reason="no")
    ) == ["refusal_ground"]
    assert field_violations(
        lambda: decide(
            env,
            ref,
            pb.SUBJECT_REQUEST_OUTCOME_REFUSED,
            refusal_ground=pb.REFUSAL_GROUND_PROFESSIONAL_OPINION,
            reason="an opinion",
        )
    ) == ["refusal_ground"]


@pytest.mark.parametrize("scope", ["case", "item"])
def test_a_restriction_withholds_a_reviews_texts_but_not_the_review(env, scope):
    """GDPR art. 18(2): while the subject's restriction holds, the review of a safety override
    on the restricted case (or item) stays listed to the privacy officer (accountability: who
    overrode what, when, having consulted whom), but why it was needed and how the client was
    told (free text about the subject, sealed under the case key) are not opened until the
    lifting."""
    case_id, pseudonym = env.open_case(age_band="16_plus")
    item = provide(env, case_id, legal_basis=pb.LEGAL_BASIS_CONSENT)
    why, how = MARKER + "dreiging", MARKER + "telefonisch"
    override = env.stub.BreakGlass(
        pb.BreakGlassRequest(
            item_ids=[item],
            purpose="care_coordination",
            justification=why,
            consulted_colleague="collega-2",
            client_informed=how,
            client_informed_status=pb.CLIENT_INFORMED_STATUS_INFORMED,
        ),
        metadata=env.md(CELLO),
    )
    decision_id = override.items[0].decision_id

    def reviews(who=OFFICER) -> list[pb.Review]:
        listed = env.stub.ListReviews(
            pb.ListReviewsRequest(case_id=case_id), metadata=env.md(*who)
        ).reviews
        return [r for r in listed if r.decision_id == decision_id]

    assert [(r.justification, how in r.client_informed) for r in reviews()] == [(why, True)]
    target = {"case_id": case_id} if scope == "case" else {"item_id": item}
    decide(env, submit(env, pb.SUBJECT_REQUEST_KIND_RESTRICTION, pseudonym=pseudonym, **target))
    for who in (OFFICER, (CELLO, "privacy_officer", "fg-2")):
        held = reviews(who)
        assert [(r.item_id, r.party, r.consulted_colleague) for r in held] == [
            (item, CELLO, "collega-2")
        ]
        assert MARKER not in held[0].justification and MARKER not in held[0].client_informed
    lift = submit(env, pb.SUBJECT_REQUEST_KIND_LIFT_RESTRICTION, pseudonym=pseudonym, **target)
    decide(env, lift, reason="the correction is done")
    assert [(r.justification, how in r.client_informed) for r in reviews()] == [(why, True)]

"""Bijlage 3: the data subject's rights (access report; correction and erasure, refused only on
the covenant's grounds and with reasons) and the registers of processing activities (the nine
fields) and of data breaches, readable over gRPC and exportable as JSON."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone

import grpc
import pytest

from tests.integration.disclosure.conftest import (
    ASTEN,
    CELLO,
    FARENT,
    GGZ,
    denial,
    field_violations,
    provide,
    reasons_of,
    request,
)
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb

pytestmark = pytest.mark.integration

# The privacy officer of the controller: GGZ provides the items of these tests.
OFFICER = (GGZ, "privacy_officer", "fg-1")
OTHER_OFFICER = (ASTEN, "privacy_officer", "fg-2")  # involved, but provided or received nothing
NINE_FIELDS = (
    "name",
    "controller",
    "purpose",
    "subject_categories",
    "data_categories",
    "recipients",
    "legal_basis",
    "transfers_outside_eea",
    "retention",
)


def rid() -> str:
    return f"req-{uuid.uuid4()}"


def test_subject_access_report_lists_items_consents_and_who_saw_what(env):
    case_id, pseudonym = env.open_case(age_band="16_plus")
    item = provide(env, case_id)
    env.stub.RecordConsent(
        pb.RecordConsentRequest(
            request_id=rid(),
            subject=pb.SubjectConsent(
                case_id=case_id,
                given_by=pb.CONSENT_GIVER_SUBJECT,
                scope_categories=["health"],
                document_ref="doc:consent/1",
            ),
        ),
        metadata=env.md(CELLO),
    )
    seen = request(env, CELLO, [item]).items[0].decision_id
    report = env.stub.SubjectAccessReport(
        pb.SubjectAccessReportRequest(subject_pseudonym=pseudonym), metadata=env.md(*OFFICER)
    )
    assert [(i.item_id, i.provider, i.category) for i in report.items] == [(item, GGZ, "health")]
    assert [
        (c.kind, c.given_by, list(c.scope_categories), c.document_ref) for c in report.consents
    ] == [("subject", "subject", ["health"], "doc:consent/1")]
    assert [(a.decision_id, a.party, a.result) for a in report.accesses] == [
        (seen, CELLO, "allowed")
    ]
    assert not any(a.subject_pseudonym != pseudonym for a in report.accesses)
    assert (
        denial(
            lambda: env.stub.SubjectAccessReport(
                pb.SubjectAccessReportRequest(subject_pseudonym=pseudonym), metadata=env.md(CELLO)
            )
        )[0]
        == grpc.StatusCode.PERMISSION_DENIED
    )


def test_another_partys_privacy_officer_gets_no_subject_access_report(env):
    """Issue #13 point 2: the report is about items ASTEN neither provided nor received."""
    case_id, pseudonym = env.open_case()
    request(env, CELLO, [provide(env, case_id)])
    code, info = denial(
        lambda: env.stub.SubjectAccessReport(
            pb.SubjectAccessReportRequest(subject_pseudonym=pseudonym),
            metadata=env.md(*OTHER_OFFICER),
        )
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED and "own party as controller" in reasons_of(
        info
    )
    # The recipient's officer sees its own part: the item CELLO received and its access.
    report = env.stub.SubjectAccessReport(
        pb.SubjectAccessReportRequest(subject_pseudonym=pseudonym),
        metadata=env.md(CELLO, "privacy_officer"),
    )
    assert {a.party for a in report.accesses} == {CELLO} and len(report.items) == 1


def test_only_the_controllers_privacy_officer_decides_a_subject_request(env):
    """Issue #13 point 2: the request about GGZ's item is addressed to GGZ."""
    case_id, pseudonym = env.open_case()
    item = provide(env, case_id)
    ref = env.stub.SubmitSubjectRequest(
        pb.SubmitSubjectRequestRequest(
            request_id=rid(),
            kind=pb.SUBJECT_REQUEST_KIND_CORRECTION,
            subject_pseudonym=pseudonym,
            item_id=item,
            document_ref="doc:request/11",
        ),
        metadata=env.md(CELLO),
    ).subject_request_id
    code, info = denial(
        lambda: env.stub.DecideSubjectRequest(
            pb.DecideSubjectRequestRequest(
                request_id=rid(),
                subject_request_id=ref,
                outcome=pb.SUBJECT_REQUEST_OUTCOME_GRANTED,
            ),
            metadata=env.md(*OTHER_OFFICER),
        )
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED
    assert "privacy officer of the controller it is addressed to" in reasons_of(info)
    listed = env.stub.ListSubjectRequests(
        pb.ListSubjectRequestsRequest(subject_pseudonym=pseudonym),
        metadata=env.md(*OTHER_OFFICER),
    ).requests
    assert listed == []  # not addressed to ASTEN
    mine = env.stub.ListSubjectRequests(
        pb.ListSubjectRequestsRequest(subject_pseudonym=pseudonym), metadata=env.md(*OFFICER)
    ).requests
    assert [(r.subject_request_id, r.controller) for r in mine] == [(ref, GGZ)]


def test_erasure_refusal_needs_a_covenant_ground_and_a_reason(env):
    case_id, pseudonym = env.open_case()
    item = provide(env, case_id)
    ref = env.stub.SubmitSubjectRequest(
        pb.SubmitSubjectRequestRequest(
            request_id=rid(),
            kind=pb.SUBJECT_REQUEST_KIND_ERASURE,
            subject_pseudonym=pseudonym,
            item_id=item,
            document_ref="doc:request/9",
        ),
        metadata=env.md(CELLO),
    ).subject_request_id
    decide = lambda **kw: env.stub.DecideSubjectRequest(  # noqa: E731 - read as a name
        pb.DecideSubjectRequestRequest(request_id=rid(), subject_request_id=ref, **kw),
        metadata=env.md(*OFFICER),
    )
    assert field_violations(
        lambda: decide(outcome=pb.SUBJECT_REQUEST_OUTCOME_REFUSED, reason="we keep it")
    ) == ["refusal_ground"]
    assert field_violations(
        lambda: decide(
            outcome=pb.SUBJECT_REQUEST_OUTCOME_REFUSED,
            refusal_ground=pb.REFUSAL_GROUND_PENDING_COMPLAINT,
        )
    ) == ["reason"]
    decided = decide(
        outcome=pb.SUBJECT_REQUEST_OUTCOME_REFUSED,
        refusal_ground=pb.REFUSAL_GROUND_PENDING_COMPLAINT,
        reason="A complaint about this case is pending with the complaints board.",
    )
    assert (decided.request.outcome, decided.request.refusal_ground) == (
        pb.SUBJECT_REQUEST_OUTCOME_REFUSED,
        pb.REFUSAL_GROUND_PENDING_COMPLAINT,
    )
    assert "complaint" in decided.request.reason
    code = denial(lambda: decide(outcome=pb.SUBJECT_REQUEST_OUTCOME_GRANTED))[0]
    assert code == grpc.StatusCode.FAILED_PRECONDITION  # decided once
    listed = env.stub.ListSubjectRequests(
        pb.ListSubjectRequestsRequest(subject_pseudonym=pseudonym), metadata=env.md(*OFFICER)
    ).requests
    assert [r.subject_request_id for r in listed] == [ref]
    assert request(env, CELLO, [item]).items  # refused: the item stays


def test_granted_erasure_removes_the_content_and_nothing_is_released_after(env):
    case_id, pseudonym = env.open_case()
    item = provide(env, case_id)
    ref = env.stub.SubmitSubjectRequest(
        pb.SubmitSubjectRequestRequest(
            request_id=rid(),
            kind=pb.SUBJECT_REQUEST_KIND_ERASURE,
            subject_pseudonym=pseudonym,
            item_id=item,
            document_ref="doc:request/10",
        ),
        metadata=env.md(*OFFICER),
    ).subject_request_id
    env.stub.DecideSubjectRequest(
        pb.DecideSubjectRequestRequest(
            request_id=rid(), subject_request_id=ref, outcome=pb.SUBJECT_REQUEST_OUTCOME_GRANTED
        ),
        metadata=env.md(*OFFICER),
    )
    code, _ = denial(lambda: request(env, CELLO, [item]))
    assert code == grpc.StatusCode.PERMISSION_DENIED
    t = env.tables["items"]
    with env.app.engine.connect() as conn:
        row = conn.execute(t.select().where(t.c.item_id == item)).first()
    assert row.content_sealed is None and row.erased


def test_processing_register_has_the_nine_fields_and_exports_as_json(env):
    activities = env.stub.ListProcessingActivities(
        pb.ListProcessingActivitiesRequest(), metadata=env.md(CELLO)
    ).activities
    assert len(activities) >= 4
    for a in activities:
        for f in NINE_FIELDS:
            assert getattr(a, f), f"{a.id} lacks {f}"
    exported = env.stub.ExportRegister(
        pb.ExportRegisterRequest(register=pb.REGISTER_PROCESSING), metadata=env.md(*OFFICER)
    )
    doc = json.loads(exported.document)
    assert exported.media_type == "application/json"
    assert {a["id"] for a in doc["activities"]} == {a.id for a in activities}


def test_breach_register_records_lists_and_exports(env):
    detected = datetime.now(timezone.utc) - timedelta(hours=3)
    breach = pb.Breach(
        nature="misdirected_email",
        data_categories=["health"],
        subjects_affected=1,
        case_ids=["case-x1"],
        consequences="one dossier page sent to the wrong party",
        measures="recalled; recipient confirmed deletion",
        subjects_informed=True,
    )
    breach.detected_at.FromDatetime(detected)
    ref = env.stub.RecordBreach(
        pb.RecordBreachRequest(request_id=rid(), breach=breach), metadata=env.md(*OFFICER)
    ).breach_id
    listed = env.stub.ListBreaches(pb.ListBreachesRequest(), metadata=env.md(*OFFICER)).breaches
    assert ref in {b.breach_id for b in listed}
    exported = json.loads(
        env.stub.ExportRegister(
            pb.ExportRegisterRequest(register=pb.REGISTER_BREACHES), metadata=env.md(*OFFICER)
        ).document
    )
    entry = [b for b in exported["breaches"] if b["breach_id"] == ref][0]
    assert entry["nature"] == "misdirected_email" and entry["subjects_affected"] == 1
    # Each controller keeps its own register: another party's officer sees none of GGZ's.
    other = env.md(FARENT, "privacy_officer", "fg-2")
    assert ref not in {
        b.breach_id
        for b in env.stub.ListBreaches(pb.ListBreachesRequest(), metadata=other).breaches
    }
    assert (
        ref
        not in env.stub.ExportRegister(
            pb.ExportRegisterRequest(register=pb.REGISTER_BREACHES), metadata=other
        ).document.decode()
    )
    no_measures = pb.Breach(nature="lost_device")
    no_measures.detected_at.FromDatetime(detected)
    assert field_violations(
        lambda: env.stub.RecordBreach(
            pb.RecordBreachRequest(request_id=rid(), breach=no_measures), metadata=env.md(*OFFICER)
        )
    ) == ["breach.measures"]
    assert (
        denial(
            lambda: env.stub.RecordBreach(
                pb.RecordBreachRequest(request_id=rid(), breach=breach), metadata=env.md(CELLO)
            )
        )[0]
        == grpc.StatusCode.PERMISSION_DENIED
    )


def test_repeated_provide_with_the_same_request_id_stores_one_item(env):
    case_id, _ = env.open_case()
    req = pb.ProvideRequest(
        request_id=rid(),
        case_id=case_id,
        category="housing",
        classification=pb.CLASSIFICATION_INTERNAL,
        legal_basis=pb.LEGAL_BASIS_PUBLIC_TASK,
        content_type="text/plain",
        content=b"flat available",
        terms=pb.ProvideRequest().terms,
    )
    req.terms.purposes.append("care_coordination")
    first = env.stub.Provide(req, metadata=env.md(GGZ)).item_id
    assert env.stub.Provide(req, metadata=env.md(GGZ)).item_id == first
    t = env.tables["items"]
    with env.app.engine.connect() as conn:
        assert len(conn.execute(t.select().where(t.c.case_id == case_id)).all()) == 1

"""Hostile and unlucky input answered as the caller's mistake, never INTERNAL: timestamps out
of range (they used to be stored in a form that could not be read back, after which every
case-wide RequestDisclosure failed), over-deep JSON content, and concurrent copies of one
idempotent Provide."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import grpc
import pytest

from tests.integration.disclosure.conftest import CELLO, GGZ, field_violations, provide, terms
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.testing import rid

pytestmark = pytest.mark.integration


def _case_wide(env, party: str, case_id: str) -> pb.RequestDisclosureResponse:
    return env.stub.RequestDisclosure(
        pb.RequestDisclosureRequest(
            case_id=case_id, purpose="care_coordination", action=pb.DISCLOSURE_ACTION_READ
        ),
        metadata=env.md(party),
    )


@pytest.mark.parametrize(
    "when",
    [
        datetime(1, 1, 1, tzinfo=timezone.utc),
        datetime(1899, 12, 31, tzinfo=timezone.utc),
        datetime(2500, 1, 1, tzinfo=timezone.utc),
        datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc),
    ],
)
def test_terms_expiring_outside_the_time_range_are_refused_and_the_case_stays_readable(env, when):
    case_id, _ = env.open_case()
    item = provide(env, case_id)
    assert field_violations(lambda: provide(env, case_id, usage=terms(expires_at=when))) == [
        "terms.expires_at"
    ]
    assert field_violations(
        lambda: env.stub.SetUsageTerms(
            pb.SetUsageTermsRequest(request_id=rid(), item_id=item, terms=terms(expires_at=when)),
            metadata=env.md(GGZ),
        )
    ) == ["terms.expires_at"]
    assert [i.item_id for i in _case_wide(env, CELLO, case_id).items] == [item]


def test_expiries_inside_the_range_are_stored_read_back_and_decided(env):
    case_id, _ = env.open_case()
    early = provide(env, case_id, usage=terms(expires_at=datetime(1900, 1, 1, tzinfo=timezone.utc)))
    late = provide(
        env,
        case_id,
        usage=terms(expires_at=datetime(2261, 12, 31, 23, 59, 59, tzinfo=timezone.utc)),
    )
    reply = _case_wide(env, CELLO, case_id)
    assert [i.item_id for i in reply.items] == [late]
    assert [d.item_id for d in reply.denied] == [early]  # long expired, not unreadable
    changed = env.stub.SetUsageTerms(
        pb.SetUsageTermsRequest(
            request_id=rid(),
            item_id=early,
            terms=terms(expires_at=datetime.now(timezone.utc) + timedelta(days=1)),
        ),
        metadata=env.md(GGZ),
    )
    assert changed.item.terms.HasField("expires_at")
    assert len(_case_wide(env, CELLO, case_id).items) == 2


def test_timestamps_out_of_range_elsewhere_name_their_field(env):
    case_id, _ = env.open_case()
    consent = pb.SubjectConsent(
        case_id=case_id,
        given_by=pb.CONSENT_GIVER_SUBJECT,
        scope_categories=["health"],
        document_ref="doc:c/1",
    )
    consent.given_at.FromDatetime(datetime(1, 1, 1, tzinfo=timezone.utc))
    assert field_violations(
        lambda: env.stub.RecordConsent(
            pb.RecordConsentRequest(request_id=rid(), subject=consent), metadata=env.md(CELLO)
        )
    ) == ["subject.given_at"]
    breach = pb.Breach(nature="lost_device", measures="remote wipe")
    breach.detected_at.FromDatetime(datetime(9999, 1, 1, tzinfo=timezone.utc))
    assert field_violations(
        lambda: env.stub.RecordBreach(
            pb.RecordBreachRequest(request_id=rid(), breach=breach),
            metadata=env.md(GGZ, "privacy_officer"),
        )
    ) == ["breach.detected_at"]


@pytest.mark.parametrize("content", [b"[" * 100_000, b"[" * 40 + b"]" * 40])
def test_deeply_nested_json_content_is_invalid_not_internal(env, content):
    case_id, _ = env.open_case()
    assert field_violations(lambda: provide(env, case_id, content=content)) == ["content"]
    item = provide(env, case_id)
    assert [i.item_id for i in _case_wide(env, CELLO, case_id).items] == [item]


def test_concurrent_copies_of_one_provide_store_one_item_and_answer_it_to_all(env):
    case_id, _ = env.open_case()
    request = pb.ProvideRequest(
        request_id=rid(),
        case_id=case_id,
        category="health",
        classification=pb.CLASSIFICATION_CONFIDENTIAL,
        legal_basis=pb.LEGAL_BASIS_PUBLIC_TASK,
        content_type="application/json",
        content=b'{"note": "weekly"}',
        terms=terms(),
    )
    answers: list[str] = []
    errors: list[grpc.RpcError] = []
    start = threading.Barrier(6)

    def copy() -> None:
        start.wait()
        try:
            answers.append(env.stub.Provide(request, metadata=env.md(GGZ)).item_id)
        except grpc.RpcError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=copy) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert [(e.code(), e.details()) for e in errors] == []
    assert len(answers) == 6 and len(set(answers)) == 1
    assert env.count("items", case_id=case_id) == 1
    assert [i.item_id for i in _case_wide(env, CELLO, case_id).items] == answers[:1]

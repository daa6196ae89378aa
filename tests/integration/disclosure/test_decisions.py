"""Every disclosure is decided by ``zorgtafel.disclosure`` through gRPC, on the facts the
service gathered from the broker: provider decides (16.2), need to know (8.4c), retraction and
expiry (16.2), pre-reading (12.2f), third parties (9.2), the consent age rules and the safety
override (Bijlage 3), and redaction of summary-only fields."""

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
    published,
    reasons_of,
    request,
    terms,
    wait_for,
)
from zorgtafel.contracts import events as ev
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb

pytestmark = pytest.mark.integration

CONTENT = {"note": "sees a counsellor weekly", "risk": "low"}


def log_for(env, decision_id: str):
    rows = [r for r in env.log_rows() if r.decision_id == decision_id]
    assert len(rows) == 1, "exactly one access-log record per decision"
    return rows[0]


# --- art. 16.2 the provider decides ----------------------------------------------------------


def test_involved_party_with_need_reads_the_item_the_provider_allowed(env):
    case_id, pseudonym = env.open_case()
    item = provide(env, case_id)
    reply = request(env, CELLO, [item])
    assert [i.item_id for i in reply.items] == [item]
    assert json.loads(reply.items[0].content) == CONTENT
    assert any("art. 8.4c" in r for r in reply.items[0].reasons)
    row = log_for(env, reply.items[0].decision_id)
    assert (
        row.result,
        row.party,
        row.resource,
        row.subject_pseudonym,
        row.case_id,
        row.provider,
        row.action,
        row.purpose,
        row.emergency,
    ) == ("allowed", CELLO, item, pseudonym, case_id, GGZ, "read", "care_coordination", False)
    assert row.policy_revision == reply.policy_revision != ""
    assert row.processing_activity == "ZT-VA-03@1"
    facts = {(r.type, json.loads(r.data).get("item_id")): json.loads(r.data) for r in env.outbox()}
    assert facts[(ev.ITEM_PROVIDED, item)] == {
        "item_id": item,
        "case_id": case_id,
        "provider": GGZ,
        "category": "health",
    }
    decided = [
        json.loads(r.data)
        for r in env.outbox()
        if r.type == ev.DISCLOSURE_DECIDED
        and json.loads(r.data)["decision_id"] == reply.items[0].decision_id
    ]
    assert [(d["result"], d["recipient_party"], d["provider"]) for d in decided] == [
        ("allowed", CELLO, GGZ)
    ]


def test_purpose_the_provider_did_not_permit_is_denied_with_its_reasons(env):
    case_id, _ = env.open_case()
    item = provide(env, case_id, usage=terms(purposes=["care_coordination"]))
    code, info = denial(lambda: request(env, CELLO, [item], purpose="research"))
    assert code == grpc.StatusCode.PERMISSION_DENIED
    assert "art. 16.2" in reasons_of(info) and "research" in reasons_of(info)
    row = log_for(env, info["decision_id"])
    assert row.result == "denied" and "research" in row.reasons


def test_party_outside_the_providers_recipient_list_is_denied(env):
    case_id, _ = env.open_case()
    item = provide(env, case_id, usage=terms(recipient_parties=[ASTEN]))
    code, info = denial(lambda: request(env, CELLO, [item]))
    assert code == grpc.StatusCode.PERMISSION_DENIED
    assert "only for the parties" in reasons_of(info)


def test_only_the_provider_changes_or_retracts_its_terms(env):
    case_id, _ = env.open_case()
    item = provide(env, case_id)
    code, info = denial(
        lambda: env.stub.SetUsageTerms(
            pb.SetUsageTermsRequest(
                request_id=f"req-{uuid.uuid4()}", item_id=item, terms=terms(purposes=["research"])
            ),
            metadata=env.md(CELLO),
        )
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED and "art. 16.2" in reasons_of(info)
    code, _ = denial(
        lambda: env.stub.Retract(
            pb.RetractRequest(request_id=f"req-{uuid.uuid4()}", item_id=item),
            metadata=env.md(CELLO),
        )
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED
    changed = env.stub.SetUsageTerms(
        pb.SetUsageTermsRequest(
            request_id=f"req-{uuid.uuid4()}",
            item_id=item,
            terms=terms(purposes=["care_coordination", "safety"]),
        ),
        metadata=env.md(GGZ),
    )
    assert list(changed.item.terms.purposes) == ["care_coordination", "safety"]
    assert request(env, CELLO, [item], purpose="safety").items


# --- art. 8.4c need to know -----------------------------------------------------------------------


def test_role_without_that_category_in_its_information_need_is_denied(env):
    """Asked by its id, an item outside the need is answered as an id never given out (its
    category unnamed): the party does not learn that the case holds it (8.4c, 15.1)."""
    case_id, _ = env.open_case()
    item = provide(env, case_id, category="health")
    code, info = denial(lambda: request(env, ASTEN, [item]))  # Asten needs "housing" only
    never, never_info = denial(lambda: request(env, ASTEN, [f"itm-{uuid.uuid4().hex}"]))
    assert code == never == grpc.StatusCode.PERMISSION_DENIED
    assert reasons_of(info) == reasons_of(never_info) and "art. 8.4c" in reasons_of(info)
    assert "health" not in str(info) and "outside_need" not in info
    housing = provide(env, case_id, category="housing")
    assert request(env, ASTEN, [housing]).items[0].item_id == housing


def test_party_not_involved_in_the_case_sees_nothing(env):
    case_id, _ = env.open_case()
    item = provide(env, case_id)
    code, info = denial(lambda: request(env, FARENT, [item]))
    assert code == grpc.StatusCode.PERMISSION_DENIED
    assert "not involved" in reasons_of(info)
    assert log_for(env, info["decision_id"]).result == "denied"


def test_request_by_case_returns_only_the_items_the_role_needs(env):
    case_id, _ = env.open_case()
    health = provide(env, case_id, category="health")
    housing = provide(env, case_id, category="housing")
    reply = env.stub.RequestDisclosure(
        pb.RequestDisclosureRequest(
            case_id=case_id, purpose="care_coordination", action=pb.DISCLOSURE_ACTION_READ
        ),
        metadata=env.md(ASTEN),
    )
    assert [i.item_id for i in reply.items] == [housing]
    # Not even listed as refused: its id and category are nothing Asten needs (8.4c); the
    # refusal is in the access log all the same.
    assert [d.item_id for d in reply.denied] == []
    assert [r.result for r in env.log_rows() if r.resource == health and r.party == ASTEN] == [
        "denied"
    ]


# --- art. 16.2 retraction and expiry --------------------------------------------------------------


def test_retracted_item_is_never_shown_again(env):
    case_id, _ = env.open_case()
    item = provide(env, case_id)
    assert request(env, CELLO, [item]).items
    retracted = env.stub.Retract(
        pb.RetractRequest(request_id=f"req-{uuid.uuid4()}", item_id=item), metadata=env.md(GGZ)
    )
    assert retracted.item.retracted
    code, info = denial(lambda: request(env, CELLO, [item]))
    assert code == grpc.StatusCode.PERMISSION_DENIED and "retracted" in reasons_of(info)
    assert any(
        r.type == ev.ITEM_RETRACTED and json.loads(r.data)["item_id"] == item for r in env.outbox()
    )


def test_expired_terms_deny_the_item(env):
    case_id, _ = env.open_case()
    past = datetime.now(timezone.utc) - timedelta(days=1)
    item = provide(env, case_id, usage=terms(expires_at=past))
    code, info = denial(lambda: request(env, CELLO, [item]))
    assert code == grpc.StatusCode.PERMISSION_DENIED and "only until" in reasons_of(info)
    future = provide(
        env, case_id, usage=terms(expires_at=datetime.now(timezone.utc) + timedelta(days=30))
    )
    assert request(env, CELLO, [future]).items


# --- art. 12.2f pre-reading -----------------------------------------------------------------------


def test_pre_read_without_the_providers_agreement_is_denied(env):
    case_id, _ = env.open_case()
    item = provide(env, case_id, usage=terms(pre_read_allowed=False))
    code, info = denial(lambda: request(env, CELLO, [item], action=pb.DISCLOSURE_ACTION_PRE_READ))
    assert code == grpc.StatusCode.PERMISSION_DENIED and "art. 12.2f" in reasons_of(info)
    agreed = provide(env, case_id, usage=terms(pre_read_allowed=True))
    reply = request(env, CELLO, [agreed], action=pb.DISCLOSURE_ACTION_PRE_READ)
    assert any("art. 12.2f" in r for r in reply.items[0].reasons)


def test_onward_sharing_needs_the_providers_permission(env):
    case_id, _ = env.open_case()
    item = provide(env, case_id, usage=terms(onward_sharing_allowed=False))
    code, info = denial(
        lambda: request(env, CELLO, [item], action=pb.DISCLOSURE_ACTION_ONWARD_SHARE)
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED and "passed on" in reasons_of(info)


# --- art. 9.2 third parties -----------------------------------------------------------------------


def test_third_party_release_needs_the_providers_prior_written_consent(env):
    case_id, _ = env.open_case()
    item = provide(env, case_id)
    release = lambda: request(  # noqa: E731 - a repeated call, read as a name
        env,
        CELLO,
        [item],
        third_party="00000099900000000012",
        action=pb.DISCLOSURE_ACTION_THIRD_PARTY_RELEASE,
    )
    code, info = denial(release)
    assert code == grpc.StatusCode.PERMISSION_DENIED
    assert "written consent" in reasons_of(info) and "art. 9.2" in reasons_of(info)
    # Only the provider gives its written consent (art. 9.2).
    code, info = denial(
        lambda: env.stub.RecordConsent(
            pb.RecordConsentRequest(
                request_id=f"req-{uuid.uuid4()}",
                provider_written=pb.ProviderWrittenConsent(
                    item_id=item, third_party="00000099900000000012", document_ref="doc:cello/1"
                ),
            ),
            metadata=env.md(CELLO),
        )
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED and "art. 9.2" in reasons_of(info)
    assert denial(release)[0] == grpc.StatusCode.PERMISSION_DENIED
    env.stub.RecordConsent(
        pb.RecordConsentRequest(
            request_id=f"req-{uuid.uuid4()}",
            provider_written=pb.ProviderWrittenConsent(
                item_id=item, third_party="00000099900000000012", document_ref="doc:ggz/77"
            ),
        ),
        metadata=env.md(GGZ),
    )
    reply = release()
    assert reply.items[0].item_id == item
    row = log_for(env, reply.items[0].decision_id)
    assert (row.action, row.recipient, row.party) == (
        "third_party_release",
        "00000099900000000012",
        CELLO,
    )


def _provider_consent(env, item: str, third: str, provider: str = GGZ) -> str:
    return env.stub.RecordConsent(
        pb.RecordConsentRequest(
            request_id=f"req-{uuid.uuid4()}",
            provider_written=pb.ProviderWrittenConsent(
                item_id=item, third_party=third, document_ref="doc:ggz/9.2"
            ),
        ),
        metadata=env.md(provider),
    ).consent_id


def test_an_uninvolved_party_cannot_release_to_a_third_party_even_with_written_consent(env):
    """Issue #13 point 1: the provider's written consent for a third party exists, but the
    requester's party has no part in the case (FARENT) or no need for the item (ASTEN)."""
    case_id, _ = env.open_case()
    item = provide(env, case_id)
    third = "00000099900000000013"
    _provider_consent(env, item, third)
    for party in (FARENT, ASTEN):
        code, info = denial(
            lambda party=party: request(
                env,
                party,
                [item],
                third_party=third,
                action=pb.DISCLOSURE_ACTION_THIRD_PARTY_RELEASE,
            )
        )
        assert code == grpc.StatusCode.PERMISSION_DENIED
        # No part in the case, or no need for the item (asked by its id: answered as an id
        # never given out, 8.4c, 15.1): told that, and nothing else of the case.
        assert "has no part in the case" in reasons_of(info) and "9.2" not in reasons_of(info)
        row = log_for(env, info["decision_id"])
        assert (row.party, row.person, row.recipient, row.result) == (
            party,
            "person-1",
            third,
            "denied",
        )


def test_a_colleague_without_a_part_in_the_case_cannot_release_to_a_third_party(env):
    case_id, _ = env.open_case()
    item = provide(env, case_id)
    third = "00000099900000000014"
    _provider_consent(env, item, third)
    code, info = denial(
        lambda: env.stub.RequestDisclosure(
            pb.RequestDisclosureRequest(
                item_ids=[item],
                purpose="care_coordination",
                action=pb.DISCLOSURE_ACTION_THIRD_PARTY_RELEASE,
                third_party=third,
            ),
            metadata=env.md(CELLO, person="collega-2"),
        )
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED and "no part in the case" in reasons_of(info)


def test_a_withdrawn_provider_consent_stops_the_release(env):
    case_id, _ = env.open_case()
    item = provide(env, case_id)
    third = "00000099900000000015"
    consent_id = _provider_consent(env, item, third)
    release = lambda: request(  # noqa: E731 - a repeated call, read as a name
        env, CELLO, [item], third_party=third, action=pb.DISCLOSURE_ACTION_THIRD_PARTY_RELEASE
    )
    assert release().items[0].item_id == item
    withdraw = pb.WithdrawConsentRequest(
        request_id=f"req-{uuid.uuid4()}", consent_id=consent_id, document_ref="doc:ggz/9.2-w"
    )
    code, _ = denial(lambda: env.stub.WithdrawConsent(withdraw, metadata=env.md(CELLO)))
    assert code == grpc.StatusCode.PERMISSION_DENIED  # only the provider withdraws it
    assert (
        env.stub.WithdrawConsent(withdraw, metadata=env.md(GGZ)).consent.withdrawn_by_party == GGZ
    )
    code, info = denial(release)
    assert code == grpc.StatusCode.PERMISSION_DENIED and "was withdrawn" in reasons_of(info)


def test_a_party_is_never_a_third_party(env):
    case_id, _ = env.open_case()
    item = provide(env, case_id)
    code, info = denial(
        lambda: request(
            env, CELLO, [item], third_party=FARENT, action=pb.DISCLOSURE_ACTION_THIRD_PARTY_RELEASE
        )
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED and "not a third party" in reasons_of(info)


# --- Bijlage 3 consent rules ----------------------------------------------------------------------


def _consent(env, case_id, giver, categories=("health",), md=None) -> str:
    return env.stub.RecordConsent(
        pb.RecordConsentRequest(
            request_id=f"req-{uuid.uuid4()}",
            subject=pb.SubjectConsent(
                case_id=case_id,
                given_by=giver,
                scope_categories=list(categories),
                document_ref=f"doc:consent/{uuid.uuid4().hex[:8]}",
            ),
        ),
        metadata=md or env.md(CELLO),
    ).consent_id


def test_a_party_without_a_part_in_the_case_cannot_record_a_consent(env):
    """Issue #13 point 5: FARENT is an active party but not involved; CELLO's colleague is not
    its delegate. Neither's consent may unlock GGZ's consent-based item."""
    case_id, _ = env.open_case()
    for md in (env.md(FARENT), env.md(CELLO, person="collega-5")):
        code, info = denial(lambda md=md: _consent(env, case_id, pb.CONSENT_GIVER_SUBJECT, md=md))
        assert code == grpc.StatusCode.PERMISSION_DENIED and "Bijlage 3" in reasons_of(info)


def test_a_withdrawn_consent_stops_the_releases_based_on_it(env):
    """Issue #13 point 5: readable before the withdrawal, refused after it."""
    case_id, _ = env.open_case()
    item = provide(env, case_id, legal_basis=pb.LEGAL_BASIS_CONSENT)
    consent_id = _consent(env, case_id, pb.CONSENT_GIVER_SUBJECT, md=env.md(GGZ))  # nominator
    assert request(env, CELLO, [item]).items
    withdraw = pb.WithdrawConsentRequest(
        request_id=f"req-{uuid.uuid4()}", consent_id=consent_id, document_ref="doc:withdrawal/1"
    )
    code, _ = denial(lambda: env.stub.WithdrawConsent(withdraw, metadata=env.md(FARENT)))
    assert code == grpc.StatusCode.PERMISSION_DENIED
    withdrawn = env.stub.WithdrawConsent(withdraw, metadata=env.md(CELLO)).consent
    assert (withdrawn.withdrawn_by_party, withdrawn.withdrawal_document_ref) == (
        CELLO,
        "doc:withdrawal/1",
    )
    assert withdrawn.HasField("withdrawn_at")
    code, info = denial(lambda: request(env, CELLO, [item]))
    assert code == grpc.StatusCode.PERMISSION_DENIED and "withdrawn" in reasons_of(info)


def test_minor_of_twelve_to_sixteen_needs_both_child_and_parent_consent(env):
    case_id, _ = env.open_case(age_band="12_to_16")
    item = provide(env, case_id, legal_basis=pb.LEGAL_BASIS_CONSENT)
    code, info = denial(lambda: request(env, CELLO, [item]))
    assert code == grpc.StatusCode.PERMISSION_DENIED and "12 up to 16" in reasons_of(info)
    _consent(env, case_id, pb.CONSENT_GIVER_SUBJECT)
    code, info = denial(lambda: request(env, CELLO, [item]))  # the child alone is not enough
    assert code == grpc.StatusCode.PERMISSION_DENIED and "parent/guardian" in reasons_of(info)
    _consent(env, case_id, pb.CONSENT_GIVER_PARENT)
    assert request(env, CELLO, [item]).items[0].item_id == item


def test_child_under_twelve_needs_the_parent_or_guardian_not_the_child(env):
    case_id, _ = env.open_case(age_band="under_12")
    item = provide(env, case_id, legal_basis=pb.LEGAL_BASIS_CONSENT)
    _consent(env, case_id, pb.CONSENT_GIVER_SUBJECT)
    code, info = denial(lambda: request(env, CELLO, [item]))
    assert code == grpc.StatusCode.PERMISSION_DENIED and "under 12" in reasons_of(info)
    _consent(env, case_id, pb.CONSENT_GIVER_GUARDIAN, categories=("housing",))  # wrong scope
    assert denial(lambda: request(env, CELLO, [item]))[0] == grpc.StatusCode.PERMISSION_DENIED
    _consent(env, case_id, pb.CONSENT_GIVER_GUARDIAN)
    assert request(env, CELLO, [item]).items


def test_consent_without_a_document_reference_is_invalid(env):
    case_id, _ = env.open_case()
    assert field_violations(
        lambda: env.stub.RecordConsent(
            pb.RecordConsentRequest(
                request_id=f"req-{uuid.uuid4()}",
                subject=pb.SubjectConsent(
                    case_id=case_id, given_by=pb.CONSENT_GIVER_SUBJECT, scope_categories=["health"]
                ),
            ),
            metadata=env.md(CELLO),
        )
    ) == ["subject.document_ref"]


# --- Bijlage 3 safety override --------------------------------------------------------------------


def test_break_glass_without_justification_or_colleague_is_invalid(env):
    case_id, _ = env.open_case()
    item = provide(env, case_id)
    assert field_violations(
        lambda: env.stub.BreakGlass(
            pb.BreakGlassRequest(
                item_ids=[item], purpose="care_coordination", consulted_colleague="person-9"
            ),
            metadata=env.md(CELLO),
        )
    ) == ["justification"]
    assert field_violations(
        lambda: env.stub.BreakGlass(
            pb.BreakGlassRequest(
                item_ids=[item], purpose="care_coordination", justification="acute danger"
            ),
            metadata=env.md(CELLO),
        )
    ) == ["consulted_colleague"]


def test_break_glass_releases_with_its_obligations_logged_notified_and_reviewed(env, broker):
    case_id, pseudonym = env.open_case(age_band="16_plus")
    item = provide(env, case_id, legal_basis=pb.LEGAL_BASIS_CONSENT)
    assert denial(lambda: request(env, CELLO, [item]))[0] == grpc.StatusCode.PERMISSION_DENIED
    env.name_delegate(case_id, CELLO, "person-3")
    wait_for(lambda: "person-3" in env.delegates(case_id, CELLO))
    justification = f"threat of violence tonight {uuid.uuid4().hex[:6]}"
    reply = env.stub.BreakGlass(
        pb.BreakGlassRequest(
            item_ids=[item],
            purpose="care_coordination",
            justification=justification,
            consulted_colleague="person-9",
            client_informed="told in person",
            client_informed_status=pb.CLIENT_INFORMED_STATUS_INFORMED,
        ),
        metadata=env.md(CELLO, person="person-3"),
    )
    released = reply.items[0]
    assert json.loads(released.content) == CONTENT
    assert {o.kind for o in released.obligations} >= {
        "log_break_glass",
        "notify_provider",
        "review",
    }
    row = log_for(env, released.decision_id)
    assert row.emergency is True and row.result == "break_glass"
    assert justification not in row.reasons  # the log keeps a reference, not the free text
    # The provider is notified: BREAK_GLASS_USED reaches the broker.
    data = wait_for(
        lambda: published(broker, ev.BREAK_GLASS_USED, released.decision_id), timeout=30
    )
    assert (data["provider"], data["item_id"], data["recipient_party"]) == (GGZ, item, CELLO)
    # The privacy officer's review list has it, with the justification readable only there.
    reviews = env.stub.ListReviews(
        pb.ListReviewsRequest(case_id=case_id), metadata=env.md(GGZ, "privacy_officer")
    ).reviews
    assert [(r.decision_id, r.consulted_colleague, r.justification, r.person) for r in reviews] == [
        (released.decision_id, "person-9", justification, "person-3")
    ]
    # Issue #13 point 2: another party's privacy officer reads no justification of this case.
    code, info = denial(
        lambda: env.stub.ListReviews(
            pb.ListReviewsRequest(case_id=case_id), metadata=env.md(ASTEN, "privacy_officer")
        )
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED and "own party as controller" in reasons_of(
        info
    )
    unscoped = env.stub.ListReviews(
        pb.ListReviewsRequest(), metadata=env.md(ASTEN, "privacy_officer")
    ).reviews
    assert all(ASTEN in (r.provider, r.party) for r in unscoped)


# --- art. 16.2 summary-only fields -----------------------------------------------------------------


def test_summary_only_fields_are_redacted_to_the_providers_summary(env):
    case_id, _ = env.open_case()
    item = provide(
        env,
        case_id,
        content=json.dumps(
            {"diagnosis": "complex PTSD, medication X", "advice": "quiet shelter"}
        ).encode(),
        usage=terms(summary_only_fields=["diagnosis"]),
        summaries={"diagnosis": "trauma-related care ongoing"},
    )
    released = request(env, CELLO, [item]).items[0]
    assert json.loads(released.content) == {
        "diagnosis": "trauma-related care ongoing",
        "advice": "quiet shelter",
    }
    assert list(released.redacted_fields) == ["diagnosis"]
    assert "redact" in {o.kind for o in released.obligations}


def test_summary_only_fields_need_json_content(env):
    case_id, _ = env.open_case()
    assert field_violations(
        lambda: provide(
            env,
            case_id,
            content=b"plain text",
            content_type="text/plain",
            usage=terms(summary_only_fields=["diagnosis"]),
        )
    ) == ["content_type"]


def test_the_provider_reads_its_own_item_without_being_in_the_roles(env):
    case_id, _ = env.open_case(
        roles={CELLO: {"role": "care_provider", "information_need": ["health"]}}
    )
    item = provide(env, case_id)
    assert request(env, GGZ, [item]).items[0].item_id == item


def test_concurrent_provides_for_a_new_case_all_succeed_under_one_case_key(env):
    import threading

    case_id, _ = env.open_case()
    ids, errors = [], []

    def worker():
        try:
            ids.append(provide(env, case_id))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors and len(set(ids)) == 6
    reply = request(env, CELLO, ids)
    assert sorted(i.item_id for i in reply.items) == sorted(ids)
    keys_table = env.tables["case_keys"]
    with env.app.engine.connect() as conn:
        assert (
            len(conn.execute(keys_table.select().where(keys_table.c.case_id == case_id)).all()) == 1
        )

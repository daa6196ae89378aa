"""Domain results as protobuf responses (the other direction is ``proto_mapping``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime, timezone
from typing import Any

from services.disclosure.domain.consents import Consent
from services.disclosure.domain.decisions import DisclosureOutcome, Review
from services.disclosure.domain.items import Item, Terms
from services.disclosure.domain.notices import INFORMED, NOT_YET, OverrideNotice
from services.disclosure.domain.subject_rights import Breach, CorrectionNotice, SubjectRequest
from zorgtafel.generated.common.v1 import common_pb2
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.kernel.convert import enum_out, to_timestamp

CLIENT_INFORMED_STATUS = {
    INFORMED: pb.CLIENT_INFORMED_STATUS_INFORMED,
    NOT_YET: pb.CLIENT_INFORMED_STATUS_NOT_YET,
}


def terms_out(terms: Terms) -> common_pb2.UsageTerms:
    return common_pb2.UsageTerms(
        recipient_parties=list(terms.recipient_parties),
        recipient_roles=list(terms.recipient_roles),
        purposes=list(terms.purposes),
        onward_sharing_allowed=terms.onward_sharing_allowed,
        summary_only_fields=list(terms.summary_only_fields),
        expires_at=to_timestamp(terms.expires_at),
        pre_read_allowed=terms.pre_read_allowed,
    )


def item_out(item: Item) -> pb.ItemRef:
    return pb.ItemRef(
        item_id=item.item_id,
        case_id=item.case_id,
        provider=item.provider,
        category=item.category,
        classification=enum_out(pb.Classification, "CLASSIFICATION_", item.classification),
        legal_basis=enum_out(pb.LegalBasis, "LEGAL_BASIS_", item.legal_basis),
        content_type=item.content_type,
        retracted=item.retracted,
        provided_at=to_timestamp(item.provided_at),
        terms=terms_out(item.terms),
    )


def subject_item_out(item: Item) -> pb.SubjectItem:
    return pb.SubjectItem(
        item_id=item.item_id,
        case_id=item.case_id,
        provider=item.provider,
        category=item.category,
        legal_basis=enum_out(pb.LegalBasis, "LEGAL_BASIS_", item.legal_basis),
        retracted=item.retracted,
        provided_at=to_timestamp(item.provided_at),
    )


def _obligation_out(ob: Mapping[str, Any]) -> common_pb2.Obligation:
    # The justification is free text: it stays in the sealed review, never in a response.
    detail = {k: v for k, v in ob.items() if k not in ("type", "fields", "justification")}
    return common_pb2.Obligation(
        kind=str(ob.get("type", "")),
        fields=[str(f) for f in ob.get("fields", []) or []],
        detail=json.dumps(detail, sort_keys=True, default=str)[:1000],
    )


def outcome_out(outcome: DisclosureOutcome) -> dict[str, Any]:
    """The fields RequestDisclosureResponse and BreakGlassResponse share."""
    released = [
        pb.DisclosedItem(
            item_id=r.item_id,
            case_id=r.case_id,
            category=r.category,
            provider=r.provider,
            content_type=r.content_type,
            content=r.content,
            redacted_fields=r.redacted_fields,
            decision_id=r.decision_id,
            reasons=r.reasons,
            obligations=[_obligation_out(o) for o in r.obligations],
        )
        for r in outcome.released
    ]
    denied = [
        pb.DeniedItem(
            item_id=d.item_id,
            decision_id=d.decision_id,
            reasons=d.reasons,
            outside_need=d.outside_need,
        )
        for d in outcome.denied
    ]
    return {"items": released, "denied": denied, "policy_revision": outcome.revision}


def review_out(r: Review) -> pb.Review:
    return pb.Review(
        review_id=r.review_id,
        decision_id=r.decision_id,
        case_id=r.case_id,
        item_id=r.item_id,
        provider=r.provider,
        party=r.party,
        person=r.person,
        consulted_colleague=r.consulted_colleague,
        justification=r.justification,
        client_informed=r.client_informed,
        created_at=to_timestamp(r.created_at),
    )


def consent_out(c: Consent) -> pb.ConsentRecord:
    return pb.ConsentRecord(
        consent_id=c.consent_id,
        kind=c.kind,
        case_id=c.case_id,
        item_id=c.item_id or "",
        given_by=c.given_by,
        scope_categories=list(c.scope),
        recipient=c.recipient or "",
        document_ref=c.document_ref,
        recorded_by_party=c.recorded_by_party,
        recorded_by_person=c.recorded_by_person,
        recorded_at=to_timestamp(c.recorded_at),
        withdrawn_at=to_timestamp(c.withdrawn_at),
        withdrawn_by_party=c.withdrawn_by_party or "",
        withdrawn_by_person=c.withdrawn_by_person or "",
        withdrawal_document_ref=c.withdrawal_document_ref or "",
    )


def subject_request_out(r: SubjectRequest, now: datetime | None = None) -> pb.SubjectRequestRecord:
    """The request as listed; ``now`` (default: the current time) decides ``overdue``."""
    return pb.SubjectRequestRecord(
        subject_request_id=r.subject_request_id,
        kind=enum_out(pb.SubjectRequestKind, "SUBJECT_REQUEST_KIND_", r.kind),
        subject_pseudonym=r.subject_pseudonym,
        case_id=r.case_id or "",
        item_id=r.item_id or "",
        document_ref=r.document_ref,
        outcome=enum_out(pb.SubjectRequestOutcome, "SUBJECT_REQUEST_OUTCOME_", r.outcome),
        refusal_ground=enum_out(pb.RefusalGround, "REFUSAL_GROUND_", r.refusal_ground),
        reason=r.reason or "",
        submitted_at=to_timestamp(r.submitted_at),
        decided_at=to_timestamp(r.decided_at),
        controller=r.controller or r.submitted_by_party,
        due_at=to_timestamp(r.due()),
        overdue=r.overdue(now or datetime.now(timezone.utc)),
    )


def correction_notice_out(n: CorrectionNotice) -> pb.CorrectionNotice:
    return pb.CorrectionNotice(
        subject_request_id=n.subject_request_id,
        item_id=n.item_id,
        case_id=n.case_id,
        provider=n.provider,
        decided_at=to_timestamp(n.decided_at),
        superseded_by=n.superseded_by or "",
    )


def breach_out(b: Breach) -> pb.Breach:
    return pb.Breach(
        breach_id=b.breach_id,
        detected_at=to_timestamp(b.detected_at),
        recorded_at=to_timestamp(b.recorded_at),
        recorded_by_party=b.recorded_by_party,
        nature=b.nature,
        data_categories=list(b.data_categories),
        subjects_affected=b.subjects_affected,
        case_ids=list(b.case_ids),
        consequences=b.consequences,
        measures=b.measures,
        reported_to_authority=b.reported_to_authority,
        reported_at=to_timestamp(b.reported_at),
        subjects_informed=b.subjects_informed,
    )


def activity_out(a: Mapping[str, Any]) -> pb.ProcessingActivity:
    return pb.ProcessingActivity(
        id=a["id"],
        version=a["version"],
        name=a["name"],
        controller=a["controller"],
        purpose=a["purpose"],
        subject_categories=a["subject_categories"],
        data_categories=a["data_categories"],
        recipients=a["recipients"],
        legal_basis=a["legal_basis"],
        transfers_outside_eea=a["transfers_outside_eea"],
        retention=a["retention"],
    )


def notice_out(n: OverrideNotice, today: date) -> pb.OverrideNotice:
    """A safety override as its provider and overriding party see it: no free text."""
    return pb.OverrideNotice(
        decision_id=n.decision_id,
        item_id=n.item_id,
        case_id=n.case_id,
        provider=n.provider,
        party=n.party,
        person=n.person,
        overridden_at=to_timestamp(n.overridden_at),
        client_informed_status=CLIENT_INFORMED_STATUS.get(n.status, 0),
        client_to_be_informed_by=(
            n.to_be_informed_by.isoformat() if n.to_be_informed_by and n.status == NOT_YET else ""
        ),
        client_informed_at=to_timestamp(n.informed_at),
        overdue=n.overdue(today),
    )

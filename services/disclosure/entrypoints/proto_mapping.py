"""Proto <-> disclosure: requests into commands (the caller's mistakes as INVALID_ARGUMENT
naming the field, through the kernel's conversions) and domain values into responses."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import Any

from google.protobuf.message import Message

from services.disclosure.domain import commands
from services.disclosure.domain.decisions import Review
from services.disclosure.domain.items import Terms
from services.disclosure.domain.subject_rights import Breach, CorrectionNotice, SubjectRequest
from services.disclosure.domain.times import rfc3339
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.kernel.accesslog.wire import checkpoint_in
from zorgtafel.kernel.callcontext import RefusedCall
from zorgtafel.kernel.convert import enum_name, optional_timestamp
from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.kernel.paging import Window, time_and_id

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SERVICE = pb.DESCRIPTOR.services_by_name["DisclosureService"].full_name
# The methods that would release information: a refused call to them is an attempt the
# access log keeps (NEN 7513), under this action.
RELEASING = {f"/{SERVICE}/RequestDisclosure": "read", f"/{SERVICE}/BreakGlass": "break_glass"}


# -- requests -> commands ------------------------------------------------------------------------
def terms_in(request: Any) -> Terms:
    if not request.HasField("terms"):
        raise InvalidArgument("terms", "required: the provider's usage terms (art. 16.2)")
    t = request.terms
    return Terms(
        tuple(t.recipient_parties),
        tuple(t.recipient_roles),
        tuple(t.purposes),
        t.onward_sharing_allowed,
        tuple(t.summary_only_fields),
        optional_timestamp(t, "expires_at", "terms.expires_at"),
        t.pre_read_allowed,
    )


def provide_in(request: pb.ProvideRequest) -> commands.Provide:
    return commands.Provide(
        case_id=request.case_id,
        category=request.category,
        classification=enum_name(
            pb.Classification, request.classification, "CLASSIFICATION_", "classification"
        ),
        legal_basis=enum_name(pb.LegalBasis, request.legal_basis, "LEGAL_BASIS_", "legal_basis"),
        content_type=request.content_type,
        content=request.content,
        terms=terms_in(request),
        field_summaries=dict(request.field_summaries),
        supersedes=request.supersedes,
    )


def set_usage_terms_in(request: pb.SetUsageTermsRequest) -> commands.SetUsageTerms:
    return commands.SetUsageTerms(item_id=request.item_id, terms=terms_in(request))


def consent_in(
    request: pb.RecordConsentRequest,
) -> commands.RecordSubjectConsent | commands.RecordProviderConsent:
    which = request.WhichOneof("consent")
    if which == "subject":
        c = request.subject
        return commands.RecordSubjectConsent(
            case_id=c.case_id,
            given_by=enum_name(pb.ConsentGiver, c.given_by, "CONSENT_GIVER_", "subject.given_by"),
            scope=tuple(c.scope_categories),
            document_ref=c.document_ref,
            given_at=optional_timestamp(c, "given_at", "subject.given_at"),
        )
    if which == "provider_written":
        p = request.provider_written
        return commands.RecordProviderConsent(
            item_id=p.item_id,
            third_party=p.third_party,
            document_ref=p.document_ref,
            given_at=optional_timestamp(p, "given_at", "provider_written.given_at"),
        )
    raise InvalidArgument("consent", "required: subject or provider_written")


def withdraw_consent_in(request: pb.WithdrawConsentRequest) -> commands.WithdrawConsent:
    return commands.WithdrawConsent(
        consent_id=request.consent_id,
        document_ref=request.document_ref,
        withdrawn_at=optional_timestamp(request, "withdrawn_at", "withdrawn_at"),
    )


def disclosure_in(
    request: pb.RequestDisclosureRequest, trace: tuple[str, str], person: str = ""
) -> commands.RequestDisclosure:
    return commands.RequestDisclosure(
        action=enum_name(pb.DisclosureAction, request.action, "DISCLOSURE_ACTION_", "action"),
        purpose=request.purpose,
        item_ids=tuple(request.item_ids),
        case_id=request.case_id,
        category=request.category,
        third_party=request.third_party,
        trace_id=trace[0],
        span_id=trace[1],
        request_id=request.request_id,
        request_digest=request_digest(f"/{SERVICE}/RequestDisclosure", person, request)
        if request.request_id
        else "",
    )


def request_digest(method: str, person: str, request: Message) -> str:
    """The request as the kernel's command runner keys it: the method, the person (a stored
    answer is the asking person's, ADR 0005) and the request's deterministic bytes."""
    body = request.SerializeToString(deterministic=True)
    return hashlib.sha256(method.encode() + b"\0" + person.encode() + b"\0" + body).hexdigest()


def verify_log_in(request: pb.VerifyLogRequest) -> commands.VerifyLog:
    return commands.VerifyLog(trusted=tuple(checkpoint_in(c) for c in request.trusted))


def break_glass_in(
    request: pb.BreakGlassRequest, trace: tuple[str, str]
) -> commands.RequestDisclosure:
    return commands.RequestDisclosure(
        action="read",
        purpose=request.purpose,
        item_ids=tuple(request.item_ids),
        case_id=request.case_id,
        category=request.category,
        trace_id=trace[0],
        span_id=trace[1],
        break_glass=commands.BreakGlass(
            justification=request.justification,
            consulted_colleague=request.consulted_colleague,
            client_informed=request.client_informed,
            client_informed_status=enum_name(
                pb.ClientInformedStatus,
                request.client_informed_status,
                "CLIENT_INFORMED_STATUS_",
                "client_informed_status",
            ),
            client_to_be_informed_by=date_in(
                request.client_to_be_informed_by, "client_to_be_informed_by"
            ),
        ),
    )


def date_in(value: str, field: str) -> date | None:
    """An ISO 8601 calendar date, YYYY-MM-DD exactly (no other spelling), or None if empty."""
    if not value:
        return None
    if not ISO_DATE.fullmatch(value):
        raise InvalidArgument(field, "a date as YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidArgument(field, "not a calendar date") from None


def override_notices_in(request: pb.ListOverrideNoticesRequest) -> commands.ListOverrideNotices:
    return commands.ListOverrideNotices(provider=request.provider)


def informing_tasks_in(request: pb.ListInformingTasksRequest) -> commands.ListInformingTasks:
    return commands.ListInformingTasks(party=request.party)


def client_informed_in(request: pb.RecordClientInformedRequest) -> commands.RecordClientInformed:
    return commands.RecordClientInformed(
        decision_id=request.decision_id,
        how=request.how,
        informed_at=optional_timestamp(request, "informed_at"),
    )


def access_log_in(request: pb.AccessLogRequest, w: Window) -> commands.QueryAccessLog:
    by = request.WhichOneof("filter") or ""
    return commands.QueryAccessLog(
        by=by,
        value=getattr(request, by) if by else "",
        limit=request.limit,
        include_proof=request.include_proof,
        page_offset=w.offset,
        page_size=w.size,
        page_digest=w.digest,
        page_after=w.after,
    )


def subject_request_in(request: pb.SubmitSubjectRequestRequest) -> commands.SubmitSubjectRequest:
    return commands.SubmitSubjectRequest(
        kind=enum_name(pb.SubjectRequestKind, request.kind, "SUBJECT_REQUEST_KIND_", "kind"),
        subject_pseudonym=request.subject_pseudonym,
        document_ref=request.document_ref,
        case_id=request.case_id,
        item_id=request.item_id,
        controller=request.controller,
    )


def subject_requests_in(
    request: pb.ListSubjectRequestsRequest, w: Window
) -> commands.ListSubjectRequests:
    kind = (
        enum_name(pb.SubjectRequestKind, request.kind, "SUBJECT_REQUEST_KIND_", "kind")
        if request.kind
        else ""
    )
    return commands.ListSubjectRequests(
        subject_pseudonym=request.subject_pseudonym,
        kind=kind,
        overdue_only=request.overdue_only,
        after=time_and_id(w.after),
        limit=w.limit,
    )


def reviews_in(request: pb.ListReviewsRequest, w: Window) -> commands.ListReviews:
    return commands.ListReviews(case_id=request.case_id, after=time_and_id(w.after), limit=w.limit)


def review_key(r: Review) -> tuple[str, str]:
    """What the next page's token continues after (a time and an id: no content)."""
    return rfc3339(r.created_at), r.review_id


def subject_request_key(r: SubjectRequest) -> tuple[str, str]:
    """What the next page's token continues after (a time and an id: no content)."""
    return rfc3339(r.submitted_at), r.subject_request_id


def correction_notices_in(
    request: pb.ListCorrectionNoticesRequest, w: Window
) -> commands.ListCorrectionNotices:
    return commands.ListCorrectionNotices(
        provider=request.provider, after=time_and_id(w.after), limit=w.limit
    )


def correction_notice_key(n: CorrectionNotice) -> tuple[str, str]:
    """What the next page's token continues after (a time and an id: no content). A notice
    always has its decision time: the list leaves out a granted request without one."""
    assert n.decided_at is not None
    return rfc3339(n.decided_at), n.subject_request_id


def breaches_in(w: Window) -> commands.ListBreaches:
    return commands.ListBreaches(after=time_and_id(w.after), limit=w.limit)


def breach_key(b: Breach) -> tuple[str, str]:
    """What the next page's token continues after (a time and an id: no content)."""
    return rfc3339(b.recorded_at), b.breach_id


def decision_in(request: pb.DecideSubjectRequestRequest) -> commands.DecideSubjectRequest:
    return commands.DecideSubjectRequest(
        subject_request_id=request.subject_request_id,
        outcome=enum_name(
            pb.SubjectRequestOutcome, request.outcome, "SUBJECT_REQUEST_OUTCOME_", "outcome"
        ),
        refusal_ground=enum_name(
            pb.RefusalGround, request.refusal_ground, "REFUSAL_GROUND_", "refusal_ground"
        ),
        reason=request.reason,
    )


def breach_in(request: pb.RecordBreachRequest) -> commands.RecordBreach:
    if not request.HasField("breach"):
        raise InvalidArgument("breach", "required")
    b = request.breach
    return commands.RecordBreach(
        detected_at=optional_timestamp(b, "detected_at", "breach.detected_at"),
        nature=b.nature,
        data_categories=tuple(b.data_categories),
        subjects_affected=b.subjects_affected,
        case_ids=tuple(b.case_ids),
        consequences=b.consequences,
        measures=b.measures,
        reported_to_authority=b.reported_to_authority,
        reported_at=optional_timestamp(b, "reported_at", "breach.reported_at"),
        subjects_informed=b.subjects_informed,
    )


def export_register_in(request: pb.ExportRegisterRequest) -> commands.ExportRegister:
    return commands.ExportRegister(
        register=enum_name(pb.Register, request.register, "REGISTER_", "register")
    )


def refusal_in(refused: RefusedCall) -> commands.RecordRefusal | None:
    """A refused call as the access log keeps it; None when the method releases nothing."""
    action = RELEASING.get(refused.method)
    if action is None:
        return None
    request = refused.request
    return commands.RecordRefusal(
        action=action,
        purpose=str(getattr(request, "purpose", "") or ""),
        item_ids=tuple(getattr(request, "item_ids", ())),
        decision_id=refused.decision_id,
        reasons=tuple(refused.reasons),
        policy_revision=refused.policy_revision or "",
        trace_id=refused.trace_id,
        span_id=refused.span_id,
    )


# -- domain -> responses --------------------------------------------------------------------------

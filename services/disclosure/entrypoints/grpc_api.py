"""gRPC servicer: proto -> command -> handler -> proto, nothing else. Mutating commands go
through ``execute_once``; disclosures do not: every request is a new decision that is logged,
and a stored response would keep content outside the encrypted columns."""

from __future__ import annotations

import json
from datetime import timezone

from google.protobuf.timestamp_pb2 import Timestamp

from services.disclosure.domain.model import Caller, Terms
from services.disclosure.service_layer import handlers as h
from zorgtafel.common.v1 import common_pb2
from zorgtafel.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.disclosure.v1 import disclosure_pb2_grpc as pb_grpc
from zorgtafel.kernel.callcontext import current
from zorgtafel.kernel.commands import execute_once
from zorgtafel.kernel.errors import InvalidArgument

SERVICE = "/zorgtafel.disclosure.v1.DisclosureService/"


def _caller() -> Caller:
    ctx = current()
    p = ctx.principal
    return Caller(party=p.party, person=p.person, role=p.role, party_status=ctx.party_status)


def _ts(value) -> Timestamp | None:
    if value is None:
        return None
    ts = Timestamp()
    ts.FromDatetime(value.astimezone(timezone.utc))
    return ts


def _dt(ts: Timestamp, present: bool):
    return ts.ToDatetime(tzinfo=timezone.utc) if present else None


def _enum(proto_enum, value: int, prefix: str, field: str) -> str:
    if value == 0:
        return ""
    try:
        return proto_enum.Name(value).removeprefix(prefix).lower()
    except ValueError as exc:
        raise InvalidArgument(field, "unknown enum value") from exc


def _enum_value(proto_enum, prefix: str, name: str) -> int:
    try:
        return proto_enum.Value(prefix + (name or "unspecified").upper())
    except ValueError:
        return 0


def terms_from_proto(t: common_pb2.UsageTerms, present: bool) -> Terms:
    if not present:
        raise InvalidArgument("terms", "required: the provider's usage terms (art. 16.2)")
    return Terms(tuple(t.recipient_parties), tuple(t.recipient_roles), tuple(t.purposes),
                 t.onward_sharing_allowed, tuple(t.summary_only_fields),
                 _dt(t.expires_at, t.HasField("expires_at")), t.pre_read_allowed)


def terms_to_proto(terms: Terms) -> common_pb2.UsageTerms:
    return common_pb2.UsageTerms(
        recipient_parties=list(terms.recipient_parties), recipient_roles=list(terms.recipient_roles),
        purposes=list(terms.purposes), onward_sharing_allowed=terms.onward_sharing_allowed,
        summary_only_fields=list(terms.summary_only_fields), expires_at=_ts(terms.expires_at),
        pre_read_allowed=terms.pre_read_allowed)


def item_to_proto(row) -> pb.ItemRef:
    return pb.ItemRef(
        item_id=row.item_id, case_id=row.case_id, provider=row.provider, category=row.category,
        classification=_enum_value(pb.Classification, "CLASSIFICATION_", row.classification),
        legal_basis=_enum_value(pb.LegalBasis, "LEGAL_BASIS_", row.legal_basis),
        content_type=row.content_type, retracted=bool(row.retracted),
        provided_at=_ts(row.provided_at), terms=terms_to_proto(h._terms_of(row)))


def log_entry_to_proto(r: dict) -> pb.AccessLogEntry:
    return pb.AccessLogEntry(
        seq=r["seq"], decision_id=r["decision_id"], time=_ts(r["recorded_at"]), party=r["party"],
        person=r["person"], role=r["role"], action=r["action"], purpose=r["purpose"],
        resource=r["resource"], subject_pseudonym=r["subject_pseudonym"], case_id=r["case_id"],
        provider=r["provider"], result=r["result"], reasons=list(r["reasons"]),
        policy_revision=r["policy_revision"], trace_id=r["trace_id"], span_id=r["span_id"],
        processing_activity=r["processing_activity"], emergency=bool(r["emergency"]),
        prev_hash=r["prev_hash"], hash=r["hash"])


def _obligation_to_proto(ob: dict) -> common_pb2.Obligation:
    detail = {k: v for k, v in ob.items() if k not in ("type", "fields", "justification")}
    return common_pb2.Obligation(kind=str(ob.get("type", "")),
                                 fields=[str(f) for f in ob.get("fields", []) or []],
                                 detail=json.dumps(detail, sort_keys=True, default=str)[:1000])


def _outcome_items(outcome: h.DisclosureOutcome):
    released = [pb.DisclosedItem(
        item_id=r.item_id, case_id=r.case_id, category=r.category, provider=r.provider,
        content_type=r.content_type, content=r.content, redacted_fields=r.redacted_fields,
        decision_id=r.decision_id, reasons=r.reasons,
        obligations=[_obligation_to_proto(o) for o in r.obligations])
        for r in outcome.released]
    denied = [pb.DeniedItem(item_id=d.item_id, decision_id=d.decision_id, reasons=d.reasons)
              for d in outcome.denied]
    return released, denied


def _trace(context) -> tuple[str, str]:
    """Trace and span ids for the access log (Logboek Dataverwerkingen): the call context's
    (the kernel's server span) when tracing is on, else the caller's ``traceparent``."""
    from services.disclosure.domain.model import parse_traceparent
    ctx = current()
    trace_id, span_id = getattr(ctx, "trace_id", ""), getattr(ctx, "span_id", "")
    if trace_id and span_id:
        return trace_id, span_id
    md = {k.lower(): v for k, v in (context.invocation_metadata() or ()) if isinstance(v, str)}
    return parse_traceparent(md.get("traceparent"))


def consent_to_proto(c) -> pb.ConsentRecord:
    return pb.ConsentRecord(
        consent_id=c.consent_id, kind=c.kind, case_id=c.case_id, item_id=c.item_id or "",
        given_by=c.given_by, scope_categories=json.loads(c.scope or "[]"),
        recipient=c.recipient or "", document_ref=c.document_ref,
        recorded_by_party=c.recorded_by_party, recorded_by_person=c.recorded_by_person,
        recorded_at=_ts(c.recorded_at))


def subject_request_to_proto(r) -> pb.SubjectRequestRecord:
    return pb.SubjectRequestRecord(
        subject_request_id=r.subject_request_id,
        kind=_enum_value(pb.SubjectRequestKind, "SUBJECT_REQUEST_KIND_", r.kind),
        subject_pseudonym=r.subject_pseudonym, case_id=r.case_id or "", item_id=r.item_id or "",
        document_ref=r.document_ref,
        outcome=_enum_value(pb.SubjectRequestOutcome, "SUBJECT_REQUEST_OUTCOME_", r.outcome or ""),
        refusal_ground=_enum_value(pb.RefusalGround, "REFUSAL_GROUND_", r.refusal_ground or ""),
        reason=r.reason or "", submitted_at=_ts(r.submitted_at), decided_at=_ts(r.decided_at))


def breach_to_proto(b: dict) -> pb.Breach:
    return pb.Breach(
        breach_id=b["breach_id"], detected_at=_ts(b["detected_at"]),
        recorded_at=_ts(b["recorded_at"]), recorded_by_party=b["recorded_by_party"],
        nature=b["nature"], data_categories=b["data_categories"],
        subjects_affected=b["subjects_affected"], case_ids=b["case_ids"],
        consequences=b["consequences"], measures=b["measures"],
        reported_to_authority=b["reported_to_authority"], reported_at=_ts(b["reported_at"]),
        subjects_informed=b["subjects_informed"])


def breach_to_json(b: dict) -> dict:
    out = dict(b)
    for k in ("detected_at", "recorded_at", "reported_at"):
        out[k] = b[k].astimezone(timezone.utc).isoformat() if b[k] else None
    return out


class DisclosureServicer(pb_grpc.DisclosureServiceServicer):
    def __init__(self, deps: h.Deps) -> None:
        self._deps = deps
        self._uow = deps.uow_factory

    # -- commands (idempotent) -----------------------------------------------------------
    def _once(self, method: str, request, response_type, effect, case_id_of=lambda r: None):
        caller = _caller()
        response = execute_once(self._uow, party=caller.party, method=SERVICE + method,
                                request=request, response_type=response_type,
                                effect=lambda uow: effect(uow, caller), case_id_of=case_id_of)
        self._deps.wake_relay()
        return response

    def Provide(self, request, context):
        def effect(uow, caller):
            cmd = h.Provide(
                case_id=request.case_id, category=request.category,
                classification=_enum(pb.Classification, request.classification,
                                     "CLASSIFICATION_", "classification"),
                legal_basis=_enum(pb.LegalBasis, request.legal_basis, "LEGAL_BASIS_",
                                  "legal_basis"),
                content_type=request.content_type, content=request.content,
                terms=terms_from_proto(request.terms, request.HasField("terms")),
                field_summaries=dict(request.field_summaries))
            return pb.ProvideResponse(item_id=h.provide(uow, self._deps, caller, cmd))
        return self._once("Provide", request, pb.ProvideResponse, effect,
                          case_id_of=lambda r: request.case_id or None)

    def SetUsageTerms(self, request, context):
        def effect(uow, caller):
            row = h.set_usage_terms(uow, self._deps, caller, request.item_id,
                                    terms_from_proto(request.terms, request.HasField("terms")))
            return pb.SetUsageTermsResponse(item=item_to_proto(row))
        return self._once("SetUsageTerms", request, pb.SetUsageTermsResponse, effect,
                          case_id_of=lambda r: r.item.case_id or None)

    def Retract(self, request, context):
        def effect(uow, caller):
            return pb.RetractResponse(item=item_to_proto(
                h.retract(uow, self._deps, caller, request.item_id)))
        return self._once("Retract", request, pb.RetractResponse, effect,
                          case_id_of=lambda r: r.item.case_id or None)

    def RecordConsent(self, request, context):
        which = request.WhichOneof("consent")
        if which is None:
            raise InvalidArgument("consent", "required: subject or provider_written")

        def effect(uow, caller):
            if which == "subject":
                c = request.subject
                cid = h.record_subject_consent(
                    uow, caller, case_id=c.case_id,
                    given_by=_enum(pb.ConsentGiver, c.given_by, "CONSENT_GIVER_",
                                   "subject.given_by"),
                    scope=list(c.scope_categories), document_ref=c.document_ref,
                    given_at=_dt(c.given_at, c.HasField("given_at")))
            else:
                c = request.provider_written
                cid = h.record_provider_consent(
                    uow, caller, item_id=c.item_id, third_party=c.third_party,
                    document_ref=c.document_ref, given_at=_dt(c.given_at, c.HasField("given_at")))
            return pb.RecordConsentResponse(consent_id=cid)
        return self._once("RecordConsent", request, pb.RecordConsentResponse, effect)

    # -- disclosure ----------------------------------------------------------------------
    def RequestDisclosure(self, request, context):
        trace_id, span_id = _trace(context)
        req = h.DisclosureRequest(
            action=_enum(pb.DisclosureAction, request.action, "DISCLOSURE_ACTION_", "action"),
            purpose=request.purpose, item_ids=tuple(request.item_ids), case_id=request.case_id,
            category=request.category, third_party=request.third_party, trace_id=trace_id,
            span_id=span_id)
        outcome = h.request_disclosure(self._deps, _caller(), req)
        released, denied = _outcome_items(outcome)
        return pb.RequestDisclosureResponse(items=released, denied=denied,
                                            policy_revision=outcome.revision)

    def BreakGlass(self, request, context):
        from services.disclosure.domain.model import PERSON_RE, check_free_text
        justification = check_free_text(request.justification, "justification")
        colleague = (request.consulted_colleague or "").strip()
        if not colleague:
            raise InvalidArgument("consulted_colleague", "required: the colleague consulted "
                                  "before the safety override (Bijlage 3)")
        if not PERSON_RE.match(colleague):
            raise InvalidArgument("consulted_colleague", "a pseudonymous person id of "
                                  "[A-Za-z0-9._:@-]")
        informed = (request.client_informed or "").strip()
        if len(informed) > 2000:
            raise InvalidArgument("client_informed", "at most 2000 characters")
        trace_id, span_id = _trace(context)
        req = h.DisclosureRequest(
            action="read", purpose=request.purpose, item_ids=tuple(request.item_ids),
            case_id=request.case_id, category=request.category, trace_id=trace_id,
            span_id=span_id, break_glass={"justification": justification,
                                          "consulted_colleague": colleague,
                                          "client_informed": informed})
        outcome = h.request_disclosure(self._deps, _caller(), req)
        released, denied = _outcome_items(outcome)
        return pb.BreakGlassResponse(items=released, denied=denied,
                                     policy_revision=outcome.revision)

    # -- reviews and the access log -----------------------------------------------------
    def ListReviews(self, request, context):
        with self._uow() as uow:
            rows = h.list_reviews(uow, self._deps, request.case_id)
        return pb.ListReviewsResponse(reviews=[pb.Review(
            review_id=r["review_id"], decision_id=r["decision_id"], case_id=r["case_id"],
            item_id=r["item_id"], provider=r["provider"], party=r["party"], person=r["person"],
            consulted_colleague=r["consulted_colleague"], justification=r["justification"],
            client_informed=r["client_informed"], created_at=_ts(r["created_at"]))
            for r in rows])

    def AccessLog(self, request, context):
        by = request.WhichOneof("filter")
        if by is None:
            raise InvalidArgument("filter", "required: subject_pseudonym, provider or party")
        with self._uow() as uow:
            rows = h.query_access_log(uow, self._deps, _caller(), by=by,
                                      value=getattr(request, by), limit=request.limit)
        return pb.AccessLogResponse(entries=[log_entry_to_proto(r) for r in rows])

    def VerifyLog(self, request, context):
        with self._uow() as uow:
            report = h.verify_log(uow)
        return pb.VerifyLogResponse(intact=report.intact, records=report.records,
                                    first_bad_seq=report.first_bad_seq,
                                    problems=report.problems)

    # -- subject rights -------------------------------------------------------------------
    def SubjectAccessReport(self, request, context):
        with self._uow() as uow:
            rep = h.subject_access_report(uow, request.subject_pseudonym)
        return pb.SubjectAccessReportResponse(
            subject_pseudonym=request.subject_pseudonym,
            items=[pb.SubjectItem(
                item_id=i.item_id, case_id=i.case_id, provider=i.provider, category=i.category,
                legal_basis=_enum_value(pb.LegalBasis, "LEGAL_BASIS_", i.legal_basis),
                retracted=bool(i.retracted), provided_at=_ts(i.provided_at))
                for i in rep["items"]],
            consents=[consent_to_proto(c) for c in rep["consents"]],
            accesses=[log_entry_to_proto(r) for r in rep["accesses"]],
            requests=[subject_request_to_proto(r) for r in rep["requests"]])

    def SubmitSubjectRequest(self, request, context):
        def effect(uow, caller):
            ref = h.submit_subject_request(
                uow, caller,
                kind=_enum(pb.SubjectRequestKind, request.kind, "SUBJECT_REQUEST_KIND_", "kind"),
                subject_pseudonym=request.subject_pseudonym, case_id=request.case_id,
                item_id=request.item_id, document_ref=request.document_ref)
            return pb.SubmitSubjectRequestResponse(subject_request_id=ref)
        return self._once("SubmitSubjectRequest", request, pb.SubmitSubjectRequestResponse,
                          effect)

    def DecideSubjectRequest(self, request, context):
        def effect(uow, caller):
            row = h.decide_subject_request(
                uow, self._deps, caller, ref=request.subject_request_id,
                outcome=_enum(pb.SubjectRequestOutcome, request.outcome,
                              "SUBJECT_REQUEST_OUTCOME_", "outcome"),
                refusal_ground=_enum(pb.RefusalGround, request.refusal_ground,
                                     "REFUSAL_GROUND_", "refusal_ground"),
                reason=request.reason)
            return pb.DecideSubjectRequestResponse(request=subject_request_to_proto(row))
        return self._once("DecideSubjectRequest", request, pb.DecideSubjectRequestResponse,
                          effect)

    def ListSubjectRequests(self, request, context):
        with self._uow() as uow:
            rows = h.list_subject_requests(uow, request.subject_pseudonym)
        return pb.ListSubjectRequestsResponse(requests=[subject_request_to_proto(r)
                                                        for r in rows])

    # -- registers --------------------------------------------------------------------------
    def ListProcessingActivities(self, request, context):
        return pb.ListProcessingActivitiesResponse(activities=[pb.ProcessingActivity(
            id=a["id"], version=a["version"], name=a["name"], controller=a["controller"],
            purpose=a["purpose"], subject_categories=a["subject_categories"],
            data_categories=a["data_categories"], recipients=a["recipients"],
            legal_basis=a["legal_basis"], transfers_outside_eea=a["transfers_outside_eea"],
            retention=a["retention"]) for a in self._deps.register.activities])

    def RecordBreach(self, request, context):
        b = request.breach

        def effect(uow, caller):
            ref = h.record_breach(uow, caller, {
                "detected_at": _dt(b.detected_at, b.HasField("detected_at")),
                "nature": b.nature, "data_categories": list(b.data_categories),
                "subjects_affected": b.subjects_affected, "case_ids": list(b.case_ids),
                "consequences": b.consequences, "measures": b.measures,
                "reported_to_authority": b.reported_to_authority,
                "reported_at": _dt(b.reported_at, b.HasField("reported_at")),
                "subjects_informed": b.subjects_informed})
            return pb.RecordBreachResponse(breach_id=ref)
        if not request.HasField("breach"):
            raise InvalidArgument("breach", "required")
        return self._once("RecordBreach", request, pb.RecordBreachResponse, effect)

    def ListBreaches(self, request, context):
        with self._uow() as uow:
            rows = h.list_breaches(uow)
        return pb.ListBreachesResponse(breaches=[breach_to_proto(b) for b in rows])

    def ExportRegister(self, request, context):
        if request.register == pb.REGISTER_PROCESSING:
            doc = self._deps.register.export_json()
        elif request.register == pb.REGISTER_BREACHES:
            with self._uow() as uow:
                rows = h.list_breaches(uow)
            doc = json.dumps({"register": "data breaches (GDPR art. 33(5), Bijlage 3)",
                              "breaches": [breach_to_json(b) for b in rows]},
                             indent=2, sort_keys=True).encode()
        else:
            raise InvalidArgument("register", "required: REGISTER_PROCESSING or "
                                  "REGISTER_BREACHES")
        return pb.ExportRegisterResponse(media_type="application/json", document=doc)

"""gRPC servicer: proto -> command -> handler -> proto, nothing else. Mutating commands go
through the kernel's idempotent command runner; disclosures do not (a stored response would
keep content outside the encrypted columns, and a release is never given on an earlier
decision): the handler decides and logs a repeat again (``handlers/disclosure.py``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

from services.disclosure.adapters.uow import DisclosureUnitOfWork
from services.disclosure.domain import commands
from services.disclosure.domain.decisions import parse_traceparent
from services.disclosure.domain.register import ListProcessingActivityHistory
from services.disclosure.entrypoints import proto_mapping as m
from services.disclosure.entrypoints import proto_results as results
from services.disclosure.entrypoints import register_mapping
from services.disclosure.service_layer.deps import Deps
from services.disclosure.service_layer.handlers import (
    audit,
    consents,
    disclosure,
    items,
    notices,
    registers,
    subject_report,
    subject_rights,
)
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.generated.disclosure.v1 import disclosure_pb2_grpc as pb_grpc
from zorgtafel.kernel.accesslog.wire import log_entry_out, verify_out
from zorgtafel.kernel.callcontext import current, current_caller
from zorgtafel.kernel.commands import Commands
from zorgtafel.kernel.paging import window
from zorgtafel.kernel.subjectdata.servicer import subject_of
from zorgtafel.kernel.uow import utcnow

T = TypeVar("T")


def _trace(context: Any) -> tuple[str, str]:
    """Trace and span ids for the access log (Logboek Dataverwerkingen): the call context's
    (the kernel's server span) when tracing is on, else the caller's ``traceparent``."""
    ctx = current()
    if ctx.trace_id and ctx.span_id:
        return ctx.trace_id, ctx.span_id
    md = {k.lower(): v for k, v in (context.invocation_metadata() or ()) if isinstance(v, str)}
    return parse_traceparent(md.get("traceparent"))


class DisclosureServicer(pb_grpc.DisclosureServiceServicer):
    def __init__(
        self, deps: Deps, uow_factory: Callable[[], DisclosureUnitOfWork], commands_runner: Commands
    ) -> None:
        self._deps = deps
        self._uow = uow_factory
        self._commands = commands_runner

    def _run(
        self,
        rpc: str,
        request: Any,
        response_type: type,
        handler: Callable,
        cmd: Any,
        respond: Callable[[Any], Any],
        **kw: Any,
    ) -> Any:
        """An idempotent command: the handler's effect and its stored response, once."""
        return self._commands.run(
            rpc,
            request,
            response_type,
            lambda uow, caller: respond(handler(self._deps, uow, cmd, caller)),
            **kw,
        )

    def _query(self, handler: Callable[..., T], cmd: Any) -> T:
        with self._uow() as uow:
            return handler(self._deps, uow, cmd, current_caller())

    # -- items (art. 16.2) -----------------------------------------------------------------
    def Provide(self, request, context):
        return self._run(
            "Provide",
            request,
            pb.ProvideResponse,
            items.provide,
            m.provide_in(request),
            lambda item_id: pb.ProvideResponse(item_id=item_id),
        )

    def SetUsageTerms(self, request, context):
        return self._run(
            "SetUsageTerms",
            request,
            pb.SetUsageTermsResponse,
            items.set_usage_terms,
            m.set_usage_terms_in(request),
            lambda item: pb.SetUsageTermsResponse(item=results.item_out(item)),
            case_id_of=lambda r: r.item.case_id or None,
        )

    def Retract(self, request, context):
        return self._run(
            "Retract",
            request,
            pb.RetractResponse,
            items.retract,
            commands.Retract(item_id=request.item_id),
            lambda item: pb.RetractResponse(item=results.item_out(item)),
            case_id_of=lambda r: r.item.case_id or None,
        )

    def RecordConsent(self, request, context):
        cmd = m.consent_in(request)
        handler = (
            consents.record_subject_consent
            if isinstance(cmd, commands.RecordSubjectConsent)
            else consents.record_provider_consent
        )
        return self._run(
            "RecordConsent",
            request,
            pb.RecordConsentResponse,
            handler,
            cmd,
            lambda consent_id: pb.RecordConsentResponse(consent_id=consent_id),
        )

    def WithdrawConsent(self, request, context):
        return self._run(
            "WithdrawConsent",
            request,
            pb.WithdrawConsentResponse,
            consents.withdraw_consent,
            m.withdraw_consent_in(request),
            lambda consent: pb.WithdrawConsentResponse(consent=results.consent_out(consent)),
            case_id_of=lambda r: r.consent.case_id or None,
        )

    # -- disclosure ------------------------------------------------------------------------
    def RequestDisclosure(self, request, context):
        cmd = m.disclosure_in(request, _trace(context), current_caller().person)
        outcome = self._query(disclosure.request_disclosure, cmd)
        return pb.RequestDisclosureResponse(**results.outcome_out(outcome))

    def BreakGlass(self, request, context):
        outcome = self._query(
            disclosure.request_disclosure, m.break_glass_in(request, _trace(context))
        )
        return pb.BreakGlassResponse(**results.outcome_out(outcome))

    # -- the safety override followed up (Bijlage 3, art. 16.2) -----------------------------
    def ListOverrideNotices(self, request, context):
        shown, token = self._query(
            lambda deps, uow, cmd, caller: notices.list_override_notices(
                deps, uow, cmd, caller, window(request)
            ),
            m.override_notices_in(request),
        )
        today = utcnow().date()
        return pb.ListOverrideNoticesResponse(
            notices=[results.notice_out(n, today) for n in shown], next_page_token=token
        )

    def ListInformingTasks(self, request, context):
        shown, token = self._query(
            lambda deps, uow, cmd, caller: notices.list_informing_tasks(
                deps, uow, cmd, caller, window(request)
            ),
            m.informing_tasks_in(request),
        )
        today = utcnow().date()
        return pb.ListInformingTasksResponse(
            tasks=[results.notice_out(n, today) for n in shown], next_page_token=token
        )

    def RecordClientInformed(self, request, context):
        return self._run(
            "RecordClientInformed",
            request,
            pb.RecordClientInformedResponse,
            notices.record_client_informed,
            m.client_informed_in(request),
            lambda done: pb.RecordClientInformedResponse(
                notices=[results.notice_out(n, utcnow().date()) for n in done]
            ),
            case_id_of=lambda r: r.notices[0].case_id if r.notices else None,
        )

    # -- reviews and the access log --------------------------------------------------------
    def ListReviews(self, request, context):
        w = window(request)  # paged in SQL, by key: one more than shown says if more follow
        reviews = self._query(audit.list_reviews, m.reviews_in(request, w))
        shown, token = w.cut(reviews, m.review_key)
        return pb.ListReviewsResponse(
            reviews=[results.review_out(r) for r in shown], next_page_token=token
        )

    def AccessLog(self, request, context):
        # Paged in SQL, newest first, by key (every record of the filter, not only the newest).
        listed = self._query(audit.query_access_log, m.access_log_in(request, window(request)))
        return pb.AccessLogResponse(
            entries=[log_entry_out(r) for r in listed.records],
            next_page_token=listed.next_page_token,
        )

    def VerifyLog(self, request, context):
        verified = self._query(audit.verify_log, m.verify_log_in(request))
        return verify_out(verified.report, verified.latest)

    # -- subject rights --------------------------------------------------------------------
    def SubjectAccessReport(self, request, context):
        report = self._query(
            subject_rights.subject_access_report,
            commands.SubjectAccessReport(request.subject_pseudonym),
        )
        return pb.SubjectAccessReportResponse(
            subject_pseudonym=request.subject_pseudonym,
            items=[results.subject_item_out(i) for i in report.items],
            consents=[results.consent_out(c) for c in report.consents],
            accesses=[log_entry_out(r) for r in report.accesses],
            requests=[results.subject_request_out(r) for r in report.requests],
        )

    def SubmitSubjectRequest(self, request, context):
        return self._run(
            "SubmitSubjectRequest",
            request,
            pb.SubmitSubjectRequestResponse,
            subject_rights.submit_subject_request,
            m.subject_request_in(request),
            lambda ref: pb.SubmitSubjectRequestResponse(subject_request_id=ref),
        )

    def DecideSubjectRequest(self, request, context):
        answer = self._run(
            "DecideSubjectRequest",
            request,
            pb.DecideSubjectRequestResponse,
            subject_rights.decide_subject_request,
            m.decision_in(request),
            # The kernel stores this answer in plain text: without the request's free texts,
            # which stay sealed in the register and are read back below (also for a repeat).
            lambda decided: pb.DecideSubjectRequestResponse(
                request=results.subject_request_out(
                    dataclasses.replace(decided, document_ref="", reason=None)
                )
            ),
            # The stored answer names the case: linked, so the case's purge removes it.
            case_id_of=lambda r: r.request.case_id or None,
        )
        texts = self._query(subject_rights.decided_request_texts, answer.request.subject_request_id)
        if texts is not None:
            answer.request.document_ref = texts.document_ref
            answer.request.reason = texts.reason or ""
        return answer

    def ListSubjectRequests(self, request, context):
        w = window(request)  # paged in SQL, by key: one more than shown says if more follow
        listed = self._query(
            subject_rights.list_subject_requests, m.subject_requests_in(request, w)
        )
        shown, token = w.cut(listed, m.subject_request_key)
        now = utcnow()
        return pb.ListSubjectRequestsResponse(
            requests=[results.subject_request_out(r, now) for r in shown], next_page_token=token
        )

    def ListCorrectionNotices(self, request, context):
        w = window(request)  # paged in SQL, by key: one more than shown says if more follow
        listed = self._query(
            subject_rights.list_correction_notices, m.correction_notices_in(request, w)
        )
        shown, token = w.cut(listed, m.correction_notice_key)
        return pb.ListCorrectionNoticesResponse(
            notices=[results.correction_notice_out(n) for n in shown], next_page_token=token
        )

    # -- registers ---------------------------------------------------------------------------
    def ListProcessingActivities(self, request, context):
        w = window(request)  # paged in SQL: one more than shown says whether more follow
        activities = self._query(
            registers.list_processing_activities,
            commands.ListProcessingActivities(offset=w.offset, limit=w.limit),
        )
        shown, token = w.cut(activities)
        return pb.ListProcessingActivitiesResponse(
            activities=[register_mapping.activity_out(a) for a in shown], next_page_token=token
        )

    # The register maintained by the privacy officers (Bijlage 3, GDPR art. 30; issue #14).
    def AddProcessingActivity(self, request, context):
        return self._run(
            "AddProcessingActivity",
            request,
            pb.AddProcessingActivityResponse,
            registers.add_processing_activity,
            register_mapping.add_in(request),
            lambda a: pb.AddProcessingActivityResponse(activity=register_mapping.activity_out(a)),
        )

    def ChangeProcessingActivity(self, request, context):
        return self._run(
            "ChangeProcessingActivity",
            request,
            pb.ChangeProcessingActivityResponse,
            registers.change_processing_activity,
            register_mapping.change_in(request),
            lambda a: pb.ChangeProcessingActivityResponse(
                activity=register_mapping.activity_out(a)
            ),
        )

    def RetireProcessingActivity(self, request, context):
        return self._run(
            "RetireProcessingActivity",
            request,
            pb.RetireProcessingActivityResponse,
            registers.retire_processing_activity,
            register_mapping.retire_in(request),
            lambda a: pb.RetireProcessingActivityResponse(
                activity=register_mapping.activity_out(a)
            ),
        )

    def ListProcessingActivityHistory(self, request, context):
        w = window(request)  # paged in SQL: one more than shown says whether more follow
        changes = self._query(
            registers.list_processing_activity_history,
            ListProcessingActivityHistory(request.activity_id, offset=w.offset, limit=w.limit),
        )
        shown, token = w.cut(changes)
        return pb.ListProcessingActivityHistoryResponse(
            changes=[register_mapping.change_out(c) for c in shown], next_page_token=token
        )

    # -- one subject access report across the four services (issue #14) --------------------
    def SubjectDataReport(self, request, context):
        by, value = subject_of(request)
        metadata = {
            k.lower(): v for k, v in (context.invocation_metadata() or ()) if isinstance(v, str)
        }
        answers = subject_report.subject_data_report(
            self._deps,
            self._uow,
            subject_report.SubjectDataReport(by, value, metadata),
            current_caller(),
        )
        out = pb.SubjectDataReportResponse(
            services=[register_mapping.section_out(a) for a in answers]
        )
        out.assembled_at.GetCurrentTime()
        return out

    def RecordBreach(self, request, context):
        return self._run(
            "RecordBreach",
            request,
            pb.RecordBreachResponse,
            registers.record_breach,
            m.breach_in(request),
            lambda breach_id: pb.RecordBreachResponse(breach_id=breach_id),
        )

    def ListBreaches(self, request, context):
        w = window(request)  # paged in SQL, by key: one more than shown says if more follow
        listed = self._query(registers.list_breaches, m.breaches_in(w))
        shown, token = w.cut(listed, m.breach_key)
        return pb.ListBreachesResponse(
            breaches=[results.breach_out(b) for b in shown], next_page_token=token
        )

    def ExportRegister(self, request, context):
        document = self._query(registers.export_register, m.export_register_in(request))
        return pb.ExportRegisterResponse(media_type="application/json", document=document)

"""The governance servicer's RPCs for disputes, policy revisions and the annual report; a part of
``GovernanceServicer`` (``grpc_api``)."""

from __future__ import annotations

from services.governance.domain import commands as c
from services.governance.domain.disputes import DisputeAbout
from services.governance.entrypoints import proto_mapping as out
from services.governance.entrypoints.grpc_base import RpcBase, listed, one_key
from services.governance.service_layer.handlers import disputes, policy_revisions, report
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.kernel.callcontext import current_caller
from zorgtafel.kernel.convert import enum_in, enum_name
from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.kernel.paging import window


class DisputeRpcs(RpcBase):
    def RegisterDispute(self, request, context):
        cmd = c.RegisterDispute(
            enum_in(
                pb.DisputeAbout,
                DisputeAbout,
                request.about,
                "DISPUTE_ABOUT_",
                "about",
                required=True,
            ),
            request.case_id,
        )
        return self._run(
            "RegisterDispute",
            request,
            pb.RegisterDisputeResponse,
            disputes.register_dispute,
            cmd,
            lambda d: pb.RegisterDisputeResponse(dispute=out.dispute_out(d)),
        )

    def EscalateDispute(self, request, context):
        return self._run(
            "EscalateDispute",
            request,
            pb.EscalateDisputeResponse,
            disputes.escalate_dispute,
            c.EscalateDispute(request.dispute_id),
            lambda d: pb.EscalateDisputeResponse(dispute=out.dispute_out(d)),
        )

    def ResolveDispute(self, request, context):
        cmd = c.ResolveDispute(request.dispute_id, request.resolution_code)
        return self._run(
            "ResolveDispute",
            request,
            pb.ResolveDisputeResponse,
            disputes.resolve_dispute,
            cmd,
            lambda d: pb.ResolveDisputeResponse(dispute=out.dispute_out(d)),
        )

    def GetDispute(self, request, context):
        return self._read(
            lambda uow: disputes.read_dispute(
                self._deps, uow, request.dispute_id, current_caller()
            ),
            lambda d: pb.GetDisputeResponse(dispute=out.dispute_out(d)),
        )

    def AdoptPolicyRevision(self, request, context):
        cmd = c.AdoptPolicyRevision(request.proposal_id, request.bundle)
        return self._run(
            "AdoptPolicyRevision",
            request,
            pb.AdoptPolicyRevisionResponse,
            policy_revisions.adopt_policy_revision,
            cmd,
            lambda r: pb.AdoptPolicyRevisionResponse(revision=out.revision_out(r)),
        )

    def GetAdoptedPolicyRevision(self, request, context):
        return self._read(
            lambda uow: (
                policy_revisions.latest_policy_revision(uow),
                policy_revisions.enforced_revisions(uow),
            ),
            lambda found: pb.GetAdoptedPolicyRevisionResponse(
                revision=out.revision_out(found[0]) if found[0] else None,
                enforced=[out.enforced_out(e) for e in found[1]],
            ),
        )

    def ListPolicyRevisions(self, request, context):
        w = window(request)  # paged in SQL by entry, newest first
        before = _entry_key(one_key(w))
        return self._read(
            lambda uow: policy_revisions.policy_history(uow, before, w.offset, w.limit),
            lambda found: pb.ListPolicyRevisionsResponse(
                **listed(
                    "revisions",
                    found,
                    w,
                    out.history_entry_out,
                    lambda e: (str(e.revision.seq),),
                )
            ),
        )

    def AnnualReport(self, request, context):
        return self._read(
            lambda uow: report.read_annual_report(self._deps, uow, request.year, current_caller()),
            lambda r: pb.AnnualReportResponse(**r.as_dict()),
        )

    def ExportAnnualReport(self, request, context):
        fmt = enum_name(pb.ReportFormat, request.format, "REPORT_FORMAT_", "format", required=True)
        return self._read(
            lambda uow: report.export_annual_report(
                self._deps, uow, request.year, fmt, current_caller()
            ),
            lambda file: pb.ExportAnnualReportResponse(content_type=file[0], content=file[1]),
        )


def _entry_key(after: str | None) -> int | None:
    """The history entry (its sequence number) a ListPolicyRevisions token continues before."""
    if after is None:
        return None
    if not (after.isascii() and after.isdigit()) or len(after) > 18:
        raise InvalidArgument("page_token", "not a token of this query: start again without one")
    return int(after)

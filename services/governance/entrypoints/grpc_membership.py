"""The governance servicer's RPCs for accession, withdrawal and exclusion; a part of
``GovernanceServicer`` (``grpc_api``)."""

from __future__ import annotations

from services.governance.domain import commands as c
from services.governance.domain.parties import PartyKind
from services.governance.entrypoints import proto_mapping as out
from services.governance.entrypoints.grpc_base import RpcBase
from services.governance.service_layer.handlers import membership
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.kernel.callcontext import current_caller
from zorgtafel.kernel.convert import enum_in, optional_timestamp, to_timestamp


class MembershipRpcs(RpcBase):
    def ApplyAccession(self, request, context):
        cmd = c.ApplyAccession(
            request.party_id,
            request.name,
            enum_in(pb.PartyKind, PartyKind, request.kind, "PARTY_KIND_", "kind", required=True),
        )
        return self._run(
            "ApplyAccession",
            request,
            pb.ApplyAccessionResponse,
            membership.apply_accession,
            cmd,
            lambda v: pb.ApplyAccessionResponse(accession=out.accession_out(v)),
        )

    def ApproveAccession(self, request, context):
        return self._run(
            "ApproveAccession",
            request,
            pb.ApproveAccessionResponse,
            membership.approve_accession,
            c.ApproveAccession(request.accession_id),
            lambda v: pb.ApproveAccessionResponse(accession=out.accession_out(v)),
        )

    def RecordAccessionSignature(self, request, context):
        cmd = c.RecordAccessionSignature(
            request.accession_id,
            request.signed_by_organisation,
            request.signed_by_board_chair,
            request.form_reference,
        )
        return self._run(
            "RecordAccessionSignature",
            request,
            pb.RecordAccessionSignatureResponse,
            membership.record_accession_signature,
            cmd,
            lambda v: pb.RecordAccessionSignatureResponse(accession=out.accession_out(v)),
        )

    def GetAccession(self, request, context):
        return self._read(
            lambda uow: membership.read_accession(
                self._deps, uow, request.accession_id, current_caller()
            ),
            lambda v: pb.GetAccessionResponse(accession=out.accession_out(v)),
        )

    def SignAmendment(self, request, context):
        return self._run(
            "SignAmendment",
            request,
            pb.SignAmendmentResponse,
            membership.sign_amendment,
            c.SignAmendment(request.amendment_id),
            lambda missing: pb.SignAmendmentResponse(signatures_missing=missing),
        )

    def Withdraw(self, request, context):
        cmd = c.Withdraw(
            request.amendment_id,
            optional_timestamp(request, "effective_at"),
            request.letter_reference,
        )
        return self._run(
            "Withdraw",
            request,
            pb.WithdrawResponse,
            membership.withdraw,
            cmd,
            lambda w: pb.WithdrawResponse(withdrawal=out.withdrawal_out(w)),
        )

    def RecordNoticeOfDefault(self, request, context):
        cmd = c.RecordNoticeOfDefault(request.party_id, request.reason_code)
        return self._run(
            "RecordNoticeOfDefault",
            request,
            pb.RecordNoticeOfDefaultResponse,
            membership.record_notice_of_default,
            cmd,
            lambda n: pb.RecordNoticeOfDefaultResponse(
                notice_id=n.notice_id, recorded_at=to_timestamp(n.recorded_at)
            ),
        )

    def Exclude(self, request, context):
        return self._run(
            "Exclude",
            request,
            pb.ExcludeResponse,
            membership.exclude,
            c.Exclude(request.party_id, request.subject_code),
            lambda v: pb.ExcludeResponse(proposal=out.proposal_view_out(v)),
        )

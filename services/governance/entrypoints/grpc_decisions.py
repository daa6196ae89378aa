"""The governance servicer's RPCs for meetings, proposals, votes and decisions; a part of
``GovernanceServicer`` (``grpc_api``)."""

from __future__ import annotations

from services.governance.domain import commands as c
from services.governance.domain.decisions import InputKind, ProposalKind, VoteChoice
from services.governance.entrypoints import proto_mapping as out
from services.governance.entrypoints.grpc_base import RpcBase, body_in
from services.governance.service_layer.handlers import decisions, meetings, proposals
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.kernel.callcontext import current_caller
from zorgtafel.kernel.convert import enum_in, optional_timestamp


class DecisionRpcs(RpcBase):
    def ScheduleMeeting(self, request, context):
        cmd = c.ScheduleMeeting(body_in(request.body), optional_timestamp(request, "scheduled_for"))
        return self._run(
            "ScheduleMeeting",
            request,
            pb.ScheduleMeetingResponse,
            meetings.schedule_meeting,
            cmd,
            lambda m: pb.ScheduleMeetingResponse(meeting=out.meeting_out(m)),
        )

    def RecordAttendance(self, request, context):
        cmd = c.RecordAttendance(request.meeting_id, tuple(request.present))
        return self._run(
            "RecordAttendance",
            request,
            pb.RecordAttendanceResponse,
            meetings.record_attendance,
            cmd,
            lambda m: pb.RecordAttendanceResponse(meeting=out.meeting_out(m)),
        )

    def GetMeeting(self, request, context):
        return self._read(
            lambda uow: meetings.read_meeting(
                self._deps, uow, request.meeting_id, current_caller()
            ),
            lambda m: pb.GetMeetingResponse(meeting=out.meeting_out(m)),
        )

    def Propose(self, request, context):
        cmd = c.Propose(
            body=body_in(request.body),
            kind=enum_in(
                pb.ProposalKind, ProposalKind, request.kind, "PROPOSAL_KIND_", "kind", required=True
            ),
            subject_code=request.subject_code,
            significantly_affects=tuple(request.significantly_affects),
            target_party=request.target_party,
            accession_id=request.accession_id,
            effective_at=optional_timestamp(request, "effective_at"),
            work_process_version=request.work_process_version,
            policy_revision=request.policy_revision,
            meeting_id=request.meeting_id,
        )
        return self._run(
            "Propose",
            request,
            pb.ProposeResponse,
            proposals.propose,
            cmd,
            lambda v: pb.ProposeResponse(proposal=out.proposal_view_out(v)),
        )

    def GetProposal(self, request, context):
        return self._read(
            lambda uow: proposals.read(self._deps, uow, request.proposal_id, current_caller()),
            lambda v: pb.GetProposalResponse(proposal=out.proposal_view_out(v)),
        )

    def CastVote(self, request, context):
        cmd = c.CastVote(
            request.proposal_id,
            request.seat_id,
            enum_in(
                pb.VoteChoice, VoteChoice, request.choice, "VOTE_CHOICE_", "choice", required=True
            ),
        )
        return self._run(
            "CastVote",
            request,
            pb.CastVoteResponse,
            proposals.cast_vote,
            cmd,
            lambda t: pb.CastVoteResponse(tally=out.tally_out(t)),
        )

    def RecordWrittenInput(self, request, context):
        cmd = c.RecordWrittenInput(
            request.proposal_id,
            request.party_id,
            enum_in(pb.InputKind, InputKind, request.kind, "INPUT_KIND_", "kind", required=True),
        )
        return self._run(
            "RecordWrittenInput",
            request,
            pb.RecordWrittenInputResponse,
            proposals.record_written_input,
            cmd,
            lambda v: pb.RecordWrittenInputResponse(proposal=out.proposal_view_out(v)),
        )

    def Decide(self, request, context):
        return self._run(
            "Decide",
            request,
            pb.DecideResponse,
            decisions.decide,
            c.Decide(request.proposal_id),
            out.decided_out,
        )

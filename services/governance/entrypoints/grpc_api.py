"""gRPC servicer: translates proto to commands and domain objects back to proto, nothing else."""

from __future__ import annotations

from datetime import datetime, timezone
from functools import partial

from google.protobuf.timestamp_pb2 import Timestamp

from services.governance.domain import commands as c
from services.governance.domain.bodies import BODY_ARTICLES, Body, Seat
from services.governance.domain.decisions import Proposal
from services.governance.domain.disputes import Dispute
from services.governance.domain.parties import Party, PartyKind, PartyStatus
from services.governance.domain.policy import PolicyRevision
from services.governance.service_layer import handlers
from zorgtafel.governance.v1 import governance_pb2 as pb
from zorgtafel.governance.v1 import governance_pb2_grpc as pb_grpc
from zorgtafel.kernel.callcontext import current
from zorgtafel.kernel.commands import execute_once
from zorgtafel.kernel.errors import InvalidArgument

SERVICE = "/zorgtafel.governance.v1.GovernanceService/"


def _enum_to_domain(enum_cls, proto_enum, value: int, field: str, prefix: str):
    if value == 0:
        return None
    try:
        name = proto_enum.Name(value)
    except ValueError as exc:
        raise InvalidArgument(field, "unknown enum value") from exc
    return enum_cls(name.removeprefix(prefix).lower())


def _enum_value(proto_enum, value: int, field: str, prefix: str) -> str:
    """A proto enum as the domain's string value ("" when unspecified: the domain refuses)."""
    if value == 0:
        return ""
    try:
        return proto_enum.Name(value).removeprefix(prefix).lower()
    except ValueError as exc:
        raise InvalidArgument(field, "unknown enum value") from exc


def _to_proto_enum(proto_enum, prefix: str, value) -> int:
    return proto_enum.Value(prefix + value.value.upper()) if value is not None else 0


def _ts(at: datetime | None) -> Timestamp | None:
    if at is None:
        return None
    ts = Timestamp()
    ts.FromDatetime(at.astimezone(timezone.utc).replace(tzinfo=None))
    return ts


def _from_ts(request, field: str) -> datetime | None:
    if not request.HasField(field):
        return None
    ts = getattr(request, field)
    if not 0 <= ts.seconds <= 7258118400 or not 0 <= ts.nanos < 1_000_000_000:
        raise InvalidArgument(field, "timestamp out of range")
    return ts.ToDatetime(tzinfo=timezone.utc)


def party_to_proto(p: Party) -> pb.Party:
    return pb.Party(party_id=p.party_id, name=p.name,
                    kind=pb.PartyKind.Value("PARTY_KIND_" + p.kind.value.upper()),
                    status=pb.PartyStatus.Value("PARTY_STATUS_" + p.status.value.upper()),
                    status_since=_ts(p.status_since))


def seat_to_proto(s: Seat) -> pb.Seat:
    return pb.Seat(seat_id=s.seat_id, body=_to_proto_enum(pb.Body, "BODY_", s.body), role=s.role,
                   held_by_party=s.held_by_party or "", holder_person=s.holder_person or "",
                   holder_party=s.holder_party or "", assigned_at=_ts(s.assigned_at))


def proposal_to_proto(p: Proposal, inputs: list[str] = ()) -> pb.Proposal:
    return pb.Proposal(
        proposal_id=p.proposal_id, body=_to_proto_enum(pb.Body, "BODY_", p.body),
        kind=_to_proto_enum(pb.ProposalKind, "PROPOSAL_KIND_", p.kind),
        subject_code=p.subject_code, significantly_affects=list(p.significantly_affects),
        target_party=p.target_party or "", accession_id=p.accession_id or "",
        effective_at=_ts(p.effective_at), work_process_version=p.work_process_version or "",
        policy_revision=p.policy_revision or "", referred_from=p.referred_from or "",
        referred_to=p.referred_to or "",
        status=_to_proto_enum(pb.ProposalStatus, "PROPOSAL_STATUS_", p.status),
        tally=pb.Tally(votes_for=p.votes_for, votes_against=p.votes_against,
                       votes_abstain=p.votes_abstain),
        consensus=p.consensus, binding=p.binding, decision_id=p.decision_id or "",
        decided_at=_ts(p.decided_at), input_from=list(inputs), proposed_at=_ts(p.proposed_at),
        meeting_id=p.meeting_id or "")


def meeting_to_proto(m, present: list[str]) -> pb.Meeting:
    return pb.Meeting(meeting_id=m.meeting_id, body=_to_proto_enum(pb.Body, "BODY_", m.body),
                      scheduled_for=_ts(m.scheduled_for), present=present)


def accession_to_proto(v: handlers.AccessionView) -> pb.Accession:
    a = v.accession
    return pb.Accession(accession_id=a.accession_id, party_id=a.party_id,
                        status=_to_proto_enum(pb.AccessionStatus, "ACCESSION_STATUS_", a.status),
                        approved_by=v.approved_by, approvals_missing=v.missing,
                        decision_id=a.decision_id or "", form_reference=a.form_reference or "",
                        applied_at=_ts(a.applied_at), joined_at=_ts(a.joined_at))


def dispute_to_proto(d: Dispute) -> pb.Dispute:
    return pb.Dispute(dispute_id=d.dispute_id,
                      about=_to_proto_enum(pb.DisputeAbout, "DISPUTE_ABOUT_", d.about),
                      case_id=d.case_id or "",
                      forum=_to_proto_enum(pb.Forum, "FORUM_", d.forum),
                      remaining=[_to_proto_enum(pb.Forum, "FORUM_", f) for f in d.remaining],
                      status=_to_proto_enum(pb.DisputeStatus, "DISPUTE_STATUS_", d.status),
                      resolution_code=d.resolution_code or "")


def revision_to_proto(r: PolicyRevision) -> pb.PolicyRevision:
    return pb.PolicyRevision(revision=r.revision, work_process_version=r.work_process_version,
                             proposal_id=r.proposal_id, decision_id=r.decision_id,
                             adopted_at=_ts(r.adopted_at))


def _actor() -> c.Actor:
    ctx = current()
    p = ctx.principal
    return c.Actor(party=p.party, person=p.person, role=p.role, party_status=ctx.party_status)


class GovernanceServicer(pb_grpc.GovernanceServiceServicer):
    def __init__(self, uow_factory, ports: handlers.Ports) -> None:
        self._uow = uow_factory
        self._ports = ports

    def _once(self, method: str, request, response_type, effect):
        """A mutating call, applied once per request_id (kernel ``execute_once``)."""
        actor = _actor()
        return execute_once(self._uow, party=actor.party, method=SERVICE + method,
                            request=request, response_type=response_type,
                            effect=partial(effect, actor=actor))

    # -- parties ---------------------------------------------------------------------------
    def ListParties(self, request, context):
        kind = _enum_to_domain(PartyKind, pb.PartyKind, request.kind, "kind", "PARTY_KIND_")
        status = _enum_to_domain(PartyStatus, pb.PartyStatus, request.status, "status",
                                 "PARTY_STATUS_")
        with self._uow() as uow:
            parties = handlers.list_parties(uow, kind, status)
            return pb.ListPartiesResponse(parties=[party_to_proto(p) for p in parties])

    def GetParty(self, request, context):
        with self._uow() as uow:
            return pb.GetPartyResponse(party=party_to_proto(handlers.get_party(uow, request.party_id)))

    def GetPartyHistory(self, request, context):
        with self._uow() as uow:
            changes = handlers.party_history(uow, request.party_id)
            return pb.GetPartyHistoryResponse(changes=[
                pb.StatusChange(status=pb.PartyStatus.Value("PARTY_STATUS_"
                                                            + ch.status.value.upper()),
                                at=_ts(ch.at), cause=ch.cause, reference=ch.reference)
                for ch in changes])

    # -- bodies and seats ------------------------------------------------------------------
    def ListBodies(self, request, context):
        body = _enum_to_domain(Body, pb.Body, request.body, "body", "BODY_")
        with self._uow() as uow:
            seats = handlers.list_seats(uow, body)
            out = []
            for b in Body:
                if body is not None and b is not body:
                    continue
                out.append(pb.BodyInfo(body=_to_proto_enum(pb.Body, "BODY_", b),
                                       articles=list(BODY_ARTICLES[b]),
                                       seats=[seat_to_proto(s) for s in seats if s.body is b]))
            return pb.ListBodiesResponse(bodies=out)

    def AssignSeat(self, request, context):
        def effect(uow, actor):
            seat = handlers.assign_seat(uow, self._ports, actor, c.AssignSeat(request.seat_id))
            return pb.AssignSeatResponse(seat=seat_to_proto(seat))
        return self._once("AssignSeat", request, pb.AssignSeatResponse, effect)

    # -- meetings --------------------------------------------------------------------------
    def ScheduleMeeting(self, request, context):
        cmd = c.ScheduleMeeting(_enum_value(pb.Body, request.body, "body", "BODY_"),
                                _from_ts(request, "scheduled_for"))

        def effect(uow, actor):
            m = handlers.schedule_meeting(uow, self._ports, actor, cmd)
            return pb.ScheduleMeetingResponse(meeting=meeting_to_proto(m, []))
        return self._once("ScheduleMeeting", request, pb.ScheduleMeetingResponse, effect)

    def RecordAttendance(self, request, context):
        cmd = c.RecordAttendance(request.meeting_id, tuple(request.present))

        def effect(uow, actor):
            m = handlers.record_attendance(uow, self._ports, actor, cmd)
            uow.session.flush()
            return pb.RecordAttendanceResponse(meeting=meeting_to_proto(
                m, uow.proposals.attendance(m.meeting_id)))
        return self._once("RecordAttendance", request, pb.RecordAttendanceResponse, effect)

    def GetMeeting(self, request, context):
        with self._uow() as uow:
            m = handlers.get_meeting(uow, request.meeting_id)
            return pb.GetMeetingResponse(meeting=meeting_to_proto(
                m, uow.proposals.attendance(m.meeting_id)))

    # -- proposals, votes, decisions -------------------------------------------------------
    def Propose(self, request, context):
        cmd = c.Propose(
            body=_enum_value(pb.Body, request.body, "body", "BODY_"),
            kind=_enum_value(pb.ProposalKind, request.kind, "kind", "PROPOSAL_KIND_"),
            subject_code=request.subject_code,
            significantly_affects=tuple(request.significantly_affects),
            target_party=request.target_party, accession_id=request.accession_id,
            effective_at=_from_ts(request, "effective_at"),
            work_process_version=request.work_process_version,
            policy_revision=request.policy_revision, meeting_id=request.meeting_id)
        if len(cmd.significantly_affects) > 200:
            raise InvalidArgument("significantly_affects", "at most 200 parties")

        def effect(uow, actor):
            proposal = handlers.propose(uow, self._ports, actor, cmd)
            uow.session.flush()
            return pb.ProposeResponse(proposal=proposal_to_proto(proposal))
        return self._once("Propose", request, pb.ProposeResponse, effect)

    def GetProposal(self, request, context):
        with self._uow() as uow:
            p = handlers.get_proposal(uow, request.proposal_id)
            return pb.GetProposalResponse(proposal=proposal_to_proto(
                p, handlers.proposal_inputs(uow, p.proposal_id)))

    def CastVote(self, request, context):
        cmd = c.CastVote(request.proposal_id, request.seat_id,
                         _enum_value(pb.VoteChoice, request.choice, "choice", "VOTE_CHOICE_"))

        def effect(uow, actor):
            t = handlers.cast_vote(uow, self._ports, actor, cmd)
            return pb.CastVoteResponse(tally=pb.Tally(votes_for=t.votes_for,
                                                      votes_against=t.votes_against,
                                                      votes_abstain=t.votes_abstain))
        return self._once("CastVote", request, pb.CastVoteResponse, effect)

    def RecordWrittenInput(self, request, context):
        cmd = c.RecordWrittenInput(request.proposal_id, request.party_id,
                                   _enum_value(pb.InputKind, request.kind, "kind", "INPUT_KIND_"))

        def effect(uow, actor):
            p = handlers.record_written_input(uow, self._ports, actor, cmd)
            return pb.RecordWrittenInputResponse(proposal=proposal_to_proto(
                p, handlers.proposal_inputs(uow, p.proposal_id)))
        return self._once("RecordWrittenInput", request, pb.RecordWrittenInputResponse, effect)

    def Decide(self, request, context):
        def effect(uow, actor):
            result = handlers.decide(uow, self._ports, actor, c.Decide(request.proposal_id))
            uow.session.flush()
            inputs = handlers.proposal_inputs(uow, result.proposal.proposal_id)
            return pb.DecideResponse(
                proposal=proposal_to_proto(result.proposal, inputs),
                referral=proposal_to_proto(result.referral) if result.referral else None)
        return self._once("Decide", request, pb.DecideResponse, effect)

    # -- accession -------------------------------------------------------------------------
    def ApplyAccession(self, request, context):
        cmd = c.ApplyAccession(request.party_id, request.name,
                               _enum_value(pb.PartyKind, request.kind, "kind", "PARTY_KIND_"))

        def effect(uow, actor):
            view = handlers.apply_accession(uow, self._ports, actor, cmd)
            return pb.ApplyAccessionResponse(accession=accession_to_proto(view))
        return self._once("ApplyAccession", request, pb.ApplyAccessionResponse, effect)

    def ApproveAccession(self, request, context):
        def effect(uow, actor):
            view = handlers.approve_accession(uow, self._ports, actor,
                                              c.ApproveAccession(request.accession_id))
            return pb.ApproveAccessionResponse(accession=accession_to_proto(view))
        return self._once("ApproveAccession", request, pb.ApproveAccessionResponse, effect)

    def RecordAccessionSignature(self, request, context):
        cmd = c.RecordAccessionSignature(request.accession_id, request.signed_by_organisation,
                                         request.signed_by_board_chair, request.form_reference)

        def effect(uow, actor):
            view = handlers.record_accession_signature(uow, self._ports, actor, cmd)
            uow.session.flush()
            return pb.RecordAccessionSignatureResponse(accession=accession_to_proto(view))
        return self._once("RecordAccessionSignature", request,
                          pb.RecordAccessionSignatureResponse, effect)

    def GetAccession(self, request, context):
        with self._uow() as uow:
            return pb.GetAccessionResponse(accession=accession_to_proto(
                handlers.get_accession(uow, request.accession_id)))

    # -- amendments and withdrawal ---------------------------------------------------------
    def SignAmendment(self, request, context):
        def effect(uow, actor):
            missing = handlers.sign_amendment(uow, self._ports, actor,
                                              c.SignAmendment(request.amendment_id))
            return pb.SignAmendmentResponse(signatures_missing=missing)
        return self._once("SignAmendment", request, pb.SignAmendmentResponse, effect)

    def Withdraw(self, request, context):
        cmd = c.Withdraw(request.amendment_id, _from_ts(request, "effective_at"),
                         request.letter_reference)

        def effect(uow, actor):
            w = handlers.withdraw(uow, self._ports, actor, cmd)
            return pb.WithdrawResponse(withdrawal=pb.Withdrawal(
                withdrawal_id=w.withdrawal_id, party_id=w.party_id,
                amendment_id=w.amendment_id or "", effective_at=_ts(w.effective_at),
                effective=w.effective))
        return self._once("Withdraw", request, pb.WithdrawResponse, effect)

    # -- exclusion -------------------------------------------------------------------------
    def RecordNoticeOfDefault(self, request, context):
        cmd = c.RecordNoticeOfDefault(request.party_id, request.reason_code)

        def effect(uow, actor):
            n = handlers.record_notice_of_default(uow, self._ports, actor, cmd)
            return pb.RecordNoticeOfDefaultResponse(notice_id=n.notice_id,
                                                    recorded_at=_ts(n.recorded_at))
        return self._once("RecordNoticeOfDefault", request, pb.RecordNoticeOfDefaultResponse,
                          effect)

    def Exclude(self, request, context):
        def effect(uow, actor):
            p = handlers.exclude(uow, self._ports, actor, request.party_id, request.subject_code)
            uow.session.flush()
            return pb.ExcludeResponse(proposal=proposal_to_proto(p))
        return self._once("Exclude", request, pb.ExcludeResponse, effect)

    # -- disputes --------------------------------------------------------------------------
    def RegisterDispute(self, request, context):
        cmd = c.RegisterDispute(_enum_value(pb.DisputeAbout, request.about, "about",
                                            "DISPUTE_ABOUT_"), request.case_id)

        def effect(uow, actor):
            d = handlers.register_dispute(uow, self._ports, actor, cmd)
            return pb.RegisterDisputeResponse(dispute=dispute_to_proto(d))
        return self._once("RegisterDispute", request, pb.RegisterDisputeResponse, effect)

    def EscalateDispute(self, request, context):
        def effect(uow, actor):
            d = handlers.escalate_dispute(uow, self._ports, actor,
                                          c.EscalateDispute(request.dispute_id))
            return pb.EscalateDisputeResponse(dispute=dispute_to_proto(d))
        return self._once("EscalateDispute", request, pb.EscalateDisputeResponse, effect)

    def ResolveDispute(self, request, context):
        cmd = c.ResolveDispute(request.dispute_id, request.resolution_code)

        def effect(uow, actor):
            d = handlers.resolve_dispute(uow, self._ports, actor, cmd)
            return pb.ResolveDisputeResponse(dispute=dispute_to_proto(d))
        return self._once("ResolveDispute", request, pb.ResolveDisputeResponse, effect)

    def GetDispute(self, request, context):
        with self._uow() as uow:
            return pb.GetDisputeResponse(dispute=dispute_to_proto(
                handlers.get_dispute(uow, request.dispute_id)))

    # -- policy revisions ------------------------------------------------------------------
    def AdoptPolicyRevision(self, request, context):
        cmd = c.AdoptPolicyRevision(request.proposal_id, request.bundle)

        def effect(uow, actor):
            r = handlers.adopt_policy_revision(uow, self._ports, actor, cmd)
            return pb.AdoptPolicyRevisionResponse(revision=revision_to_proto(r))
        return self._once("AdoptPolicyRevision", request, pb.AdoptPolicyRevisionResponse, effect)

    def GetAdoptedPolicyRevision(self, request, context):
        with self._uow() as uow:
            r = handlers.latest_policy_revision(uow)
            return pb.GetAdoptedPolicyRevisionResponse(
                revision=revision_to_proto(r) if r else None)

    # -- annual report ---------------------------------------------------------------------
    def AnnualReport(self, request, context):
        with self._uow() as uow:
            r = handlers.annual_report(uow, request.year)
            return pb.AnnualReportResponse(**r.as_dict())

    def ExportAnnualReport(self, request, context):
        fmt = _enum_value(pb.ReportFormat, request.format, "format", "REPORT_FORMAT_")
        if fmt not in ("csv", "json"):
            raise InvalidArgument("format", "required: REPORT_FORMAT_CSV or REPORT_FORMAT_JSON")
        with self._uow() as uow:
            r = handlers.annual_report(uow, request.year)
        if fmt == "csv":
            return pb.ExportAnnualReportResponse(content_type="text/csv", content=r.to_csv())
        return pb.ExportAnnualReportResponse(content_type="application/json",
                                             content=r.to_json())

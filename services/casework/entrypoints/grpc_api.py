"""gRPC servicer: proto -> command -> handler -> proto, nothing else. Every mutating RPC runs
through the kernel's ``Commands`` (idempotent by request_id); reads open their own unit of
work."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from services.casework.adapters.disclosure_client import RELAYED_METADATA
from services.casework.adapters.uow import CaseworkUnitOfWork
from services.casework.domain import commands as c
from services.casework.entrypoints import proto_mapping as m
from services.casework.service_layer.deps import Deps
from services.casework.service_layer.handlers import (
    closing,
    decisions,
    delegates,
    meetings,
    monitoring,
    reading,
)
from zorgtafel.generated.casework.v1 import casework_pb2 as pb
from zorgtafel.generated.casework.v1 import casework_pb2_grpc as pb_grpc
from zorgtafel.kernel.callcontext import current, current_caller
from zorgtafel.kernel.commands import Commands
from zorgtafel.kernel.paging import window
from zorgtafel.kernel.streams import StreamLifetime

SERVICE = "zorgtafel.casework.v1.CaseworkService"
WATCH_POLL_S = 0.25
# An idle watch looks only whether the case has a new entry (one indexed query) each poll; the
# caller's party status and part are decided again for every batch it is given and at least this
# often without one, so an excluded party's idle stream ends within it. Deciding every poll cost
# about 1.3% of a core per idle watch (32 watches: 42%, measured).
WATCH_RECHECK_S = 2.0


class CaseworkServicer(pb_grpc.CaseworkServiceServicer):
    def __init__(self, deps: Deps, uow_factory: Callable[[], CaseworkUnitOfWork]) -> None:
        self._deps = deps
        self._uow = uow_factory
        self._commands = Commands(uow_factory, SERVICE)

    # -- reads ----------------------------------------------------------------------------
    def GetCase(self, request, context):
        with self._uow() as uow:
            v = reading.get_case(self._deps, uow, c.GetCase(request.case_id), current_caller())
            return pb.GetCaseResponse(case=m.case_pb(v))

    def GetPreReadSet(self, request, context):
        # The caller's own credentials go with each question to disclosure (it decides and
        # logs for the person who will read).
        relayed = tuple(
            (k.lower(), v)
            for k, v in (context.invocation_metadata() or ())
            if isinstance(v, str) and k.lower() in RELAYED_METADATA
        )
        q = c.GetPreReadSet(request.case_id, request.meeting_id, request.purpose, relayed)
        with self._uow() as uow:
            outcome = meetings.pre_read_set(self._deps, uow, q, current_caller())
        return m.pre_read_pb(outcome)

    def GetMinutes(self, request, context):
        q = c.GetMinutes(request.case_id, request.meeting_id)
        with self._uow() as uow:
            minutes = meetings.read_minutes(self._deps, uow, q, current_caller())
        return pb.GetMinutesResponse(meeting_id=request.meeting_id, minutes=minutes)

    def ListOverdueActions(self, request, context):
        w = window(request)  # paged in SQL, by key: one more than shown says if more follow
        after = m.overdue_after(w.after)
        q = c.ListOverdueActions(request.case_id, offset=w.offset, limit=w.limit, after=after)
        with self._uow() as uow:
            found = monitoring.overdue_actions(self._deps, uow, q, current_caller())
        shown, token = w.cut(found, m.overdue_key)
        return pb.ListOverdueActionsResponse(
            actions=[m.overdue_pb(o) for o in shown], next_page_token=token
        )

    def ListCasesAwaitingDirector(self, request, context):
        w = window(request)  # paged in SQL, by key: one more than shown says if more follow
        q = c.ListCasesAwaitingDirector(
            offset=w.offset, limit=w.limit, after=m.awaiting_after(w.after)
        )
        with self._uow() as uow:
            found = monitoring.cases_awaiting_director(self._deps, uow, q, current_caller())
        shown, token = w.cut(found, m.awaiting_key)
        return pb.ListCasesAwaitingDirectorResponse(
            cases=[m.awaiting_pb(a) for a in shown], next_page_token=token
        )

    def WatchCase(self, request, context):
        """Polls the case's own timeline; the handler re-reads the party's status and asks
        the need-to-know policy for every batch, so nothing reaches a party once excluded
        (23.2), and an idle stream ends within ``WATCH_RECHECK_S``."""
        caller = current_caller()
        # Ends when the token does (UNAUTHENTICATED) or after MAX_STREAM_S (the client resumes
        # from its last sequence): the kernel's bound on open streams (kernel/streams.py).
        lifetime = StreamLifetime(current().principal)
        after = max(0, int(request.after_sequence))
        stop = threading.Event()
        context.add_callback(stop.set)
        while True:
            with self._uow() as uow:
                batch = reading.timeline_for(
                    self._deps, uow, c.ReadTimeline(request.case_id, after), caller
                )
            for row in reading.delivered(batch):
                yield m.timeline_pb(row)
            caught_up = batch.last_sequence == after
            after = batch.last_sequence
            if caught_up and not request.follow:
                return
            if caught_up and not self._something_new(request.case_id, after, stop, lifetime):
                return
            if lifetime.over():
                return

    def _something_new(
        self, case_id: str, after: int, stop: threading.Event, lifetime: StreamLifetime
    ) -> bool:
        """Wait, polling cheaply, until the case has a new entry or the caller is due to be
        decided again (True), or the stream is to end: cancelled or its lifetime over (False;
        an expired token raises)."""
        recheck_at = time.monotonic() + WATCH_RECHECK_S
        while not stop.wait(WATCH_POLL_S):
            if lifetime.over():
                return False
            if time.monotonic() >= recheck_at:
                return True
            with self._uow() as uow:
                if uow.cases.has_timeline_after(case_id, after):
                    return True
        return False

    # -- commands -------------------------------------------------------------------------
    def ScheduleMeeting(self, request, context):
        cmd = m.schedule_meeting(request)
        return self._commands.run(
            "ScheduleMeeting",
            request,
            pb.ScheduleMeetingResponse,
            lambda uow, who: pb.ScheduleMeetingResponse(
                meeting=m.meeting_pb(meetings.schedule_meeting(self._deps, uow, cmd, who))
            ),
        )

    def RecordMeeting(self, request, context):
        cmd = c.RecordMeeting(
            request.case_id, request.meeting_id, tuple(request.attendees), request.minutes
        )
        return self._commands.run(
            "RecordMeeting",
            request,
            pb.RecordMeetingResponse,
            lambda uow, who: pb.RecordMeetingResponse(
                meeting=m.meeting_pb(meetings.record_meeting(self._deps, uow, cmd, who))
            ),
        )

    def AppointDirector(self, request, context):
        cmd = c.AppointDirector(request.case_id, request.meeting_id, request.party, request.person)

        def effect(uow, who):
            case = decisions.appoint_director(self._deps, uow, cmd, who)
            return pb.AppointDirectorResponse(
                case_id=case.case_id,
                party=case.case_director_party,
                person=case.case_director_person,
            )

        return self._commands.run("AppointDirector", request, pb.AppointDirectorResponse, effect)

    def NameDelegate(self, request, context):
        cmd = c.NameDelegate(request.case_id, request.person, request.party)
        return self._commands.run(
            "NameDelegate",
            request,
            pb.NameDelegateResponse,
            lambda uow, who: m.delegate_pb(
                pb.NameDelegateResponse,
                delegates.name_delegate(self._deps, uow, cmd, who),
                cmd.party or who.party,
                cmd.person,
            ),
        )

    def ReleaseDelegate(self, request, context):
        cmd = c.ReleaseDelegate(request.case_id, request.person, request.party)
        return self._commands.run(
            "ReleaseDelegate",
            request,
            pb.ReleaseDelegateResponse,
            lambda uow, who: m.delegate_pb(
                pb.ReleaseDelegateResponse,
                delegates.release_delegate(self._deps, uow, cmd, who),
                cmd.party or who.party,
                cmd.person,
            ),
        )

    def AdoptPlan(self, request, context):
        cmd = m.adopt_plan(request)

        def effect(uow, who):
            version, actions = decisions.adopt_plan(self._deps, uow, cmd, who)
            return pb.AdoptPlanResponse(
                plan_version=version, actions=[m.action_pb(a, with_text=False) for a in actions]
            )

        return self._commands.run("AdoptPlan", request, pb.AdoptPlanResponse, effect)

    def SetRoles(self, request, context):
        cmd = m.set_roles(request)
        return self._commands.run(
            "SetRoles",
            request,
            pb.SetRolesResponse,
            lambda uow, who: pb.SetRolesResponse(
                roles=[m.role_pb(r) for r in decisions.set_roles(self._deps, uow, cmd, who)]
            ),
        )

    def SetDeescalationCriteria(self, request, context):
        cmd = c.SetCriteria(request.case_id, request.meeting_id, tuple(request.criteria))
        return self._commands.run(
            "SetDeescalationCriteria",
            request,
            pb.SetDeescalationCriteriaResponse,
            lambda uow, who: pb.SetDeescalationCriteriaResponse(
                criteria=m.criteria_pb(decisions.set_criteria(self._deps, uow, cmd, who))
            ),
        )

    def UpdateAction(self, request, context):
        cmd = m.update_action(request)
        return self._commands.run(
            "UpdateAction",
            request,
            pb.UpdateActionResponse,
            lambda uow, who: pb.UpdateActionResponse(
                action=m.action_pb(
                    monitoring.update_action(self._deps, uow, cmd, who), with_text=False
                )
            ),
        )

    def Deescalate(self, request, context):
        cmd = c.Deescalate(request.case_id, request.meeting_id, tuple(request.criteria_met))
        return self._commands.run(
            "Deescalate",
            request,
            pb.DeescalateResponse,
            lambda uow, who: pb.DeescalateResponse(
                state=m.state_pb(closing.deescalate(self._deps, uow, cmd, who))
            ),
        )

    def CloseCase(self, request, context):
        cmd = c.CloseCase(request.case_id)

        def effect(uow, who):
            case, cleansed, kept = closing.close_case(self._deps, uow, cmd, who)
            return pb.CloseCaseResponse(
                state=m.state_pb(case), outcome=case.outcome or "", cleansed=cleansed, kept=kept
            )

        return self._commands.run("CloseCase", request, pb.CloseCaseResponse, effect)

    def Escalate(self, request, context):
        cmd = m.escalate(request)
        return self._commands.run(
            "Escalate",
            request,
            pb.EscalateResponse,
            lambda uow, who: pb.EscalateResponse(
                escalation=m.escalation_pb(closing.escalate(self._deps, uow, cmd, who))
            ),
        )

    def Purge(self, request, context):
        cmd = c.Purge(request.case_id)

        def effect(uow, who):
            closing.purge(self._deps, uow, cmd, who)
            return pb.PurgeResponse(state=pb.CASE_STATE_PURGED)

        return self._commands.run("Purge", request, pb.PurgeResponse, effect)

"""gRPC servicer: proto -> command (``proto_mapping``) -> handler, once per request id for
mutating calls (the kernel's ``Commands``) -> proto (``proto_results``). Nothing else."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from google.protobuf.message import Message
from sqlalchemy.exc import IntegrityError

from services.intake.domain.commands import GetNomination, GetTriageQuestion, ListProbingFlags
from services.intake.domain.model import check_case_id
from services.intake.entrypoints import proto_mapping as mapping
from services.intake.entrypoints import proto_results as results
from services.intake.service_layer.deps import Deps
from services.intake.service_layer.handlers import (
    assessment,
    nominations,
    oversight,
    routing,
    triage,
    worklist,
)
from zorgtafel.generated.intake.v1 import intake_pb2 as pb
from zorgtafel.generated.intake.v1 import intake_pb2_grpc as pb_grpc
from zorgtafel.kernel.callcontext import current_caller
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.commands import Commands
from zorgtafel.kernel.errors import FailedPrecondition, Unavailable
from zorgtafel.kernel.paging import time_and_id, window
from zorgtafel.kernel.uow import UnitOfWork

NOMINATE_ATTEMPTS = 4
R = TypeVar("R", bound=Message)


def _case_id(response: Any) -> str | None:
    """Every intake response names its case: the stored response is purged with it."""
    return response.case_id or None


class IntakeServicer(pb_grpc.IntakeServiceServicer):
    def __init__(
        self, deps: Deps, uow_factory: Callable[[], UnitOfWork], commands: Commands
    ) -> None:
        self._deps = deps
        self._uow = uow_factory
        self._commands = commands

    def _run(
        self,
        rpc: str,
        request: Message,
        response_type: type[R],
        effect: Callable[[UnitOfWork, Caller], R],
    ) -> R:
        return self._commands.run(rpc, request, response_type, effect, case_id_of=_case_id)

    def Nominate(self, request, context):
        cmd = mapping.nominate_in(request)

        def effect(uow, caller):
            return results.nominated_out(nominations.nominate(self._deps, uow, cmd, caller))

        # Two nominations of the same new subject at the same moment collide on the subject's
        # open tokens; the loser is retried and then finds the winner and links to it.
        for _ in range(NOMINATE_ATTEMPTS - 1):
            try:
                return self._run("Nominate", request, pb.NominateResponse, effect)
            except IntegrityError:
                continue
            except FailedPrecondition as exc:
                if exc.state != "conflict":
                    raise
        try:
            return self._run("Nominate", request, pb.NominateResponse, effect)
        except IntegrityError as exc:
            raise Unavailable("concurrent nominations of the same subject: retry") from exc

    def Assess(self, request, context):
        cmd = mapping.assess_in(request)

        def effect(uow, caller):
            return results.assessed_out(assessment.assess(self._deps, uow, cmd, caller))

        return self._run("Assess", request, pb.AssessResponse, effect)

    def StartTriage(self, request, context):
        cmd = mapping.start_triage_in(request)

        def effect(uow, caller):
            return results.triage_started_out(triage.start_triage(self._deps, uow, cmd, caller))

        return self._run("StartTriage", request, pb.StartTriageResponse, effect)

    def GetTriageQuestion(self, request, context):
        query = GetTriageQuestion(check_case_id(request.case_id))
        with self._uow() as uow:
            q = triage.triage_question(self._deps, uow, query, current_caller())
        return results.triage_question_out(q)

    def AnswerTriage(self, request, context):
        cmd = mapping.answer_in(request)

        def effect(uow, caller):
            return results.answered_out(*triage.answer_triage(self._deps, uow, cmd, caller))

        return self._run("AnswerTriage", request, pb.AnswerTriageResponse, effect)

    def DecideRouting(self, request, context):
        cmd = mapping.routing_in(request)

        def effect(uow, caller):
            return results.routed_out(routing.decide_routing(self._deps, uow, cmd, caller))

        return self._run("DecideRouting", request, pb.DecideRoutingResponse, effect)

    def GetNomination(self, request, context):
        query = GetNomination(check_case_id(request.case_id))
        with self._uow() as uow:
            view = nominations.get_nomination(self._deps, uow, query, current_caller())
            return pb.GetNominationResponse(
                nomination=results.nomination_out(
                    view.nomination, view.linked, view.full, view.triage_of
                )
            )

    def WithdrawNomination(self, request, context):
        cmd = mapping.withdraw_in(request)

        def effect(uow, caller):
            return results.withdrawn_out(nominations.withdraw(self._deps, uow, cmd, caller))

        return self._run("WithdrawNomination", request, pb.WithdrawNominationResponse, effect)

    def RecordSafetyOverride(self, request, context):
        cmd = mapping.safety_override_in(request)

        def effect(uow, caller):
            return results.override_recorded_out(
                oversight.record_safety_override(self._deps, uow, cmd, caller)
            )

        return self._run("RecordSafetyOverride", request, pb.RecordSafetyOverrideResponse, effect)

    def ListProbingFlags(self, request, context):
        w = window(request)  # paged in SQL, by key: one more than shown says if more follow
        with self._uow() as uow:
            q = ListProbingFlags(after=time_and_id(w.after), limit=w.limit)
            found = oversight.probing_flags(self._deps, uow, q, current_caller())
        shown, token = w.cut(found, lambda f: (f.flagged_at.isoformat(), f.flag_id))
        return pb.ListProbingFlagsResponse(
            flags=[results.flag_out(f) for f in shown], next_page_token=token
        )

    def ListNominations(self, request, context):
        w = window(request)  # paged in SQL, by key: one more than shown says if more follow
        query = mapping.list_nominations_in(request, w)
        with self._uow() as uow:
            found = worklist.list_nominations(self._deps, uow, query, current_caller())
        shown, token = w.cut(found, mapping.worklist_key)
        now = self._deps.clock()
        return pb.ListNominationsResponse(
            nominations=[results.worklist_row_out(r, now) for r in shown], next_page_token=token
        )

"""``AccessLogService``, served by every service for its own access log (issue #15): the logged
looks at a subject, a case or by a party, and the newest signed checkpoint. Who may see which
records is the same question as in disclosure's AccessLog, asked of the same policy
(``zorgtafel.accesslog``, operation ``query_access_log``): a privacy officer or auditor
sees the records that concern its own party as controller (its people read, or it provided or
received what was read); of its people's refused attempts only the attempt, and only in a
listing of its own party's looks (``oversight.concerned_parties``, ``as_seen_by``), every
record of the filter in pages by key (``listing.py``). The kernel logs every ListAccess call as
a read (reading the log is logged)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import grpc

from zorgtafel.generated.accesslog.v1 import accesslog_pb2 as pb
from zorgtafel.generated.accesslog.v1 import accesslog_pb2_grpc as pb_grpc
from zorgtafel.kernel import paging, validate
from zorgtafel.kernel.accesslog.checkpoint import PublicKey
from zorgtafel.kernel.accesslog.listing import POLICY, oversight_page, policy_input
from zorgtafel.kernel.accesslog.service import reader, saw
from zorgtafel.kernel.accesslog.wire import checkpoint_in, checkpoint_out, log_entry_out, verify_out
from zorgtafel.kernel.callcontext import current_caller
from zorgtafel.kernel.errors import InvalidArgument, Unavailable
from zorgtafel.kernel.gate import PolicyGate
from zorgtafel.kernel.uow import UnitOfWork

SERVICE = pb.DESCRIPTOR.services_by_name["AccessLogService"].full_name
MAX_PROOFS = 20  # inclusion proofs per page (each reads the leaves up to its checkpoint)
READS = frozenset({"ListAccess"})  # GetCheckpoint holds no personal data


def _filter(request: pb.ListAccessRequest) -> tuple[str, str]:
    which = request.WhichOneof("filter")
    if which == "subject_pseudonym":
        return which, validate.check_pseudonym(request.subject_pseudonym, which)
    if which == "case_id":
        return which, validate.check_id(request.case_id, which)
    if which == "party":
        return which, validate.check_oin(request.party, which)
    raise InvalidArgument("filter", "required: subject_pseudonym, case_id or party")


# The generated base is untyped (grpc stubs): ``Any`` to mypy.
class AccessLogServicer(pb_grpc.AccessLogServiceServicer):  # type: ignore[misc]
    def __init__(
        self,
        service: str,
        uow_factory: Callable[[], UnitOfWork],
        policy_gate: PolicyGate,
        keys: Sequence[PublicKey] = (),
        *,
        policy: str = POLICY,
    ) -> None:
        self._service = service
        self._keys = tuple(keys)
        self._uow_factory = uow_factory
        self._gate = policy_gate
        self._asked = policy

    def ListAccess(
        self, request: pb.ListAccessRequest, context: grpc.ServicerContext
    ) -> pb.ListAccessResponse:
        by, value = _filter(request)
        caller = current_caller()
        # The record of this read names the subject or case asked about (a party filter: none).
        if by == "subject_pseudonym":
            saw(subject=value)
        elif by == "case_id":
            saw(case_id=value)
        window = paging.window(request)

        def decide(concerned: list[str]) -> Iterable[Mapping[str, Any]]:
            decision = self._gate.require(
                self._asked, policy_input(caller.as_input(), by, value, concerned)
            )
            saw(decision=decision)
            return decision.obligations

        with self._uow_factory() as uow:
            log = reader(uow)
            # A refused attempt shows its party only the attempt (issue #13: an uninvolved
            # party's oversight learns nothing of a resource its person was refused).
            listed = oversight_page(log, by, value, concern_by=by, decide=decide, window=window)
            chunk = listed.records
            if request.include_proof:
                chunk = [
                    dict(r, proof=log.inclusion(r["seq"]) if i < MAX_PROOFS else None)
                    for i, r in enumerate(chunk)
                ]
        return pb.ListAccessResponse(
            service=self._service,
            entries=[log_entry_out(r) for r in chunk],
            next_page_token=listed.next_page_token,
        )

    def GetCheckpoint(
        self, request: pb.GetCheckpointRequest, context: grpc.ServicerContext
    ) -> pb.GetCheckpointResponse:
        with self._uow_factory() as uow:
            cp = reader(uow).latest_checkpoint()
        out = pb.GetCheckpointResponse()
        if cp is not None:
            out.checkpoint.CopyFrom(checkpoint_out(cp))
        return out

    def VerifyLog(
        self, request: pb.VerifyLogRequest, context: grpc.ServicerContext
    ) -> pb.VerifyLogResponse:
        """Sizes, roots and a record's number, no personal data: not a logged read, so that it
        still answers when the log is damaged and takes no appends."""
        if not self._keys:
            # Nothing can be vouched for without the verifying key (fail closed).
            raise Unavailable("the access log's verifying key is not configured")
        trusted = [checkpoint_in(c) for c in request.trusted]
        with self._uow_factory() as uow:
            log = reader(uow)
            report = log.verify(self._keys, trusted)
            latest = log.latest_checkpoint()
        out = pb.VerifyLogResponse(service=self._service)
        out.report.CopyFrom(verify_out(report, latest))
        return out

"""Map caller-facing errors to gRPC statuses with ``google.rpc`` rich details.

INVALID_ARGUMENT carries ``BadRequest`` field violations; FAILED_PRECONDITION carries
``PreconditionFailure`` naming the state; PERMISSION_DENIED carries ``ErrorInfo`` with the
policy's reasons, decision id and revision; RESOURCE_EXHAUSTED (too many refusals of late, too
many open streams) carries ``QuotaFailure`` and ``RetryInfo``. A transaction PostgreSQL aborted
for a concurrent one (a deadlock, a serialization failure), or one SQLite refused because another
connection held the database locked past the busy timeout, is UNAVAILABLE: nothing was stored,
and asked again it can succeed. Anything unexpected is INTERNAL with a reference only, never the
exception text (it might hold data).
"""

from __future__ import annotations

import uuid
from typing import TypeVar, cast

import grpc
from google.protobuf import any_pb2
from google.protobuf.message import Message
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from zorgtafel.kernel import errors as e
from zorgtafel.kernel.db import aborted_for_concurrency, lost_database

D = TypeVar("D", bound=Message)


def _status(code: int, message: str, *details: Message) -> grpc.Status:
    packed = []
    for d in details:
        a = any_pb2.Any()
        a.Pack(d)
        packed.append(a)
    return rpc_status.to_status(
        status_pb2.Status(code=code, message=message[:1000], details=packed)
    )


def concurrency_abort() -> e.Unavailable:
    """What a caller is told of a transaction the database aborted for a concurrent one."""
    return e.Unavailable(
        "the database aborted the transaction for a concurrent one (a deadlock, a "
        "serialization failure or a lock held too long): nothing was stored; retry (with the "
        "same request_id)"
    )


def database_lost() -> e.Unavailable:
    """What a caller is told when the database could not be reached or dropped the connection
    mid-call. A command may have been stored just before (a commit whose answer was lost):
    asked again with the same request_id, it is answered as stored, never applied twice."""
    return e.Unavailable(
        "the database could not be reached: retry (with the same request_id; a command "
        "already stored is answered as stored)"
    )


def to_status(exc: BaseException) -> tuple[grpc.Status, str | None]:
    """Return the status for ``exc`` and, for unexpected errors, a reference to log."""
    if isinstance(exc, e.InvalidArgument):
        br = error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(field=f, description=d)
                for f, d in exc.violations
            ]
        )
        return _status(code_pb2.INVALID_ARGUMENT, exc.message, br), None
    if isinstance(exc, e.FailedPrecondition):
        pf = error_details_pb2.PreconditionFailure(
            violations=[
                error_details_pb2.PreconditionFailure.Violation(
                    type="STATE", subject=exc.subject or exc.state, description=exc.message
                )
            ]
        )
        return _status(code_pb2.FAILED_PRECONDITION, exc.message, pf), None
    if isinstance(exc, e.PermissionDenied):
        info = error_details_pb2.ErrorInfo(
            reason="POLICY_DENIED",
            domain="zorgtafel",
            metadata={
                "decision_id": exc.decision_id,
                "policy_revision": exc.revision,
                "policy": exc.policy,
                **exc.flags,
                **{f"reason_{i + 1}": r[:500] for i, r in enumerate(exc.reasons)},
            },
        )
        return _status(code_pb2.PERMISSION_DENIED, exc.message, info), None
    if isinstance(exc, e.NotFound):
        ri = error_details_pb2.ResourceInfo(
            resource_type=exc.resource_type, resource_name=exc.resource_name
        )
        return _status(code_pb2.NOT_FOUND, exc.message, ri), None
    if isinstance(exc, e.AlreadyExists):
        ri = error_details_pb2.ResourceInfo(
            resource_type=exc.resource_type, resource_name=exc.resource_name
        )
        return _status(code_pb2.ALREADY_EXISTS, exc.message, ri), None
    if isinstance(exc, e.Unauthenticated):
        return _status(code_pb2.UNAUTHENTICATED, exc.message), None
    if isinstance(exc, e.ResourceExhausted):
        # The standard rich details of a quota: what ran out, and when to ask again.
        quota = error_details_pb2.QuotaFailure(
            violations=[
                error_details_pb2.QuotaFailure.Violation(
                    subject=exc.subject, description=exc.description
                )
            ]
        )
        retry = error_details_pb2.RetryInfo()
        retry.retry_delay.FromSeconds(exc.retry_after_s)
        return _status(code_pb2.RESOURCE_EXHAUSTED, exc.message, quota, retry), None
    if isinstance(exc, e.Unavailable):
        return _status(code_pb2.UNAVAILABLE, exc.message), None
    if aborted_for_concurrency(exc):
        return _status(code_pb2.UNAVAILABLE, concurrency_abort().message), None
    if lost_database(exc):
        return _status(code_pb2.UNAVAILABLE, database_lost().message), None
    ref = uuid.uuid4().hex[:12]
    return _status(code_pb2.INTERNAL, f"internal error (reference {ref})"), ref


def relayed_turn_away(err: grpc.RpcError) -> e.ResourceExhausted | None:
    """A suite service that relays a person's call (casework's pre-read, a subject data report)
    and is told RESOURCE_EXHAUSTED: that person reached a bound at the peer (their budget of
    refusals). Passed on as such, with the peer's wait, rather than as the peer being
    unavailable."""
    if not isinstance(err, grpc.Call) or err.code() != grpc.StatusCode.RESOURCE_EXHAUSTED:
        return None
    wait_s = 60
    for retry in details_of(err, error_details_pb2.RetryInfo):
        wait_s = max(1, min(3600, retry.retry_delay.seconds))
    return e.ResourceExhausted(
        "the service asked on this person's behalf turned the call away (a bound of theirs "
        "was reached): nothing was decided or shown",
        "person",
        "a bound of the service asked",
        wait_s,
    )


def details_of(err: grpc.RpcError, detail_type: type[D]) -> list[D]:
    """The rich details of ``detail_type`` in a peer's failed call (none when its status has
    no details, or cannot be read: they are optional)."""
    try:
        status = rpc_status.from_call(cast(grpc.Call, err))  # a failed call is both
    except Exception:  # noqa: BLE001 - details are optional
        return []
    found = []
    for detail in status.details if status is not None else ():
        message = detail_type()
        if detail.Unpack(message):
            found.append(message)
    return found


def policy_reasons(info: error_details_pb2.ErrorInfo) -> tuple[str, ...]:
    """The policy's reasons a PERMISSION_DENIED's ErrorInfo carries (``reason_<n>``, in order)."""
    numbered = sorted(
        (int(k[7:]), v)
        for k, v in info.metadata.items()
        if k.startswith("reason_") and k[7:].isdigit()
    )
    return tuple(v for _, v in numbered)

"""A service's access log as the kernel builds it for every service (issue #15): the same code
in all four. ``Platform.access_log`` is one ``ServiceAccessLog``. The kernel's interceptor writes
a record for every call of a service's declared reads (``ServiceParts.reads``) before the reply
leaves, one per delivered message of a stream, allowed or refused by the handler's policy; the
read's handler says what it was about with ``saw(case_id=..., subject=..., resource=...,
decision=...)``. The kernel also logs every call the authz policy refused.

Records are appended by the group committer (``group.py``): the caller returns only once its
record is durable, so a reply never precedes its log line. Checkpoints are signed with the
service's key (``ZORGTAFEL_LOG_SIGNING_KEY_FILE``, default
``<data_dir>/dev-keys/<service>-log-signing.key``; the database never holds it) and published
on the service's own topic as ``ACCESS_LOG_CHECKPOINTED`` (at most every
``ZORGTAFEL_LOG_CHECKPOINT_PUBLISH_S``) for governance to keep.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from zorgtafel.contracts.accesslog import AccessLogCheckpointed
from zorgtafel.kernel import callcontext
from zorgtafel.kernel.accesslog import inputs, store
from zorgtafel.kernel.accesslog.checkpoint import Checkpoint, PublicKey, Signer
from zorgtafel.kernel.accesslog.group import GroupCommitLog, LogClosed
from zorgtafel.kernel.accesslog.records import AccessRecord
from zorgtafel.kernel.accesslog.verify import VerifyReport
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.config import Settings
from zorgtafel.kernel.errors import PermissionDenied, Unavailable
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.uow import UnitOfWork, utcnow
from zorgtafel.policy.decision import digest_of

log = get_logger(__name__)
MAX_QUERY = store.MAX_QUERY
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


def log_id_of(service: str) -> str:
    return f"zorgtafel.{service}.accesslog"


def signing_key_file(settings: Settings) -> Path:
    configured = settings.setting("log_signing_key_file")
    if configured:
        return Path(configured)
    return settings.data_dir / "dev-keys" / f"{settings.service}-log-signing.key"


def load_signer(settings: Settings) -> Signer | None:
    path = signing_key_file(settings)
    return Signer.from_file(path) if path.exists() else None


def public_keys(settings: Settings, signer: Signer | None) -> tuple[PublicKey, ...]:
    """The keys a checkpoint may be signed by: the current one and any listed as retired
    (``ZORGTAFEL_LOG_PUBLIC_KEYS``, base64, comma-separated) after a rotation."""
    keys = [signer.public_key()] if signer is not None else []
    for text in settings.setting("log_public_keys").split(","):
        if text.strip():
            keys.append(PublicKey.from_text(text.strip()))
    return tuple(keys)


def checkpoint_fields(cp: Checkpoint) -> dict[str, Any]:
    return {
        "log_id": cp.log_id,
        "size": cp.size,
        "root": cp.root.hex(),
        "signed_at": cp.signed_at,
        "key_id": cp.key_id,
        "signature": cp.signature.hex(),
    }


class CheckpointPublisher:
    """Puts a signed checkpoint on the outbox at most every ``interval_s``: every batch is
    signed, but governance needs only enough of them to pin the log down; the first one after
    a start always goes."""

    def __init__(self, interval_s: float) -> None:
        self._interval = interval_s
        self._last: float | None = None
        self._lock = threading.Lock()

    def __call__(self, uow: UnitOfWork, cp: Checkpoint) -> None:
        with self._lock:
            now = time.monotonic()
            if self._last is not None and now - self._last < self._interval:
                return
            self._last = now
        uow.emit(AccessLogCheckpointed(**checkpoint_fields(cp)))


class LogReader:
    """The access log as handlers read it, in a unit of work's transaction."""

    def __init__(self, session: Session, tables: store.LogTables, log_id: str) -> None:
        self._s = session
        self._t = tables
        self.log_id = log_id

    def ensure_head(self) -> None:
        store.ensure_head(self._s, self._t)

    def sign_head(self, signer: Signer) -> Checkpoint | None:
        return store.sign_head(self._s, self._t, signer=signer, log_id=self.log_id, now=utcnow())

    def latest(self, by: str, value: str, limit: int = MAX_QUERY) -> list[dict[str, Any]]:
        """The newest records of one subject, provider, party, case or decision."""
        if by not in store.FILTERS:
            raise ValueError(f"no access-log filter {by!r}")
        return store.latest(self._s, self._t, by, value, limit)

    @property
    def tables(self) -> store.LogTables:
        return self._t

    def concerned(self, by: str, value: str) -> list[dict[str, Any]]:
        """The distinct (party, recipient, provider, result) of the filter's whole records."""
        return store.parties_concerned(self._s, self._t, by, value)

    def page_newest(
        self,
        by: str,
        value: str,
        *,
        limit: int,
        before_seq: int | None = None,
        where: ColumnElement[bool] | None = None,
    ) -> list[dict[str, Any]]:
        """A keyset page of the filter's whole records, newest first (``listing.py``)."""
        return store.page_newest(
            self._s, self._t, by, value, limit=limit, before_seq=before_seq, where=where
        )

    def every(self, by: str, value: str) -> list[dict[str, Any]]:
        """Every record of one filter, oldest first."""
        return store.every(self._s, self._t, by, value)

    def of_subject(self, subject_pseudonym: str) -> list[dict[str, Any]]:
        """Every record about the subject, oldest first (the subject access report)."""
        return store.of_subject(self._s, self._t, subject_pseudonym)

    def of_decision(self, decision_id: str) -> list[dict[str, Any]]:
        return store.latest(self._s, self._t, "decision_id", decision_id)

    def latest_checkpoint(self) -> Checkpoint | None:
        return store.latest_checkpoint(self._s.connection(), self._t, self.log_id)

    def inclusion(self, seq: int) -> store.InclusionProof | None:
        return store.inclusion(self._s.connection(), self._t, seq, self.log_id)

    def consistency(self, first: int, second: int) -> list[bytes]:
        return store.consistency(self._s.connection(), self._t, first, second)

    def verify(self, keys: Sequence[PublicKey], trusted: Iterable[Checkpoint] = ()) -> VerifyReport:
        return store.verify(
            self._s.connection(), self._t, keys, log_id=self.log_id, trusted=trusted
        )


def reader(uow: UnitOfWork) -> LogReader:
    """The access log of the unit of work's service, read in its transaction."""
    return LogReader(uow.session, store.LogTables.of(uow.tables), log_id_of(_service_of(uow)))


def _service_of(uow: UnitOfWork) -> str:
    # ``source`` is ``/zorgtafel/<service>`` (the kernel's CloudEvents source).
    return uow.source.rsplit("/", 1)[-1]


@dataclass
class Look:
    """What one read saw, filled in by its handler (``saw``) while the kernel serves the call:
    the kernel writes it to the access log before the reply leaves (``ServiceAccessLog.look``)."""

    case_id: str = ""
    subject: str = ""
    resource: str = ""
    purpose: str = ""
    provider: str = ""
    recipient: str = ""
    decision: Any = None  # the handler's deciding ``Decision`` (id, revision, input digest)
    # Every decision the policy gate gave while serving this read, by id (``noted``): a refusal
    # names only its decision id, and its record keeps that decision's input (#17).
    decisions: dict[str, Any] = field(default_factory=dict)


_look: ContextVar[Look | None] = ContextVar("zorgtafel_look", default=None)
_LOOK_FIELDS = frozenset(f for f in Look.__dataclass_fields__) - {"decisions"}
MAX_NOTED = 64  # decisions one read keeps at hand (a listing decides per entry)


def noted(decision: Any) -> None:
    """The policy gate's note of a decision it gave; kept only while a logged read is served
    (the look ends with the call), so no input outlives its call."""
    look = _look.get()
    decision_id = getattr(decision, "decision_id", "")
    if look is None or not decision_id:
        return
    if len(look.decisions) >= MAX_NOTED:
        look.decisions.pop(next(iter(look.decisions)))
    look.decisions[decision_id] = decision


def saw(**about: Any) -> None:
    """Tell the kernel what the read being served is about (case, subject pseudonym, the
    sections or items, the deciding policy decision). Identifiers only. Outside a logged read
    (a handler test, a write) it does nothing."""
    unknown = set(about) - _LOOK_FIELDS
    if unknown:
        raise TypeError(f"a look has no {sorted(unknown)}")
    look = _look.get()
    if look is not None:
        for name, value in about.items():
            setattr(look, name, value)


RESOURCE_CHARS = 256  # the access log's resource column


def listed(ids: Iterable[str], limit: int = RESOURCE_CHARS) -> str:
    """Identifiers for a record's ``resource``, comma-separated, each once, as many whole ones
    as fit, then ``+N`` for the N left off (a cut identifier would name something else)."""
    items = list(dict.fromkeys(i for i in ids if i))
    named: list[str] = []
    for i, item in enumerate(items):
        rest = len(items) - i - 1
        tail = f",+{rest}" if rest else ""
        if len(",".join([*named, item]) + tail) > limit:
            return ",".join([*named, f"+{len(items) - i}"])
        named.append(item)
    return ",".join(named)


@contextmanager
def looking(case_id: str = "") -> Iterator[Look]:
    """The look of the read being served, for ``saw`` in its handler's thread."""
    look = Look(case_id=case_id if _ID.fullmatch(case_id or "") else "")
    token = _look.set(look)
    try:
        yield look
    finally:
        _look.reset(token)


class ServiceAccessLog:
    """One service's access log: its group committer, its keys and the records of reads."""

    def __init__(
        self,
        settings: Settings,
        uow_factory: Callable[[], UnitOfWork],
        *,
        activity: str = "",
    ) -> None:
        self.service = settings.service
        self.log_id = log_id_of(settings.service)
        signer = load_signer(settings)
        if signer is None:
            if settings.production:
                raise RuntimeError(
                    "the access log's signing key is missing (ZORGTAFEL_LOG_SIGNING_KEY_FILE)"
                )
            log.warning("access_log_unsigned", reason="no signing key file")
        self.keys = public_keys(settings, signer)
        self._uow_factory = uow_factory
        # The processing activity (Bijlage 3) a service's reads fall under, when it has one.
        self.activity = activity or settings.setting("log_processing_activity")
        self.committer = GroupCommitLog(
            uow_factory,
            log_id=self.log_id,
            signer=signer,
            on_checkpoint=CheckpointPublisher(
                float(settings.setting("log_checkpoint_publish_s", "5"))
            ),
        )

    @property
    def signer(self) -> Signer | None:
        return self.committer.signer

    def append(self, records: Sequence[AccessRecord], work: Any = None) -> list[int]:
        """Durably, or UNAVAILABLE (retryable): what cannot be logged is not released."""
        try:
            return self.committer.append(records, work)
        except (SQLAlchemyError, TimeoutError, LogClosed) as exc:
            log.error("access_log_append_failed", log_id=self.log_id, error_type=type(exc).__name__)
            raise Unavailable(
                "the access log cannot record this call: nothing is released"
            ) from exc

    def start(self) -> None:
        """The head row (once, whichever replica is first), then a checkpoint over records not
        yet under one (taken over by a migration or written without a key), published at every
        start so governance hears of the log."""
        try:
            with self._uow_factory() as uow:
                reader(uow).ensure_head()
                uow.commit()
        except IntegrityError:
            pass  # another replica created the head first
        if self.signer is None:
            return
        with self._uow_factory() as uow:
            cp = reader(uow).sign_head(self.signer)
            if cp is not None:
                uow.emit(AccessLogCheckpointed(**checkpoint_fields(cp)))
            uow.commit()

    def close(self) -> None:
        self.committer.close()

    # -- records of reads -------------------------------------------------------------------
    def record(
        self,
        caller: Caller,
        *,
        result: str,
        action: str = "read",
        rpc: str = "",
        case_id: str = "",
        subject: str = "",
        resource: str = "",
        purpose: str = "",
        provider: str = "",
        recipient: str = "",
        reasons: Sequence[str] = (),
        decision: Any = None,
        decision_id: str = "",
        policy_revision: str = "",
        ctx: callcontext.CallContext | None = None,
        decision_input: str = "",
        input_digest: str = "",
    ) -> AccessRecord:
        """One record in the NEN 7513 shape; the RPC, trace and span from the call being
        served (``ctx``, else the interceptor's context of this thread), identifiers only."""
        ctx = ctx or _context()
        return AccessRecord(
            recorded_at=utcnow(),
            party=caller.party,
            person=caller.person,
            role=caller.role,
            rpc=rpc or (ctx.method.rsplit("/", 1)[-1] if ctx else ""),
            action=action,
            result=result,
            resource=resource[:256],
            case_id=case_id,
            subject_pseudonym=subject,
            provider=provider,
            purpose=purpose,
            processing_activity=self.activity,
            reasons=tuple(reasons),
            decision_id=decision_id or (decision.decision_id if decision is not None else ""),
            policy_revision=policy_revision
            or (decision.revision if decision is not None else "")
            or "",
            trace_id=ctx.trace_id if ctx else "",
            span_id=ctx.span_id if ctx else "",
            recipient=recipient or caller.party,
            # bare SHA-256 hex (the column's 64 characters), without the engine's tag
            input_digest=(
                input_digest or (decision.input_digest if decision is not None else "")
            ).removeprefix("sha256:"),
            decision_input=decision_input or inputs.of_decision(decision),
        )

    def look(
        self,
        ctx: callcontext.CallContext,
        look: Look,
        denied: PermissionDenied | None = None,
    ) -> None:
        """One read, allowed or refused by a handler's policy, durable before the reply: the
        deciding decision is the handler's when it named one, else the call's authz decision."""
        p = ctx.principal
        decision = look.decision
        # The decision the record keeps the input of: the refusing one (noted by the gate), the
        # handler's, else the call's authz decision.
        deciding = look.decisions.get(denied.decision_id) if denied is not None else decision
        kept, authz_digest = "", ""
        if deciding is None and denied is None and ctx.authz_input_json:
            kept = inputs.recorded_input("zorgtafel.authz", ctx.authz_input_json)
            authz_digest = digest_of(ctx.authz_input_json)
        self.append(
            [
                self.record(
                    Caller(party=p.party, person=p.person, role=p.role),
                    result="denied" if denied is not None else "allowed",
                    ctx=ctx,
                    case_id=look.case_id,
                    subject=look.subject,
                    resource=look.resource,
                    purpose=look.purpose,
                    provider=look.provider,
                    recipient=look.recipient,
                    reasons=denied.reasons if denied is not None else (),
                    decision=deciding,
                    decision_id=(
                        denied.decision_id
                        if denied is not None
                        else ("" if decision is not None else ctx.authz_decision_id)
                    ),
                    policy_revision=(
                        denied.revision
                        if denied is not None
                        else ("" if decision is not None else ctx.policy_revision)
                    ),
                    decision_input=kept,
                    input_digest=authz_digest,
                )
            ]
        )

    def refused_call(self, refused: callcontext.RefusedCall) -> None:
        """A call the authz policy refused before any handler ran, with what its request
        names (a well-formed case id), so a subject's report shows who tried."""
        p = refused.principal
        caller = Caller(party=p.party, person=p.person, role=p.role)
        case_id = getattr(refused.request, "case_id", "")
        self.append(
            [
                AccessRecord(
                    recorded_at=utcnow(),
                    party=p.party,
                    person=p.person,
                    role=p.role,
                    rpc=refused.method.rsplit("/", 1)[-1],
                    action="call",
                    result="denied",
                    case_id=case_id if isinstance(case_id, str) and _ID.fullmatch(case_id) else "",
                    processing_activity=self.activity,
                    reasons=tuple(refused.reasons),
                    decision_id=refused.decision_id,
                    policy_revision=refused.policy_revision or "",
                    trace_id=refused.trace_id,
                    span_id=refused.span_id,
                    recipient=caller.party,
                    input_digest=(
                        digest_of(refused.input_json).removeprefix("sha256:")
                        if refused.input_json
                        else ""
                    ),
                    decision_input=inputs.recorded_input("zorgtafel.authz", refused.input_json),
                )
            ]
        )


def _about(look: Look) -> dict[str, str]:
    return {
        "case_id": look.case_id,
        "subject": look.subject,
        "resource": look.resource,
        "purpose": look.purpose,
        "provider": look.provider,
        "recipient": look.recipient,
    }


def _context() -> callcontext.CallContext | None:
    try:
        return callcontext.current()
    except RuntimeError:
        return None  # a handler test without the interceptor: no RPC context to record

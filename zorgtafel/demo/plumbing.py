"""How the demo plays partner systems: calls with a person's token, checked outcomes."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, TypeVar

import grpc
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from zorgtafel.demo.actors import (
    Actor,
)
from zorgtafel.generated.accesslog.v1 import accesslog_pb2_grpc as al_grpc
from zorgtafel.generated.casework.v1 import casework_pb2_grpc as cw_grpc
from zorgtafel.generated.disclosure.v1 import disclosure_pb2_grpc as ds_grpc
from zorgtafel.generated.governance.v1 import governance_pb2_grpc as gv_grpc
from zorgtafel.generated.intake.v1 import intake_pb2_grpc as ik_grpc
from zorgtafel.kernel.devkeys import mint_token

T = TypeVar("T")

TOKEN_TTL_S = 3600  # what the identity provider issues (mint_token's default)
TOKEN_RENEW_BEFORE_S = 300  # a new token this long before the old one expires


class StoryFailed(Exception):
    pass


@dataclass
class StoryBase:
    endpoints: dict[str, str]
    private_key: bytes
    out: Callable[[str], None] = print
    failures: list[str] = field(default_factory=list)
    steps: int = 0
    # True: the closed case is left to the services' retention schedulers (the suite runs with
    # a short case_closed period, as `zorgtafel up` does); False: the story calls Purge itself.
    auto_purge: bool = False
    # One token per person and job, reused until shortly before it expires, as a partner system
    # uses what its identity provider issued (a token per call would fill the services' verified-
    # token caches with tokens never seen again, which no real client does).
    _tokens: dict[tuple[str, str, str], tuple[str, float]] = field(
        default_factory=dict, init=False, repr=False
    )
    clock: Callable[[], float] = time.time

    def __post_init__(self) -> None:
        ch = {s: self.channel(a) for s, a in self.endpoints.items()}
        self.intake = ik_grpc.IntakeServiceStub(ch["intake"])
        self.casework = cw_grpc.CaseworkServiceStub(ch["casework"])
        self.disclosure = ds_grpc.DisclosureServiceStub(ch["disclosure"])
        self.governance = gv_grpc.GovernanceServiceStub(ch["governance"])
        # Every service serves its own access log (NEN 7513).
        self.access_logs = {s: al_grpc.AccessLogServiceStub(c) for s, c in ch.items()}

    # -- plumbing ---------------------------------------------------------------------------
    def channel(self, address: str) -> grpc.Channel:
        """The channel to one service (a test wraps it, e.g. to record every call)."""
        return grpc.insecure_channel(address)

    def md(self, actor: Actor) -> tuple[tuple[str, str], ...]:
        key = (actor.party, actor.role, actor.person)
        token, renew_at = self._tokens.get(key, ("", 0.0))
        if self.clock() >= renew_at:
            token = mint_token(
                self.private_key,
                party=actor.party,
                role=actor.role,
                person=actor.person,
                ttl_s=TOKEN_TTL_S,
            )
            self._tokens[key] = (token, self.clock() + TOKEN_TTL_S - TOKEN_RENEW_BEFORE_S)
        return (("authorization", f"Bearer {token}"),)

    def say(self, text: str) -> None:
        self.out(text)

    def ok(self, actor: Actor, what: str, call: Callable[..., T], request: Message, **kw: Any) -> T:
        """A step the covenant allows: it must succeed."""
        self.steps += 1
        try:
            reply = call(request, metadata=self.md(actor), timeout=20, **kw)
        except grpc.RpcError as err:
            self.fail(f"{what}: expected success, got {err.code().name}: {err.details()}")
            raise StoryFailed(what) from None
        self.say(f"  ok    {actor.label}: {what}")
        return reply

    def refused(
        self,
        actor: Actor,
        what: str,
        call: Callable[..., object],
        request: Message,
        code: grpc.StatusCode,
    ) -> list[str]:
        """A step the covenant forbids: it must be refused with ``code``; returns reasons."""
        self.steps += 1
        try:
            call(request, metadata=self.md(actor), timeout=20)
        except grpc.RpcError as err:
            if err.code() != code:
                self.fail(f"{what}: expected {code.name}, got {err.code().name}: {err.details()}")
                return []
            reasons = [r.strip() for r in (err.details() or "").split(";") if r.strip()]
            self.say(f"  no    {actor.label}: {what} -> {code.name}")
            for r in reasons[:3]:
                self.say(f"          because: {r}")
            return reasons
        self.fail(f"{what}: expected {code.name}, but it was allowed")
        return []

    def fail(self, message: str) -> None:
        self.failures.append(message)
        self.say(f"  FAIL  {message}")

    def eventually(self, what: str, attempt: Callable[[], T], timeout: float = 60.0) -> T:
        """Facts travel between services as events: wait until ``attempt`` succeeds."""
        deadline = time.monotonic() + timeout
        last: str | None = None
        while time.monotonic() < deadline:
            try:
                result = attempt()
                if result:
                    return result
            except grpc.RpcError as err:
                last = f"{err.code().name}: {err.details()}"
            time.sleep(0.5)
        self.fail(f"{what}: not reached within {timeout:.0f}s ({last})")
        raise StoryFailed(what)

    @staticmethod
    def rid() -> str:
        return str(uuid.uuid4())

    # -- the case ---------------------------------------------------------------------------


def _ts(hours: float) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(datetime.now(timezone.utc) + timedelta(hours=hours))
    return ts

"""The authorisation matrix: every RPC of the protos, called by every kind of caller, each cell
with its expected outcome (issue #13, art. 8.4c, Bijlage 3: "only relevant persons reach a
dossier").

The RPCs come from the generated descriptors (a new RPC without a target fails the test); the
role each caller claims comes from the policies' own method table (``zorgtafel.authz``), so the
token always carries a role the method admits and what is tested is the relationship: which
party the caller is of (involved in the resource, not involved, excluded) and which person (the
person with a part in it, a colleague of the same party without one, the oversight role).

A cell is one call, made in-process against the service's real servicers behind the kernel's
interceptor (``zorgtafel.testing.served``), on a fresh resource per RPC so that a permitted
call cannot change what the next cell sees. An outcome is "allowed" when the call returns OK.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import grpc
from google.protobuf.message import Message

PARTY_RELATIONS = ("involved", "uninvolved", "excluded")
PERSON_RELATIONS = ("part", "colleague", "oversight")
OVERSIGHT_ROLES = ("privacy_officer", "auditor")

# Scopes: what the RPC's resource is, and so who may be allowed.
CASE = "case"  # a case, nomination or body: only the person with a part (cell involved/part)
PUBLIC = "public"  # the covenant's public facts (its parties, bodies): every active party
CREATE = "create"  # makes a new resource of the caller's own (a nomination): any active worker
PARTY = "party"  # addressed to a party as such (a triage question, 1.15): any of its workers
OVERSIGHT = "oversight"  # what concerns a controller: its own oversight role (involved/oversight)
SCOPES = (CASE, PUBLIC, CREATE, PARTY, OVERSIGHT)


@dataclass(frozen=True)
class Rpc:
    service: str
    name: str
    path: str
    request_class: type[Message]
    streaming: bool


@dataclass(frozen=True)
class Caller:
    party: str
    person: str
    role: str


@dataclass(frozen=True)
class Target:
    """One RPC's place in the matrix. ``request(resource)`` builds a valid request for a fresh
    resource (the dict ``fresh()`` returned); ``role`` is the role the person with a part uses
    (one the method table admits); ``person`` names which of the resource's persons that is."""

    scope: str
    request: Callable[[Mapping[str, Any]], Message]
    role: str
    person: str = "part"  # key into the resource for the person with a part
    oversight_role: str = "privacy_officer"


@dataclass
class Cell:
    rpc: str
    party: str
    person: str
    expected: bool
    outcome: str  # the status code's name, "OK" when allowed

    @property
    def allowed(self) -> bool:
        return self.outcome == "OK"


@dataclass
class Report:
    cells: list[Cell] = field(default_factory=list)

    def unexpected_allows(self) -> list[Cell]:
        return [c for c in self.cells if c.allowed and not c.expected]

    def unexpected_refusals(self) -> list[Cell]:
        return [c for c in self.cells if c.expected and not c.allowed]

    def summary(self) -> str:
        return (
            f"authorisation matrix: {len(self.cells)} cells, "
            f"{len(self.unexpected_allows())} unexpected allows, "
            f"{len(self.unexpected_refusals())} unexpected refusals"
        )


def rpcs(service: str, pb2: Any) -> list[Rpc]:
    """Every RPC of the service's proto, from the generated descriptor."""
    from google.protobuf import message_factory

    out = []
    for svc in pb2.DESCRIPTOR.services_by_name.values():
        for m in svc.methods:
            out.append(
                Rpc(
                    service,
                    m.name,
                    f"/{svc.full_name}/{m.name}",
                    message_factory.GetMessageClass(m.input_type),
                    m.server_streaming,
                )
            )
    return out


def expected(scope: str, party: str, person: str) -> bool:
    if party == "excluded":
        return False  # art. 23.2: an excluded party is served nothing
    if scope == PUBLIC:
        return True
    if scope == CREATE:
        return person != "oversight"
    if scope == PARTY:
        return party == "involved" and person != "oversight"
    if scope == OVERSIGHT:
        return party == "involved" and person == "oversight"
    return party == "involved" and person == "part"


def call(chan: grpc.Channel, rpc: Rpc, request: Message, metadata: tuple) -> str:
    """The status code name of one call (a stream counts as allowed when it yields or ends)."""
    ser = rpc.request_class.SerializeToString
    try:
        if rpc.streaming:
            stream = chan.unary_stream(rpc.path, request_serializer=ser)(
                request, metadata=metadata, timeout=5
            )
            try:
                next(iter(stream))
            except StopIteration:
                pass
            except grpc.RpcError as exc:
                if exc.code() == grpc.StatusCode.DEADLINE_EXCEEDED:
                    return "OK"  # a watch that waits for changes was served
                raise
            finally:
                stream.cancel()
        else:
            chan.unary_unary(rpc.path, request_serializer=ser)(
                request, metadata=metadata, timeout=10
            )
    except grpc.RpcError as exc:
        return exc.code().name
    return "OK"


def rid() -> str:
    return f"req-{uuid.uuid4().hex}"


def cells() -> list[tuple[str, str]]:
    return list(itertools.product(PARTY_RELATIONS, PERSON_RELATIONS))


@dataclass(frozen=True)
class ServiceSpec:
    """One service's side of the matrix: how to make a fresh resource with its persons, and
    each RPC's target. ``setup(platform, parts, channel, keys)`` returns ``fresh()``, which
    makes a new resource and returns its ids and persons as a dict; a person is a
    ``(party, person)`` pair under the key a target's ``person`` names."""

    service: str
    pb2: Any
    uninvolved: str  # an active party with no part in any resource
    excluded: str  # an excluded party (art. 23.2)
    setup: Callable[..., Callable[[], dict[str, Any]]]
    targets: Mapping[str, Target]


def caller_for(
    spec: ServiceSpec, target: Target, resource: Mapping[str, Any], cell: tuple[str, str]
) -> Caller:
    party_rel, person_rel = cell
    party, person = resource[target.person]
    if party_rel == "uninvolved":
        party = spec.uninvolved
    elif party_rel == "excluded":
        party = spec.excluded
    if person_rel == "part":
        return Caller(party, person, target.role)
    if person_rel == "colleague":
        return Caller(party, f"colleague-of-{person}", target.role)
    return Caller(party, "oversight-1", target.oversight_role)


def run(
    spec: ServiceSpec, chan: grpc.Channel, keys: Any, fresh: Callable[[], dict[str, Any]]
) -> Report:
    """Every RPC of the service in every cell. Per RPC one fresh resource for the refused
    cells, which run first; each permitted cell gets a fresh resource of its own, since a
    permitted call may change it (an answer is given once, a case closed once)."""
    report = Report()
    for rpc in rpcs(spec.service, spec.pb2):
        target = spec.targets[rpc.name]
        shared = fresh()
        ordered = sorted(cells(), key=lambda c: expected(target.scope, *c))
        for cell in ordered:
            resource = fresh() if expected(target.scope, *cell) else shared
            who = caller_for(spec, target, resource, cell)
            md = keys.metadata(who.party, who.role, who.person)
            outcome = call(chan, rpc, target.request(resource), md)
            report.cells.append(
                Cell(rpc.path, cell[0], cell[1], expected(target.scope, *cell), outcome)
            )
    return report

"""The authorisation matrix: every RPC of the protos, called by every kind of caller, each cell
with its expected outcome (issue #13, art. 8.4c, Bijlage 3: "only relevant persons reach a
dossier").

The RPCs come from the generated descriptors of every gRPC service the service serves: its own
proto's and the kernel's (its access log, and the subject data export where it serves one), so
a new RPC of either without a target fails the test; the role each caller claims comes from the policies' own method table (``zorgtafel.authz``), so the
token always carries a role the method admits and what is tested is the relationship: which
party the caller is of (involved in the resource, not involved, excluded) and which person (the
person with a part in it, a colleague of the same party without one, the oversight role).

A cell is one call, made in-process against the service's real servicers behind the kernel's
interceptor, access log included (``serving.served``), on a fresh resource per RPC so that a
permitted call cannot change what the next cell sees. An outcome is "allowed" when the call
returns OK; where the right refusal is an empty answer (a listing narrowed to the caller's own
party), the target says whether the reply carries anything of the resource (``Target.reply``),
so that an uninvolved caller's OK with nothing in it is told apart from a leak.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterable, Mapping
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
# Held by a function the roster gives, not a part (12.1, 12.3: a designated process director of
# an active party): the person with the part, its colleague and the uninvolved party's person
# of the same id, each designated in the spec's setup (spec_casework); the uninvolved party's
# colleague is not.
DESIGNATED = "designated"
SCOPES = (CASE, PUBLIC, CREATE, PARTY, OVERSIGHT, DESIGNATED)


@dataclass(frozen=True)
class Rpc:
    service: str
    name: str  # the target's key: the method for the service's own proto, else "Service.Method"
    path: str
    request_class: type[Message]
    streaming: bool
    response_class: type[Message] | None = None


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
    # The outcome of an OK reply, where an OK alone cannot tell a leak from the right answer
    # (``reply(response, resource, caller)``): "OK" when the reply carries what the cell is
    # about, another name (e.g. "OK_NOTHING") when it does not - counted as not allowed.
    reply: Callable[[Message, Mapping[str, Any], Caller], str] | None = None


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
    rpcs: list[str] = field(default_factory=list)  # every RPC served, by target key
    services: list[str] = field(default_factory=list)  # the gRPC services served, full names

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


def rpcs(service: str, pb2: Any, served: Iterable[str] = ()) -> list[Rpc]:
    """Every RPC of the service's proto, and of every other gRPC service it serves (``served``:
    full names, as registered), from the generated descriptors. The service's own are keyed by
    method name, the others by ``Service.Method`` (two protos may share a method name)."""
    from google.protobuf import descriptor_pool

    own = list(pb2.DESCRIPTOR.services_by_name.values())
    own_names = {svc.full_name for svc in own}
    others = [
        descriptor_pool.Default().FindServiceByName(name)
        for name in dict.fromkeys(served)
        if name not in own_names
    ]
    out = [_rpc(service, svc, m, m.name) for svc in own for m in svc.methods]
    out += [_rpc(service, svc, m, f"{svc.name}.{m.name}") for svc in others for m in svc.methods]
    return out


def _rpc(service: str, svc: Any, m: Any, key: str) -> Rpc:
    from google.protobuf import message_factory

    return Rpc(
        service,
        key,
        f"/{svc.full_name}/{m.name}",
        message_factory.GetMessageClass(m.input_type),
        m.server_streaming,
        message_factory.GetMessageClass(m.output_type),
    )


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
    if scope == DESIGNATED:
        return (party, person) in {
            ("involved", "part"),
            ("involved", "colleague"),
            ("uninvolved", "part"),
        }
    return party == "involved" and person == "part"


def call(chan: grpc.Channel, rpc: Rpc, request: Message, metadata: tuple) -> tuple[str, Any]:
    """The status code name of one call and its reply (a stream's first message; a stream
    counts as allowed when it yields or ends)."""
    ser = rpc.request_class.SerializeToString
    de = rpc.response_class.FromString if rpc.response_class is not None else None
    reply: Any = None
    try:
        if rpc.streaming:
            stream = chan.unary_stream(rpc.path, request_serializer=ser, response_deserializer=de)(
                request, metadata=metadata, timeout=5
            )
            try:
                reply = next(iter(stream))
            except StopIteration:
                pass
            except grpc.RpcError as exc:
                if exc.code() == grpc.StatusCode.DEADLINE_EXCEEDED:
                    return "OK", None  # a watch that waits for changes was served
                raise
            finally:
                stream.cancel()
        else:
            reply = chan.unary_unary(rpc.path, request_serializer=ser, response_deserializer=de)(
                request, metadata=metadata, timeout=10
            )
    except grpc.RpcError as exc:
        return exc.code().name, None
    return "OK", reply


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
    spec: ServiceSpec,
    chan: grpc.Channel,
    keys: Any,
    fresh: Callable[[], dict[str, Any]],
    served: Iterable[str] = (),
) -> Report:
    """Every RPC of the service (and of the kernel's services it ``served``) in every cell. Per RPC one fresh resource for the refused
    cells, which run first; each permitted cell gets a fresh resource of its own, since a
    permitted call may change it (an answer is given once, a case closed once)."""
    report = Report(services=list(served))
    for rpc in rpcs(spec.service, spec.pb2, served):
        report.rpcs.append(rpc.name)
        target = spec.targets.get(rpc.name)
        if target is None:
            continue  # test_every_rpc_of_the_protos_has_its_place_in_the_matrix names it
        shared = fresh()
        ordered = sorted(cells(), key=lambda c: expected(target.scope, *c))
        for cell in ordered:
            resource = fresh() if expected(target.scope, *cell) else shared
            who = caller_for(spec, target, resource, cell)
            md = keys.metadata(who.party, who.role, who.person)
            outcome, reply = call(chan, rpc, target.request(resource), md)
            if outcome == "OK" and target.reply is not None:
                outcome = target.reply(reply, resource, who)
            report.cells.append(
                Cell(rpc.path, cell[0], cell[1], expected(target.scope, *cell), outcome)
            )
    return report

"""gRPC servicer: requests to commands (enums and timestamps converted at the edge), handlers
called, results mapped back to proto; nothing else. Mutating calls run once per request_id
(the kernel's ``Commands``). The RPCs are grouped by use case in ``grpc_parties``,
``grpc_decisions``, ``grpc_membership`` and ``grpc_disputes`` (shared helpers in
``grpc_base``), and combined here."""

from __future__ import annotations

from collections.abc import Callable

from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.entrypoints.grpc_decisions import DecisionRpcs
from services.governance.entrypoints.grpc_disputes import DisputeRpcs
from services.governance.entrypoints.grpc_membership import MembershipRpcs
from services.governance.entrypoints.grpc_parties import PartyRpcs
from services.governance.service_layer.deps import Deps
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.kernel.commands import Commands

SERVICE = pb.DESCRIPTOR.services_by_name["GovernanceService"].full_name


class GovernanceServicer(PartyRpcs, DecisionRpcs, MembershipRpcs, DisputeRpcs):
    def __init__(self, uow_factory: Callable[[], GovernanceUnitOfWork], deps: Deps) -> None:
        self._uow = uow_factory
        self._deps = deps
        self._commands = Commands(uow_factory, SERVICE)

"""gRPC servicer: translates proto to commands and domain objects back to proto, nothing else."""

from __future__ import annotations

from google.protobuf.timestamp_pb2 import Timestamp

from services.governance.domain.parties import Party, PartyKind, PartyStatus
from services.governance.service_layer import handlers
from zorgtafel.governance.v1 import governance_pb2 as pb
from zorgtafel.governance.v1 import governance_pb2_grpc as pb_grpc
from zorgtafel.kernel.errors import InvalidArgument


def _enum_to_domain(enum_cls, proto_enum, value: int, field: str, prefix: str):
    if value == 0:
        return None
    try:
        name = proto_enum.Name(value)
    except ValueError as exc:
        raise InvalidArgument(field, "unknown enum value") from exc
    return enum_cls(name.removeprefix(prefix).lower())


def party_to_proto(p: Party) -> pb.Party:
    ts = Timestamp()
    ts.FromDatetime(p.status_since)
    return pb.Party(party_id=p.party_id, name=p.name,
                    kind=pb.PartyKind.Value("PARTY_KIND_" + p.kind.value.upper()),
                    status=pb.PartyStatus.Value("PARTY_STATUS_" + p.status.value.upper()),
                    status_since=ts)


class GovernanceServicer(pb_grpc.GovernanceServiceServicer):
    def __init__(self, uow_factory) -> None:
        self._uow = uow_factory

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

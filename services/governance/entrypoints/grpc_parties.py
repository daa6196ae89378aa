"""The governance servicer's RPCs for parties, bodies and seats; a part of
``GovernanceServicer`` (``grpc_api``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from google.protobuf.message import Message

from services.governance.domain import commands as c
from services.governance.domain.parties import PartyKind, PartyStatus
from services.governance.entrypoints import proto_mapping as out
from services.governance.entrypoints.grpc_base import RpcBase, body_in
from services.governance.service_layer.handlers import parties
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.kernel.convert import enum_in
from zorgtafel.kernel.paging import page

T = TypeVar("T")


def listed(
    field: str, found: Sequence[T], request: Message, out_fn: Callable[[T], Any]
) -> dict[str, Any]:
    """One page of a list response: the entries of ``field`` and the next page's token."""
    shown, token = page(found, request)
    return {field: [out_fn(x) for x in shown], "next_page_token": token}


class PartyRpcs(RpcBase):
    def ListParties(self, request, context):
        kind = enum_in(pb.PartyKind, PartyKind, request.kind, "PARTY_KIND_", "kind")
        status = enum_in(pb.PartyStatus, PartyStatus, request.status, "PARTY_STATUS_", "status")
        return self._read(
            lambda uow: parties.list_parties(uow, kind, status),
            lambda found: pb.ListPartiesResponse(
                **listed("parties", found, request, out.party_out)
            ),
        )

    def GetParty(self, request, context):
        return self._read(
            lambda uow: parties.get_party(uow, request.party_id),
            lambda party: pb.GetPartyResponse(party=out.party_out(party)),
        )

    def GetPartyHistory(self, request, context):
        return self._read(
            lambda uow: parties.party_history(uow, request.party_id),
            lambda changes: pb.GetPartyHistoryResponse(
                changes=[out.status_change_out(ch) for ch in changes]
            ),
        )

    def ListBodies(self, request, context):
        body = body_in(request.body, required=False)
        return self._read(
            lambda uow: parties.list_bodies(uow, body),
            lambda found: pb.ListBodiesResponse(**listed("bodies", found, request, out.body_out)),
        )

    def AssignSeat(self, request, context):
        return self._run(
            "AssignSeat",
            request,
            pb.AssignSeatResponse,
            parties.assign_seat,
            c.AssignSeat(request.seat_id),
            lambda seat: pb.AssignSeatResponse(seat=out.seat_out(seat)),
        )

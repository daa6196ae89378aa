"""The governance servicer's RPCs for parties, bodies and seats, and the process directors'
roster; a part of ``GovernanceServicer`` (``grpc_api``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from services.governance.domain import commands as c
from services.governance.domain.parties import PartyKind, PartyStatus
from services.governance.entrypoints import proto_mapping as out
from services.governance.entrypoints.grpc_base import RpcBase, body_in
from services.governance.service_layer.handlers import parties, roster, seats
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.kernel.convert import enum_in
from zorgtafel.kernel.paging import Window, window

T = TypeVar("T")


def listed(field: str, found: Sequence[T], w: Window, out_fn: Callable[[T], Any]) -> dict[str, Any]:
    """One page of a list response: the entries of ``field`` (the handler fetched one more
    than shown, ``w.limit``) and the next page's token."""
    shown, token = w.cut(found)
    return {field: [out_fn(x) for x in shown], "next_page_token": token}


class PartyRpcs(RpcBase):
    def ListParties(self, request, context):
        kind = enum_in(pb.PartyKind, PartyKind, request.kind, "PARTY_KIND_", "kind")
        status = enum_in(pb.PartyStatus, PartyStatus, request.status, "PARTY_STATUS_", "status")
        w = window(request)
        return self._read(
            lambda uow: parties.list_parties(uow, kind, status, w.offset, w.limit),
            lambda found: pb.ListPartiesResponse(**listed("parties", found, w, out.party_out)),
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
        w = window(request)
        return self._read(
            lambda uow: parties.list_bodies(uow, body, w.offset, w.limit),
            lambda found: pb.ListBodiesResponse(**listed("bodies", found, w, out.body_out)),
        )

    def AssignSeat(self, request, context):
        return self._run(
            "AssignSeat",
            request,
            pb.AssignSeatResponse,
            seats.assign_seat,
            c.AssignSeat(request.seat_id, request.holder_person, request.holder_party),
            lambda seat: pb.AssignSeatResponse(seat=out.seat_out(seat)),
        )

    def ReleaseSeat(self, request, context):
        return self._run(
            "ReleaseSeat",
            request,
            pb.ReleaseSeatResponse,
            seats.release_seat,
            c.ReleaseSeat(request.seat_id),
            lambda seat: pb.ReleaseSeatResponse(seat=out.seat_out(seat)),
        )

    def DesignateProcessDirector(self, request, context):
        return self._run(
            "DesignateProcessDirector",
            request,
            pb.DesignateProcessDirectorResponse,
            roster.designate_process_director,
            c.DesignateProcessDirector(request.party, request.person),
            lambda d: pb.DesignateProcessDirectorResponse(
                process_director=out.process_director_out(d, designated=True)
            ),
        )

    def RevokeProcessDirector(self, request, context):
        return self._run(
            "RevokeProcessDirector",
            request,
            pb.RevokeProcessDirectorResponse,
            roster.revoke_process_director,
            c.RevokeProcessDirector(request.party, request.person),
            lambda d: pb.RevokeProcessDirectorResponse(
                process_director=out.process_director_out(d, designated=False)
            ),
        )

    def ListProcessDirectors(self, request, context):
        w = window(request)
        return self._read(
            lambda uow: roster.list_process_directors(uow, request.party, w.offset, w.limit),
            lambda found: pb.ListProcessDirectorsResponse(
                **listed("process_directors", found, w, out.process_director_out)
            ),
        )

"""The governance servicer's RPCs for parties, bodies and seats, and the process directors'
roster; a part of ``GovernanceServicer`` (``grpc_api``)."""

from __future__ import annotations

from services.governance.domain import commands as c
from services.governance.domain.bodies import Seat, SeatRow
from services.governance.domain.parties import PartyKind, PartyStatus
from services.governance.entrypoints import proto_mapping as out
from services.governance.entrypoints.grpc_base import (
    RpcBase,
    body_in,
    listed,
    one_key,
    party_and_person,
)
from services.governance.service_layer.handlers import parties, roster, seats
from services.governance.service_layer.handlers.parties import SEATS_IN_BODY, BodySeats
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.kernel.convert import enum_in
from zorgtafel.kernel.paging import window


def seat_key(s: Seat | SeatRow) -> tuple[str]:
    """What the next page of seats continues after (a seat id: no person)."""
    return (s.seat_id,)


def body_info(b: BodySeats) -> pb.BodyInfo:
    """A body with its first SEATS_IN_BODY seats and, when it has more, the ListSeats token
    that continues them (a token of ListSeats for this body, whatever its page_size)."""
    info = out.body_out(b, [])
    more = window(pb.ListSeatsRequest(body=info.body, page_size=SEATS_IN_BODY))
    shown, token = more.cut(b.seats, seat_key)
    info.seats.extend(out.seat_out(s) for s in shown)
    info.seats_next_page_token = token
    return info


class PartyRpcs(RpcBase):
    def ListParties(self, request, context):
        kind = enum_in(pb.PartyKind, PartyKind, request.kind, "PARTY_KIND_", "kind")
        status = enum_in(pb.PartyStatus, PartyStatus, request.status, "PARTY_STATUS_", "status")
        w = window(request)  # paged in SQL by party id
        after = one_key(w)
        return self._read(
            lambda uow: parties.list_parties(uow, kind, status, after, w.offset, w.limit),
            lambda found: pb.ListPartiesResponse(
                **listed("parties", found, w, out.party_out, lambda p: (p.party_id,))
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
        w = window(request)
        return self._read(
            lambda uow: parties.list_bodies(uow, body, w.offset, w.limit),
            lambda found: pb.ListBodiesResponse(**listed("bodies", found, w, body_info)),
        )

    def ListSeats(self, request, context):
        body = body_in(request.body, required=False)
        w = window(request)  # paged in SQL by seat id
        after = one_key(w)
        return self._read(
            lambda uow: parties.list_seats(
                uow,
                body,
                request.held_by_party,
                request.holder_party,
                after,
                w.offset,
                w.limit,
            ),
            lambda found: pb.ListSeatsResponse(**listed("seats", found, w, out.seat_out, seat_key)),
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
        w = window(request)  # paged in SQL by (party, person)
        after = party_and_person(w)
        return self._read(
            lambda uow: roster.list_process_directors(uow, request.party, after, w.offset, w.limit),
            lambda found: pb.ListProcessDirectorsResponse(
                **listed(
                    "process_directors",
                    found,
                    w,
                    out.process_director_out,
                    lambda d: (d.party, d.person),
                )
            ),
        )

"""Chapter 0: appointments. Nobody is a process director or a manager because a token says so
(ADR 0005): Helmond appoints its manager to the managers' seat, the manager designates the
process directors (art. 11.2, 12.1), and a seat claimed by a party's worker is refused."""

from __future__ import annotations

from typing import Any

import grpc

from zorgtafel.demo.actors import (
    HELMOND_MANAGER,
    HELMOND_REPRESENTATIVE,
    OTHER_DIRECTOR,
    OUTSIDER_DELEGATE,
    PROCESS_DIRECTOR,
)
from zorgtafel.demo.plumbing import StoryBase
from zorgtafel.generated.governance.v1 import governance_pb2 as gv


class AppointmentSteps(StoryBase):
    def _appoint(self, f: dict[str, Any]) -> None:
        self.say("0. Appointments (art. 6.4, 11.2, 12.1): seats and functions are appointed")
        seat = f"managers.{HELMOND_MANAGER.party}"
        self.ok(
            HELMOND_REPRESENTATIVE,
            "appoints Helmond's manager to its managers' seat (art. 11.2)",
            self.governance.AssignSeat,
            gv.AssignSeatRequest(
                request_id=self.rid(), seat_id=seat, holder_person=HELMOND_MANAGER.person
            ),
        )
        self.refused(
            OUTSIDER_DELEGATE,
            "a municipality's worker takes a seat of a non-signatory body on the board (4.3)",
            self.governance.AssignSeat,
            gv.AssignSeatRequest(
                request_id=self.rid(),
                seat_id="regional_board.06",
                holder_person=OUTSIDER_DELEGATE.person,
                holder_party=OUTSIDER_DELEGATE.party,
            ),
            grpc.StatusCode.PERMISSION_DENIED,
        )
        for director in (PROCESS_DIRECTOR, OTHER_DIRECTOR):
            self.ok(
                HELMOND_MANAGER,
                f"designates {director.person} as a process director (12.1)",
                self.governance.DesignateProcessDirector,
                gv.DesignateProcessDirectorRequest(
                    request_id=self.rid(), party=director.party, person=director.person
                ),
            )

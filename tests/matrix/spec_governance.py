"""Governance's side of the authorisation matrix (issue #13, ADR 0005).

In governance the resource is a body matter: a seat, a meeting, a proposal, an accession, an
amendment, a dispute, the managers' roster and report. The person with a part in it is the
person who holds the seat the covenant ties the act to (art. 4.3, 5, 6.3, 6.4, 7.1, 11.2),
the forum holding a dispute (11.4, 12.4, 13.4: a designated process director or a managers
seat) or the party itself through the seat it holds for its own party (20.4, 21.2, 21.3, and
its written input, 5.3, 7.2). A token role only opens
the method (``zorgtafel.authz``); a colleague of the same party with the same role claim but no
seat has no part. The covenant's public facts (its parties, bodies and seats, the designated
process directors, the adopted work process and its history) are read by every active party.

The excluded party is excluded the covenant's way, in governance's own state (governance
answers authorisation from its own parties table, 23.2): a notice of default, the board's
exclusion proposal adopted by the chair's vote and decided. Everything is made through the real
RPCs; ``fresh()`` returns a mapping that makes each body matter (and appoints fresh holders of
the seats it needs) when a target first asks for it, so that each RPC gets its own.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import grpc
from google.protobuf.timestamp_pb2 import Timestamp

from tests.matrix import kernel
from tests.matrix.framework import CASE, CREATE, PUBLIC, ServiceSpec, Target, rid
from zorgtafel.generated.accesslog.v1 import accesslog_pb2 as al
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.generated.governance.v1 import governance_pb2_grpc as pb_grpc

GRAVE = "00000099000000000016"  # the board chair's party (art. 4.3)
HELMOND = "00000099000000000018"  # a managers' party (art. 11.2); sits for the board secretary
ASTEN = "00000099000000000001"  # the party the designated process directors act for (12.3)
CELLO = "00000099000000000038"  # the party whose council delegate has a part (6.3a)
DEFAULTER = "00000099000000000060"  # has a notice of default (23.2), stays active
UNINVOLVED = "00000099000000000002"  # active, holds no seat, has no process director
EXCLUDED = "00000099000000000047"  # excluded by the board in setup (23.2)

BOARD_CHAIR_SEAT = "regional_board.01"
BOARD_SECRETARY_SEAT = "regional_board.05"
COUNCIL_SECRETARY_SEAT = "partner_council.secretary"
MANAGERS_SEAT = f"managers.{HELMOND}"


def delegate_seat(party: str) -> str:
    return f"partner_council.delegate.{party}"


def ts(at: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(at)
    return stamp


def later(days: int = 30) -> Timestamp:
    return ts(datetime.now(timezone.utc) + timedelta(days=days))


def new_oin() -> str:
    """An organisation applying to accede: an OIN no seeded party has."""
    return "77" + "".join(random.choices("0123456789", k=18))


def new_person(kind: str) -> str:
    return f"{kind}-{random.getrandbits(48):012x}"


class Governance:
    """People of parties calling governance over the in-process channel; a refusal here is a
    broken setup, raised with the RPC's name."""

    def __init__(self, chan: grpc.Channel, keys: Any) -> None:
        self._stub = pb_grpc.GovernanceServiceStub(chan)
        self._keys = keys

    def call(self, who: tuple[str, str, str], rpc: str, **fields: Any) -> Any:
        party, role, person = who
        request_type = getattr(pb, f"{rpc}Request")
        if "request_id" in request_type.DESCRIPTOR.fields_by_name:
            fields.setdefault("request_id", rid())
        try:
            return getattr(self._stub, rpc)(
                request_type(**fields), metadata=self._keys.metadata(party, role, person)
            )
        except grpc.RpcError as exc:  # pragma: no cover - a broken setup, said plainly
            raise AssertionError(
                f"setup: {rpc} as {party}/{role}/{person}: {exc.code().name} {exc.details()}"
            ) from exc

    # -- appointments (art. 4.3, 6.3, 6.4, 11.2, 12.1) -----------------------------------------

    def representative(self, party: str) -> tuple[str, str, str]:
        return (party, "party_representative", f"rep-{party[-4:]}")

    def seat(self, appointer: tuple[str, str, str], seat_id: str, party: str, role: str) -> str:
        """``appointer`` appoints a fresh person of ``party`` to ``seat_id``; its person id."""
        person = new_person(role)
        self.call(
            appointer, "AssignSeat", seat_id=seat_id, holder_person=person, holder_party=party
        )
        return person


class Fresh(dict[str, Any]):
    """One set of body matters: each entry is made the first time a target asks for it."""

    def __init__(self, makers: dict[str, Callable[[Fresh], Any]]) -> None:
        super().__init__()
        self._makers = makers

    def __missing__(self, key: str) -> Any:
        value = self._makers[key](self)
        self[key] = value
        return value


def as_(r: Fresh, key: str, role: str) -> tuple[str, str, str]:
    party, person = r[key]
    return (party, role, person)


def setup(platform: Any, parts: Any, chan: grpc.Channel, keys: Any) -> Callable[[], Fresh]:
    from zorgtafel.policy.bundle import build_bundle

    gov = Governance(chan, keys)

    # The board excludes a party the covenant's way (art. 23.2), so that governance itself
    # (which authorises from its own parties table) refuses it.
    chair = (
        GRAVE,
        "board_chair",
        gov.seat(gov.representative(GRAVE), BOARD_CHAIR_SEAT, GRAVE, "chair"),
    )
    for party in (EXCLUDED, DEFAULTER):
        gov.call(chair, "RecordNoticeOfDefault", party_id=party, reason_code="matrix")
    exclusion = gov.call(chair, "Exclude", party_id=EXCLUDED, subject_code="matrix").proposal
    gov.call(
        chair,
        "CastVote",
        proposal_id=exclusion.proposal_id,
        seat_id=BOARD_CHAIR_SEAT,
        choice=pb.VOTE_CHOICE_FOR,
    )
    gov.call(
        chair,
        "RecordWrittenInput",
        proposal_id=exclusion.proposal_id,
        party_id=EXCLUDED,
        kind=pb.INPUT_KIND_HEARD,
    )
    gov.call(chair, "Decide", proposal_id=exclusion.proposal_id)
    status = gov.call(chair, "GetParty", party_id=EXCLUDED).party.status
    assert status == pb.PARTY_STATUS_EXCLUDED, status

    bundle_file = Path(tempfile.mkdtemp(prefix="matrix-governance-")) / "bundle.tar.gz"
    revision = build_bundle(platform.settings.policy_dir, bundle_file)
    bundle = bundle_file.read_bytes()

    # -- the persons with a part, appointed afresh for each resource ----------------------------

    def make_chair(r: Fresh) -> tuple[str, str]:
        return (GRAVE, gov.seat(gov.representative(GRAVE), BOARD_CHAIR_SEAT, GRAVE, "chair"))

    def make_manager(r: Fresh) -> tuple[str, str]:
        return (HELMOND, gov.seat(gov.representative(HELMOND), MANAGERS_SEAT, HELMOND, "manager"))

    def make_delegate(r: Fresh) -> tuple[str, str]:
        rep = gov.representative(CELLO)
        return (CELLO, gov.seat(rep, delegate_seat(CELLO), CELLO, "delegate"))

    def make_pd(r: Fresh) -> tuple[str, str]:
        person = new_person("pd")
        gov.call(
            as_(r, "manager", "manager"), "DesignateProcessDirector", party=ASTEN, person=person
        )
        return (ASTEN, person)

    # -- the body matters -------------------------------------------------------------------------

    def board_proposal(r: Fresh, kind: int = pb.PROPOSAL_KIND_GENERAL, **fields: Any) -> str:
        made = gov.call(
            as_(r, "chair", "board_chair"),
            "Propose",
            body=pb.BODY_REGIONAL_BOARD,
            kind=kind,
            subject_code="matrix",
            **fields,
        )
        return str(made.proposal.proposal_id)

    def adopted(r: Fresh, proposal_id: str) -> str:
        """The chair's vote carries a board proposal nobody else voted on (art. 5)."""
        chair_ = as_(r, "chair", "board_chair")
        gov.call(
            chair_,
            "CastVote",
            proposal_id=proposal_id,
            seat_id=BOARD_CHAIR_SEAT,
            choice=pb.VOTE_CHOICE_FOR,
        )
        decided = gov.call(chair_, "Decide", proposal_id=proposal_id).proposal
        assert decided.status == pb.PROPOSAL_STATUS_ADOPTED, decided
        return proposal_id

    def council_proposal(r: Fresh) -> str:
        made = gov.call(
            as_(r, "delegate", "council_delegate"),
            "Propose",
            body=pb.BODY_PARTNER_COUNCIL,
            kind=pb.PROPOSAL_KIND_GENERAL,
            subject_code="matrix",
        )
        return str(made.proposal.proposal_id)

    def council_secretary(r: Fresh) -> tuple[str, str, str]:
        """art. 6.4: the board (its secretary, whom the chair appoints) appoints the council's."""
        board_secretary = (
            HELMOND,
            "board_secretary",
            gov.seat(as_(r, "chair", "board_chair"), BOARD_SECRETARY_SEAT, HELMOND, "secretary"),
        )
        person = gov.seat(board_secretary, COUNCIL_SECRETARY_SEAT, HELMOND, "council-secretary")
        return (HELMOND, "council_secretary", person)

    def work_process(r: Fresh) -> str:
        """art. 6.6c: the partner council establishes the work process (its delegate's vote
        carries it; the council's secretary records the decision)."""
        delegate = as_(r, "delegate", "council_delegate")
        made = gov.call(
            delegate,
            "Propose",
            body=pb.BODY_PARTNER_COUNCIL,
            kind=pb.PROPOSAL_KIND_WORK_PROCESS,
            subject_code="matrix",
            work_process_version="2026.1",
            policy_revision=revision,
        )
        proposal_id = str(made.proposal.proposal_id)
        gov.call(
            delegate,
            "CastVote",
            proposal_id=proposal_id,
            seat_id=delegate_seat(delegate[0]),
            choice=pb.VOTE_CHOICE_FOR,
        )
        decided = gov.call(council_secretary(r), "Decide", proposal_id=proposal_id).proposal
        assert decided.status == pb.PROPOSAL_STATUS_ADOPTED, decided
        return proposal_id

    def meeting(r: Fresh) -> str:
        # A meeting that has begun: its attendance is recorded from its start (4.5, 5.3).
        made = gov.call(
            as_(r, "chair", "board_chair"),
            "ScheduleMeeting",
            body=pb.BODY_REGIONAL_BOARD,
            scheduled_for=ts(datetime.now(timezone.utc) - timedelta(minutes=1)),
        )
        return str(made.meeting.meeting_id)

    def accession(r: Fresh) -> str:
        made = gov.call(
            as_(r, "manager", "manager"),
            "ApplyAccession",
            party_id=new_oin(),
            name="applicant",
            kind=pb.PARTY_KIND_CARE_PROVIDER,
        )
        return str(made.accession.accession_id)

    def approved_accession(r: Fresh) -> str:
        """art. 20.4: every active party's own delegate approved, then the board adopted it."""
        accession_id = str(r["accession_id"])
        listed = gov.call(
            as_(r, "chair", "board_chair"),
            "ListParties",
            status=pb.PARTY_STATUS_ACTIVE,
            page_size=500,
        )
        for party in (p.party_id for p in listed.parties):
            holder = (
                party,
                "council_delegate",
                gov.seat(gov.representative(party), delegate_seat(party), party, "delegate"),
            )
            gov.call(holder, "ApproveAccession", accession_id=accession_id)
            if party == UNINVOLVED:  # its approval stays; it keeps no seat holder
                gov.call(holder, "ReleaseSeat", seat_id=delegate_seat(party))
        adopted(r, board_proposal(r, pb.PROPOSAL_KIND_ACCESSION, accession_id=accession_id))
        return accession_id

    def dispute(about: int, registrant: str, role: str) -> Callable[[Fresh], str]:
        def make(r: Fresh) -> str:
            made = gov.call(as_(r, registrant, role), "RegisterDispute", about=about)
            return str(made.dispute.dispute_id)

        return make

    def looked(r: Fresh) -> str:
        """CELLO's council delegate read its council's proposal: a record of CELLO's look."""
        gov.call(
            as_(r, "delegate", "council_delegate"),
            "GetProposal",
            proposal_id=r["council_proposal_id"],
        )
        return CELLO

    makers: dict[str, Callable[[Fresh], Any]] = {
        "looked": looked,
        "chair": make_chair,
        "manager": make_manager,
        "delegate": make_delegate,
        "pd": make_pd,
        "meeting_id": meeting,
        "board_proposal_id": board_proposal,
        "council_proposal_id": council_proposal,
        "accession_id": accession,
        "approved_accession_id": approved_accession,
        "amendment_id": lambda r: adopted(
            r, board_proposal(r, pb.PROPOSAL_KIND_AMENDMENT, effective_at=later(365))
        ),
        "work_process_id": work_process,
        # 13.4: a dispute about a case director lies with the (designated) process director.
        "case_director_dispute_id": dispute(
            pb.DISPUTE_ABOUT_CASE_DIRECTOR, "pd", "process_director"
        ),
        # 12.4: a dispute about the process director lies with the managers.
        "process_director_dispute_id": dispute(
            pb.DISPUTE_ABOUT_PROCESS_DIRECTOR, "manager", "manager"
        ),
        "bundle": lambda r: bundle,
    }

    def fresh() -> Fresh:
        return Fresh(makers)

    return fresh


# -- the targets ----------------------------------------------------------------------------------


def public(request: Callable[[Any], Any]) -> Target:
    """The covenant's public facts: every active party's person reads them (art. 3, 4.3, 6.6c,
    12.1, 20.3); the person key only names whose party is 'involved'."""
    return Target(PUBLIC, request, "council_delegate", person="delegate")


TARGETS: dict[str, Target] = {
    # -- parties, bodies and seats (art. 3-7, 20, 21.3, 23) -------------------------------------
    "ListParties": public(lambda r: pb.ListPartiesRequest()),
    "GetParty": public(lambda r: pb.GetPartyRequest(party_id=CELLO)),
    "GetPartyHistory": public(lambda r: pb.GetPartyHistoryRequest(party_id=CELLO)),
    "ListBodies": public(lambda r: pb.ListBodiesRequest()),
    "ListSeats": public(lambda r: pb.ListSeatsRequest(body=pb.BODY_REGIONAL_BOARD)),
    # art. 4.3: the board secretary's seat is appointed by the holder of the chair, not by
    # another person of Grave with the same role claim. (A party's own seats are appointed by
    # any person of the party with role party_representative: the party itself is the
    # authority there, so that path has no person-level cell.)
    "AssignSeat": Target(
        CASE,
        lambda r: pb.AssignSeatRequest(
            request_id=rid(),
            seat_id=BOARD_SECRETARY_SEAT,
            holder_person=new_person("secretary"),
            holder_party=HELMOND,
        ),
        "board_chair",
        person="chair",
    ),
    # The holder leaves its own seat (its appointing authority is the party's representative).
    "ReleaseSeat": Target(
        CASE,
        lambda r: pb.ReleaseSeatRequest(request_id=rid(), seat_id=delegate_seat(r["delegate"][0])),
        "council_delegate",
        person="delegate",
    ),
    # -- the process directors (art. 11.2, 12.1) --------------------------------------------------
    "DesignateProcessDirector": Target(
        CASE,
        lambda r: pb.DesignateProcessDirectorRequest(
            request_id=rid(), party=ASTEN, person=new_person("pd")
        ),
        "manager",
        person="manager",
    ),
    "RevokeProcessDirector": Target(
        CASE,
        lambda r: pb.RevokeProcessDirectorRequest(
            request_id=rid(), party=r["pd"][0], person=r["pd"][1]
        ),
        "manager",
        person="manager",
    ),
    "ListProcessDirectors": public(lambda r: pb.ListProcessDirectorsRequest(party=ASTEN)),
    # -- meetings (art. 4.2, 4.5, 6.7) -----------------------------------------------------------
    "ScheduleMeeting": Target(
        CASE,
        lambda r: pb.ScheduleMeetingRequest(
            request_id=rid(), body=pb.BODY_REGIONAL_BOARD, scheduled_for=later()
        ),
        "board_chair",
        person="chair",
    ),
    "RecordAttendance": Target(
        CASE,
        lambda r: pb.RecordAttendanceRequest(
            request_id=rid(), meeting_id=r["meeting_id"], present=[CELLO]
        ),
        "board_chair",
        person="chair",
    ),
    # The board's meetings are not public (5.5): its members (seat holders) read them.
    "GetMeeting": Target(
        CASE,
        lambda r: pb.GetMeetingRequest(meeting_id=r["meeting_id"]),
        "board_chair",
        person="chair",
    ),
    # -- proposals, votes, decisions (art. 5, 6.6b, 7) -------------------------------------------
    "Propose": Target(
        CASE,
        lambda r: pb.ProposeRequest(
            request_id=rid(),
            body=pb.BODY_PARTNER_COUNCIL,
            kind=pb.PROPOSAL_KIND_GENERAL,
            subject_code="matrix",
        ),
        "council_delegate",
        person="delegate",
    ),
    # The council's matters (7.5: not public) are read by its members (seat holders).
    "GetProposal": Target(
        CASE,
        lambda r: pb.GetProposalRequest(proposal_id=r["council_proposal_id"]),
        "council_delegate",
        person="delegate",
    ),
    "CastVote": Target(
        CASE,
        lambda r: pb.CastVoteRequest(
            request_id=rid(),
            proposal_id=r["council_proposal_id"],
            seat_id=delegate_seat(r["delegate"][0]),
            choice=pb.VOTE_CHOICE_FOR,
        ),
        "council_delegate",
        person="delegate",
    ),
    # art. 5.3, 7.2: "a party gives its own written input" (zorgtafel.governance) through the
    # holder of its own seat in the body (6.3a: its delegate), like an approval, a signature or
    # a withdrawal; a colleague with the same role claim has no part.
    "RecordWrittenInput": Target(
        CASE,
        lambda r: pb.RecordWrittenInputRequest(
            request_id=rid(),
            proposal_id=r["council_proposal_id"],
            party_id=r["delegate"][0],
            kind=pb.INPUT_KIND_WRITTEN,
        ),
        "council_delegate",
        person="delegate",
    ),
    "Decide": Target(
        CASE,
        lambda r: pb.DecideRequest(request_id=rid(), proposal_id=r["board_proposal_id"]),
        "board_chair",
        person="chair",
    ),
    # -- accession (art. 20) ---------------------------------------------------------------------
    "ApplyAccession": Target(
        CASE,
        lambda r: pb.ApplyAccessionRequest(
            request_id=rid(), party_id=new_oin(), name="applicant", kind=pb.PARTY_KIND_SHELTER
        ),
        "manager",
        person="manager",
    ),
    "ApproveAccession": Target(
        CASE,
        lambda r: pb.ApproveAccessionRequest(request_id=rid(), accession_id=r["accession_id"]),
        "council_delegate",
        person="delegate",
    ),
    "RecordAccessionSignature": Target(
        CASE,
        lambda r: pb.RecordAccessionSignatureRequest(
            request_id=rid(),
            accession_id=r["approved_accession_id"],
            signed_by_organisation=True,
            signed_by_board_chair=True,
            form_reference="annex1-matrix",
        ),
        "board_chair",
        person="chair",
    ),
    "GetAccession": Target(
        CASE,
        lambda r: pb.GetAccessionRequest(accession_id=r["accession_id"]),
        "council_delegate",
        person="delegate",
    ),
    # -- amendments, withdrawal, exclusion (art. 21, 23) ------------------------------------------
    "SignAmendment": Target(
        CASE,
        lambda r: pb.SignAmendmentRequest(request_id=rid(), amendment_id=r["amendment_id"]),
        "council_delegate",
        person="delegate",
    ),
    # A written termination far ahead (23.1): nothing changes during the run.
    "Withdraw": Target(
        CASE,
        lambda r: pb.WithdrawRequest(
            request_id=rid(), effective_at=later(3650), letter_reference="letter-matrix"
        ),
        "council_delegate",
        person="delegate",
    ),
    "RecordNoticeOfDefault": Target(
        CASE,
        lambda r: pb.RecordNoticeOfDefaultRequest(
            request_id=rid(), party_id=DEFAULTER, reason_code="matrix"
        ),
        "board_chair",
        person="chair",
    ),
    # Puts the exclusion to the board; it is not decided here.
    "Exclude": Target(
        CASE,
        lambda r: pb.ExcludeRequest(request_id=rid(), party_id=DEFAULTER, subject_code="matrix"),
        "board_chair",
        person="chair",
    ),
    # -- disputes (art. 11.4, 12.4, 13.4) ---------------------------------------------------------
    # A dispute is registered by a party (its own); governance keeps no case facts to tie the
    # registrant to the case (see the report).
    "RegisterDispute": Target(
        CREATE,
        lambda r: pb.RegisterDisputeRequest(request_id=rid(), about=pb.DISPUTE_ABOUT_MANAGERS),
        "process_director",
        person="pd",
    ),
    # 13.4: the designated process director holds a dispute about a case director.
    "EscalateDispute": Target(
        CASE,
        lambda r: pb.EscalateDisputeRequest(
            request_id=rid(), dispute_id=r["case_director_dispute_id"]
        ),
        "process_director",
        person="pd",
    ),
    # 12.4: the managers hold a dispute about the process director.
    "ResolveDispute": Target(
        CASE,
        lambda r: pb.ResolveDisputeRequest(
            request_id=rid(), dispute_id=r["process_director_dispute_id"], resolution_code="settled"
        ),
        "manager",
        person="manager",
    ),
    "GetDispute": Target(
        CASE,
        lambda r: pb.GetDisputeRequest(dispute_id=r["process_director_dispute_id"]),
        "manager",
        person="manager",
    ),
    # -- the work process and the managers' report (art. 6.6c, 11.3a, 11.3d) ----------------------
    "AdoptPolicyRevision": Target(
        CASE,
        lambda r: pb.AdoptPolicyRevisionRequest(
            request_id=rid(), proposal_id=r["work_process_id"], bundle=r["bundle"]
        ),
        "manager",
        person="manager",
    ),
    "GetAdoptedPolicyRevision": public(lambda r: pb.GetAdoptedPolicyRevisionRequest()),
    "ListPolicyRevisions": public(lambda r: pb.ListPolicyRevisionsRequest()),
    # 11.3d: the managers report to the board: the managers' and the board's seat holders.
    "AnnualReport": Target(
        CASE,
        lambda r: pb.AnnualReportRequest(year=datetime.now(timezone.utc).year),
        "manager",
        person="manager",
    ),
    "ExportAnnualReport": Target(
        CASE,
        lambda r: pb.ExportAnnualReportRequest(
            year=datetime.now(timezone.utc).year, format=pb.REPORT_FORMAT_JSON
        ),
        "manager",
        person="manager",
    ),
    # The kernel's services (issues #14, #15). Governance's log holds no subject and no
    # controller: a party's oversight sees its own people's looks (listed by party, CELLO's
    # delegate read its council's proposal); another party's oversight is refused them.
    # Governance holds no data about subjects: "nothing held" to every active privacy officer.
    **kernel.targets(
        log=lambda r: al.ListAccessRequest(party=r["looked"]),
        log_controller="delegate",
        export_target=kernel.export_nothing_held("delegate"),
        person="delegate",
    ),
}

SPEC = ServiceSpec(
    service="governance",
    pb2=pb,
    uninvolved=UNINVOLVED,
    excluded=EXCLUDED,
    setup=setup,
    targets=TARGETS,
)

"""Intake's side of the authorisation matrix (issue #13, ADR 0005).

The persons with a part in a nomination, as the access policy knows them from facts:
* ``pd``: the designated process director (roster) who took the nomination up by assessing it
  (12.3). Its colleague at the same party is designated too, and a person with the same
  employee id at the uninvolved party is designated as well, so those cells test 12.3 ("a
  process director of another nomination has no part in it"), not merely the roster;
* ``queue_pd``: a designated process director and a nomination nobody took up yet (the intake
  queue, open to every designated process director): its colleague and its namesake at the
  uninvolved party are not designated, so those cells test "a token role alone grants nothing";
* ``nominator``: the worker of the nominating party;
* ``asked``: a worker of the party asked in the triage round;
* ``manager``: a manager seated on the roster (the probing flags, art. 11).

Each RPC gets a fresh set of nominations; a state is made only when a target reads its key
(``Fresh.__missing__``), so each RPC costs only the nominations it needs.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any

import grpc

from tests.matrix import kernel
from tests.matrix.framework import CASE, CREATE, PARTY, ServiceSpec, Target, rid
from zorgtafel.generated.accesslog.v1 import accesslog_pb2 as al
from zorgtafel.generated.common.v1 import common_pb2
from zorgtafel.generated.intake.v1 import intake_pb2 as pb
from zorgtafel.generated.intake.v1 import intake_pb2_grpc as pb_grpc
from zorgtafel.testing import set_party_status, set_roster

# Parties of the covenant (services/governance/seed/parties.json).
ASTEN = "00000099000000000001"  # the nominating municipality
HELMOND = "00000099000000000018"  # employs the process directors and the manager (art. 11)
POLICE = "00000099000000000061"  # asked in triage, invited to the case meeting
FARENT = "00000099000000000042"  # active, no part in anything
SOCIOM = "00000099000000000063"  # excluded (art. 23.2)

PD_ROLE = "process_director"
NOMINATOR = (ASTEN, "worker-1")
PD = (HELMOND, "pd-1")
QUEUE_PD = (HELMOND, "pd-queue")
ASKED = (POLICE, "pol-1")
MANAGER = (HELMOND, "mgr-1")

_n = itertools.count(1)


def _subject() -> pb.SubjectIdentity:
    """A new subject per nomination: no link, so no probing count (issue 13 point 7)."""
    n = next(_n)
    born = date.today() - timedelta(days=365 * 30 + n)
    return pb.SubjectIdentity(
        given_names=f"Matrix{n}", family_name=f"Testpersoon{n}", date_of_birth=born.isoformat()
    )


def _nominate(consent: Any = pb.CONSENT_STATUS_GIVEN) -> pb.NominateRequest:
    return pb.NominateRequest(
        request_id=rid(),
        subject=_subject(),
        problems=[
            pb.LifeDomainProblem(domain=pb.LIFE_DOMAIN_HOUSING, description="dakloos"),
            pb.LifeDomainProblem(domain=pb.LIFE_DOMAIN_SAFETY, description="bedreigd"),
        ],
        safety=pb.SafetyConcerns(
            serious_local_safety_problem=True, multiple_chains_needed=True, description="uitbuiting"
        ),
        chains_involved=[pb.CHAIN_CARE, pb.CHAIN_COERCION_AND_PRESSURE],
        consent_status=consent,
        usage_terms=common_pb2.UsageTerms(
            purposes=["care_coordination"], recipient_roles=["process_director"]
        ),
    )


def _judged() -> pb.JudgedCriteria:
    def one(holds: bool) -> pb.JudgedCriterion:
        return pb.JudgedCriterion(holds=holds, grounds="besproken met de aanmelder")

    return pb.JudgedCriteria(a=one(True), b=one(False), c=one(True), d=one(True))


def _assess(case_id: str) -> pb.AssessRequest:
    return pb.AssessRequest(
        request_id=rid(),
        case_id=case_id,
        qualifies=True,
        reasons="voldoet",
        nominating_party_consulted=True,
        criteria=_judged(),
    )


def _start_triage(case_id: str) -> pb.StartTriageRequest:
    req = pb.StartTriageRequest(
        request_id=rid(),
        case_id=case_id,
        asked_parties=[POLICE],
        themes=["safety"],
        question="Is deze persoon bij u bekend?",
    )
    req.deadline.FromDatetime(datetime.now(timezone.utc) + timedelta(hours=1))
    return req


def _answer(case_id: str) -> pb.AnswerTriageRequest:
    return pb.AnswerTriageRequest(
        request_id=rid(),
        case_id=case_id,
        answer=pb.TRIAGE_ANSWER_KIND_INVOLVED,
        contribution="wij kennen haar",
        themes=["safety"],
    )


def _route(case_id: str) -> pb.DecideRoutingRequest:
    return pb.DecideRoutingRequest(
        request_id=rid(),
        case_id=case_id,
        routing=pb.ROUTING_CASE_MEETING,
        meeting=pb.CaseMeetingPlan(
            goal_code="safe_housing",
            goal="veilig wonen binnen drie maanden",
            themes=["safety"],
            decision_types=["plan_of_approach"],
            invitees=[pb.Invitee(party=POLICE, lawful_themes=["safety"])],
        ),
    )


def _override(case_id: str) -> pb.RecordSafetyOverrideRequest:
    return pb.RecordSafetyOverrideRequest(
        request_id=rid(),
        case_id=case_id,
        reason="acuut gevaar voor de zus",
        consulted_colleague="zorgcoordinator-2",
        client_informed=False,
        client_information="nog niet: zij is op de vlucht",
    )


def _worklist_request(r: Any) -> pb.ListNominationsRequest:
    r["nominated"]  # made before the call: the queued nomination the worklist must show
    return pb.ListNominationsRequest(stage=pb.WORKLIST_STAGE_TO_ASSESS, page_size=500)


def _worklist_holds_it(reply: Any, r: Any, who: Any) -> str:
    """OK only when the queued nomination is on the worklist (an empty one is no leak)."""
    return "OK" if r["nominated"] in {n.case_id for n in reply.nominations} else "OK_NOTHING"


def setup(platform: Any, parts: Any, chan: Any, keys: Any) -> Callable[[], dict[str, Any]]:
    for party in (ASTEN, HELMOND, POLICE, FARENT):
        set_party_status(platform, party, "active")
    set_party_status(platform, SOCIOM, "excluded")
    pd_party, pd_person = PD
    for party, person in (
        PD,
        QUEUE_PD,
        (pd_party, f"colleague-of-{pd_person}"),  # designated, directs other nominations
        (FARENT, pd_person),  # designated at another party, same employee id
    ):
        set_roster(platform, "process_director", party, person)
    set_roster(platform, "manager", *MANAGER)
    stub = pb_grpc.IntakeServiceStub(chan)

    def md(who: tuple[str, str], role: str) -> Any:
        return keys.metadata(who[0], role, who[1])

    def nominated(consent: Any = pb.CONSENT_STATUS_GIVEN) -> str:
        reply = stub.Nominate(_nominate(consent), metadata=md(NOMINATOR, "caseworker"))
        return str(reply.case_id)

    def qualified(consent: Any = pb.CONSENT_STATUS_GIVEN) -> str:
        case_id = nominated(consent)
        stub.Assess(_assess(case_id), metadata=md(PD, "process_director"))  # takes it up
        return case_id

    def in_triage() -> str:
        case_id = qualified()
        stub.StartTriage(_start_triage(case_id), metadata=md(PD, "process_director"))
        return case_id

    def round_closed() -> str:
        case_id = in_triage()
        stub.AnswerTriage(_answer(case_id), metadata=md(ASKED, "caseworker"))  # all answered
        return case_id

    def looked() -> str:
        """A nomination its process director read (a record naming the subject and the
        nominating party as controller), and that the uninvolved party's designated process
        director with the same employee id tried to read (refused, 12.3: a record too)."""
        case_id = qualified()
        stub.GetNomination(pb.GetNominationRequest(case_id=case_id), metadata=md(PD, PD_ROLE))
        try:
            stub.GetNomination(
                pb.GetNominationRequest(case_id=case_id), metadata=md((FARENT, PD[1]), PD_ROLE)
            )
        except grpc.RpcError as exc:
            assert exc.code() == grpc.StatusCode.PERMISSION_DENIED, exc
        else:  # pragma: no cover - a broken setup, said plainly
            raise AssertionError("setup: another party's process director read the nomination")
        return case_id

    states: dict[str, Callable[[], str]] = {
        "looked": looked,
        "nominated": nominated,
        "qualified": qualified,
        "triage": in_triage,
        "round_closed": round_closed,
        "consent_refused": lambda: qualified(pb.CONSENT_STATUS_REFUSED),
    }

    class Fresh(dict[str, Any]):
        """The persons, and a nomination in a state made when a target first asks for it."""

        def __missing__(self, key: str) -> str:
            self[key] = states[key]()
            return str(self[key])

    def fresh() -> dict[str, Any]:
        return Fresh(nominator=NOMINATOR, pd=PD, queue_pd=QUEUE_PD, asked=ASKED, manager=MANAGER)

    return fresh


TARGETS = {
    # Any active party's worker nominates; the nomination is the caller's party's own.
    "Nominate": Target(CREATE, lambda r: _nominate(), "caseworker", person="nominator"),
    # The intake queue: any designated process director takes a nomination up by assessing it
    # (12.3); "involved" is every designated one, so the refused cells are the persons the
    # roster does not hold (a token role alone grants nothing).
    "Assess": Target(CASE, lambda r: _assess(r["nominated"]), PD_ROLE, person="queue_pd"),
    "StartTriage": Target(CASE, lambda r: _start_triage(r["qualified"]), PD_ROLE, person="pd"),
    # The process director reads the question it asked. (An asked party reads it too; that
    # route is the party's, see AnswerTriage.)
    "GetTriageQuestion": Target(
        CASE, lambda r: pb.GetTriageQuestionRequest(case_id=r["triage"]), PD_ROLE, person="pd"
    ),
    # Art. 1.15: the triage round asks a PARTY (no person of it has a part yet); any of its
    # workers answers for it, once.
    "AnswerTriage": Target(PARTY, lambda r: _answer(r["triage"]), "caseworker", person="asked"),
    "DecideRouting": Target(CASE, lambda r: _route(r["round_closed"]), PD_ROLE, person="pd"),
    # The full view (identity, pseudonym, links) of the nomination's process director. (The
    # nominating party reads its own in the nominator's view; that route is the party's, see
    # WithdrawNomination.)
    "GetNomination": Target(
        CASE, lambda r: pb.GetNominationRequest(case_id=r["qualified"]), PD_ROLE, person="pd"
    ),
    # Art. 16.1: the nominating party withdraws, through the person who nominated (Bijlage 3:
    # a colleague without a part does not).
    "WithdrawNomination": Target(
        CASE,
        lambda r: pb.WithdrawNominationRequest(
            request_id=rid(), case_id=r["nominated"], reason_code="regular_care_suffices"
        ),
        "caseworker",
        person="nominator",
    ),
    "RecordSafetyOverride": Target(
        CASE, lambda r: _override(r["consent_refused"]), PD_ROLE, person="pd"
    ),
    # Art. 11: only the manager seated on the roster; its colleague and its namesake at the
    # uninvolved party claim the role without the seat.
    "ListProbingFlags": Target(
        CASE, lambda r: pb.ListProbingFlagsRequest(), "manager", person="manager"
    ),
    # The process director's worklist (12.2a, 12.3): the designated process director sees the
    # queued nomination; its colleague and its namesake at the uninvolved party are not
    # designated (a token role alone grants nothing) and are refused.
    "ListNominations": Target(
        CASE, _worklist_request, PD_ROLE, person="queue_pd", reply=_worklist_holds_it
    ),
    # The kernel's services (issues #14, #15). The nominating party is the controller of the
    # nomination: its privacy officer oversees who read it and gets the subject's data.
    **kernel.targets(
        log=lambda r: al.ListAccessRequest(case_id=r["looked"]),
        log_controller="nominator",
        export_target=kernel.export(lambda r: r["round_closed"], "nominator"),
        person="nominator",
    ),
}

SPEC = ServiceSpec(
    service="intake",
    pb2=pb,
    uninvolved=FARENT,
    excluded=SOCIOM,
    setup=setup,
    targets=TARGETS,
)

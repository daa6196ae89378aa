"""Fixtures for the intake integration tests: one real intake service per database (SQLite
file, PostgreSQL schema) on the real broker, with the real embedded policy engine; governance's
party facts and appointments (the designated process directors, a seated manager) are published
to that broker as contract-conformant CloudEvents, as governance's relay would."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone

import pytest

from zorgtafel.generated.common.v1 import common_pb2
from zorgtafel.generated.intake.v1 import intake_pb2 as pb
from zorgtafel.generated.intake.v1 import intake_pb2_grpc as pb_grpc
from zorgtafel.testing import Keys, LogTee, Publisher, ServiceEnv, rid, service_env

# Parties of the covenant (services/governance/seed/parties.json).
ASTEN = "00000099000000000001"  # nominating municipality
HELMOND = "00000099000000000018"  # the process director works for Helmond (art. 11)
POLICE = "00000099000000000061"  # asked in triage
LUMENS = "00000099000000000053"  # asked in triage
GGZ = "00000099000000000045"  # a second nominating party
FARENT = "00000099000000000042"  # not involved at all
EXCLUDED = "00000099000000000063"  # Sociom, excluded in these tests (art. 23.2)
ACTIVE = (ASTEN, HELMOND, POLICE, LUMENS, GGZ, FARENT)
# Designated process directors of Helmond (art. 11.2, 12.1) and a seated manager (art. 11).
DIRECTOR = "zorgcoordinator-1"
OTHER_DIRECTOR = "zorgcoordinator-2"
MANAGER = "manager-1"


_counter = iter(range(1, 10_000))


def unique_bsn() -> str:
    """A fresh BSN passing the eleven test (each test its own subject)."""
    while True:
        head = f"{700000000 + next(_counter) * 7919:09d}"[:8]
        total = sum(int(d) * w for d, w in zip(head, range(9, 1, -1), strict=True))
        last = total % 11
        if last < 10:
            return head + str(last)


# Every subject the tests nominate, so the personal-data scan can look for all of them.
SUBJECTS: list[pb.SubjectIdentity] = []


def unique_subject(**overrides) -> pb.SubjectIdentity:
    n = next(_counter)
    fields = dict(
        given_names=f"Zofia{n}",
        family_name=f"Wiśniewska-Testvrouw{n}",
        date_of_birth=(date.today() - timedelta(days=365 * 24 + n)).isoformat(),
    )
    fields.update(overrides)
    subject = pb.SubjectIdentity(**fields)
    SUBJECTS.append(subject)
    return subject


def terms() -> common_pb2.UsageTerms:
    return common_pb2.UsageTerms(
        purposes=["care_coordination"], recipient_roles=["process_director"], pre_read_allowed=False
    )


def judged(a=True, b=False, c=True, d=True) -> pb.JudgedCriteria:
    """The criteria of Bijlage 2 as the process director judges them, each with grounds."""

    def one(holds: bool) -> pb.JudgedCriterion:
        return pb.JudgedCriterion(holds=holds, grounds="besproken met de aanmelder")

    return pb.JudgedCriteria(a=one(a), b=one(b), c=one(c), d=one(d))


def assess_request(case_id: str, qualifies: bool = True, criteria=None, **kw) -> pb.AssessRequest:
    return pb.AssessRequest(
        request_id=rid(),
        case_id=case_id,
        qualifies=qualifies,
        reasons=kw.pop("reasons", "voldoet"),
        nominating_party_consulted=True,
        criteria=criteria if criteria is not None else judged(),
        **kw,
    )


_people = iter(range(1, 1_000_000))


def nominate_request(
    subject=None,
    *,
    a=True,
    b=False,
    c=True,
    d=True,
    coercion=True,
    age_band=pb.AGE_BAND_UNSPECIFIED,
    **extra,
) -> pb.NominateRequest:
    problems = [pb.LifeDomainProblem(domain=pb.LIFE_DOMAIN_HOUSING, description="dakloos")]
    problems.append(
        pb.LifeDomainProblem(
            domain=pb.LIFE_DOMAIN_SAFETY if d else pb.LIFE_DOMAIN_HOUSING, description="bedreigd"
        )
    )
    chains = [pb.CHAIN_CARE]
    if coercion:
        chains.append(pb.CHAIN_COERCION_AND_PRESSURE)
    req = pb.NominateRequest(
        request_id=rid(),
        subject=subject or unique_subject(),
        age_band=age_band,
        problems=problems,
        safety=pb.SafetyConcerns(
            serious_local_safety_problem=a,
            affects_family_or_social_environment=b,
            multiple_chains_needed=c,
            description="uitbuiting",
        ),
        chains_involved=chains,
        consent_status=pb.CONSENT_STATUS_GIVEN,
        usage_terms=terms(),
    )
    for k, v in extra.items():
        setattr(req, k, v)
    return req


class Env(ServiceEnv):
    def __init__(self, app, keys: Keys, publisher: Publisher, logs: LogTee | None = None) -> None:
        super().__init__(app, keys, publisher, logs, stub_class=pb_grpc.IntakeServiceStub)
        # case id -> (party, person) that nominated it: of the nominating party only that person
        # reads and withdraws the nomination (Bijlage 3).
        self.nominators: dict[str, tuple[str, str]] = {}

    def director(self) -> tuple:
        return self.md(HELMOND, "process_director", DIRECTOR)

    def other_director(self) -> tuple:
        """Designated too, but directs other nominations and cases (12.3)."""
        return self.md(HELMOND, "process_director", OTHER_DIRECTOR)

    def manager(self) -> tuple:
        return self.md(HELMOND, "manager", MANAGER)

    # -- flows -------------------------------------------------------------------------
    def nominate(self, party: str = ASTEN, person: str = "", **kw) -> pb.NominateResponse:
        """Each nomination by a worker of its own, unless named: the probing count is per
        nominating person (issue 13 point 7), and these flows link often."""
        person = person or f"worker-{next(_people)}"
        reply = self.stub.Nominate(nominate_request(**kw), metadata=self.md(party, person=person))
        self.nominators[reply.case_id] = (party, person)
        return reply

    def nominator(self, case_id: str) -> tuple:
        """The person who nominated ``case_id`` (the token's ``sub`` at Nominate)."""
        party, person = self.nominators[case_id]
        return self.md(party, person=person)

    def colleague(self, case_id: str) -> tuple:
        """A colleague of the nominating person: same party, same role, no part in it."""
        party, person = self.nominators[case_id]
        return self.md(party, person=f"colleague-of-{person}")

    def pseudonym(self, case_id: str) -> str:
        """What only the process director sees: the subject's pseudonym."""
        req = pb.GetNominationRequest(case_id=case_id)
        return self.stub.GetNomination(req, metadata=self.director()).nomination.subject_pseudonym

    def linked_to(self, case_id: str) -> str:
        """The nomination ``case_id`` is linked to, as the process director sees it."""
        req = pb.GetNominationRequest(case_id=case_id)
        return self.stub.GetNomination(req, metadata=self.director()).nomination.linked_to_case_id

    def assess(self, case_id: str, **kw) -> pb.AssessResponse:
        return self.stub.Assess(assess_request(case_id, **kw), metadata=self.director())

    def qualified(self, party: str = ASTEN, **kw) -> str:
        case_id = self.nominate(party, **kw).case_id
        self.assess(case_id)
        return case_id

    def in_triage(self, asked=(POLICE, LUMENS), seconds: float = 3600, **kw) -> str:
        case_id = self.qualified(**kw)
        self.start_triage(case_id, asked, seconds)
        return case_id

    def start_triage(
        self, case_id: str, asked=(POLICE, LUMENS), seconds: float = 3600, md: tuple = ()
    ):
        """By the process director, or the one whose metadata is ``md``."""
        deadline = datetime.now(timezone.utc) + timedelta(seconds=seconds)
        req = pb.StartTriageRequest(
            request_id=rid(),
            case_id=case_id,
            asked_parties=list(asked),
            themes=["safety", "housing"],
            question="Is deze persoon bij u bekend?",
        )
        req.deadline.FromDatetime(deadline)
        return self.stub.StartTriage(req, metadata=md or self.director())

    def answer(
        self, case_id: str, party: str, kind=pb.TRIAGE_ANSWER_KIND_INVOLVED, themes=("safety",)
    ):
        return self.stub.AnswerTriage(
            pb.AnswerTriageRequest(
                request_id=rid(),
                case_id=case_id,
                answer=kind,
                contribution="wij kennen haar",
                themes=list(themes),
            ),
            metadata=self.md(party),
        )


@contextmanager
def started_intake(url: str, data_dir, **overrides) -> Iterator[Env]:
    """An intake on a broker of its own, the parties registered (one excluded) and Helmond's
    process directors and manager appointed; log output captured for the personal-data scan.

    On a broker of its own: a governance started by another module on the shared broker seeds
    every party as registered, and such a stale event can arrive after this module's exclusion
    (another partition) and undo it."""
    from zorgtafel.kernel.broker import LocalBroker, free_port

    broker = LocalBroker(free_port(), log_file=data_dir / "broker.log").start()
    try:
        # The embedded engine answers within 0.5 s by default; the concurrency test sends six
        # calls at once through four policy workers, so allow it more time here.
        with service_env(
            "intake",
            Env,
            broker.bootstrap,
            data_dir,
            url,
            capture_logs=True,
            policy_timeout_ms=3000,
            **overrides,
        ) as e:
            e.broker = broker
            e.register_parties(ACTIVE, [EXCLUDED])
            for person in (DIRECTOR, OTHER_DIRECTOR):
                e.appoint(HELMOND, person)
            e.appoint(HELMOND, MANAGER, "manager")
            yield e
    finally:
        broker.stop()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, tmp_path_factory):
    """One intake per module and database."""
    url = "" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    with started_intake(url, tmp_path_factory.mktemp("intake")) as e:
        yield e

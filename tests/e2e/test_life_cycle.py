"""The suite as its users meet it: the four services as separate processes, the real broker,
PostgreSQL, and partner systems that only speak gRPC.

- One whole case (the story of ``zorgtafel demo``), then a scan of all four databases and every
  service's log for the subject's identity and the items' content: after the purge none is left.
- Governance: an accession that needs every party's approval, and an exclusion after a notice
  of default that cuts the party off everywhere within seconds."""

from __future__ import annotations

import time
import uuid
from types import SimpleNamespace

import grpc
import pytest
from sqlalchemy import create_engine, inspect, text

from tests.integration.governance.harness import Board, Council
from zorgtafel.demo import Story
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.kernel.broker import LocalBroker, free_port
from zorgtafel.kernel.config import SERVICES
from zorgtafel.launcher import Suite
from zorgtafel.testing import Keys, drop_schema, precondition, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

FOR, AGAINST = pb.VOTE_CHOICE_FOR, pb.VOTE_CHOICE_AGAINST


@pytest.fixture(scope="module")
def suite(tmp_path_factory, pg_url):
    data_dir = tmp_path_factory.mktemp("life-cycle")
    keys = Keys(data_dir)
    prefix = f"e{uuid.uuid4().hex[:8]}_"
    broker = LocalBroker(free_port(), log_file=data_dir / "broker.log").start()
    ports = {s: (free_port(), free_port()) for s in SERVICES}
    # A loaded CI machine compiles a policy on its first use more slowly than production's
    # 500 ms budget (issue #16): the story is about the covenant, not about that budget.
    s = Suite(
        data_dir,
        database_url=pg_url,
        schema_prefix=prefix,
        ports=ports,
        broker=broker,
        extra_env={
            "ZORGTAFEL_POLICY_TIMEOUT_MS": "3000",
            # The story leaves the closed case to the retention schedulers (issue #14): purged
            # on their own 15 s after the close, nobody calls Purge.
            "ZORGTAFEL_RETENTION_OVERRIDE_S": "case_closed=15",
            "ZORGTAFEL_RETENTION_INTERVAL_S": "1",
        },
    )
    try:
        s.start(timeout=120)
        wait_for_parties(pg_url, prefix)
        yield s, keys, prefix
    finally:
        s.stop()
        broker.stop()
        for service in SERVICES:
            drop_schema(pg_url, f"{prefix}{service}")


def wait_for_parties(pg_url: str, prefix: str) -> None:
    """Ready means one party is known (issue #16): wait for the fact the story needs, every
    party of the covenant in every service's projection."""
    from services.governance.adapters.seed import covenant_parties

    engine = create_engine(pg_url)
    try:
        want = len(covenant_parties())

        def projected() -> bool:
            with engine.connect() as conn:
                return all(
                    conn.execute(
                        text(f'SELECT count(*) FROM "{prefix}{s}".party_directory')
                    ).scalar_one()
                    >= want
                    for s in ("intake", "casework", "disclosure")
                )

        wait_for(projected, timeout=120)
    finally:
        engine.dispose()


def endpoint(suite, service: str) -> str:
    return f"127.0.0.1:{suite.envs[service]['ZORGTAFEL_GRPC_PORT']}"


def as_app(suite, service: str):
    """What the governance test harness needs of a service: where its gRPC port is."""
    return SimpleNamespace(grpc_port=int(suite.envs[service]["ZORGTAFEL_GRPC_PORT"]))


def rows_containing(pg_url: str, schema: str, needles: list[str]) -> dict[str, set[str]]:
    """Which tables of a schema hold any of ``needles`` in any column (as text)."""
    engine = create_engine(pg_url)
    found: dict[str, set[str]] = {}
    try:
        with engine.connect() as conn:
            for table in inspect(conn).get_table_names(schema=schema):
                for row in conn.execute(text(f'SELECT * FROM "{schema}"."{table}"')):
                    blob = " ".join(
                        v.decode("utf-8", "replace")
                        if isinstance(v, (bytes, memoryview)) and not isinstance(v, memoryview)
                        else bytes(v).decode("utf-8", "replace")
                        if isinstance(v, memoryview)
                        else str(v)
                        for v in row
                    )
                    for needle in needles:
                        if needle in blob:
                            found.setdefault(needle, set()).add(table)
    finally:
        engine.dispose()
    return found


def test_one_case_through_its_whole_life_cycle_leaves_no_subject_data(suite, pg_url):
    s, keys, prefix = suite
    lines: list[str] = []
    story = Story(
        {svc: endpoint(s, svc) for svc in SERVICES},
        keys.private,
        out=lines.append,
        auto_purge=True,
    )
    facts = story.run()
    assert not story.failures, "\n".join(lines)
    # Nobody called Purge: the schedulers did (issue #14).
    assert any("purged the closed case on their own" in line for line in lines), lines[-8:]
    assert facts.get("access_log_records", 0) >= 7
    # Every service's own log is asked (issue #15); intake's shows the nomination's reads.
    assert set(facts["access_log_by_service"]) == set(SERVICES)
    assert facts["access_log_by_service"]["intake"] >= 1

    identity = [facts["family_name"], "2001-04-17"]
    content = [
        "shelter stay since March",
        "shelter stay since April",  # the corrected version
        # the privacy officer's reasoning and the subject's reference (subject requests)
        "the stay began in April",
        "accuracy is contested",
        "LH-AVG-2026-031",
        "Demo-street",
        "health note",
        "police record summary",
        "agreed: shelter leads",
        "acute threat reported tonight",
    ]

    # The story waited for disclosure's purge; the other services apply theirs as the events
    # arrive: wait for that fact (no service holds the subject's data), then report per service.
    def purged_everywhere() -> bool:
        return not any(
            rows_containing(pg_url, f"{prefix}{service}", identity + content)
            for service in SERVICES
        )

    try:
        wait_for(purged_everywhere, timeout=60, interval=0.5)
    except AssertionError:
        pass  # the checks below say which service still holds what
    for service in SERVICES:
        found = rows_containing(pg_url, f"{prefix}{service}", identity + content)
        assert not found, f"{service} still holds subject data or content after purge: {found}"
        case_rows = rows_containing(pg_url, f"{prefix}{service}", [facts["case_id"]])
        # What may still name the case (ids only, never subject data): the access log, kept
        # for NEN 7513; in casework the purge itself: its idempotency record (a repeated Purge
        # answers the same) and the purged-id marker. Every service remembers which case ids
        # it forgot (the id only), and an event written before the purge that had not left yet
        # is still sent (other services need the fact) and kept until the outbox's
        # housekeeping (zorgtafel/kernel/purge.py) — in casework always (its purge event); in
        # the others when a busy machine kept the relay behind. The scan above already proved
        # that none of these rows holds subject data or content.
        # Every service keeps its access log (NEN 7513, issue #15): ids and pseudonyms only.
        allowed = {"forgotten_cases", "outbox", "access_log"} | {
            # the break-glass review list (its justification erased)
            "disclosure": {"reviews"},
            "casework": {"command_results", "purged_cases"},
            # the ids of the parties that had a part (no person): a dispute naming the
            # purged id is told "case_purged" by them only
            "governance": {"purged_case_parties"},
        }.get(service, set())
        assert case_rows.get(facts["case_id"], set()) <= allowed, (service, case_rows)
        log = (s.data_dir / f"{service}.log").read_text(errors="replace")
        leaked = [n for n in identity + content if n in log]
        assert not leaked, f"{service}'s log holds {leaked}"


def test_accession_needs_every_party_and_exclusion_cuts_a_party_off_everywhere(suite, pg_url):
    s, keys, prefix = suite
    gov = as_app(s, "governance")
    board, council = Board(gov, keys), Council(gov, keys)

    # Accession (art. 20): via the managers, every active party approves, the board decides,
    # Annex 1 is signed by the organisation and the chair.
    newcomer = "00000099000000000077"
    acc = board.manager.ApplyAccession(
        party_id=newcomer, name="Stichting Nieuwkomer", kind=pb.PARTY_KIND_CARE_PROVIDER
    ).accession
    # The applicant reads its own application, nothing else (art. 20).
    from tests.integration.governance.harness import Person

    applicant = Person(gov, keys, newcomer, "manager")
    assert applicant.GetParty(party_id=newcomer).party.status == pb.PARTY_STATUS_APPLICANT
    with pytest.raises(grpc.RpcError) as err:
        applicant.GetParty(party_id="00000099000000000001")
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
    active = [p.party_id for p in board.chair.ListParties(status=pb.PARTY_STATUS_ACTIVE).parties]
    for party in active[:-1]:
        council.delegate(party).ApproveAccession(accession_id=acc.accession_id)
    proposal = board.chair.Propose(
        body=pb.BODY_REGIONAL_BOARD,
        kind=pb.PROPOSAL_KIND_ACCESSION,
        subject_code="accession",
        accession_id=acc.accession_id,
    ).proposal
    board.vote(proposal.proposal_id, [FOR, FOR, FOR])
    with pytest.raises(grpc.RpcError) as err:
        board.chair.Decide(proposal_id=proposal.proposal_id)
    assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert active[-1] in precondition(err.value).description  # the reason names whose approval
    council.delegate(active[-1]).ApproveAccession(accession_id=acc.accession_id)
    board.chair.Decide(proposal_id=proposal.proposal_id)
    board.chair.RecordAccessionSignature(
        accession_id=acc.accession_id,
        signed_by_organisation=True,
        signed_by_board_chair=True,
        form_reference="annex1-e2e",
    )
    # The new party is served by the other services once the event reaches them.
    wait_served(s, keys, newcomer, expect_served=True)

    # Exclusion (art. 23.2): refused without a notice of default; then immediate, everywhere.
    target = "00000099000000000058"
    wait_served(s, keys, target, expect_served=True)
    with pytest.raises(grpc.RpcError) as err:
        board.chair.Exclude(party_id=target, subject_code="breach")
    assert "notice of default" in precondition(err.value).description
    board.secretary.RecordNoticeOfDefault(party_id=target, reason_code="art_17_breach")
    p = board.chair.Exclude(party_id=target, subject_code="breach").proposal
    board.secretary.RecordWrittenInput(
        proposal_id=p.proposal_id, party_id=target, kind=pb.INPUT_KIND_HEARD
    )
    board.vote(p.proposal_id, [FOR, FOR, FOR, AGAINST])
    decided_at = time.monotonic()
    board.chair.Decide(proposal_id=p.proposal_id)
    wait_served(s, keys, target, expect_served=False)
    took = time.monotonic() - decided_at
    print(f"\nexclusion effective in every service after {took:.1f}s")
    assert took < 30

    # The excluded party's attempt to read is refused before any handler and still logged.
    from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as ds
    from zorgtafel.generated.disclosure.v1 import disclosure_pb2_grpc as ds_grpc

    dis = ds_grpc.DisclosureServiceStub(grpc.insecure_channel(endpoint(s, "disclosure")))
    attempt = "itm-" + "ab" * 16
    with pytest.raises(grpc.RpcError) as err:
        dis.RequestDisclosure(
            ds.RequestDisclosureRequest(
                item_ids=[attempt], purpose="care_coordination", action=ds.DISCLOSURE_ACTION_READ
            ),
            metadata=keys.metadata(target, "caseworker", "excluded-worker"),
            timeout=10,
        )
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
    # The attempt names no item of any provider, so no party's privacy officer oversees it
    # (oversight is scoped to the controller, ADR 0005): it is read from the log's table.
    engine = create_engine(pg_url)
    try:
        with engine.connect() as conn:
            logged = conn.execute(
                text(
                    f'SELECT result FROM "{prefix}disclosure".access_log '
                    "WHERE resource = :r AND party = :p"
                ),
                {"r": attempt, "p": target},
            ).scalars()
            assert "denied" in list(logged)
    finally:
        engine.dispose()
    assert dis.VerifyLog(
        ds.VerifyLogRequest(),
        timeout=10,
        metadata=keys.metadata("00000099000000000053", "privacy_officer", "fg"),
    ).intact


# One read-only method per service that a caseworker of an active party may call.
PROBES = {
    "intake": "/zorgtafel.intake.v1.IntakeService/GetNomination",
    "casework": "/zorgtafel.casework.v1.CaseworkService/GetCase",
    "disclosure": "/zorgtafel.disclosure.v1.DisclosureService/ListProcessingActivities",
}


def served(suite, keys, party: str, service: str) -> bool | None:
    """True when authz lets the party through, False when it refuses it, None while the
    service cannot say yet (UNAVAILABLE: e.g. the party's registration has not arrived)."""
    call = grpc.insecure_channel(endpoint(suite, service)).unary_unary(
        PROBES[service], request_serializer=lambda b: b, response_deserializer=lambda b: b
    )
    try:
        call(b"", metadata=keys.metadata(party, "caseworker", "probe"), timeout=10)
        return True
    except grpc.RpcError as err:
        if err.code() == grpc.StatusCode.UNAVAILABLE:
            return None
        return err.code() != grpc.StatusCode.PERMISSION_DENIED or "authz" not in _policy_of(err)


def _policy_of(err) -> str:
    from google.rpc import error_details_pb2
    from grpc_status import rpc_status

    status = rpc_status.from_call(err)
    for d in status.details if status else []:
        info = error_details_pb2.ErrorInfo()
        if d.Unpack(info):
            return info.metadata.get("policy", "")
    return ""


def wait_served(suite, keys, party: str, *, expect_served: bool, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(served(suite, keys, party, svc) == expect_served for svc in PROBES):
            return
        time.sleep(0.3)
    states = {svc: served(suite, keys, party, svc) for svc in PROBES}
    raise AssertionError(f"party {party}: expected served={expect_served}, got {states}")

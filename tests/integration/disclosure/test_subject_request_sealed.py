"""A subject request's free texts (the subject's document reference, the privacy officer's
reason) are sealed like every other free text (issue #14): under a data key of the request's
own, wrapped by the service key ring and bound to the request and the field, so no column of any
table holds them, a ciphertext moved to another row or field does not open, and without a key
ring no request is stored or shown (fail closed). They stay readable after a case-level erasure
destroyed the case key, and go at the case's purge; the migration seals the requests stored
before it."""

from __future__ import annotations

import base64
import importlib.util
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from alembic import command
from cryptography.exceptions import InvalidTag
from sqlalchemy import MetaData, Table, insert, inspect, select, update
from sqlalchemy.orm import Session

from services.disclosure.adapters.orm import subject_requests
from services.disclosure.adapters.subject_rights import UNREADABLE, SubjectRequestRepository
from services.disclosure.bootstrap import VERSIONS, make_deps
from services.disclosure.domain import commands
from services.disclosure.service_layer.handlers import subject_rights, upsert_case
from tests.integration.disclosure.conftest import CELLO, GGZ, database_at, provide
from tests.integration.disclosure.test_breach_sealed import tables_containing
from zorgtafel.contracts import events as ev
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.crypto import KeyRing, new_data_key, open_sealed
from zorgtafel.kernel.devkeys import ensure_dev_keys
from zorgtafel.kernel.errors import Unavailable
from zorgtafel.testing import handler_platform, rid, wait_for

pytestmark = pytest.mark.integration

OFFICER = (GGZ, "privacy_officer", "fg-1")  # the controller: GGZ nominates every case here
MIGRATION = next(VERSIONS.glob("e5a90c3b7d12_*.py"))
t = subject_requests


def _ref() -> str:
    return f"doc:request/sealed-{uuid.uuid4().hex}"


def _reason() -> str:
    return f"REASON-{uuid.uuid4().hex}: Zoë asked by phone, needed for the care plan"


def _submit(env, kind, pseudonym: str, document_ref: str, **kw) -> str:
    return env.stub.SubmitSubjectRequest(
        pb.SubmitSubjectRequestRequest(
            request_id=rid(),
            kind=kind,
            subject_pseudonym=pseudonym,
            document_ref=document_ref,
            **kw,
        ),
        metadata=env.md(CELLO),
    ).subject_request_id


def _decide(env, ref: str, outcome, reason: str, request_id: str = "") -> pb.SubjectRequestRecord:
    return env.stub.DecideSubjectRequest(
        pb.DecideSubjectRequestRequest(
            request_id=request_id or rid(),
            subject_request_id=ref,
            outcome=outcome,
            reason=reason,
        ),
        metadata=env.md(*OFFICER),
    ).request


def _objection(env, pseudonym: str, case_id: str, document_ref: str) -> str:
    return _submit(
        env,
        pb.SUBJECT_REQUEST_KIND_OBJECTION,
        pseudonym,
        document_ref,
        case_id=case_id,
        controller=GGZ,
    )


def _listed(env, pseudonym: str) -> dict[str, pb.SubjectRequestRecord]:
    listed = env.stub.ListSubjectRequests(
        pb.ListSubjectRequestsRequest(subject_pseudonym=pseudonym), metadata=env.md(*OFFICER)
    )
    return {r.subject_request_id: r for r in listed.requests}


def _row(env, ref: str):
    with env.app.engine.connect() as conn:
        return conn.execute(select(t).where(t.c.subject_request_id == ref)).one()


# --- the running service -----------------------------------------------------------------------


def test_a_requests_free_text_is_in_no_table_yet_listed_and_reported_to_the_officer(env):
    case_id, pseudonym = env.open_case()
    document_ref, reason = _ref(), _reason()
    ref = _objection(env, pseudonym, case_id, document_ref)
    once = rid()
    decided = _decide(env, ref, pb.SUBJECT_REQUEST_OUTCOME_REFUSED, reason, once)
    assert (decided.document_ref, decided.reason) == (document_ref, reason)
    # A repeat gets the same answer, though the kernel stored it without the texts.
    assert _decide(env, ref, pb.SUBJECT_REQUEST_OUTCOME_REFUSED, reason, once) == decided

    found = tables_containing(
        env.app.engine, env.app.settings.effective_schema, [document_ref, reason, ref]
    )
    assert "subject_requests" in found.pop(ref)  # the scan reaches the request's row
    assert found == {}, f"plain request text stored in {found}"
    row = _row(env, ref)
    assert row.wrapped_key and row.document_ref_sealed and row.reason_sealed

    listed = _listed(env, pseudonym)[ref]
    assert (listed.document_ref, listed.reason) == (document_ref, reason)
    report = env.stub.SubjectAccessReport(
        pb.SubjectAccessReportRequest(subject_pseudonym=pseudonym), metadata=env.md(*OFFICER)
    )
    reported = {r.subject_request_id: r for r in report.requests}[ref]
    assert (reported.document_ref, reported.reason) == (document_ref, reason)


def test_a_requests_text_outlives_the_case_erasure_it_granted_and_goes_with_the_purge(env):
    case_id, pseudonym = env.open_case()
    provide(env, case_id)
    document_ref, reason = _ref(), _reason()
    erasure = _submit(
        env, pb.SUBJECT_REQUEST_KIND_ERASURE, pseudonym, document_ref, case_id=case_id
    )
    objection_ref = _ref()
    objection = _objection(env, pseudonym, case_id, objection_ref)
    # The grant destroys the case key before the reason is written: not under the case key.
    granted = _decide(env, erasure, pb.SUBJECT_REQUEST_OUTCOME_GRANTED, reason)
    keys = env.tables["case_keys"]
    with env.app.engine.connect() as conn:
        assert conn.execute(select(keys).where(keys.c.case_id == case_id)).first() is None
    assert (granted.document_ref, granted.reason) == (document_ref, reason)
    assert _listed(env, pseudonym)[erasure].reason == reason

    # The purge unlinks the requests from the case and their texts go (art. 1.2); each stays
    # as the controller's account of how it was handled.
    env.pub.publish("casework", ev.CASE_PURGED, case_id, {"case_id": case_id})
    wait_for(lambda: _row(env, objection).case_id is None)
    for ref in (erasure, objection):
        row = _row(env, ref)
        assert row.document_ref_sealed is None and row.reason_sealed is None
    listed = _listed(env, pseudonym)
    assert (listed[erasure].document_ref, listed[erasure].reason) == ("", "")
    assert listed[erasure].outcome == pb.SUBJECT_REQUEST_OUTCOME_GRANTED
    assert listed[objection].document_ref == ""
    found = tables_containing(
        env.app.engine, env.app.settings.effective_schema, [document_ref, reason, objection_ref]
    )
    assert found == {}


def test_a_sealed_text_moved_to_another_request_or_field_does_not_open(env):
    case_id, pseudonym = env.open_case()
    source_ref, source_reason = _ref(), _reason()
    source = _objection(env, pseudonym, case_id, source_ref)
    _decide(env, source, pb.SUBJECT_REQUEST_OUTCOME_REFUSED, source_reason)
    target = _objection(env, pseudonym, case_id, _ref())
    other_field = _objection(env, pseudonym, case_id, _ref())
    _decide(env, other_field, pb.SUBJECT_REQUEST_OUTCOME_REFUSED, _reason())
    row = _row(env, source)
    other = _row(env, other_field)
    with env.app.engine.begin() as conn:
        # Even with the source's own (wrapped) data key beside it, the text is bound to its
        # request: another request id in the associated data does not open.
        conn.execute(
            update(t)
            .where(t.c.subject_request_id == target)
            .values(
                wrapped_key=row.wrapped_key,
                document_ref_sealed=row.document_ref_sealed,
                reason_sealed=row.reason_sealed,
            )
        )
        conn.execute(
            update(t)
            .where(t.c.subject_request_id == other_field)
            .values(document_ref_sealed=other.reason_sealed)
        )

    key = env.app.keyring.unwrap(row.wrapped_key)
    with pytest.raises(InvalidTag):
        open_sealed(key, row.document_ref_sealed, f"{target}:document_ref".encode())

    listed = _listed(env, pseudonym)
    assert (listed[target].document_ref, listed[target].reason) == (UNREADABLE, UNREADABLE)
    assert listed[other_field].document_ref == UNREADABLE
    assert listed[other_field].reason not in ("", UNREADABLE)  # its own field still opens
    # The moved texts are shown nowhere but with their own request.
    for ref, shown in listed.items():
        if ref != source:
            assert source_ref != shown.document_ref and source_reason != shown.reason
    assert (listed[source].document_ref, listed[source].reason) == (source_ref, source_reason)


@pytest.fixture(scope="module")
def keyless(module_db, tmp_path_factory):
    """Disclosure's use cases on a migrated database whose key ring is missing (its key file is
    not there): the handler tier, as tests/integration/disclosure/test_breach_sealed.py."""
    data_dir = tmp_path_factory.mktemp("disclosure-keyless-requests")
    absent = data_dir / "no-such.keys"
    with handler_platform(
        "disclosure", data_dir, module_db, encryption_keys_file=str(absent)
    ) as built:
        yield built[0]


def test_without_a_key_ring_no_request_is_stored_or_shown(keyless):
    assert keyless.keyring is None
    deps = make_deps(keyless)
    submitter = Caller(CELLO, "person-1", "caseworker", party_status="active")
    officer = Caller(CELLO, "fg-2", "privacy_officer", party_status="active")
    pseudonym = f"psn-{uuid.uuid4().hex[:12]}"
    with keyless.uow_factory() as uow:  # CELLO nominated the subject's case (12.3)
        upsert_case(
            uow,
            f"case-{uuid.uuid4().hex[:12]}",
            subject_pseudonym=pseudonym,
            nominating_party=CELLO,
        )
        uow.commit()
    cmd = commands.SubmitSubjectRequest(
        kind="complaint", subject_pseudonym=pseudonym, document_ref=_ref()
    )
    with keyless.uow_factory() as uow, pytest.raises(Unavailable):
        subject_rights.submit_subject_request(deps, uow, cmd, submitter)
        uow.commit()
    now = datetime.now(timezone.utc)
    earlier = f"sr-{uuid.uuid4().hex}"
    with keyless.uow_factory() as uow:
        assert uow.session.execute(select(t)).all() == []
        # A request sealed earlier (the ring since lost) is not shown either, not even in part.
        uow.session.execute(
            insert(t).values(
                subject_request_id=earlier,
                kind="complaint",
                subject_pseudonym=pseudonym,
                case_id="case-sealed-earlier",
                wrapped_key=b"wrapped",
                document_ref_sealed=b"sealed",
                reason_sealed=b"sealed",
                submitted_by_party=CELLO,
                submitted_at=now - timedelta(days=3),
                outcome="refused",
                decided_by_party=CELLO,
                decided_by_person="fg-2",
                decided_at=now - timedelta(days=2),
                controller=CELLO,
                due_at=now + timedelta(days=27),
            )
        )
        uow.commit()
    listing = commands.ListSubjectRequests(subject_pseudonym=pseudonym)
    with keyless.uow_factory() as uow, pytest.raises(Unavailable):
        subject_rights.list_subject_requests(deps, uow, listing, officer)
    decision = commands.DecideSubjectRequest(earlier, "refused", reason="no")
    with keyless.uow_factory() as uow, pytest.raises(Unavailable):
        subject_rights.decide_subject_request(deps, uow, decision, officer)
    # What reads no text still works: the purge's unlinking and the retention clock.
    with keyless.uow_factory() as uow:
        uow.subject_requests.unlink_case("case-sealed-earlier")
        assert uow.subject_requests.decided_before(now) == [earlier]
        assert uow.subject_requests.delete_decided(earlier, now)
        uow.commit()
    with keyless.uow_factory() as uow:
        assert uow.session.execute(select(t)).all() == []


# --- the migration -----------------------------------------------------------------------------


def _migration():
    spec = importlib.util.spec_from_file_location("m_e5a90c3b7d12", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def before(database_url, tmp_path):
    """A disclosure database at the revision before the request texts were sealed: (engine,
    Alembic config, the plain ``subject_requests`` table, schema)."""
    with database_at(database_url, tmp_path, _migration().down_revision, "requests") as (
        engine,
        cfg,
        schema,
        base,
    ):
        plain = Table("subject_requests", MetaData(schema=schema), autoload_with=base)
        yield engine, cfg, plain, schema


PSEUDONYM = "c" * 64


def _old_request(n: int, document_ref: str, reason: str | None) -> dict:
    at = datetime(2026, 11, 30, 12, 0, n, tzinfo=timezone.utc)
    decided = reason is not None
    return {
        "subject_request_id": f"sr-old-{n}",
        "kind": "objection",
        "subject_pseudonym": PSEUDONYM,
        "case_id": None if not document_ref else f"case-old-{n}",
        "item_id": None,
        "document_ref": document_ref,
        "submitted_by_party": CELLO,
        "submitted_at": at,
        "outcome": "refused" if decided else None,
        "refusal_ground": None,
        "reason": reason,
        "decided_by_party": GGZ if decided else None,
        "decided_by_person": "fg-1" if decided else None,
        "decided_at": at + timedelta(hours=1) if decided else None,
        "controller": GGZ,
        "due_at": at + timedelta(days=30),
    }


# (document_ref, reason): decided with a reason, undecided, decided with an empty reason (a
# grant's answer), unlinked at a purge (reference emptied, reason gone).
OLDS: list[tuple[str, str | None]] = [
    (_ref(), _reason()),
    (_ref(), None),
    (_ref(), ""),
    ("", None),
]


def _raw_keys(keys_file) -> list[bytes]:
    return [
        base64.b64decode(line)
        for line in keys_file.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]


def test_requests_stored_before_the_migration_are_sealed_by_it_and_read_after_it(
    before, tmp_path, monkeypatch
):
    engine, cfg, plain, schema = before
    answers = Table("command_results", MetaData(schema=schema), autoload_with=engine)
    with engine.begin() as conn:
        for n, (document_ref, reason) in enumerate(OLDS):
            conn.execute(insert(plain).values(**_old_request(n, document_ref, reason)))
        # The kernel's stored answer to the first one's decision held its texts too.
        answer = pb.DecideSubjectRequestResponse(
            request=pb.SubjectRequestRecord(
                subject_request_id="sr-old-0", document_ref=OLDS[0][0], reason=OLDS[0][1]
            )
        )
        conn.execute(
            insert(answers).values(
                party_id=GGZ,
                request_id=rid(),
                method="/zorgtafel.disclosure.v1.DisclosureService/DecideSubjectRequest",
                request_digest="0" * 64,
                response=answer.SerializeToString(),
                case_id="case-old-0",
                created_at=datetime.now(timezone.utc),
            )
        )
    keys_file = ensure_dev_keys(tmp_path / "keys") / "disclosure-encryption.keys"
    monkeypatch.setenv("ZORGTAFEL_ENCRYPTION_KEYS_FILE", str(keys_file))

    command.upgrade(cfg, "head")

    needles = [text for pair in OLDS for text in pair if text]
    assert tables_containing(engine, schema, needles) == {}
    with engine.connect() as conn:
        stored = pb.DecideSubjectRequestResponse.FromString(
            bytes(conn.execute(select(answers.c.response)).scalar_one())
        )
    assert stored.request.subject_request_id == "sr-old-0"  # the answer stays, its texts go
    ring = KeyRing.from_file(keys_file)
    # Read as the service reads, also after a rotation (a new key prepended to the ring).
    rotated = KeyRing([new_data_key(), *_raw_keys(keys_file)])
    for keyring in (ring, rotated):
        with Session(engine) as session:
            read = SubjectRequestRepository(session, keyring).of_subject(PSEUDONYM)
        assert [(r.document_ref, r.reason) for r in read] == OLDS
        assert [r.subject_request_id for r in read] == [f"sr-old-{n}" for n in range(len(OLDS))]
        assert [r.outcome for r in read] == ["refused", None, "refused", None]

    # And back: the downgrade unseals them into the plain columns with the same key file.
    command.downgrade(cfg, _migration().down_revision)
    restored = Table("subject_requests", MetaData(schema=schema), autoload_with=engine)
    with engine.connect() as conn:
        rows = conn.execute(
            select(restored.c.document_ref, restored.c.reason).order_by(
                restored.c.subject_request_id
            )
        ).all()
    assert [tuple(r) for r in rows] == OLDS


def test_the_migration_refuses_without_the_key_file_when_requests_are_stored(
    before, tmp_path, monkeypatch
):
    engine, cfg, plain, _ = before
    document_ref, reason = OLDS[0]
    with engine.begin() as conn:
        conn.execute(insert(plain).values(**_old_request(1, document_ref, reason)))
    monkeypatch.setenv("ZORGTAFEL_ENCRYPTION_KEYS_FILE", str(tmp_path / "absent.keys"))

    with pytest.raises(RuntimeError, match="1 subject request\\(s\\) are stored") as refused:
        command.upgrade(cfg, "head")
    assert document_ref not in str(refused.value) and str(reason) not in str(refused.value)
    # Nothing was changed: the texts are still there, as they were, to be sealed with the key.
    with engine.connect() as conn:
        assert tuple(conn.execute(select(plain.c.document_ref, plain.c.reason)).one()) == (
            document_ref,
            reason,
        )


def test_the_migration_needs_no_key_when_no_request_is_stored(before, tmp_path, monkeypatch):
    engine, cfg, _, schema = before
    monkeypatch.setenv("ZORGTAFEL_ENCRYPTION_KEYS_FILE", str(tmp_path / "absent.keys"))
    command.upgrade(cfg, "head")
    columns = {c["name"] for c in inspect(engine).get_columns("subject_requests", schema=schema)}
    assert {"wrapped_key", "document_ref_sealed", "reason_sealed"} <= columns
    assert not {"document_ref", "reason"} & columns

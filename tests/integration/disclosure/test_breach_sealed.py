"""The breach register's free texts are sealed like every other free text (issue #14): under a
data key of the breach's own, wrapped by the service key ring and bound to the breach and the
field, so no column of any table holds them, a ciphertext moved to another row or field does
not open, and without a key ring nothing is stored (fail closed). The privacy officer still
lists and exports them; the migration seals the breaches recorded before it."""

from __future__ import annotations

import base64
import importlib.util
import json
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from alembic import command
from cryptography.exceptions import InvalidTag
from sqlalchemy import MetaData, Table, insert, inspect, select, text, update
from sqlalchemy.orm import Session

from services.disclosure.adapters.orm import breaches
from services.disclosure.adapters.subject_rights import UNREADABLE, BreachRepository
from services.disclosure.bootstrap import VERSIONS, make_deps
from services.disclosure.domain import commands
from services.disclosure.service_layer.handlers import registers
from tests.integration.disclosure.conftest import GGZ, database_at
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.crypto import KeyRing, new_data_key, open_sealed
from zorgtafel.kernel.devkeys import ensure_dev_keys
from zorgtafel.kernel.errors import Unavailable
from zorgtafel.testing import handler_platform, rid

pytestmark = pytest.mark.integration

OFFICER = (GGZ, "privacy_officer", "fg-1")
MIGRATION = next(VERSIONS.glob("7e769bfb8426_*.py"))


def _texts() -> tuple[str, str]:
    marker = uuid.uuid4().hex
    return (
        f"CONSEQUENCE-{marker}: Zoë's address sent to the wrong party",
        f"MEASURE-{marker}: recalled, Zoë informed by phone",
    )


def _record(env, consequences: str, measures: str) -> str:
    breach = pb.Breach(
        nature="misdirected_email",
        data_categories=["housing"],
        subjects_affected=1,
        case_ids=[f"case-{uuid.uuid4().hex[:12]}"],
        consequences=consequences,
        measures=measures,
    )
    breach.detected_at.FromDatetime(datetime.now(timezone.utc) - timedelta(hours=1))
    return env.stub.RecordBreach(
        pb.RecordBreachRequest(request_id=rid(), breach=breach), metadata=env.md(*OFFICER)
    ).breach_id


def _listed(env) -> dict[str, pb.Breach]:
    listed = env.stub.ListBreaches(pb.ListBreachesRequest(), metadata=env.md(*OFFICER))
    return {b.breach_id: b for b in listed.breaches}


def _exported(env) -> dict[str, dict]:
    document = env.stub.ExportRegister(
        pb.ExportRegisterRequest(register=pb.REGISTER_BREACHES), metadata=env.md(*OFFICER)
    ).document
    return {b["breach_id"]: b for b in json.loads(document)["breaches"]}


def _as_text(value) -> str:
    if isinstance(value, memoryview):
        value = bytes(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def tables_containing(engine, schema: str | None, needles: list[str]) -> dict[str, set[str]]:
    """Which tables of the service's database hold any of ``needles`` in any column (as text),
    as tests/e2e/test_life_cycle.py scans a schema."""
    found: dict[str, set[str]] = {}
    with engine.connect() as conn:
        for table in inspect(conn).get_table_names(schema=schema):
            name = f'"{schema}"."{table}"' if schema else f'"{table}"'
            for row in conn.execute(text(f"SELECT * FROM {name}")):  # nosec B608 - reflected names
                blob = " ".join(_as_text(v) for v in row)
                for needle in needles:
                    if needle in blob:
                        found.setdefault(needle, set()).add(table)
    return found


# --- the running service -----------------------------------------------------------------------


def test_a_breachs_free_text_is_in_no_table_yet_listed_and_exported_to_the_officer(env):
    consequences, measures = _texts()
    ref = _record(env, consequences, measures)

    found = tables_containing(
        env.app.engine, env.app.settings.effective_schema, [consequences, measures, ref]
    )
    assert "breaches" in found.pop(ref)  # the scan reaches the breach's row
    assert found == {}, f"plain breach text stored in {found}"
    with env.app.engine.connect() as conn:
        row = conn.execute(select(breaches).where(breaches.c.breach_id == ref)).one()
    assert row.wrapped_key and row.consequences_sealed and row.measures_sealed

    listed = _listed(env)[ref]
    assert (listed.consequences, listed.measures) == (consequences, measures)
    assert listed.nature == "misdirected_email"
    exported = _exported(env)[ref]
    assert (exported["consequences"], exported["measures"]) == (consequences, measures)


def test_a_sealed_text_moved_to_another_breach_or_field_does_not_open(env):
    source_consequences, source_measures = _texts()
    source = _record(env, source_consequences, source_measures)
    target = _record(env, *_texts())
    other_field = _record(env, *_texts())
    with env.app.engine.begin() as conn:
        row = conn.execute(select(breaches).where(breaches.c.breach_id == source)).one()
        # Even with the source's own (wrapped) data key beside it, the text is bound to its
        # breach: another breach id in the associated data does not open.
        conn.execute(
            update(breaches)
            .where(breaches.c.breach_id == target)
            .values(wrapped_key=row.wrapped_key, consequences_sealed=row.consequences_sealed)
        )
        other = conn.execute(select(breaches).where(breaches.c.breach_id == other_field)).one()
        conn.execute(
            update(breaches)
            .where(breaches.c.breach_id == other_field)
            .values(consequences_sealed=other.measures_sealed)
        )

    key = env.app.keyring.unwrap(row.wrapped_key)
    with pytest.raises(InvalidTag):
        open_sealed(key, row.consequences_sealed, f"{target}:consequences".encode())

    listed = _listed(env)
    exported = _exported(env)
    assert listed[target].consequences == exported[target]["consequences"] == UNREADABLE
    assert listed[other_field].consequences == UNREADABLE
    assert listed[other_field].measures != UNREADABLE  # its own field still opens
    # The moved text is shown nowhere but with its own breach.
    for breach_id, shown in listed.items():
        if breach_id != source:
            assert source_consequences not in (shown.consequences, shown.measures)
    assert (listed[source].consequences, listed[source].measures) == (
        source_consequences,
        source_measures,
    )


@pytest.fixture(scope="module")
def keyless(module_db, tmp_path_factory):
    """Disclosure's use cases on a migrated database whose key ring is missing (its key file is
    not there): the handler tier, since a second service in the broker's consumer group would
    take the running one's partitions."""
    data_dir = tmp_path_factory.mktemp("disclosure-keyless")
    absent = data_dir / "no-such.keys"
    with handler_platform(
        "disclosure", data_dir, module_db, encryption_keys_file=str(absent)
    ) as built:
        yield built[0]


def test_without_a_key_ring_no_breach_is_stored_or_shown(keyless):
    assert keyless.keyring is None
    deps = make_deps(keyless)
    officer = Caller(GGZ, "fg-1", "privacy_officer", party_status="active")
    consequences, measures = _texts()
    cmd = commands.RecordBreach(
        detected_at=datetime.now(timezone.utc),
        nature="lost_device",
        consequences=consequences,
        measures=measures,
    )
    with keyless.uow_factory() as uow, pytest.raises(Unavailable):
        registers.record_breach(deps, uow, cmd, officer)
        uow.commit()
    with keyless.uow_factory() as uow:
        assert uow.session.execute(select(breaches)).all() == []
        # A breach sealed earlier (the ring since lost) is not shown either, not even in part.
        uow.session.execute(
            insert(breaches).values(
                breach_id="brc-sealed-earlier",
                detected_at=cmd.detected_at,
                recorded_at=cmd.detected_at,
                recorded_by_party=GGZ,
                recorded_by_person="fg-1",
                nature="lost_device",
                data_categories="[]",
                subjects_affected=0,
                case_ids="[]",
                wrapped_key=b"wrapped",
                consequences_sealed=b"sealed",
                measures_sealed=b"sealed",
                reported_to_authority=False,
                reported_at=None,
                subjects_informed=False,
            )
        )
        uow.commit()
    with keyless.uow_factory() as uow, pytest.raises(Unavailable):
        registers.list_breaches(deps, uow, commands.ListBreaches(), officer)


# --- the migration -----------------------------------------------------------------------------


def _migration():
    spec = importlib.util.spec_from_file_location("m_7e769bfb8426", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def before(database_url, tmp_path):
    """A disclosure database at the revision before the breach texts were sealed: (engine,
    Alembic config, the plain ``breaches`` table, schema)."""
    with database_at(database_url, tmp_path, _migration().down_revision, "breaches") as (
        engine,
        cfg,
        schema,
        base,
    ):
        plain = Table("breaches", MetaData(schema=schema), autoload_with=base)
        yield engine, cfg, plain, schema


def _old_breach(n: int, consequences: str, measures: str) -> dict:
    at = datetime(2026, 11, 30, 12, 0, n, tzinfo=timezone.utc)
    return {
        "breach_id": f"brc-old-{n}",
        "detected_at": at,
        "recorded_at": at,
        "recorded_by_party": GGZ,
        "recorded_by_person": "fg-1",
        "nature": "lost_device",
        "data_categories": json.dumps(["health"]),
        "subjects_affected": 1,
        "case_ids": json.dumps([]),
        "consequences": consequences,
        "measures": measures,
        "reported_to_authority": False,
        "reported_at": None,
        "subjects_informed": False,
    }


def test_breaches_written_before_the_migration_are_sealed_by_it_and_read_after_it(
    before, tmp_path, monkeypatch
):
    engine, cfg, plain, schema = before
    olds = [_texts() for _ in range(3)] + [("", "laptop wiped remotely")]
    with engine.begin() as conn:
        for n, (consequences, measures) in enumerate(olds):
            conn.execute(insert(plain).values(**_old_breach(n, consequences, measures)))
    keys_file = ensure_dev_keys(tmp_path / "keys") / "disclosure-encryption.keys"
    monkeypatch.setenv("ZORGTAFEL_ENCRYPTION_KEYS_FILE", str(keys_file))

    command.upgrade(cfg, "head")

    needles = [t for pair in olds for t in pair if t]
    assert tables_containing(engine, schema, needles) == {}
    ring = KeyRing.from_file(keys_file)
    # Read as the service reads, also after a rotation (a new key prepended to the ring).
    rotated = KeyRing([new_data_key(), *_raw_keys(keys_file)])
    for keyring in (ring, rotated):
        with Session(engine) as session:
            read = BreachRepository(session, keyring).all()
        assert [(b.consequences, b.measures) for b in read] == olds
        assert [b.breach_id for b in read] == [f"brc-old-{n}" for n in range(len(olds))]

    # And back: the downgrade unseals them into the plain columns with the same key file.
    command.downgrade(cfg, _migration().down_revision)
    restored = Table("breaches", MetaData(schema=schema), autoload_with=engine)
    with engine.connect() as conn:
        rows = conn.execute(
            select(restored.c.consequences, restored.c.measures).order_by(restored.c.breach_id)
        ).all()
    assert [tuple(r) for r in rows] == olds


def _raw_keys(keys_file) -> list[bytes]:
    return [
        base64.b64decode(line)
        for line in keys_file.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]


def test_the_migration_refuses_without_the_key_file_when_breaches_are_stored(
    before, tmp_path, monkeypatch
):
    engine, cfg, plain, _ = before
    consequences, measures = _texts()
    with engine.begin() as conn:
        conn.execute(insert(plain).values(**_old_breach(1, consequences, measures)))
    monkeypatch.setenv("ZORGTAFEL_ENCRYPTION_KEYS_FILE", str(tmp_path / "absent.keys"))

    with pytest.raises(RuntimeError, match="1 breach\\(es\\) are stored") as refused:
        command.upgrade(cfg, "head")
    assert consequences not in str(refused.value) and measures not in str(refused.value)
    # Nothing was changed: the text is still there, as it was, to be sealed with the key.
    with engine.connect() as conn:
        assert conn.execute(select(plain.c.consequences)).scalar_one() == consequences


def test_the_migration_needs_no_key_when_no_breach_is_stored(before, tmp_path, monkeypatch):
    engine, cfg, _, schema = before
    monkeypatch.setenv("ZORGTAFEL_ENCRYPTION_KEYS_FILE", str(tmp_path / "absent.keys"))
    command.upgrade(cfg, "head")
    columns = {c["name"] for c in inspect(engine).get_columns("breaches", schema=schema)}
    assert {"wrapped_key", "consequences_sealed", "measures_sealed"} <= columns
    assert not {"consequences", "measures"} & columns

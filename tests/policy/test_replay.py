"""Replaying the access log (issue #17), on a seeded disclosure log of real decisions:
``policy explain --decision-id`` of a logged denial reproduces its reasons (facts in the policy's
order, the cause marked); ``policy impact`` on a revision that narrows a purpose lists exactly
the decisions that flip, grouped by rule and article, with a digest."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cases import disclosure
from rule_edits import narrow_rule
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from zorgtafel.cli import build_parser
from zorgtafel.kernel.accesslog import inputs, store
from zorgtafel.kernel.accesslog.records import AccessRecord
from zorgtafel.kernel.registry import definition
from zorgtafel.policy.bundle import build_bundle, revision_of
from zorgtafel.policy.embedded import EmbeddedEngine

PURPOSES = ["care_coordination", "safety_assessment"]
NOW = datetime.now(timezone.utc)

# (name, purpose, retracted, age of the record in days)
SEEDED = [
    ("coordination", "care_coordination", False, 1),
    ("assessment", "safety_assessment", False, 2),
    ("assessment-2", "safety_assessment", False, 3),
    ("assessment-retracted", "safety_assessment", True, 4),  # denied already: no flip
    ("research", "research", False, 5),  # denied (purpose not allowed): stays denied
    ("assessment-old", "safety_assessment", False, 60),  # before --since 30d
]
NARROWED = [n for n in ("assessment", "assessment-2")]


def narrowed_policy(src: Path, into: Path) -> Path:
    """The policies, with the purpose rule narrowed: safety_assessment no longer permitted."""
    shutil.copytree(src, into, ignore=shutil.ignore_patterns("*_test.rego"))
    rego = into / "disclosure" / "disclosure.rego"
    text = rego.read_text(encoding="utf-8")
    narrowed = narrow_rule(text, "purpose_permitted", 'input.purpose != "safety_assessment"')
    rego.write_text(narrowed, encoding="utf-8")
    return into


def seed(engine, policy_dir: Path) -> tuple[dict, dict]:
    """The SEEDED decisions in the access log of a disclosure database (its tables created), as
    the service records them (result, reasons, revision, the kept input)."""
    d = definition("disclosure")
    d.metadata.create_all(engine)
    t = store.LogTables.of(d.tables)
    rego = EmbeddedEngine(policy_dir, timeout_s=30.0, workers=1)
    ids = {}
    records = []
    try:
        for name, purpose, retracted, days in SEEDED:
            facts = disclosure(
                purpose=purpose,
                item__retracted=retracted,
                item__terms__purposes=PURPOSES,
                now=(NOW - timedelta(days=days)).isoformat().replace("+00:00", "Z"),
                item__terms__expires_at="2099-01-01T00:00:00Z",
            )
            decision = rego.decide("zorgtafel.disclosure", facts)
            ids[name] = decision.decision_id
            records.append(
                AccessRecord(
                    recorded_at=NOW - timedelta(days=days),
                    party=facts["recipient"]["party"],
                    person="anna",
                    role="caseworker",
                    rpc="RequestDisclosure",
                    action="read",
                    result="allowed" if decision.allow else "denied",
                    resource="item-1",
                    case_id="case-1",
                    subject_pseudonym="psn-1",
                    purpose=purpose,
                    reasons=decision.reasons,
                    decision_id=decision.decision_id,
                    policy_revision=decision.revision,
                    input_digest=decision.input_digest.removeprefix("sha256:"),
                    decision_input=inputs.of_decision(decision),
                )
            )
    finally:
        rego.close()
    with Session(engine) as session:
        store.ensure_head(session, t)
        store.append_batch(session, t, records, signer=None, log_id="x", now=NOW)
        session.commit()
    return ids, {r.decision_id: r for r in records}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, policy_dir):
    """The seeded log in the embedded suite's place: ``<data-dir>/disclosure.db``."""
    data_dir = tmp_path_factory.mktemp("replay")
    engine = create_engine(f"sqlite:///{data_dir / 'disclosure.db'}")
    try:
        ids, records = seed(engine, policy_dir)
    finally:
        engine.dispose()
    return data_dir, ids, records


def run(capsys, *argv: str) -> tuple[int, str]:
    args = build_parser().parse_args(list(argv))
    code = args.func(args)
    return code, capsys.readouterr().out


def test_the_seeded_decisions_are_what_the_test_expects(seeded):
    _, ids, records = seeded
    allowed = {n for n, i in ids.items() if records[i].result == "allowed"}
    assert allowed == {"coordination", "assessment", "assessment-2", "assessment-old"}


def test_explain_of_a_logged_denial_reproduces_its_reasons_and_marks_the_cause(seeded, capsys):
    data_dir, ids, records = seeded
    recorded = records[ids["research"]]
    code, out = run(
        capsys, "policy", "explain", "--decision-id", ids["research"], "--data-dir", str(data_dir)
    )
    assert code == 0, out
    assert "Recorded:  DENIED" in out
    assert f"Under {recorded.policy_revision} (the deciding revision): DENIED, reproduces" in out
    why = out.split("  Why:\n", 1)[1].split("  Facts,", 1)[0]
    assert [line.strip()[2:] for line in why.strip().splitlines()] == list(recorded.reasons)
    facts = [ln.strip() for ln in out.split("  Facts,", 1)[1].splitlines()[1:] if ln.strip()]
    # In the order the policy lists them (not alphabetical), the purpose check marked.
    assert facts[0] == "[x] action is known"
    assert "[!] purpose permitted by the provider (art. 16.2)   <- caused the deny" in facts
    assert [f for f in facts if f.startswith("[!]")] == [
        "[!] purpose permitted by the provider (art. 16.2)   <- caused the deny"
    ]


def test_explain_under_another_revision_shows_what_it_would_decide(seeded, capsys, tmp_path):
    data_dir, ids, _ = seeded
    candidate = narrowed_policy(
        Path(__file__).resolve().parents[2] / "policies/rego", tmp_path / "c"
    )
    code, out = run(
        capsys,
        "policy",
        "explain",
        "--decision-id",
        ids["assessment"],
        "--data-dir",
        str(data_dir),
        "--revision",
        str(candidate),
    )
    assert code == 0, out
    assert "(the deciding revision): ALLOWED, reproduces the record" in out
    assert f"Under {revision_of(candidate)} (another revision): DENIED, DIFFERS" in out


def test_impact_of_a_narrowed_purpose_lists_exactly_the_decisions_that_flip(
    seeded, capsys, tmp_path
):
    data_dir, ids, _ = seeded
    candidate = narrowed_policy(
        Path(__file__).resolve().parents[2] / "policies/rego", tmp_path / "c"
    )
    bundle = tmp_path / "candidate.tar.gz"
    build_bundle(candidate, bundle)  # the candidate as the council gets it: a bundle
    out_file = tmp_path / "impact.json"
    code, out = run(
        capsys,
        "policy",
        "impact",
        "--revision",
        str(bundle),
        "--since",
        "30d",
        "--data-dir",
        str(data_dir),
        "--out",
        str(out_file),
    )
    assert code == 0, out
    report = json.loads(out_file.read_text())
    assert report["candidate"] == revision_of(candidate)
    assert report["replayed"] == 5  # the one of 60 days ago is outside --since 30d
    [group] = report["changed"]
    assert group["direction"] == "allowed -> denied"
    assert "purpose" in group["rule"] and "[art. 16.2]" in group["rule"]
    assert sorted(d["decision_id"] for d in group["decisions"]) == sorted(ids[n] for n in NARROWED)
    assert report["digest"].startswith("sha256:") and report["digest"] in out
    assert "allowed -> denied:" in out and "2 would change" in out


def test_impact_of_the_revision_that_decided_changes_nothing(seeded, capsys, policy_dir):
    data_dir, _, _ = seeded
    code, out = run(
        capsys, "policy", "impact", "--since", "", "--data-dir", str(data_dir), "--json"
    )
    assert code == 0, out
    report = json.loads(out)
    assert report["candidate"] == revision_of(policy_dir)
    assert (report["replayed"], report["changed"]) == (6, [])


def test_impact_reads_a_services_log_in_its_postgresql_schema(pg_url, policy_dir, capsys, tmp_path):
    import uuid

    from sqlalchemy import text

    schema = f"t_replay_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        engine = admin.execution_options(schema_translate_map={None: schema})
        ids, _ = seed(engine, policy_dir)
        candidate = narrowed_policy(policy_dir, tmp_path / "c")
        code, out = run(
            capsys, "policy", "impact", "--revision", str(candidate), "--log", "disclosure",
            "--service-db", pg_url, "--schema", schema, "--json",
        )  # fmt: skip
        assert code == 0, out
        [group] = json.loads(out)["changed"]
        assert sorted(d["decision_id"] for d in group["decisions"]) == sorted(
            ids[n] for n in NARROWED
        )
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()

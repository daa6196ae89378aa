"""Bundle reproducibility, input schemas, the linter, the test runner and the CLI subcommands."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import time

import cases
import jsonschema
import pytest

from zorgtafel.policy import bundle, cli, lint, schemas, sources, testing


def _copy(policy_dir, tmp_path):
    target = tmp_path / "rego"
    shutil.copytree(policy_dir, target)
    return target


# --- bundle -----------------------------------------------------------------------------------


def test_bundle_is_reproducible(policy_dir, tmp_path):
    first, second = tmp_path / "a.tar.gz", tmp_path / "b.tar.gz"
    revision = bundle.build_bundle(policy_dir, first)
    assert bundle.build_bundle(policy_dir, second) == revision == bundle.revision_of(policy_dir)
    assert first.read_bytes() == second.read_bytes()
    with tarfile.open(first) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile(".manifest"))
    assert manifest == {"revision": revision, "roots": ["zorgtafel"]}
    assert "disclosure/disclosure.rego" in names
    assert not any(n.endswith("_test.rego") for n in names)


def test_bundle_places_data_where_the_engines_do_under_its_root(policy_dir, tmp_path):
    # OPA places a bundle's data by file name and refuses data outside the manifest roots; the
    # embedded engines place it by sources.data_document: both must agree.
    out = tmp_path / "b.tar.gz"
    bundle.build_bundle(policy_dir, out)
    document = sources.data_document(policy_dir)
    with tarfile.open(out) as tar:
        data_names = [n for n in tar.getnames() if n.endswith("data.json")]
        for name in data_names:
            node = document
            for part in name.split("/")[:-1]:
                node = node[part]
            assert json.load(tar.extractfile(name)).items() <= node.items()
    assert "zorgtafel/authz/data.json" in data_names
    assert all(n.startswith("zorgtafel/") for n in data_names)
    assert "method_roles" in document["zorgtafel"]["authz"]


def test_revision_ignores_tests_but_not_rules(policy_dir, tmp_path):
    copy = _copy(policy_dir, tmp_path)
    before = bundle.revision_of(copy)
    (copy / "lib" / "time_test.rego").write_text(
        (copy / "lib" / "time_test.rego").read_text() + "\n# note\n"
    )
    assert bundle.revision_of(copy) == before
    (copy / "lib" / "time.rego").write_text((copy / "lib" / "time.rego").read_text() + "\n# note\n")
    assert bundle.revision_of(copy) != before


def test_engine_revision_is_bundle_revision(embedded, policy_dir):
    assert embedded.revision == bundle.revision_of(policy_dir)


# --- schemas ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "policy,example",
    [
        ("zorgtafel.disclosure", cases.disclosure()),
        (
            "disclosure",
            cases.disclosure(break_glass={"justification": "x", "consulted_colleague": "y"}),
        ),
        (
            "zorgtafel.authz",
            cases.authz("/zorgtafel.intake.v1.IntakeService/Assess", "process_director"),
        ),
        ("zorgtafel.intake.criteria", cases.CRITERIA),
        ("zorgtafel.casework.invite", cases.INVITE),
    ],
)
def test_examples_match_schema(policy, example):
    schemas.validate_input(policy, example)


@pytest.mark.parametrize(
    "policy,example",
    [
        ("zorgtafel.disclosure", cases.disclosure(action="delete")),
        ("zorgtafel.disclosure", {k: v for k, v in cases.disclosure().items() if k != "item"}),
        ("zorgtafel.authz", {"method": "x", "principal": {}}),
        ("zorgtafel.intake.criteria", dict(cases.CRITERIA, life_domains="housing")),
    ],
)
def test_bad_examples_fail_schema(policy, example):
    with pytest.raises(jsonschema.ValidationError):
        schemas.validate_input(policy, example)


def test_unknown_schema():
    with pytest.raises(KeyError):
        schemas.validate_input("zorgtafel.nope", {})


# --- linter and runner ------------------------------------------------------------------------


def test_lint_clean_on_shipped_rules(policy_dir):
    assert lint.lint(policy_dir) == []


def test_lint_finds_problems(tmp_path):
    (tmp_path / "x.rego").write_text(
        "package zorgtafel.x\nimport rego.v1\nunused := 1\ndecision := {}\n"
    )
    (tmp_path / "y.rego").write_text("package zorgtafel.y\n decision := {")
    kinds = {(f.kind, f.file) for f in lint.lint(tmp_path)}
    assert ("missing-test", "x.rego") in kinds
    assert ("missing-citation", "x.rego") in kinds
    assert ("unused-rule", "x.rego") in kinds
    assert ("untested-rule", "x.rego") in kinds
    assert ("syntax", "y.rego") in kinds


def test_runner_reports_failures(tmp_path):
    (tmp_path / "p.rego").write_text(
        "package zorgtafel.p\nimport rego.v1\n# art. 16.2\nallow if input.x == 1\n"
    )
    (tmp_path / "p_test.rego").write_text(
        "package zorgtafel.p_test\nimport rego.v1\n"
        "test_ok if {\n  data.zorgtafel.p.allow with input.x as 1\n}\n"
        "test_bad if {\n  data.zorgtafel.p.allow with input.x as 2\n}\n"
    )
    lines = []
    assert testing.main([str(tmp_path)], out=lines.append) == 1
    assert lines[-1] == "1 passed, 1 failed"
    assert any(line.startswith("FAIL") and "test_bad" in line for line in lines)


@pytest.mark.slow  # every Rego test on both engines: minutes
def test_runner_passes_on_shipped_rules(policy_dir):
    # regopy may not evaluate the largest packages within its cap on a busy machine (see
    # zorgtafel.policy.testing): allowed here as `make policy-test` does, and then named.
    lines = []
    assert testing.main([str(policy_dir), "--allow-regopy-skips"], out=lines.append) == 0, (
        "\n".join(line for line in lines if not line.startswith("PASS"))
    )
    passed = int(lines[-1].split()[0])
    assert passed >= 100 and lines[-1].startswith(f"{passed} passed, 0 failed")
    assert any(line.startswith("ENGINE regopy: evaluated ") for line in lines)


def test_a_package_regopy_did_not_evaluate_makes_the_run_red_unless_allowed(tmp_path):
    """A 1 MB cap: regopy's process is over it at once, so regorus alone decides the test."""
    (tmp_path / "q_test.rego").write_text(
        "package zorgtafel.q_test\nimport rego.v1\ntest_other if {\n  true\n}\n"
    )
    lines = []
    assert testing.main([str(tmp_path), "--regopy-mem-mb", "1"], out=lines.append) == 1
    assert "ENGINE regorus: evaluated 1 of 1 package(s): zorgtafel.q_test" in lines
    assert "ENGINE regopy: evaluated 0 of 1 package(s): none" in lines
    assert any(line.startswith("FAIL  regopy did not evaluate 1 package(s)") for line in lines)
    assert lines[-1] == "1 passed, 0 failed; regopy did not evaluate 1 of 1 package(s)"
    lines = []
    allowed = [str(tmp_path), "--regopy-mem-mb", "1", "--allow-regopy-skips"]
    assert testing.main(allowed, out=lines.append) == 0
    assert lines[-1] == "1 passed, 0 failed; regopy did not evaluate 1 of 1 package(s)"
    assert not any(line.startswith("FAIL") for line in lines)


# --- CLI ----------------------------------------------------------------------------------------


def _run(argv, capsys):
    parser = argparse.ArgumentParser(prog="zorgtafel")
    cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code = args.func(args)
    return code, capsys.readouterr().out


def test_cli_revision_and_bundle(policy_dir, tmp_path, capsys):
    code, out = _run(["policy", "--policy-dir", str(policy_dir), "revision"], capsys)
    assert code == 0 and out.strip() == bundle.revision_of(policy_dir)
    code, out = _run(
        ["policy", "--policy-dir", str(policy_dir), "bundle", "--out", str(tmp_path / "b.tar.gz")],
        capsys,
    )
    assert code == 0 and (tmp_path / "b.tar.gz").exists()


def test_cli_lint(policy_dir, capsys):
    code, out = _run(["policy", "--policy-dir", str(policy_dir), "lint"], capsys)
    assert code == 0 and out.strip().endswith("0 finding(s)")


def test_cli_explain(policy_dir, tmp_path, capsys):
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"input": cases.disclosure(recipient__party=cases.SHELTER)}))
    code, out = _run(
        ["policy", "--policy-dir", str(policy_dir), "explain", "--input", str(path)], capsys
    )
    assert code == 0
    assert "DENIED" in out and "art. 8.4c" in out and "[ ] need to know (art. 8.4c)" in out
    path.write_text(
        json.dumps(cases.authz("/zorgtafel.intake.v1.IntakeService/Assess", "process_director"))
    )
    code, out = _run(
        [
            "policy",
            "--policy-dir",
            str(policy_dir),
            "explain",
            "--input",
            str(path),
            "--policy",
            "authz",
        ],
        capsys,
    )
    assert code == 0 and "ALLOWED" in out


def test_cli_test_subcommand(tmp_path, capsys):
    (tmp_path / "p.rego").write_text(
        "package zorgtafel.p\nimport rego.v1\n# art. 16.2\nallow if input.x == 1\n"
    )
    (tmp_path / "p_test.rego").write_text(
        "package zorgtafel.p_test\nimport rego.v1\ntest_ok if {\n  data.zorgtafel.p.allow with input.x as 1\n}\n"
    )
    code, out = _run(["policy", "--policy-dir", str(tmp_path), "test"], capsys)
    assert code == 0 and out.strip().endswith("1 passed, 0 failed")


def _two_packages(tmp_path):
    (tmp_path / "p.rego").write_text(
        "package zorgtafel.p\nimport rego.v1\n# art. 16.2\nallow if input.x == 1\n"
    )
    (tmp_path / "p_test.rego").write_text(
        "package zorgtafel.p_test\nimport rego.v1\n"
        "test_ok if {\n  data.zorgtafel.p.allow with input.x as 1\n}\n"
        'test_error if {\n  object.get(null, "a", 1) == 1\n}\n'
    )
    (tmp_path / "q_test.rego").write_text(
        "package zorgtafel.q_test\nimport rego.v1\ntest_other if {\n  true\n}\n"
    )
    return tmp_path


def test_runner_filters_by_pattern_and_package(tmp_path):
    directory = _two_packages(tmp_path)
    lines = []
    assert testing.main([str(directory), "--run", "ok$"], out=lines.append) == 0
    assert lines[-1] == "1 passed, 0 failed" and "test_ok" in lines[0]
    lines = []
    assert testing.main([str(directory), "--package", "zorgtafel.q"], out=lines.append) == 0
    assert lines[-1] == "1 passed, 0 failed" and "test_other" in lines[0]


def test_runner_shows_the_error_with_file_and_line(tmp_path):
    lines = []
    code = testing.main([str(_two_packages(tmp_path)), "--run", "test_error"], out=lines.append)
    assert code == 1
    failure = next(line for line in lines if line.startswith("FAIL"))
    assert "p_test.rego:7" in failure and "object.get" in failure


def test_runner_fails_a_test_the_engines_disagree_on(tmp_path):
    # object.union merges nested objects (OPA, regorus); regopy 1.5.2 replaces them.
    (tmp_path / "u_test.rego").write_text(
        "package zorgtafel.u_test\nimport rego.v1\n"
        'test_union_is_deep if {\n  object.union({"a": {"b": 1}}, {"a": {"c": 2}}) == {"a": {"b": 1, "c": 2}}\n}\n'
    )
    lines = []
    assert testing.main([str(tmp_path)], out=lines.append) == 1
    assert "engines disagree: regorus passed, regopy failed" in lines[0]
    assert lines[-1] == "0 passed, 1 failed"


# A test run that starts a package's regopy leg as the runner does, then waits to be killed.
_KILLED_RUN = """
import os, subprocess, sys, time
child = subprocess.Popen(
    [sys.executable, "-m", "zorgtafel.policy.testing", "--child", "zorgtafel.disclosure_test",
     sys.argv[1], str(os.getpid())],
    stdin=subprocess.PIPE,
)
print(child.pid, flush=True)
child.stdin.write(b"test_anything")
child.stdin.close()
time.sleep(600)
"""


def _running(pid: int) -> bool:
    """Alive and not a zombie (an orphan is reaped by whoever adopted it, maybe never here)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_a_regopy_leg_ends_with_the_run_that_started_it(policy_dir):
    """The runner watches a leg's memory and time; a leg outliving a killed run (an interrupted
    CI job) would evaluate on, unwatched: one grew to 12 GB."""
    run = subprocess.Popen(
        [sys.executable, "-c", _KILLED_RUN, str(policy_dir)], stdout=subprocess.PIPE, text=True
    )
    assert run.stdout is not None
    leg = int(run.stdout.readline())
    try:
        run.kill()
        run.wait()
        deadline = time.monotonic() + 60
        while _running(leg) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _running(leg)
    finally:
        if _running(leg):
            os.kill(leg, signal.SIGKILL)

"""``policy check`` and the Regal-kind lint rules: what they find, and that a red check refuses a
bundle in ``policy bundle`` and in governance's adoption (issue #17)."""

from __future__ import annotations

import argparse
import json
import shutil

import pytest
from rule_edits import replace_rule

from zorgtafel.policy import bundle, check, cli, lint

BAD = """package zorgtafel.x
import rego.v1

# art. 16.2
f(a) := a + 1

allow if {
	y := undefined_fn(input.a)
	contans(input.a, "x")
	f(1, 2) == 3
	input.q == 2
}

v := 5

w := input.y

t3 if {
	w == 5 with input.y as v
}

t4 if {
	allow with deny as true
}

deny if {
	z == 1
}
"""


def _copy(policy_dir, tmp_path):
    target = tmp_path / "rego"
    shutil.copytree(policy_dir, target)
    return target


def _with_undefined_function(policy_dir, tmp_path):
    """The shipped policy with one rule that calls a function nobody defined."""
    copy = _copy(policy_dir, tmp_path)
    path = copy / "disclosure" / "disclosure.rego"
    path.write_text(
        path.read_text() + "\nshown_purpose := normalise_purpose(input.purpose)\n",
        encoding="utf-8",
    )
    return copy


def _run(argv, capsys):
    parser = argparse.ArgumentParser(prog="zorgtafel")
    cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code = args.func(args)
    return code, capsys.readouterr().out


def test_shipped_policy_passes_the_strict_check(policy_dir):
    assert check.check(policy_dir) == []


def test_strict_check_finds_what_regopy_and_the_old_lint_let_through(tmp_path):
    (tmp_path / "x.rego").write_text(BAD, encoding="utf-8")
    found = {(f.kind, f.line, f.message.split(":")[0]) for f in check.check(tmp_path)}
    assert ("unknown-function", 8, "unknown function undefined_fn") in found
    assert ("unknown-function", 9, "unknown function contans") in found  # misspelt builtin
    assert any(k == "arity" and line == 10 for k, line, _ in found)
    assert ("unused-local", 8, "y is assigned but never used") in found
    assert any(k == "with-rule-value" and line == 19 for k, line, _ in found)
    assert any(k == "with-target" and line == 23 for k, line, _ in found)
    assert any(k == "compile" and line == 27 for k, line, _ in found)  # `z` is unsafe


def test_each_entry_point_is_evaluated_on_its_schema_example(tmp_path):
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "y.input.schema.json").write_text(
        json.dumps(
            {
                "title": "Input of data.zorgtafel.y.decision",
                "type": "object",
                "required": ["n"],
                "properties": {"n": {"type": "integer"}},
            }
        )
    )
    (tmp_path / "y.rego").write_text(
        "package zorgtafel.y\nimport rego.v1\n# art. 16.2\n"
        'decision := {"allow": input.n > 0} if input.m\n'
    )
    found = check.check(tmp_path)
    assert [(f.kind, f.file) for f in found] == [("entrypoint", "schemas/y.input.schema.json")]
    assert "undefined" in found[0].message


def test_policy_bundle_refuses_a_policy_with_an_undefined_function(policy_dir, tmp_path, capsys):
    broken = _with_undefined_function(policy_dir, tmp_path)
    out = tmp_path / "b.tar.gz"
    code, text = _run(["policy", "--policy-dir", str(broken), "bundle", "--out", str(out)], capsys)
    assert code == 1 and not out.exists()
    assert "unknown function normalise_purpose" in text and "refused" in text


def test_policy_bundle_refuses_a_red_test_suite(policy_dir, tmp_path, capsys):
    copy = _copy(policy_dir, tmp_path)
    path = copy / "disclosure" / "disclosure.rego"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        replace_rule(text, "purpose_permitted", "purpose_permitted if is_string(input.purpose)")
    )
    out = tmp_path / "b.tar.gz"
    code, shown = _run(["policy", "--policy-dir", str(copy), "bundle", "--out", str(out)], capsys)
    assert code == 1 and not out.exists()
    assert "FAIL" in shown and "(policy test)" in shown


def test_adoption_check_refuses_a_bundle_with_an_undefined_function(policy_dir, tmp_path):
    from services.governance.adapters.bundles import bundle_revision, strict_check
    from zorgtafel.kernel.errors import InvalidArgument

    good = tmp_path / "good.tar.gz"
    revision = bundle.build_bundle(policy_dir, good)
    assert check.check_bundle(good.read_bytes(), policy_dir) == []
    assert bundle_revision(good.read_bytes()) == revision

    broken = _with_undefined_function(policy_dir, tmp_path)
    bad = tmp_path / "bad.tar.gz"
    bundle.build_bundle(broken, bad)  # built around the CLI's check, as a careless tool could
    found = check.check_bundle(bad.read_bytes(), policy_dir)
    assert [(f.kind, f.file) for f in found] == [("unknown-function", "disclosure/disclosure.rego")]
    with pytest.raises(check.BundleRefused, match="normalise_purpose"):
        check.refuse_unless_clean(bad.read_bytes(), policy_dir)
    assert bundle_revision(bad.read_bytes())  # well-formed: the strict check refuses it
    with pytest.raises(InvalidArgument) as refused:
        strict_check(bad.read_bytes())
    assert refused.value.violations[0][0] == "bundle"
    assert "normalise_purpose" in refused.value.violations[0][1]
    # AdoptPolicyRevision runs it too: tests/integration/governance/test_governance.py.


def test_cli_check(policy_dir, tmp_path, capsys):
    code, out = _run(["policy", "--policy-dir", str(policy_dir), "check"], capsys)
    assert code == 0 and out.strip().endswith("0 finding(s)")
    (tmp_path / "x.rego").write_text(BAD, encoding="utf-8")
    code, out = _run(["policy", "--policy-dir", str(tmp_path), "check"], capsys)
    assert code == 1 and "x.rego:8: unknown function undefined_fn" in out


# --- the Regal-kind rules -------------------------------------------------------------------

SMELLY = """package zorgtafel.s
import rego.v1

# art. 16.2 TODO: tidy
decision := {"allow": allow}

allow if {
	input.roles[_] == "caseworker"
	input.parties[_] != "x"
	1 == 1
	print(input.a)
}

count := 3

badName if input.a

test_in_rules if true
"""


def test_regal_kind_rules_each_have_a_category_and_a_reason(tmp_path):
    (tmp_path / "s.rego").write_text(SMELLY, encoding="utf-8")
    (tmp_path / "s_test.rego").write_text(
        "package zorgtafel.s_test\nimport rego.v1\n"
        "test_a if data.zorgtafel.s.decision.allow with input as {}\n"
        "test_a if true\n"
    )
    found = {(f.kind, f.file) for f in lint.lint(tmp_path)}
    expected = {
        ("use-in-operator", "s.rego"),
        ("not-equals-in-loop", "s.rego"),
        ("constant-condition", "s.rego"),
        ("print-or-trace-call", "s.rego"),
        ("rule-shadows-builtin", "s.rego"),
        ("prefer-snake-case", "s.rego"),
        ("todo-comment", "s.rego"),
        ("test-outside-test-package", "s.rego"),
        ("identically-named-tests", "s_test.rego"),
    }
    assert expected <= found
    for kind, _ in found:
        category, why = lint.RULES[kind]
        assert category in {"bugs", "idiomatic", "style", "testing"} and why


def test_a_waiver_needs_a_reason(tmp_path):
    (tmp_path / "w.rego").write_text(
        "package zorgtafel.w\nimport rego.v1\n# art. 16.2\n"
        'decision := {"allow": allow}\n'
        "# lint:ignore constant-condition: kept while the council decides (art. 6.6c)\n"
        "allow if 1 == 1\n"
        "# lint:ignore use-in-operator\n"
        'deny if input.r[_] == "x"\n'
    )
    (tmp_path / "w_test.rego").write_text(
        "package zorgtafel.w_test\nimport rego.v1\n"
        "test_a if data.zorgtafel.w.decision.allow\n"
        'test_b if data.zorgtafel.w.deny with input.r as ["x"]\n'
    )
    kinds = [f.kind for f in lint.lint(tmp_path)]
    assert "constant-condition" not in kinds  # waived, with its reason
    assert "use-in-operator" in kinds and "ignore-without-reason" in kinds


def test_cli_lint_lists_its_rules(capsys):
    code, out = _run(["policy", "lint", "--rules"], capsys)
    assert code == 0
    assert "with-rule-value" in out and "identically-named-tests" in out

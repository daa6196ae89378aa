"""The policy owners' safety net in ``make test``: the coverage gate, the mutation gate of the
decision policies, and the issue's proof (#17): a purpose rule that lets through a purpose no
provider allowed does not pass. regorus only: the whole module takes well under two minutes."""

from __future__ import annotations

import shutil

import pytest
from rule_edits import replace_rule

from zorgtafel.policy import coverage, mutation, testing

# "lets through a purpose no provider allowed": any purpose at all, or the request's own word,
# put in place of the purpose rule however it is written (rule_edits).
LOOSENED = [
    "purpose_permitted if is_string(input.purpose)",
    "purpose_permitted if true",
    "purpose_permitted if not input.purpose in terms_purposes",
]


def _loosened(policy_dir, tmp_path, replacement):
    copy = tmp_path / "rego"
    shutil.copytree(policy_dir, copy)
    path = copy / "disclosure" / "disclosure.rego"
    text = path.read_text(encoding="utf-8")
    path.write_text(replace_rule(text, "purpose_permitted", replacement), encoding="utf-8")
    return copy


# --- the gates ------------------------------------------------------------------------------


def test_coverage_of_every_rule_file_is_above_the_gate(policy_dir):
    report = coverage.measure(policy_dir)
    shown = "\n".join(coverage.lines(report, per_rule=True))
    assert report.files and not report.failed_tests, shown
    assert report.below(coverage.DEFAULT_MIN) == [], shown


@pytest.mark.slow  # every mutant of the decision policies through the Rego tests: minutes
def test_mutation_score_of_the_decision_policies_is_above_the_gate(policy_dir):
    result = mutation.run(policy_dir)
    survivors = "\n".join(m.label() for m in result.survived)
    assert result.killed > 500, "too few mutants: did the mutation operators stop matching?"
    assert result.score >= mutation.DEFAULT_MIN, (
        f"mutation score {result.score:.1f}% < {mutation.DEFAULT_MIN}%; survivors:\n{survivors}"
    )


# --- the proof ----------------------------------------------------------------------


@pytest.mark.parametrize("replacement", LOOSENED)
def test_a_purpose_rule_that_lets_any_purpose_through_does_not_pass(
    policy_dir, tmp_path, replacement
):
    loosened = _loosened(policy_dir, tmp_path, replacement)
    results, _ = testing.run_tests(loosened, testing.Options(regopy=False))
    suite_red = any(not r.passed for r in results)
    coverage_red = bool(coverage.measure(loosened).below(coverage.DEFAULT_MIN))
    assert suite_red or coverage_red
    # The suite itself says which decision changed: the purpose test of the disclosure policy.
    assert "test_purpose_not_in_terms_denied" in {r.name for r in results if not r.passed}


def test_every_mutant_of_the_purpose_rule_is_killed(policy_dir):
    result = mutation.run(
        policy_dir,
        files=("disclosure/disclosure.rego",),
        select=lambda m: m.rule == "purpose_permitted",
    )
    assert result.killed >= 2 and result.survived == (), [m.label() for m in result.survived]


# --- the tools on a small policy ------------------------------------------------------------


def _small(tmp_path, tests: str):
    (tmp_path / "authz").mkdir()
    (tmp_path / "authz" / "p.rego").write_text(
        "package zorgtafel.authz\nimport rego.v1\n# art. 16.2\n"
        "default allow := false\n"
        'allow if {\n\tinput.role == "caseworker"\n\tinput.party_status == "active"\n}\n'
        'reason := "unknown role" if not input.role\n'
    )
    (tmp_path / "authz" / "p_test.rego").write_text(
        "package zorgtafel.authz_test\nimport rego.v1\n" + tests
    )
    return tmp_path


def test_a_condition_no_test_depends_on_survives_and_is_reported(tmp_path):
    directory = _small(
        tmp_path,
        "test_allow if data.zorgtafel.authz.allow with input as "
        '{"role": "caseworker", "party_status": "active"}\n',
    )
    result = mutation.run(directory)
    survivors = {(m.line, m.kind) for m in result.survived}
    assert (7, "drop") in survivors  # nothing tests an inactive party: dropping it passes
    assert (6, "flip") not in survivors  # the role is tested: flipping it fails test_allow
    lines = []
    assert mutation.main(directory, minimum=100.0, out=lines.append) == 1
    assert any(line.startswith("SURVIVED  authz/p.rego:7 (allow) drop") for line in lines)
    assert lines[-1].startswith("BELOW  mutation score")


def test_killing_the_survivor_raises_the_score_to_all(tmp_path):
    directory = _small(
        tmp_path,
        "test_allow if data.zorgtafel.authz.allow with input as "
        '{"role": "caseworker", "party_status": "active"}\n'
        "test_inactive if not data.zorgtafel.authz.allow with input as "
        '{"role": "caseworker", "party_status": "withdrawn"}\n'
        "test_other_role if not data.zorgtafel.authz.allow with input as "
        '{"role": "x", "party_status": "active"}\n',
    )
    result = mutation.run(directory, files=("authz/",), select=lambda m: m.line in (6, 7))
    assert result.survived == () and result.score == 100.0


def test_coverage_names_the_rule_and_line_no_test_reaches(tmp_path):
    directory = _small(
        tmp_path,
        "test_allow if data.zorgtafel.authz.allow with input as "
        '{"role": "caseworker", "party_status": "active"}\n',
    )
    report = coverage.measure(directory)
    assert [(r.rule, r.missed) for r in report.rules if r.missed] == [("reason", (9,))]
    lines = []
    assert coverage.main(directory, minimum=95.0, per_rule=True, out=lines.append) == 1
    assert "         reason: not reached at line(s) 9" in lines
    assert any(line.startswith("BELOW  authz/p.rego") for line in lines)


def test_policy_test_reports_coverage_and_holds_it_to_the_gate(tmp_path):
    directory = _small(
        tmp_path,
        "test_allow if data.zorgtafel.authz.allow with input as "
        '{"role": "caseworker", "party_status": "active"}\n',
    )
    lines: list[str] = []
    code = testing.main([str(directory), "--no-regopy", "--coverage"], out=lines.append)
    assert code == 1 and lines[-1] == "1 passed, 0 failed"  # green tests, but a line unreached
    assert "COVER          reason: not reached at line(s) 9" in lines

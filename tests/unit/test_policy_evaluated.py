"""What ``zorgtafel policy test`` says about the packages each engine evaluated: "0 failed" must
not hide that regopy checked nothing (zorgtafel.policy.evaluated)."""

from zorgtafel.policy.evaluated import Evaluated

PACKAGES = ("zorgtafel.a_test", "zorgtafel.b_test", "zorgtafel.c_test")
OVER = "regopy: not evaluated (over the 1800 MB cap of its test leg)"


def _regopy_skipped(*packages: str) -> Evaluated:
    return Evaluated(
        PACKAGES, ("regorus", "regopy"), {"regorus": {}, "regopy": dict.fromkeys(packages, OVER)}
    )


def test_each_engine_names_the_packages_it_evaluated_and_those_it_did_not():
    lines = _regopy_skipped("zorgtafel.b_test").lines()
    assert lines == [
        "ENGINE regorus: evaluated 3 of 3 package(s): "
        "zorgtafel.a_test, zorgtafel.b_test, zorgtafel.c_test",
        "ENGINE regopy: evaluated 2 of 3 package(s): zorgtafel.a_test, zorgtafel.c_test",
        f"ENGINE regopy: did not evaluate zorgtafel.b_test: {OVER}",
    ]


def test_a_package_regopy_left_out_is_a_problem_unless_the_caller_allows_it():
    evaluated = _regopy_skipped("zorgtafel.a_test", "zorgtafel.c_test")
    (problem,) = evaluated.problems(allow_regopy_skips=False)
    assert problem.startswith("FAIL  regopy did not evaluate 2 package(s)")
    assert "zorgtafel.a_test, zorgtafel.c_test" in problem and "--allow-regopy-skips" in problem
    assert evaluated.problems(allow_regopy_skips=True) == []
    assert evaluated.shortfall() == "; regopy did not evaluate 2 of 3 package(s)"


def test_a_package_no_engine_evaluated_is_a_problem_even_when_skips_are_allowed():
    evaluated = Evaluated(
        PACKAGES,
        ("regorus", "regopy"),
        {
            "regorus": {"zorgtafel.c_test": "error: does not parse"},
            "regopy": {"zorgtafel.c_test": OVER},
        },
    )
    assert evaluated.by_none() == ["zorgtafel.c_test"]
    assert evaluated.problems(allow_regopy_skips=True) == [
        "FAIL  zorgtafel.c_test: evaluated by no engine"
    ]
    assert evaluated.shortfall() == (
        "; regorus did not evaluate 1 of 3 package(s); regopy did not evaluate 1 of 3 package(s)"
    )


def test_regorus_alone_when_asked_so_is_said_and_no_problem():
    evaluated = Evaluated(PACKAGES, ("regorus",), {"regorus": {}, "regopy": {}})
    assert evaluated.lines()[-1] == "ENGINE regopy: not run (left out by the caller)"
    assert evaluated.by("regopy") == []
    assert evaluated.problems(allow_regopy_skips=False) == [] and evaluated.shortfall() == ""

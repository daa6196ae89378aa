"""The Rego test runner: every ``test_`` rule in every ``*_test.rego``, via regopy.

Run it as ``python -m zorgtafel.policy.testing [POLICY_DIR]`` or ``zorgtafel policy test``.
It prints one line per test and a last line exactly ``N passed, M failed``; the exit status is
non-zero when a test fails or no test was found.

A test passes only when its rule evaluates to exactly ``true``: regopy reports a rule whose
value is ``false`` as undefined, so "not true" is the only safe reading of a failure.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from zorgtafel.policy import sources

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from regopy import Interpreter

_TEST_RULE = re.compile(r"^(test_\w+)\b", re.MULTILINE)


@dataclass(frozen=True)
class TestResult:
    file: str
    package: str
    name: str
    passed: bool
    detail: str = ""

    def line(self) -> str:
        status = "PASS" if self.passed else "FAIL"
        suffix = f"  ({self.detail})" if self.detail else ""
        return f"{status}  {self.file}: {self.package}.{self.name}{suffix}"


def test_rules(module: sources.Module) -> list[str]:
    """The test rule names of a module, in file order, each once (a rule may have many bodies)."""
    return list(dict.fromkeys(_TEST_RULE.findall(module.text)))


def _interpreter(mods: Iterable[sources.Module], data: dict[str, Any]) -> Interpreter:
    from regopy import Interpreter

    interpreter = Interpreter()
    for module in mods:
        interpreter.add_module(module.name, module.text)
    interpreter.add_data_json(_json(data))
    # Tests supply their own input with `with`; an empty document keeps them independent.
    interpreter.set_input_term("{}")
    return interpreter


def _json(value: Any) -> str:
    import json

    return json.dumps(value, sort_keys=True)


def run_tests(policy_dir: Path, isolate: bool = True) -> list[TestResult]:
    """Run every test package; each in its own process unless ``isolate`` is False.

    Why processes: rego-cpp can crash the interpreter (segfault) on some `with` patterns; a
    crash must fail that package's tests, not take the runner and every other result with it.
    Each package is compiled with all rule modules but only its own test modules.
    """
    mods = sources.modules(policy_dir, tests=True)
    packages = list(dict.fromkeys(m.package for m in mods if m.is_test))
    if not isolate:
        data = sources.data_document(policy_dir)
        return [
            r
            for p in packages
            for r in _run_package(_package_modules(mods, p), data, p, _tests_of(mods, p))
        ]
    return [r for p in packages for r in _run_isolated(policy_dir, p, _tests_of(mods, p))]


def _tests_of(mods: list[sources.Module], package: str) -> list[sources.Module]:
    return [m for m in mods if m.is_test and m.package == package]


def _package_modules(mods: list[sources.Module], package: str) -> list[sources.Module]:
    return [m for m in mods if not m.is_test or m.package == package]


def _run_isolated(
    policy_dir: Path, package: str, in_package: list[sources.Module]
) -> list[TestResult]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    command = [
        sys.executable,
        "-m",
        "zorgtafel.policy.testing",
        "--package",
        package,
        str(policy_dir),
    ]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    results = []
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            results.append(TestResult(**json.loads(line)))
    if done.returncode not in (0, 1) or not results:
        why = (
            f"the evaluator crashed (exit {done.returncode})"
            if done.returncode not in (0, 1)
            else "no result"
        )
        tail = done.stderr.strip().splitlines()[-1:] if done.stderr.strip() else []
        return [
            TestResult(m.name, package, n, False, " ".join([why] + tail)[:300])
            for m in in_package
            for n in test_rules(m)
        ]
    return results


def _child(policy_dir: Path, package: str) -> int:
    mods = sources.modules(policy_dir, tests=True)
    try:
        results = _run_package(
            _package_modules(mods, package),
            sources.data_document(policy_dir),
            package,
            _tests_of(mods, package),
        )
    except Exception as exc:  # noqa: BLE001 - does not compile: every test of the package fails with the error
        results = [
            TestResult(m.name, package, n, False, f"error: {str(exc)[:300]}")
            for m in _tests_of(mods, package)
            for n in test_rules(m)
        ]
    for result in results:
        print(json.dumps(asdict(result)), flush=True)
    return 0 if all(r.passed for r in results) else 1


def _run_package(
    mods: Iterable[sources.Module],
    data: dict[str, Any],
    package: str,
    in_package: list[sources.Module],
) -> list[TestResult]:
    # One query per test package. Why: regopy 1.5.2 compiles per query (seconds for a package
    # full of `with`), and sequential queries on one interpreter that use `with` accumulate state
    # until they hang. Evaluating the package document once avoids both.
    output = _interpreter(mods, data).query(f"data.{package}")
    document = output.results[0].expressions[0] if output.ok() and output.results else None
    results = []
    for module in in_package:
        for name in test_rules(module):
            if isinstance(document, dict):
                passed = document.get(name) is True
                results.append(
                    TestResult(
                        module.name,
                        package,
                        name,
                        passed,
                        "" if passed else "undefined or not true",
                    )
                )
            else:
                # The package as a whole failed (e.g. one rule raised): isolate each test.
                results.append(_run_one(_interpreter(mods, data), module, name))
    return results


def _run_one(interpreter: Interpreter, module: sources.Module, name: str) -> TestResult:
    output = interpreter.query(f"data.{module.package}.{name}")
    if not output.ok():
        return TestResult(
            module.name, module.package, name, False, f"error: {str(output).strip()[:300]}"
        )
    values = [result.expressions[0] for result in output.results if result.expressions]
    if values == [True]:
        return TestResult(module.name, module.package, name, True)
    return TestResult(module.name, module.package, name, False, "undefined or not true")


def summary(results: list[TestResult]) -> str:
    passed = sum(1 for r in results if r.passed)
    return f"{passed} passed, {len(results) - passed} failed"


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--package"]:
        return _child(Path(args[2]) if len(args) > 2 else sources.default_policy_dir(), args[1])
    policy_dir = Path(args[0]) if args else sources.default_policy_dir()
    from zorgtafel.policy.errors import rego_error_text

    try:
        results = run_tests(policy_dir)
    except Exception as exc:  # noqa: BLE001 - unreadable policy dir and the like: report it, do not trace back
        out(f"ERROR  cannot run the policy tests in {policy_dir}: {rego_error_text(exc)}")
        out("0 passed, 1 failed")
        return 1
    for result in results:
        out(result.line())
    out(summary(results))
    return 0 if results and all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

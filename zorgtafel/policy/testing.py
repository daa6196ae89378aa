"""The Rego test runner: every ``test_`` rule in every ``*_test.rego``, through two engines.

Run it as ``zorgtafel policy test [--run PATTERN] [--package PKG]`` (or ``python -m
zorgtafel.policy.testing``). Each test runs on regorus (the Rust engine: fast, and its errors
name file:line, so its message is the one shown) and on regopy (rego-cpp, the engine the services
embed). A test passes only when its rule is exactly ``true`` on both; a test whose outcome differs
between the engines fails as "engines disagree". Before the summary, one ``ENGINE`` line per
engine names the packages it evaluated and one line each those it did not, with why
(``zorgtafel.policy.evaluated``). The last line is ``N passed, M failed``, followed by
``; regopy did not evaluate K of P package(s)`` when an engine left packages out; the exit status
is non-zero when a test fails, none was found, a package was evaluated by no engine, or regopy
left a package out without ``--allow-regopy-skips``.

The regopy leg is expensive: rego-cpp compiles every ``with`` site of a test package against
every input-dependent rule it reaches (a package can take a minute and gigabytes). So each test
package runs in its own process (a crash or a blow-up costs that package only), with only the
modules it needs (``sources.closure``), ``--jobs`` at a time, each capped at ``--regopy-mem-mb``
of resident memory and ``--regopy-timeout`` seconds. The cost is rego-cpp's (1.5.2) ``with``,
not the interpreters, the data or the import order: its compile grows with each ``with`` key and
exponentially with the depth of the input-dependent rules the key reaches (measured: one
``with input.principal`` against casework/view.rego, 2.2 GB and 18 s; two keys, 4.4 GB; the same
rules without ``with``, 31 MB; a chain of rules ``a1 := a0 + 1`` ... over ``input.x``, 70 MB at
15 rules, 1.3 GB at 20, over 3 GB at 40). A package that exceeds its cap is reported ("regopy:
not evaluated"), its tests decided by regorus alone, and the run is red unless the caller allows
that with ``--allow-regopy-skips``.
``--regopy-mem-mb 0`` removes the cap; ``--no-regopy`` skips the leg.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Callable

from zorgtafel.policy import sources
from zorgtafel.policy.evaluated import Evaluated

_TEST_RULE = re.compile(r"^(test_\w+)\b", re.MULTILINE)

DEFAULT_JOBS = 2
DEFAULT_MEM_MB = 1800  # polled every 50 ms: stays under 2 GB
DEFAULT_TIMEOUT_S = 40.0


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


@dataclass(frozen=True)
class Outcome:
    """One engine's answer for one test: passed, or why not (error text, or the value seen)."""

    passed: bool
    detail: str = ""


def test_rules(module: sources.Module) -> list[str]:
    """The test rule names of a module, in file order, each once (a rule may have many bodies)."""
    return list(dict.fromkeys(_TEST_RULE.findall(module.text)))


def _selected(
    mods: list[sources.Module], run: str | None, package: str | None
) -> list[tuple[sources.Module, str]]:
    pattern = re.compile(run) if run else None
    chosen = []
    for module in mods:
        if not module.is_test:
            continue
        if package and not (
            module.package == package
            or module.package == f"{package}_test"
            or module.package.startswith(f"{package}.")
        ):
            continue
        for name in test_rules(module):
            if pattern is None or pattern.search(f"{module.package}.{name}"):
                chosen.append((module, name))
    return chosen


def _error_text(exc: BaseException, limit: int = 600) -> str:
    # regorus appends a Rust stack trace; the message before it names file:line:column.
    text = str(exc).split("Stack backtrace:")[0].strip()
    text = " ".join(line.strip() for line in text.splitlines() if line.strip())
    return text if len(text) <= limit else text[:limit] + " ..."


_REGOPY_ERROR = re.compile(r"\(error \d+:([^|\s]+)\|(\d+)\|\d+\s+\(errormsg \d+:([^)]*)\)")


def regopy_error_text(text: str, limit: int = 400) -> str:
    """regopy's S-expression error as ``file@offset: message`` (it gives byte offsets, not lines)."""
    found = _REGOPY_ERROR.findall(text)
    if found:
        text = "; ".join(f"{file} at byte {offset}: {message}" for file, offset, message in found)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + " ..."


def _seen(value: Any) -> str:
    if value is None:
        return "undefined"
    shown = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return f"value {shown[:300]}"


# --- regorus leg --------------------------------------------------------------------------------


def _regorus_leg(
    policy_dir: Path, mods: list[sources.Module], chosen: list[tuple[sources.Module, str]]
) -> dict[tuple[str, str], Outcome] | str:
    """Every chosen test's outcome, or why none was evaluated (the policy does not load)."""
    os.environ.setdefault("RUST_BACKTRACE", "0")
    import regorus

    engine = regorus.Engine()
    try:
        for module in mods:
            engine.add_policy(module.name, module.text)
        engine.add_data_json(json.dumps(sources.data_document(policy_dir), ensure_ascii=False))
    except Exception as exc:  # noqa: BLE001 - does not parse: every chosen test fails with why
        return f"error: {_error_text(exc)}"
    engine.set_input_json("{}")
    outcomes = {}
    for module, name in chosen:
        try:
            value = engine.eval_rule(f"data.{module.package}.{name}")
        except Exception as exc:  # noqa: BLE001 - an evaluation error fails this test only
            outcomes[(module.package, name)] = Outcome(False, f"error: {_error_text(exc)}")
            continue
        passed = value is True
        outcomes[(module.package, name)] = Outcome(passed, "" if passed else _seen(value))
    return outcomes


# --- regopy leg ---------------------------------------------------------------------------------


def _regopy_package(policy_dir: Path, package: str, names: list[str]) -> dict[str, Outcome]:
    """In the child process: the package's tests on regopy, one query for the package document.

    Why one query: regopy compiles per query (all the package's `with` sites each time), and
    sequential `with` queries on one interpreter accumulate state until they hang.
    """
    from regopy import Interpreter

    mods = sources.modules(policy_dir, tests=True)
    needed = sources.closure(mods, [package])
    interpreter = Interpreter()
    for module in needed:
        interpreter.add_module(module.name, module.text)
    interpreter.add_data_json(json.dumps(sources.data_document(policy_dir), ensure_ascii=False))
    interpreter.set_input_term("{}")
    output = interpreter.query(f"data.{package}")
    if output.ok() and output.results and isinstance(output.results[0].expressions[0], dict):
        document = output.results[0].expressions[0]
        return {
            n: Outcome(
                document.get(n) is True, "" if document.get(n) is True else _seen(document.get(n))
            )
            for n in names
        }
    # The document as a whole failed (one rule raised): each test on its own, for its message.
    outcomes = {}
    for name in names:
        single = interpreter.query(f"data.{package}.{name}")
        if not single.ok():
            outcomes[name] = Outcome(False, f"error: {regopy_error_text(str(single))}")
            continue
        values = [r.expressions[0] for r in single.results if r.expressions]
        outcomes[name] = Outcome(
            values == [True], "" if values == [True] else _seen(values[0] if values else None)
        )
    return outcomes


def _rss_mb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError):
        pass
    return 0


def _regopy_isolated(
    policy_dir: Path, package: str, names: list[str], mem_mb: int, timeout_s: float
) -> dict[str, Outcome] | str:
    """The package's regopy outcomes, or why there are none (crash, memory cap, timeout).

    The cap is on resident memory, watched from here (an address-space rlimit would count the
    allocator's reservations, not what the process uses).
    """
    import time

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    command = [
        sys.executable,
        "-m",
        "zorgtafel.policy.testing",
        "--child",
        package,
        str(policy_dir),
        str(os.getpid()),
    ]
    with subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as child:
        assert child.stdin is not None
        child.stdin.write("\n".join(names))
        child.stdin.close()
        deadline = time.monotonic() + timeout_s
        over = ""
        while child.poll() is None:
            if time.monotonic() > deadline:
                over = f"regopy: not evaluated (over the {timeout_s:g} s budget of its test leg)"
            elif mem_mb > 0 and _rss_mb(child.pid) > mem_mb:
                over = f"regopy: not evaluated (over the {mem_mb} MB cap of its test leg)"
            if over:
                child.kill()
                child.wait()
                return over
            time.sleep(0.05)
        stdout = child.stdout.read() if child.stdout else ""
        stderr = child.stderr.read() if child.stderr else ""
    outcomes = {}
    for line in stdout.splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            outcomes[record["name"]] = Outcome(record["passed"], record["detail"])
    if child.returncode != 0 or set(outcomes) != set(names):
        tail = stderr.strip().splitlines()[-1:] if stderr.strip() else []
        return " ".join([f"regopy: the evaluator failed (exit {child.returncode})"] + tail)[:300]
    return outcomes


def _die_with_parent(parent: int) -> None:
    """The parent watches the child's memory and time: a child whose test run was killed would
    go on unwatched (seen: 12 GB and growing). Linux kills it with its parent (prctl
    PR_SET_PDEATHSIG); a parent already gone before that took effect ends it here."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if parent and os.getppid() != parent:
        os._exit(1)


def _child(policy_dir: Path, package: str, parent: int = 0) -> int:
    _die_with_parent(parent)
    names = [n for n in sys.stdin.read().split() if n]
    try:
        outcomes = _regopy_package(policy_dir, package, names)
    except Exception as exc:  # noqa: BLE001 - does not compile: every test of the package fails with the error
        outcomes = {n: Outcome(False, f"error: {regopy_error_text(str(exc))}") for n in names}
    for name, outcome in outcomes.items():
        print(json.dumps({"name": name, **asdict(outcome)}, ensure_ascii=False), flush=True)
    return 0


# --- both ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    run: str | None = None
    package: str | None = None
    regopy: bool = True
    jobs: int = DEFAULT_JOBS
    regopy_mem_mb: int = DEFAULT_MEM_MB
    regopy_timeout_s: float = DEFAULT_TIMEOUT_S
    coverage: bool = False  # also report the coverage (regorus) and hold it to its gate
    allow_regopy_skips: bool = False  # a package regopy left out does not make the run red


@dataclass(frozen=True)
class Report:
    results: list[TestResult]
    notes: list[str]  # regopy packages that could not be evaluated, and why
    evaluated: Evaluated


def run_tests(
    policy_dir: Path, options: Options | None = None
) -> tuple[list[TestResult], list[str]]:
    """Every chosen test's result, and notes (regopy packages that could not be evaluated)."""
    report = run_suite(policy_dir, options)
    return report.results, report.notes


def run_suite(policy_dir: Path, options: Options | None = None) -> Report:
    """Every chosen test's result, the notes, and which packages each engine evaluated."""
    options = options or Options()
    mods = sources.modules(policy_dir, tests=True)
    chosen = _selected(mods, options.run, options.package)
    loaded = _regorus_leg(policy_dir, mods, chosen)
    primary = (
        loaded
        if isinstance(loaded, dict)
        else {(m.package, n): Outcome(False, loaded) for m, n in chosen}
    )
    by_package: dict[str, list[str]] = {}
    for module, name in chosen:
        by_package.setdefault(module.package, []).append(name)
    secondary: dict[str, dict[str, Outcome] | str] = {}
    if options.regopy and by_package:
        # The most expensive packages first, so the slowest one does not start last.
        order = sorted(by_package, key=lambda p: -len(by_package[p]))
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
            futures = {
                p: pool.submit(
                    _regopy_isolated,
                    policy_dir,
                    p,
                    by_package[p],
                    options.regopy_mem_mb,
                    options.regopy_timeout_s,
                )
                for p in order
            }
            secondary = {p: f.result() for p, f in futures.items()}
    results, notes = [], []
    for package, leg in secondary.items():
        if isinstance(leg, str):
            notes.append(f"NOTE  {package}: {leg}; its tests are decided by regorus alone")
    evaluated = Evaluated(
        packages=tuple(by_package),
        asked=("regorus", "regopy") if options.regopy else ("regorus",),
        skipped={
            "regorus": {} if isinstance(loaded, dict) else {p: loaded for p in by_package},
            "regopy": {p: leg for p, leg in secondary.items() if isinstance(leg, str)},
        },
    )
    for module, name in chosen:
        first = primary[(module.package, name)]
        answers = secondary.get(module.package)
        second = answers.get(name) if isinstance(answers, dict) else None
        result = TestResult(module.name, module.package, name, first.passed, first.detail)
        if second is not None and second.passed != first.passed:
            result = replace(
                result,
                passed=False,
                detail=(
                    "engines disagree: regorus "
                    + ("passed" if first.passed else f"failed ({first.detail})")
                    + ", regopy "
                    + ("passed" if second.passed else f"failed ({second.detail})")
                ),
            )
        results.append(result)
    return Report(results, notes, evaluated)


def summary(results: list[TestResult]) -> str:
    passed = sum(1 for r in results if r.passed)
    return f"{passed} passed, {len(results) - passed} failed"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="zorgtafel policy test", description=__doc__.split("\n")[0])
    add_arguments(p)
    p.add_argument("policy_dir", nargs="?", default=None)
    return p


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--run", default=None, help="only tests whose <package>.<name> matches this regex"
    )
    p.add_argument("--package", default=None, help="only this test package (or its policy package)")
    p.add_argument(
        "--no-regopy", action="store_true", help="regorus only (skip the embedded engine)"
    )
    p.add_argument("--jobs", type=int, default=DEFAULT_JOBS, help="regopy processes at a time")
    p.add_argument(
        "--regopy-mem-mb",
        type=int,
        default=DEFAULT_MEM_MB,
        help="resident memory cap per regopy process, MB (0: none)",
    )
    p.add_argument(
        "--regopy-timeout",
        type=float,
        default=DEFAULT_TIMEOUT_S,
        help="seconds per regopy test package",
    )
    p.add_argument(
        "--allow-regopy-skips",
        action="store_true",
        help="accept packages regopy could not evaluate within its cap or budget (regorus alone "
        "decides them; the summary still names them); without it they make the run red",
    )
    p.add_argument(
        "--coverage",
        action="store_true",
        help="also the line coverage per rule file and rule (fails under policy coverage's gate)",
    )


def options_from(args: argparse.Namespace) -> Options:
    return Options(
        run=args.run,
        package=args.package,
        regopy=not args.no_regopy,
        jobs=args.jobs,
        regopy_mem_mb=args.regopy_mem_mb,
        regopy_timeout_s=args.regopy_timeout,
        coverage=getattr(args, "coverage", False),
        allow_regopy_skips=getattr(args, "allow_regopy_skips", False),
    )


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["--child"]:
        directory = Path(args_list[2]) if len(args_list) > 2 else sources.default_policy_dir()
        parent = int(args_list[3]) if len(args_list) > 3 else 0
        return _child(directory, args_list[1], parent)
    args = parser().parse_args(args_list)
    return run(
        Path(args.policy_dir) if args.policy_dir else sources.default_policy_dir(),
        options_from(args),
        out,
    )


def run(policy_dir: Path, options: Options, out: Callable[[str], None] = print) -> int:
    from zorgtafel.policy.errors import rego_error_text

    try:
        suite = run_suite(policy_dir, options)
    except Exception as exc:  # noqa: BLE001 - unreadable policy dir and the like: report it, do not trace back
        out(f"ERROR  cannot run the policy tests in {policy_dir}: {rego_error_text(exc)}")
        out("0 passed, 1 failed")
        return 1
    results = suite.results
    for result in results:
        out(result.line())
    for note in suite.notes:
        out(note)
    for line in suite.evaluated.lines():
        out(line)
    missing = suite.evaluated.problems(allow_regopy_skips=options.allow_regopy_skips)
    for problem in missing:
        out(problem)
    covered = True
    if options.coverage:
        from zorgtafel.policy import coverage

        report = coverage.measure(policy_dir, options.package)
        for line in coverage.lines(report, per_rule=True):
            out(f"COVER {line}")
        for problem in report.below(coverage.DEFAULT_MIN):
            out(f"BELOW  {problem}")
        covered = not report.below(coverage.DEFAULT_MIN)
    out(summary(results) + suite.evaluated.shortfall())  # the last line, always
    passed = results and covered and not missing and all(r.passed for r in results)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())

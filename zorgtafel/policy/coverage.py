"""``zorgtafel policy coverage``: which lines of the rules the Rego tests reach, per file and rule.

Measured with regorus's coverage API while it runs every ``test_`` rule (the regorus leg of
``policy test``: the same engine and tests, a fraction of a second). A line is a statement of a
rule body the evaluation reached; a line never reached is a condition no test ever looked at, so
a change to it passes the whole suite. Test files are not counted. ``--min`` makes it a gate:
the exit status is non-zero when the total, or any rule file, is below it (``make test`` runs
that gate through tests/policy/test_coverage_and_mutation.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from zorgtafel.policy import check, sources, testing

DEFAULT_MIN = 95.0


@dataclass(frozen=True)
class RuleCoverage:
    file: str
    rule: str
    covered: int
    missed: tuple[int, ...]  # the lines no test reached

    @property
    def total(self) -> int:
        return self.covered + len(self.missed)


@dataclass(frozen=True)
class FileCoverage:
    file: str
    covered: int
    missed: tuple[int, ...]

    @property
    def total(self) -> int:
        return self.covered + len(self.missed)

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / self.total if self.total else 100.0


@dataclass(frozen=True)
class Report:
    files: tuple[FileCoverage, ...]
    rules: tuple[RuleCoverage, ...]
    failed_tests: tuple[str, ...]

    @property
    def percent(self) -> float:
        total = sum(f.total for f in self.files)
        return 100.0 * sum(f.covered for f in self.files) / total if total else 100.0

    def below(self, minimum: float) -> list[str]:
        """What fails the gate: the total or a file under ``minimum``, or a failing test."""
        problems = [f"test failed: {name}" for name in self.failed_tests]
        if self.percent < minimum:
            problems.append(f"total {self.percent:.1f}% < {minimum:g}%")
        problems += [
            f"{f.file} {f.percent:.1f}% < {minimum:g}%" for f in self.files if f.percent < minimum
        ]
        return problems


def _rule_spans(module: check.ModuleAst) -> list[tuple[str, int, int]]:
    """(name, first line, last line) of every rule of a module."""
    spans = []
    data = module.text.encode("utf-8")
    for rule in module.rules():
        name, _, _ = check.rule_head(rule)
        span = check.span_of(next(iter(rule.values())))
        if name and span:
            last = span["line"] + data[span["start"] : span["end"]].count(b"\n")
            spans.append((name, span["line"], last))
    return spans


def measure(policy_dir: Path, package: str | None = None) -> Report:
    """Run the (chosen) tests on regorus with coverage on; the coverage of every rule file."""
    policy_dir = Path(policy_dir)
    mods = sources.modules(policy_dir, tests=True)
    engine = check.new_engine()
    for module in mods:
        engine.add_policy(module.name, module.text)
    engine.add_data_json(json.dumps(sources.data_document(policy_dir), ensure_ascii=False))
    engine.set_enable_coverage(True)
    engine.set_input_json("{}")
    failed = []
    for module, name in testing._selected(mods, None, package):
        try:
            passed = engine.eval_rule(f"data.{module.package}.{name}") is True
        except Exception:  # noqa: BLE001 - an erroring test is a failed test; policy test says why
            passed = False
        if not passed:
            failed.append(f"{module.package}.{name}")
    report = json.loads(engine.get_coverage_report_as_json())
    _, asts, _ = check.parse(mods)
    by_name = {a.name: a for a in asts}
    files, rules = [], []
    for entry in report["files"]:
        name = entry["path"]
        if sources.is_test_file(name) or name not in by_name:
            continue
        if package and not by_name[name].package.startswith(package):
            continue
        covered, missed = set(entry["covered"]), set(entry["not_covered"])
        files.append(FileCoverage(name, len(covered), tuple(sorted(missed))))
        for rule, first, last in _rule_spans(by_name[name]):
            inside = range(first, last + 1)
            hit = len([n for n in inside if n in covered])
            lost = tuple(n for n in inside if n in missed)
            if hit or lost:
                rules.append(RuleCoverage(name, rule, hit, lost))
    return Report(tuple(sorted(files, key=lambda f: f.file)), tuple(rules), tuple(failed))


def lines(report: Report, per_rule: bool = False) -> list[str]:
    out = []
    for f in report.files:
        out.append(f"{f.percent:6.1f}%  {f.covered:4}/{f.total:<4} {f.file}")
        if per_rule:
            for r in (r for r in report.rules if r.file == f.file and r.missed):
                shown = ", ".join(str(n) for n in r.missed[:8])
                out.append(f"         {r.rule}: not reached at line(s) {shown}")
    out.append(f"{report.percent:6.1f}%  total")
    return out


def main(
    policy_dir: Path,
    minimum: float | None = None,
    per_rule: bool = False,
    package: str | None = None,
    out: Callable[[str], None] = print,
) -> int:
    report = measure(policy_dir, package)
    for line in lines(report, per_rule):
        out(line)
    problems = report.below(minimum) if minimum is not None else list(report.failed_tests)
    for problem in problems:
        out(f"BELOW  {problem}")
    return 1 if problems else 0

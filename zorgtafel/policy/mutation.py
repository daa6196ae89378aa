"""``zorgtafel policy mutation``: do the Rego tests notice when a decision rule changes?

Line coverage says a condition was *reached*; a mutant says whether a test *depends* on it. For
each rule body of the decision policies (disclosure, casework, intake, authz, accesslog) a mutant is the
module with one change:

- ``flip``: a comparison negated (``==``/``!=``, ``<``/``>=``, ``>``/``<=``);
- ``negate``: a condition prefixed with ``not`` (or a ``not`` removed);
- ``drop``: a condition replaced by ``true`` (assignments and ``some`` declarations are kept:
  dropping them only makes the body unsafe).

A mutant is *killed* when a test of a package that depends on the mutated one fails (or errors),
*survives* when they all pass, and is *invalid* when it does not compile (not counted). The
score is killed / (killed + survived); every survivor is reported with its line: a change of
that kind to that condition would pass the whole suite. All mutants run in one process on
regorus, each on a clone of an engine that already holds every other module.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from zorgtafel.policy import check, sources, testing

# The decision policies: what a service asks before it shows, releases or lets someone act.
DECISION_DIRS = ("accesslog/", "authz/", "casework/", "disclosure/", "intake/")
DEFAULT_MIN = 69.0  # the score today, 69.5% (README: survivors are the known gap); ratchet up

_FLIP = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}


@dataclass(frozen=True)
class Mutant:
    file: str
    line: int
    kind: str  # flip, negate, drop
    rule: str
    before: str
    after: str
    text: str  # the mutated module

    def label(self) -> str:
        return (
            f"{self.file}:{self.line} ({self.rule}) {self.kind}: {self.before!r} -> {self.after!r}"
        )


@dataclass(frozen=True)
class Result:
    killed: int
    survived: tuple[Mutant, ...]
    invalid: int

    @property
    def score(self) -> float:
        counted = self.killed + len(self.survived)
        return 100.0 * self.killed / counted if counted else 100.0


def _statements(rule: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every statement of every query of a rule (bodies, comprehensions, ``every``)."""
    for node in check.walk(rule):
        if isinstance(node.get("stmts"), list):
            yield from node["stmts"]


_OPERATOR = re.compile(r"==|!=|<=|>=|<|>")


def _end(data: bytes, span: dict[str, int]) -> int:
    """A statement's end, past the closing quote of a string it ends with (regorus's spans
    of strings leave the quotes out)."""
    end = span["end"]
    return end + 1 if data[end : end + 1] in (b'"', b"`") else end


def _edit(text: bytes, start: int, end: int, new: str) -> str:
    return (text[:start] + new.encode("utf-8") + text[end:]).decode("utf-8")


def mutants(module: check.ModuleAst) -> list[Mutant]:
    data = module.text.encode("utf-8")
    found: list[Mutant] = []

    rule_name = ""

    def add(line: int, kind: str, start: int, end: int, new: str) -> None:
        before = data[start:end].decode("utf-8")
        edited = _edit(data, start, end, new)
        found.append(Mutant(module.name, line, kind, rule_name, before[:80], new[:80], edited))

    for rule in module.rules():
        if "Spec" not in rule:
            continue
        rule_name = check.rule_head(rule)[0] or "?"
        for stmt in _statements(rule):
            literal = stmt["literal"]
            kind = next(iter(literal))
            span = stmt["span"]
            if kind == "Expr":
                expr = literal["Expr"]["expr"]
                if "AssignExpr" in expr:
                    continue
                if "BoolExpr" in expr:
                    body = expr["BoolExpr"]
                    lhs, rhs = check.span_of(body["lhs"]), check.span_of(body["rhs"])
                    if lhs and rhs and lhs["end"] <= rhs["start"]:
                        # The gap may hold a string's quotes (spans exclude them) and the op.
                        gap = data[lhs["end"] : rhs["start"]].decode("utf-8")
                        op = _OPERATOR.search(gap)
                        if op:
                            at = lhs["end"] + op.start()
                            add(span["line"], "flip", at, at + len(op.group()), _FLIP[op.group()])
                add(span["line"], "negate", span["start"], span["start"], "not ")
                add(span["line"], "drop", span["start"], _end(data, span), "true")
            elif kind == "NotExpr":
                inner = check.span_of(literal["NotExpr"]["expr"])
                if inner:
                    add(span["line"], "negate", span["start"], inner["start"], "")
                add(span["line"], "drop", span["start"], _end(data, span), "true")
    return found


def _engine_without(mods: list[sources.Module], name: str, data_json: str) -> Any:
    engine = check.new_engine()
    for module in mods:
        if module.name != name:
            engine.add_policy(module.name, module.text)
    engine.add_data_json(data_json)
    engine.set_input_json("{}")
    return engine


def _killed(engine: Any, tests: list[str], first: str | None) -> str | None:
    """The test that fails on this mutant, if one does (``first`` is tried first: the test
    that killed the previous mutant, mostly of the same rule, so most mutants cost one test)."""
    ordered = ([first] if first in tests else []) + [t for t in tests if t != first]
    for query in ordered:
        try:
            if engine.eval_rule(query) is not True:
                return query
        except Exception:  # noqa: BLE001 - an erroring test is a failing test
            return query
    return None


def reach(mods: list[sources.Module], data_json: str) -> dict[tuple[str, int], list[str]]:
    """Which tests reach which line: (file, line) -> the test queries whose evaluation runs it.

    Why: a mutant can only change a test that evaluates its line, so a mutant is run against
    those tests only (a survivor would otherwise cost the whole suite). Also the baseline: a
    test that fails without any mutant raises, or every mutant would count as killed.
    """
    engine = _engine_without(mods, "", data_json)
    engine.set_enable_coverage(True)
    reached: dict[tuple[str, int], list[str]] = {}
    red = []
    for module, name in testing._selected(mods, None, None):
        query = f"data.{module.package}.{name}"
        engine.clear_coverage_data()
        try:
            passed = engine.eval_rule(query) is True
        except Exception:  # noqa: BLE001 - reported below as a failing test
            passed = False
        if not passed:
            red.append(query)
        for entry in json.loads(engine.get_coverage_report_as_json())["files"]:
            for line in entry["covered"]:
                reached.setdefault((entry["path"], line), []).append(query)
    if red:
        raise ValueError(f"tests fail without any mutant ({', '.join(red[:5])}): policy test")
    return reached


def run(
    policy_dir: Path,
    files: tuple[str, ...] = DECISION_DIRS,
    sample: int | None = None,
    seed: int = 17,
    progress: Callable[[str], None] | None = None,
    select: Callable[[Mutant], bool] | None = None,
) -> Result:
    """Every mutant (or a deterministic sample of ``sample``) of the rule files under ``files``."""
    policy_dir = Path(policy_dir)
    mods = sources.modules(policy_dir, tests=True)
    data_json = json.dumps(sources.data_document(policy_dir), ensure_ascii=False)
    _, asts, syntax = check.parse(mods)
    if syntax:
        raise ValueError("the policy does not parse: " + syntax[0].text())
    targets = [
        a for a in asts if not sources.is_test_file(a.name) and a.name.startswith(tuple(files))
    ]
    planned = [(a, m) for a in targets for m in mutants(a) if select is None or select(m)]
    if sample is not None and sample < len(planned):
        planned = random.Random(seed).sample(planned, sample)  # nosec B311 - a reproducible sample of mutants, not a secret
        planned.sort(key=lambda pair: (pair[1].file, pair[1].line))
    reached = reach(mods, data_json)
    killed, invalid, survived = 0, 0, []
    base: dict[str, Any] = {}
    last: str | None = None
    for module, mutant in planned:
        if module.name not in base:
            base = {module.name: _engine_without(mods, module.name, data_json)}
        engine = base[module.name].clone()
        try:
            engine.add_policy(module.name, mutant.text)
            engine.eval_query("true")
        except Exception:  # noqa: BLE001 - a mutant that does not compile is no mutant
            invalid += 1
            continue
        killer = _killed(engine, reached.get((mutant.file, mutant.line), []), last)
        if killer:
            killed, last = killed + 1, killer
        else:
            survived.append(mutant)
            if progress:
                progress(f"SURVIVED  {mutant.label()}")
    return Result(killed, tuple(survived), invalid)


def _relative(policy_dir: Path, name: str) -> str:
    """A file or directory as given on the command line, relative to the policy directory."""
    path = Path(name)
    for candidate in (path, Path.cwd() / path):
        try:
            relative = candidate.resolve().relative_to(Path(policy_dir).resolve()).as_posix()
        except ValueError:
            continue
        return relative + "/" if candidate.is_dir() and relative != "." else relative
    return name


def main(
    policy_dir: Path,
    minimum: float | None = None,
    sample: int | None = None,
    files: tuple[str, ...] = DECISION_DIRS,
    out: Callable[[str], None] = print,
) -> int:
    files = tuple(_relative(policy_dir, f) for f in files)
    result = run(policy_dir, files, sample, progress=out)
    if result.killed + len(result.survived) + result.invalid == 0:
        out(f"no mutants: {', '.join(files)} names no rule file under {policy_dir}")
        return 1
    counted = result.killed + len(result.survived)
    out(
        f"mutation score {result.score:.1f}% ({result.killed} of {counted} killed,"
        f" {len(result.survived)} survived, {result.invalid} did not compile)"
    )
    if minimum is not None and result.score < minimum:
        out(f"BELOW  mutation score {result.score:.1f}% < {minimum:g}%")
        return 1
    return 0

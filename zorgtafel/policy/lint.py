"""The policy linter: syntax, and the house style that keeps rules reviewable.

Findings:
- ``syntax``: a module does not parse/compile (all modules are compiled together).
- ``missing-test``: a rule file has no ``<name>_test.rego`` beside it.
- ``missing-citation``: a rule file cites no covenant article (``art. 16.2``, ``12.2f``, ``Bijlage 2``).
- ``untested-rule``: a rule of a policy package is named by no test of that package's tests.
- ``unused-rule``: a rule is referenced nowhere (neither by another rule nor by a test) and is
  not an entry point (``decision``, ``result``, ``checks``).
The checks above are textual (they predate the AST); the rules below walk regorus's AST
(``check.parse``), and ``lint`` also runs the strict ``check`` (its findings are red here too).

Rules of the kind Regal has, each with its category and the reason it exists (``RULES``;
``zorgtafel policy lint --rules`` lists them). A finding may be waived where it is deliberate, on
its line or the line above, with the reason: ``# lint:ignore <kind>: <why>`` (a waiver without
a reason is itself a finding).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, Callable

from zorgtafel.policy import check, sources
from zorgtafel.policy.check import Finding
from zorgtafel.policy.errors import rego_error_text

CITATION = re.compile(
    r"\b(art\.?\s*\d+(\.\d+)?[a-z]?|artikel\s+\d+|\d+\.\d+[a-h]?\b|Bijlage\s+\d)", re.IGNORECASE
)
_RULE_HEAD = re.compile(
    r"^(?:default\s+)?([a-z_][A-Za-z0-9_]*)\s*(?:\(|\[|:=|=|\bif\b|\bcontains\b|\{)", re.MULTILINE
)
ENTRY_POINTS = {"decision", "result", "checks"}
_KEYWORDS = {
    "package",
    "import",
    "default",
    "else",
    "not",
    "some",
    "every",
    "with",
    "as",
    "in",
    "if",
    "contains",
}


def _strip_comments(text: str) -> str:
    return "\n".join(
        line.split("#", 1)[0] if not line.lstrip().startswith("#") else ""
        for line in text.splitlines()
    )


def rule_names(module: sources.Module) -> list[str]:
    names = _RULE_HEAD.findall(_strip_comments(module.text))
    return [n for n in dict.fromkeys(names) if n not in _KEYWORDS]


def _syntax(policy_dir: Path) -> list[Finding]:
    from regopy import Interpreter

    interpreter = Interpreter()
    findings = []
    for module in sources.modules(policy_dir, tests=True):
        try:
            interpreter.add_module(module.name, module.text)
        except Exception as exc:  # noqa: BLE001 - rego-cpp raises bare errors: each is a finding
            findings.append(Finding("syntax", module.name, rego_error_text(exc, 500)))
    return findings


def _house(policy_dir: Path) -> list[Finding]:
    findings = _syntax(policy_dir)
    mods = sources.modules(policy_dir, tests=True)
    names = {m.name for m in mods}
    tests = [m for m in mods if m.is_test]
    all_text = {m.name: _strip_comments(m.text) for m in mods}
    for module in (m for m in mods if not m.is_test):
        if module.name.removesuffix(".rego") + "_test.rego" not in names:
            findings.append(Finding("missing-test", module.name, "no matching _test.rego"))
        if not CITATION.search(module.text):
            findings.append(
                Finding(
                    "missing-citation",
                    module.name,
                    "cites no covenant article (e.g. art. 16.2, 12.2f, Bijlage 2)",
                )
            )
        own_tests = " ".join(
            all_text[t.name] for t in tests if t.package.startswith(module.package)
        )
        for rule in rule_names(module):
            pattern = re.compile(rf"\b{re.escape(rule)}\b")
            used_elsewhere = sum(len(pattern.findall(text)) for text in all_text.values())
            if rule not in ENTRY_POINTS and used_elsewhere <= 1:
                findings.append(
                    Finding("unused-rule", module.name, f"rule {rule} is never referenced")
                )
            if rule in ENTRY_POINTS and not pattern.search(own_tests):
                findings.append(
                    Finding(
                        "untested-rule",
                        module.name,
                        f"entry point {rule} is not exercised by any test",
                    )
                )
        if not any(t.package.startswith(module.package) for t in tests):
            findings.append(
                Finding("untested-rule", module.name, f"package {module.package} has no tests")
            )
    return findings


# kind -> (category, why the rule exists). Categories as Regal's: bugs, idiomatic, style, testing.
RULES: dict[str, tuple[str, str]] = {
    # the strict check (check.py): red in lint too
    "syntax": ("bugs", "a module that does not parse makes OPA refuse the whole bundle"),
    "compile": ("bugs", "unsafe variables and undefined references make OPA refuse the bundle"),
    "unknown-function": ("bugs", "an undefined or misspelt function fails only when reached"),
    "arity": ("bugs", "a call with the wrong number of arguments fails only when reached"),
    "unused-local": ("bugs", "an unused local is mostly a typo in its later use (OPA strict)"),
    "with-target": ("bugs", "only input and data can be replaced by `with`"),
    "with-rule-value": ("bugs", "regopy ignores `with ... as <rule>`: the test means nothing"),
    "entrypoint": ("bugs", "a query a service asks must answer on a valid input"),
    # house rules (textual)
    "missing-test": ("testing", "every rule file has its tests beside it"),
    "missing-citation": ("style", "every rule cites the covenant article it implements"),
    "untested-rule": ("testing", "an entry point no test exercises can change unnoticed"),
    "unused-rule": ("bugs", "a rule nothing refers to is dead, or a misspelt reference"),
    # Regal's kind (AST)
    "constant-condition": ("bugs", "a comparison of two constants is always true or false"),
    "not-equals-in-loop": (
        "bugs",
        "`x[_] != y` holds when any element differs, not when none equals: use `not y in x`",
    ),
    "rule-shadows-builtin": ("bugs", "a rule named like a builtin hides it in its package"),
    "use-in-operator": ("idiomatic", "`y in x` says membership; `x[_] == y` reads as a loop"),
    "use-assignment-operator": (
        "idiomatic",
        "`=` unifies both ways and hides typos; `:=` assigns and `==` compares",
    ),
    "prefer-snake-case": ("style", "rule and variable names in snake_case, as the covenant's"),
    "line-length": ("style", "code over 160 columns is unreviewable (strings not counted)"),
    "todo-comment": ("style", "open work goes to an issue, not into the adopted rules"),
    "print-or-trace-call": ("testing", "print/trace are debugging left in; OPA logs them"),
    "test-outside-test-package": ("testing", "a test_ rule outside a _test package is shipped"),
    "file-missing-test-suffix": ("testing", "a _test package outside *_test.rego is bundled"),
    "identically-named-tests": (
        "testing",
        "two tests with one name are one rule with two bodies: it passes when either does",
    ),
    "ignore-without-reason": ("style", "a waived finding must say why it is deliberate"),
}

LINE_LIMIT = 160
_BUILTINS = {
    "abs", "all", "any", "array", "base64", "bits", "ceil", "concat", "count", "crypto",
    "endswith", "floor", "format_int", "glob", "graph", "http", "indexof", "intersection",
    "io", "is_array", "is_boolean", "is_null", "is_number", "is_object", "is_set", "is_string",
    "json", "lower", "max", "min", "net", "numbers", "object", "opa", "print", "product",
    "regex", "replace", "round", "semver", "sort", "split", "sprintf", "startswith", "strings",
    "substring", "sum", "time", "to_number", "trace", "trim", "type_name", "union", "units",
    "upper", "urlquery", "uuid", "walk", "yaml",
}  # fmt: skip
_LITERALS = {"Number", "String", "RawString", "Bool", "Null"}
_IGNORE = re.compile(r"#\s*lint:ignore\s+([a-z-]+)\s*:?\s*(.*)$")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|`[^`]*`')


def _kind(node: Any) -> str:
    return next(iter(node)) if isinstance(node, dict) and len(node) == 1 else ""


def _is_wildcard_index(node: Any) -> bool:
    return _kind(node) == "RefBrack" and check.ref_name(node[_kind(node)]["index"]) == "_"


def _regal(asts: list[check.ModuleAst]) -> list[Finding]:
    findings = []
    for module in asts:
        is_test_module = sources.is_test_file(module.name)
        if module.package.endswith("_test") and not is_test_module:
            findings.append(
                Finding("file-missing-test-suffix", module.name, f"package {module.package}")
            )
        tests_seen: dict[str, int] = {}
        for rule in module.rules():
            name, arity, head = check.rule_head(rule)
            line = (check.span_of(head) or {"line": 0})["line"]
            if name and name.startswith("test_"):
                if not module.package.endswith("_test"):
                    findings.append(Finding("test-outside-test-package", module.name, name, line))
                if name in tests_seen:
                    findings.append(
                        Finding(
                            "identically-named-tests",
                            module.name,
                            f"{name} also at line {tests_seen[name]}",
                            line,
                        )
                    )
                tests_seen.setdefault(name, line)
            if name and name.split(".")[0] in _BUILTINS:
                findings.append(Finding("rule-shadows-builtin", module.name, name, line))
            if name and name != name.lower():
                findings.append(Finding("prefer-snake-case", module.name, f"rule {name}", line))
            assign = head.get("assign") if isinstance(head, dict) else None
            if (isinstance(assign, dict) and assign.get("op") == "Eq") or head.get("op") == "Eq":
                findings.append(
                    Finding("use-assignment-operator", module.name, f"{name} = ... in a head", line)
                )
            for node in check.walk(rule):
                kind = _kind(node)
                body: Any = node[kind] if kind else None
                if kind == "BoolExpr":
                    at = body["span"]["line"]
                    sides = (body["lhs"], body["rhs"])
                    if all(_kind(x) in _LITERALS for x in sides):
                        findings.append(
                            Finding("constant-condition", module.name, "two constants compared", at)
                        )
                    if body["op"] == "Ne" and any(_is_wildcard_index(x) for x in sides):
                        findings.append(Finding("not-equals-in-loop", module.name, "x[_] != y", at))
                    if body["op"] == "Eq" and any(_is_wildcard_index(x) for x in sides):
                        findings.append(Finding("use-in-operator", module.name, "x[_] == y", at))
                elif kind == "AssignExpr" and body["op"] == "Eq":
                    findings.append(
                        Finding(
                            "use-assignment-operator",
                            module.name,
                            "`=` in a body",
                            body["span"]["line"],
                        )
                    )
                elif kind == "Call" and str(check.ref_name(body["fcn"])) in ("print", "trace"):
                    findings.append(
                        Finding(
                            "print-or-trace-call",
                            module.name,
                            str(check.ref_name(body["fcn"])),
                            body["span"]["line"],
                        )
                    )
                elif kind == "Var" and body["value"] != body["value"].lower():
                    findings.append(
                        Finding(
                            "prefer-snake-case",
                            module.name,
                            f"variable {body['value']}",
                            body["span"]["line"],
                        )
                    )
        for number, text in enumerate(module.text.splitlines(), start=1):
            comment = text.split("#", 1)[1] if "#" in _STRING.sub('""', text) else ""
            if re.search(r"\b(TODO|FIXME|XXX)\b", comment):
                findings.append(Finding("todo-comment", module.name, comment.strip()[:60], number))
            code = _STRING.sub('""', text).split("#", 1)[0].expandtabs(4).rstrip()
            if len(code) > LINE_LIMIT:
                findings.append(
                    Finding("line-length", module.name, f"{len(code)} > {LINE_LIMIT}", number)
                )
    return findings


def _waived(findings: list[Finding], mods: list[sources.Module]) -> list[Finding]:
    """The findings left after the ``# lint:ignore <kind>: <why>`` waivers (and any waiver
    without a reason, as a finding of its own)."""
    lines = {m.name: m.text.splitlines() for m in mods}
    kept, reasonless = [], []
    for module in mods:
        for number, text in enumerate(lines[module.name], start=1):
            match = _IGNORE.search(text)
            if match and not match.group(2).strip():
                reasonless.append(
                    Finding("ignore-without-reason", module.name, match.group(1), number)
                )
    for finding in findings:
        near = lines.get(finding.file, [])
        waivers = [
            _IGNORE.search(near[n - 1])
            for n in (finding.line, finding.line - 1)
            if finding.line and 0 < n <= len(near)
        ]
        if not any(w and w.group(1) == finding.kind and w.group(2).strip() for w in waivers):
            kept.append(finding)
    return kept + reasonless


def lint(policy_dir: Path) -> list[Finding]:
    """Every finding: the house rules, the strict check and the Regal-kind rules, less waivers."""
    policy_dir = Path(policy_dir)
    findings = _house(policy_dir)
    if any(f.kind == "syntax" for f in findings):
        return findings
    mods = sources.modules(policy_dir, tests=True)
    findings += check.check(policy_dir)
    _, asts, _ = check.parse(mods)
    findings += _regal(asts)
    return _waived(findings, mods)


def rules_text() -> list[str]:
    return [f"{kind:26} {category:10} {why}" for kind, (category, why) in RULES.items()]


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if "--rules" in args:
        for line in rules_text():
            out(line)
        return 0
    policy_dir = Path(args[0]) if args else sources.default_policy_dir()
    findings = lint(policy_dir)
    for finding in findings:
        category = RULES.get(finding.kind, ("bugs", ""))[0]
        out(f"{finding.text()}  [{category}]")
    for kind in dict.fromkeys(f.kind for f in findings):
        out(f"why {kind}: {RULES.get(kind, ('', 'see zorgtafel/policy/lint.py'))[1]}")
    out(f"{len(findings)} finding(s)")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())

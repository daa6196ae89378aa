"""The policy linter: syntax, and the house style that keeps rules reviewable.

Findings:
- ``syntax``: a module does not parse/compile (all modules are compiled together).
- ``missing-test``: a rule file has no ``<name>_test.rego`` beside it.
- ``missing-citation``: a rule file cites no covenant article (``art. 16.2``, ``12.2f``, ``Bijlage 2``).
- ``untested-rule``: a rule of a policy package is named by no test of that package's tests.
- ``unused-rule``: a rule is referenced nowhere (neither by another rule nor by a test) and is
  not an entry point (``decision``, ``result``, ``checks``).
The checks are textual on purpose: regopy exposes no AST walk that is stable across versions.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from zorgtafel.policy import sources
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


@dataclass(frozen=True)
class Finding:
    kind: str
    file: str
    message: str

    def line(self) -> str:
        return f"{self.kind:17} {self.file}: {self.message}"


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


def lint(policy_dir: Path) -> list[Finding]:
    policy_dir = Path(policy_dir)
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


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> int:
    args = sys.argv[1:] if argv is None else argv
    policy_dir = Path(args[0]) if args else sources.default_policy_dir()
    findings = lint(policy_dir)
    for finding in findings:
        out(finding.line())
    out(f"{len(findings)} finding(s)")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())

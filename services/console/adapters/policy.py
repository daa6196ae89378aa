"""The policy as its owners read it: the rules by covenant article, from the Rego sources'
METADATA and each package's reasons, and a decision explained for an input the policy owner
types. No case data is involved: the sources are the console's own copy of ``policies/rego``
(read once at start) and the input is what the person typed; the services' decisions are
never re-run here.

The parsing is ``zorgtafel.policy``'s own: ``sources.modules`` (which files are the policy),
``replay.articles`` (the article references a text cites), ``entrypoints`` (the queries a
service may ask) and ``explain.explain`` (the decision with its facts marked, as
``zorgtafel policy explain --input`` prints it). Only the METADATA block's YAML is read here:
``zorgtafel.policy`` has no reader for it."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from zorgtafel.policy import sources
from zorgtafel.policy.entrypoints import entrypoints
from zorgtafel.policy.errors import PolicyError
from zorgtafel.policy.replay import articles

# A string literal of Rego (a reason is one, or a sprintf template of one).
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
# Where a package states a reason: a set rule of reasons/denials, or a decision's "reasons".
_REASON_LINE = re.compile(r"\b(?:reasons|denials|seat_denials|deny)\b|sprintf\(|:=\s*\{|^\s*\"")


@dataclass(frozen=True)
class Rule:
    """One package's METADATA: what it decides and the articles it encodes."""

    package: str
    file: str
    title: str
    description: str
    articles: tuple[str, ...]


@dataclass(frozen=True)
class Reason:
    package: str
    text: str  # "%v" left as "…": the facts are filled in at decision time
    articles: tuple[str, ...]


@dataclass(frozen=True)
class Article:
    ref: str
    rules: tuple[Rule, ...]
    reasons: tuple[Reason, ...]


def _metadata(text: str) -> dict[str, Any]:
    """The YAML of the module's ``# METADATA`` comment block ({} when it has none)."""
    lines = text.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == "# METADATA")
    except StopIteration:
        return {}
    body = []
    for line in lines[start + 1 :]:
        if not line.startswith("#"):
            break
        body.append(line[2:] if line.startswith("# ") else line[1:])
    try:
        doc = yaml.safe_load("\n".join(body))
    except yaml.YAMLError:
        return {}
    return doc if isinstance(doc, dict) else {}


def _reasons(package: str, text: str) -> list[Reason]:
    found = []
    for line in text.splitlines():
        if line.lstrip().startswith("#") or not _REASON_LINE.search(line):
            continue
        for literal in _STRING.findall(line):
            cited = articles(literal)
            # A reason is a sentence that cites the covenant; keys and codes are not.
            if cited and " " in literal and len(literal) > 30:
                shown = literal.replace("%v", "…").replace('\\"', '"')
                found.append(Reason(package, shown, tuple(cited)))
    return found


def _article_key(ref: str) -> tuple[int, list[int | str]]:
    if ref.startswith("art."):
        parts = re.findall(r"\d+|[a-z]", ref.removeprefix("art."))
        return (0, [int(p) if p.isdigit() else p for p in parts])
    return (1, [ref])


class PolicyBook:
    """The rules by article, read once; the engine for explaining, compiled on first use."""

    def __init__(self, policy_dir: Path | None = None) -> None:
        self.policy_dir = Path(policy_dir or sources.default_policy_dir())
        self._by_article: list[Article] | None = None
        self._engine: Any = None
        self._lock = threading.Lock()

    def rules(self) -> list[Rule]:
        out = []
        for module in sources.modules(self.policy_dir):
            meta = _metadata(module.text)
            if not meta:
                continue
            custom = meta.get("custom") or {}
            cited = (
                [str(a) for a in (custom.get("articles") or [])] if isinstance(custom, dict) else []
            )
            out.append(
                Rule(
                    module.package,
                    module.name,
                    str(meta.get("title", "")),
                    " ".join(str(meta.get("description", "")).split()),
                    tuple(cited),
                )
            )
        return out

    def by_article(self) -> list[Article]:
        """Every article a rule's METADATA or a reason cites, in the covenant's order, with the
        rules that encode it and the reasons that cite it."""
        with self._lock:
            if self._by_article is not None:
                return self._by_article
        rules = self.rules()
        reasons: list[Reason] = []
        for module in sources.modules(self.policy_dir):
            reasons += _reasons(module.package, module.text)
        reasons = list({(r.package, r.text): r for r in reasons}.values())
        refs = {a for r in rules for a in r.articles} | {a for r in reasons for a in r.articles}
        table = [
            Article(
                ref,
                tuple(r for r in rules if ref in r.articles),
                tuple(r for r in reasons if ref in r.articles),
            )
            for ref in sorted(refs, key=_article_key)
        ]
        with self._lock:
            self._by_article = table
        return table

    def policies(self) -> list[str]:
        """The decision entrypoints a service asks (the ones ``explain`` can explain)."""
        return [e.package for e in entrypoints(self.policy_dir) if e.rule == "decision"]

    def explain(self, policy: str, document: str) -> str:
        """``zorgtafel policy explain --input`` for a typed input. Raises ``ValueError`` with a
        message fit to show when the input is not JSON or the policy is not one of ours."""
        if policy not in self.policies():
            raise ValueError("unknown policy")
        try:
            value = json.loads(document)
        except ValueError as exc:
            raise ValueError(f"not JSON: {exc.msg} (line {exc.lineno})") from None
        # An input may be the bare input or {"input": ...} as posted to OPA (as the CLI takes).
        if isinstance(value, dict) and set(value) == {"input"}:
            value = value["input"]
        if not isinstance(value, dict):
            raise ValueError("the input must be a JSON object")
        from zorgtafel.policy.explain import explain

        try:
            return explain(self._engine_once(), policy, value)
        except PolicyError as exc:
            raise ValueError(str(exc)[:300]) from None

    def _engine_once(self) -> Any:
        # Compiled on the first explanation, not at start: most people never ask for one, and
        # the console stays small (one worker, one interpreter per package).
        with self._lock:
            if self._engine is None:
                from zorgtafel.policy.embedded import EmbeddedEngine

                self._engine = EmbeddedEngine(self.policy_dir, timeout_s=5.0, workers=1)
            return self._engine

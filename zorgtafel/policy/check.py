"""``zorgtafel policy check``: compile every module strictly and evaluate every entry point.

Why this exists: rego-cpp (the embedded engine) compiles lazily, per query, and reports nothing
about a rule no query reaches; OPA, in contrast, refuses a whole bundle that does not compile,
keeps the old one, and the sidecar never reports the new revision. So a bundle must be proven to
compile *before* it is built or adopted. The check runs on regorus (its parser gives the AST with
spans, its scheduler finds unsafe variables) plus checks of our own where regorus is lenient:

- ``syntax``: a module does not parse (regorus, with file:line).
- ``compile``: the whole program does not compile (unsafe variables, undefined rules, ...);
  regorus stops at the first such error.
- ``unknown-function``: a call to a function that is neither a builtin nor defined by a rule.
- ``arity``: a call with another number of arguments than the function takes (Rego's old
  "last argument is the output" form included: regorus and OPA's strict mode refuse it).
- ``unused-local``: a local assigned with ``:=`` or declared with ``some`` is never used (OPA's
  strict mode refuses these: a typo in a later use silently makes a new variable).
- ``with-target``: ``with`` replaces something that is not under ``input`` or ``data``.
- ``with-rule-value``: ``with ... as <rule>``: the embedded engine (regopy 1.5.2) ignores the
  replacement when its value is a rule, so a test would pass on regorus and mean nothing in
  production.
- ``entrypoint``: a decision entry point (one per input schema) does not evaluate to a defined
  value of the right shape on its schema's example (``examples[0]``, else a minimal valid input
  built from the schema).

``check_bundle(bytes)`` runs the same checks on an OPA bundle, for ``policy bundle`` and for
governance's adoption: a red check refuses the bundle.
"""

from __future__ import annotations

import io
import json
import os
import re
import tarfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from zorgtafel.policy import sources
from zorgtafel.policy.entrypoints import entrypoints


@dataclass(frozen=True)
class Finding:
    kind: str
    file: str
    message: str
    line: int = 0

    def text(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{self.kind:17} {where}: {self.message}"


class BundleRefused(ValueError):
    """A bundle whose strict check is red (the message lists the first findings)."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        shown = "; ".join(f.text() for f in findings[:5])
        more = f" (+{len(findings) - 5} more)" if len(findings) > 5 else ""
        super().__init__(f"the policy does not pass the strict check: {shown}{more}")


def regorus_error(exc: BaseException, limit: int = 400) -> str:
    """regorus's message without its Rust stack trace, on one line (it names file:line:col)."""
    text = str(exc).split("Stack backtrace:")[0].strip()
    text = " ".join(line.strip() for line in text.splitlines() if line.strip())
    return text if len(text) <= limit else text[:limit] + " ..."


def new_engine() -> Any:
    os.environ.setdefault("RUST_BACKTRACE", "0")  # the backtrace would bury the message
    import regorus

    return regorus.Engine()


# --- the AST --------------------------------------------------------------------------------


def is_span(node: Any) -> bool:
    return isinstance(node, dict) and {"line", "start", "end"} <= set(node) and "col" in node


def walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every dict node of a regorus AST (depth first, parents before children)."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def span_of(node: Any) -> dict[str, int] | None:
    """The span of an AST node: ``{"Var": {"span": ...}}`` and ``{"span": ...}`` alike."""
    if isinstance(node, dict):
        if "span" in node and is_span(node["span"]):
            span: dict[str, int] = node["span"]
            return span
        if len(node) == 1:
            return span_of(next(iter(node.values())))
    return None


def ref_name(node: Any) -> str | None:
    """``a.b.c`` for a Var/RefDot chain (``None`` for anything with a ``[...]`` in it)."""
    if not isinstance(node, dict) or len(node) != 1:
        return None
    kind, body = next(iter(node.items()))
    if kind == "Var":
        return str(body["value"])
    if kind == "RefDot":
        base = ref_name(body["refr"])
        return None if base is None else f"{base}.{body['field'][1]}"
    return None


def head_name(node: Any) -> str | None:
    """The rule name a head ref defines: ``o`` for ``o[k]``, ``a.b`` for ``a.b contains ...``."""
    if not isinstance(node, dict) or len(node) != 1:
        return None
    kind, body = next(iter(node.items()))
    if kind == "RefBrack":
        return head_name(body["refr"])
    return ref_name(node)


@dataclass
class ModuleAst:
    name: str
    package: str
    text: str
    ast: dict[str, Any]
    aliases: dict[str, str] = field(default_factory=dict)  # import alias -> data path

    def at(self, span: dict[str, int]) -> str:
        return self.text.encode("utf-8")[span["start"] : span["end"]].decode("utf-8", "replace")

    def rules(self) -> list[dict[str, Any]]:
        return list(self.ast.get("rules", []))


def rule_head(rule: dict[str, Any]) -> tuple[str | None, int | None, dict[str, Any]]:
    """(name, function arity or None, head node) of a ``Spec`` or ``Default`` rule."""
    if "Default" in rule:
        return ref_name(rule["Default"]["refr"]), None, rule["Default"]
    head = rule["Spec"]["head"]
    kind, body = next(iter(head.items()))
    if kind == "Func":
        return head_name(body["refr"]), len(body["args"]), body
    return head_name(body["refr"]), None, body


def parse(mods: list[sources.Module]) -> tuple[Any, list[ModuleAst], list[Finding]]:
    """One regorus engine with every module that parses, their ASTs, and the syntax findings."""
    engine = new_engine()
    findings = []
    for module in mods:
        try:
            engine.add_policy(module.name, module.text)
        except Exception as exc:  # noqa: BLE001 - a module that does not parse is a finding
            findings.append(Finding("syntax", module.name, regorus_error(exc)))
    texts = {m.name: m for m in mods}
    asts = []
    for entry in json.loads(engine.get_ast_as_json()):
        name = entry["source"]["file"]
        module = texts[name]
        parsed = ModuleAst(name, module.package, module.text, entry["ast"])
        for imp in parsed.ast.get("imports", []):
            path = ref_name(imp["refr"]) or ""
            if not path.startswith("data."):
                continue
            alias = parsed.at(imp["as"]) if is_span(imp.get("as")) else path.rsplit(".", 1)[-1]
            parsed.aliases[alias] = path.removeprefix("data.")
        asts.append(parsed)
    return engine, asts, findings


# --- strict checks --------------------------------------------------------------------------

_PROBED: dict[tuple[str, int], str] = {}


def builtin_problem(name: str, arity: int) -> str:
    """Why ``name`` with ``arity`` arguments is no builtin call ("" when it is one).

    Asked of regorus itself (once per name and arity, per process): it knows its builtins and
    their arity; null arguments make a type error at worst, which means the call exists.
    """
    key = (name, arity)
    if key not in _PROBED:
        engine = new_engine()
        args = ", ".join(["null"] * arity)
        try:
            engine.add_policy("probe.rego", f"package probe\nr := {name}({args})\n")
            engine.eval_rule("data.probe.r")
            _PROBED[key] = ""
        except Exception as exc:  # noqa: BLE001 - the message says which problem it is
            text = regorus_error(exc)
            if "could not find function" in text:
                _PROBED[key] = f"unknown function {name}"
            elif re.search(r"expects \d+ argument", text):
                _PROBED[key] = f"{name} called with {arity} argument(s): " + text.split(
                    "error:", 1
                )[-1].strip().strip("`")
            else:
                _PROBED[key] = ""
    return _PROBED[key]


def _functions(asts: list[ModuleAst]) -> tuple[dict[str, set[int]], set[str]]:
    """Every user function (``pkg.name`` -> arities) and every rule path (``pkg.name``)."""
    functions: dict[str, set[int]] = {}
    rules: set[str] = set()
    for module in asts:
        for rule in module.rules():
            name, arity, _ = rule_head(rule)
            if name is None:
                continue
            rules.add(f"{module.package}.{name}")
            if arity is not None:
                functions.setdefault(f"{module.package}.{name}", set()).add(arity)
    return functions, rules


def _resolve(module: ModuleAst, name: str, rules: set[str]) -> str | None:
    """The data path a called name means, or None for a builtin."""
    first, _, rest = name.partition(".")
    if first == "data":
        return rest
    if first in module.aliases:
        return module.aliases[first] + (f".{rest}" if rest else "")
    if f"{module.package}.{first}" in rules:
        return f"{module.package}.{name}"
    return None


def _locals(query: dict[str, Any], module: ModuleAst) -> Iterator[tuple[str, dict[str, int]]]:
    """The variables a query (and its nested queries) declares with ``:=`` or ``some``."""
    for node in walk(query):
        if "AssignExpr" in node and node["AssignExpr"].get("op") == "ColEq":
            for var in walk(node["AssignExpr"]["lhs"]):
                if "Var" in var:
                    yield var["Var"]["value"], var["Var"]["span"]
        elif "SomeVars" in node:
            for span in node["SomeVars"].get("vars", []):
                if is_span(span):
                    yield module.at(span), span
        elif "SomeIn" in node:
            for part in ("key", "value"):
                target = node["SomeIn"].get(part)
                for var in walk(target) if target else []:
                    if "Var" in var:
                        yield var["Var"]["value"], var["Var"]["span"]


def _var_uses(node: Any) -> dict[str, int]:
    uses: dict[str, int] = {}
    for item in walk(node):
        if "Var" in item and isinstance(item["Var"], dict) and "value" in item["Var"]:
            uses[item["Var"]["value"]] = uses.get(item["Var"]["value"], 0) + 1
    return uses


def strict(asts: list[ModuleAst]) -> list[Finding]:
    """The checks regorus does not make (or makes only when a query reaches the rule)."""
    functions, rules = _functions(asts)
    findings: list[Finding] = []
    for module in asts:
        for rule in module.rules():
            # Calls: a user function with the arity it is defined with, or a known builtin.
            for node in walk(rule):
                if "Call" not in node:
                    continue
                call = node["Call"]
                name = ref_name(call["fcn"])
                line = call["span"]["line"]
                if name is None:
                    continue
                arity = len(call["params"])
                target = _resolve(module, name, rules)
                if target is None:
                    problem = builtin_problem(name, arity)
                    if problem:
                        kind = (
                            "arity" if problem.startswith(name + " called") else "unknown-function"
                        )
                        findings.append(Finding(kind, module.name, problem, line))
                elif target not in functions:
                    what = "a rule, not a function" if target in rules else "defined nowhere"
                    findings.append(
                        Finding("unknown-function", module.name, f"{name}: {what}", line)
                    )
                elif arity not in functions[target]:
                    findings.append(
                        Finding(
                            "arity",
                            module.name,
                            f"{name} takes {sorted(functions[target])} argument(s), called with {arity}",
                            line,
                        )
                    )
            # with: the target under input/data; the value no rule (regopy ignores that).
            own_locals = {
                name
                for body in rule.get("Spec", {}).get("bodies", [])
                for name, _ in _locals(body["query"], module)
            }
            for node in walk(rule):
                for mod in node.get("with_mods", []) if isinstance(node, dict) else []:
                    target_name = ref_name(mod["refr"]) or ""
                    line = (span_of(mod["refr"]) or {"line": 0})["line"]
                    if target_name.split(".")[0] not in ("input", "data"):
                        findings.append(
                            Finding(
                                "with-target",
                                module.name,
                                f"with {target_name or '<ref>'}: only input and data can be replaced",
                                line,
                            )
                        )
                    for var in walk(mod["as"]):
                        value = ref_name(var) if ("Var" in var or "RefDot" in var) else None
                        if value is None:
                            continue
                        path = _resolve(module, value, rules)
                        if value in own_locals:
                            continue
                        if path in rules and path not in functions:
                            findings.append(
                                Finding(
                                    "with-rule-value",
                                    module.name,
                                    f"with ... as {value}: the embedded engine ignores a rule as"
                                    " the replacement value; bind it to a local first",
                                    line,
                                )
                            )
                            break
            # Locals that are declared and never used (per rule: its head and all its bodies).
            if "Spec" in rule:
                uses = _var_uses(rule)
                for body in rule["Spec"]["bodies"]:
                    for name, span in _locals(body["query"], module):
                        if name != "_" and not name.startswith("_") and uses.get(name, 0) <= 1:
                            findings.append(
                                Finding(
                                    "unused-local",
                                    module.name,
                                    f"{name} is assigned but never used",
                                    span["line"],
                                )
                            )
    return findings


def compile_program(engine: Any) -> list[Finding]:
    """regorus's own analysis of the whole program (unsafe variables, undefined references)."""
    try:
        engine.set_input_json("{}")
        engine.eval_query("true")
    except Exception as exc:  # noqa: BLE001 - the first compile error of the program
        text = regorus_error(exc)
        where = text.split("-->", 1)[-1].split()[0] if "-->" in text else ""
        file, _, rest = where.partition(":")
        line = int(rest.split(":")[0]) if rest.split(":")[0].isdigit() else 0
        return [Finding("compile", file or "<program>", text.split("error:", 1)[-1].strip(), line)]
    return []


# --- entry points on their schema's example -------------------------------------------------


def example_of(schema: dict[str, Any]) -> Any:
    """The schema's own example, else a minimal instance: required properties only, the first
    enum/const/alternative, empty arrays (a schema with ``minItems`` gets that many items)."""
    if schema.get("examples"):
        return schema["examples"][0]
    return _minimal(schema, schema, 0)


def _minimal(node: dict[str, Any], root: dict[str, Any], depth: int) -> Any:
    if depth > 20:
        return None
    if "$ref" in node:
        target: Any = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return _minimal(target, root, depth + 1)
    if "const" in node:
        return node["const"]
    if node.get("enum"):
        return node["enum"][0]
    for key in ("oneOf", "anyOf", "allOf"):
        if node.get(key):
            return _minimal(node[key][0], root, depth + 1)
    kind = node.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), kind[0] if kind else None)
    if kind == "object" or "properties" in node:
        props = node.get("properties", {})
        return {k: _minimal(props.get(k, {}), root, depth + 1) for k in node.get("required", [])}
    if kind == "array":
        item = node.get("items", {})
        return [_minimal(item, root, depth + 1) for _ in range(int(node.get("minItems", 0)))]
    if kind == "string":
        if node.get("format") == "date-time":
            return "2025-06-01T12:00:00Z"
        return "x" * int(node.get("minLength", 1))
    if kind in ("integer", "number"):
        return node.get("minimum", 0)
    if kind == "boolean":
        return False
    return None


def evaluate_entrypoints(engine: Any, schema_dir: Path) -> list[Finding]:
    """Each entry point, on its schema's example: defined, no error, a decision's shape."""
    import jsonschema

    findings: list[Finding] = []
    if not (schema_dir / "schemas").is_dir():
        return findings
    for entry in entrypoints(schema_dir):
        schema = json.loads((schema_dir / "schemas" / entry.schema).read_text(encoding="utf-8"))
        where = f"schemas/{entry.schema}"
        example = example_of(schema)
        try:
            jsonschema.validate(example, schema)
        except jsonschema.ValidationError as exc:
            findings.append(
                Finding(
                    "entrypoint",
                    where,
                    f"no valid example to evaluate {entry.query} on ({exc.message[:120]});"
                    ' add "examples" to the schema',
                )
            )
            continue
        try:
            engine.set_input_json(json.dumps(example, ensure_ascii=False))
            value = engine.eval_rule(entry.query)
        except Exception as exc:  # noqa: BLE001 - an evaluation error is the finding
            findings.append(Finding("entrypoint", where, f"{entry.query}: {regorus_error(exc)}"))
            continue
        if value is None:
            findings.append(Finding("entrypoint", where, f"{entry.query} is undefined"))
        elif entry.rule == "decision" and not (
            isinstance(value, dict) and isinstance(value.get("allow"), bool)
        ):
            findings.append(
                Finding("entrypoint", where, f"{entry.query} is no decision (no boolean allow)")
            )
    return findings


# --- the whole check ------------------------------------------------------------------------


def production_syntax(mods: list[sources.Module]) -> list[Finding]:
    """The modules regopy (the embedded engine, rego-cpp) cannot parse: its parser is not
    regorus's, and a bundle the services cannot load is as bad as one OPA refuses."""
    try:
        from regopy import Interpreter
    except ImportError:  # pragma: no cover - regopy is a runtime dependency
        return []
    findings = []
    interpreter = Interpreter()
    for module in mods:
        try:
            interpreter.add_module(module.name, module.text)
        except Exception as exc:  # noqa: BLE001 - rego-cpp raises bare errors: each is a finding
            findings.append(
                Finding("syntax", module.name, "regopy: " + " ".join(str(exc).split())[:400])
            )
    return findings


def check_program(
    mods: list[sources.Module], data: dict[str, Any], schema_dir: Path | None
) -> list[Finding]:
    engine, asts, findings = parse(mods)
    findings += production_syntax(mods)
    if findings:
        return findings  # the rest would only repeat that a module is missing
    findings += strict(asts)
    compiled = compile_program(engine)
    findings += compiled
    if not compiled and schema_dir is not None:
        engine.add_data_json(json.dumps(data, ensure_ascii=False))
        findings += evaluate_entrypoints(engine, schema_dir)
    return findings


def check(policy_dir: Path, *, tests: bool = True) -> list[Finding]:
    """The strict check of a policy directory (its test modules too, unless ``tests=False``)."""
    policy_dir = Path(policy_dir)
    mods = sources.modules(policy_dir, tests=tests)
    return check_program(mods, sources.data_document(policy_dir), policy_dir)


def bundle_program(bundle: bytes) -> tuple[list[sources.Module], dict[str, Any]]:
    """The modules and the data document of an OPA bundle, read in memory (never extracted)."""
    mods: list[sources.Module] = []
    data: dict[str, Any] = {}
    with tarfile.open(fileobj=io.BytesIO(bundle), mode="r:gz") as tar:
        for member in tar.getmembers():
            name = member.name.lstrip("/").removeprefix("./")
            if not member.isfile():
                continue
            handle = tar.extractfile(member)
            content = handle.read() if handle else b""
            if name.endswith(".rego"):
                text = content.decode("utf-8")
                mods.append(sources.Module(name, sources.package_of(text), text))
            elif name == "data.json" or name.endswith("/data.json"):
                node = data
                for part in name.split("/")[:-1]:
                    node = node.setdefault(part, {})
                node.update(json.loads(content.decode("utf-8")))
    return sorted(mods, key=lambda m: m.name), data


def check_bundle(bundle: bytes, schema_dir: Path | None = None) -> list[Finding]:
    """The strict check of an OPA bundle, evaluated against the entry points of ``schema_dir``
    (default: the schemas this release's services query, when installed beside it)."""
    try:
        import regorus  # noqa: F401 - only: is the engine of the check installed?
    except ImportError:
        # Fail closed: a bundle adopted unchecked may be one OPA refuses (see the module doc).
        why = "the strict check needs gordon-to-regorus, which is not installed here"
        return [Finding("check-unavailable", "<bundle>", why)]
    try:
        mods, data = bundle_program(bundle)
    except (tarfile.TarError, OSError, EOFError, ValueError, UnicodeDecodeError) as exc:
        return [Finding("syntax", "<bundle>", f"not a readable OPA bundle: {exc}")]
    if schema_dir is None:
        default = sources.default_policy_dir()
        schema_dir = default if (default / "schemas").is_dir() else None
    return check_program(mods, data, schema_dir)


def refuse_unless_clean(bundle: bytes, schema_dir: Path | None = None) -> None:
    """For adoption: raise ``BundleRefused`` when the bundle's strict check is red."""
    findings = check_bundle(bundle, schema_dir)
    if findings:
        raise BundleRefused(findings)


def main(policy_dir: Path, out: Callable[[str], None] = print) -> int:
    findings = check(policy_dir)
    for finding in findings:
        out(finding.text())
    out(f"{len(findings)} finding(s)")
    return 1 if findings else 0

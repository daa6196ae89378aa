"""Where the policy sources are, and which of them are rules, tests and data.

One place decides this so that the engines, the bundle builder, the test runner and the linter
agree on what "the policy" is.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

ENV_POLICY_DIR = "ZORGTAFEL_POLICY_DIR"

_PACKAGE = re.compile(r"^\s*package\s+([A-Za-z_][\w.]*)", re.MULTILINE)


@dataclass(frozen=True)
class Module:
    """One Rego file: its path relative to the policy dir, its package and its text."""

    name: str
    package: str
    text: str

    @property
    def is_test(self) -> bool:
        return is_test_file(self.name)


def default_policy_dir() -> Path:
    """``policies/rego`` next to the package, unless ``ZORGTAFEL_POLICY_DIR`` says otherwise."""
    override = os.environ.get(ENV_POLICY_DIR)
    if override:
        return Path(override)
    import zorgtafel

    return Path(zorgtafel.__file__).resolve().parent.parent / "policies" / "rego"


def is_test_file(name: str) -> bool:
    return name.endswith("_test.rego")


def package_of(text: str) -> str:
    match = _PACKAGE.search(text)
    return match.group(1) if match else ""


def _rego_paths(policy_dir: Path) -> list[Path]:
    # Sorted by relative POSIX path: the order is part of the bundle revision.
    return sorted(policy_dir.rglob("*.rego"), key=lambda p: p.relative_to(policy_dir).as_posix())


def modules(policy_dir: Path, *, tests: bool = False) -> list[Module]:
    """The rule modules (and, with ``tests=True``, the test modules too)."""
    found = []
    for path in _rego_paths(policy_dir):
        name = path.relative_to(policy_dir).as_posix()
        if is_test_file(name) and not tests:
            continue
        text = path.read_text(encoding="utf-8")
        found.append(Module(name=name, package=package_of(text), text=text))
    return found


# Every package and every data document lives under this root (the bundle's manifest root).
DATA_ROOT = "zorgtafel"


def data_files(policy_dir: Path) -> list[Path]:
    """``data.json`` files beside the rules (``schemas/`` holds JSON Schemas, not data)."""
    paths = [
        p for p in policy_dir.rglob("data.json") if "schemas" not in p.relative_to(policy_dir).parts
    ]
    return sorted(paths, key=lambda p: p.relative_to(policy_dir).as_posix())


def data_path(policy_dir: Path, path: Path) -> tuple[str, ...]:
    """Where a data file's document lives: ``a/b/data.json`` is ``data.zorgtafel.a.b``.

    Why under the root: the directory ``a/b`` holds the package ``zorgtafel.a.b``, so its data
    sits beside its rules (``authz/data.json`` is ``data.zorgtafel.authz.<key>``), and an OPA
    bundle whose manifest roots are ``["zorgtafel"]`` admits no data outside ``data.zorgtafel``.
    """
    return (DATA_ROOT, *Path(path).relative_to(policy_dir).parent.parts)


def data_bundle_name(policy_dir: Path, path: Path) -> str:
    """The data file's name inside an OPA bundle, which OPA maps to ``data_path``."""
    return "/".join(data_path(policy_dir, path) + ("data.json",))


def data_document(policy_dir: Path) -> dict[str, Any]:
    """All data files merged into one base document, each at its ``data_path``."""
    document: dict[str, Any] = {}
    for path in data_files(policy_dir):
        node = document
        for part in data_path(policy_dir, path):
            node = node.setdefault(part, {})
        node.update(json.loads(path.read_text(encoding="utf-8")))
    return document


def merge(base: Mapping[str, Any], extra: Mapping[str, Any] | None) -> dict[str, Any]:
    """Deep-merge ``extra`` into a copy of ``base`` (runtime data beside the bundle's data)."""
    merged = dict(base)
    for key, value in (extra or {}).items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


_DATA_REF = re.compile(r"\bdata\.([A-Za-z_][\w.]*)")


def closure(mods: list[Module], packages: list[str]) -> list[Module]:
    """The modules of ``packages`` and of every package they refer to (``data.<pkg>...``).

    Why: rego-cpp compiles every module of an interpreter on each query build, so an interpreter
    that holds only what its package needs compiles faster and is smaller.
    """
    known = {m.package for m in mods}
    wanted: set[str] = set()
    stack = list(packages)
    while stack:
        package = stack.pop()
        if package in wanted:
            continue
        wanted.add(package)
        for module in mods:
            if module.package != package:
                continue
            for ref in _DATA_REF.findall(module.text):
                parts = ref.split(".")
                for end in range(len(parts), 0, -1):
                    candidate = ".".join(parts[:end])
                    if candidate in known:
                        stack.append(candidate)
                        break
    return [m for m in mods if m.package in wanted]


# String literals ("..." with escapes, `...` raw) and comments: their words are not references.
_NOT_CODE = re.compile(r'"(?:\\.|[^"\\\n])*"|`[^`]*`|#[^\n]*')
# ``data`` not followed at once by a dot (``data[x]``, ``x := data``, ``data .x``): all of it is
# readable (a spaced path would escape the path pattern; erring toward keeping is safe).
_WHOLE_DATA = re.compile(r"\bdata\b(?!\.)")


def readable_data(document: Mapping[str, Any], mods: list[Module]) -> dict[str, Any]:
    """The part of the data document ``mods`` can read: the subtree at each ``data.<path>``
    their code names (a path the document does not hold reads nothing from it; a path past a
    value reads that value) and at each of their packages' own paths; all of it when the code
    names ``data`` as a whole.

    Why: rego-cpp holds the data document in every interpreter twice (added, then in each
    compiled query); an interpreter per package that carried all of it cost every service
    1-2 MB per package (issue #16). Over-inclusive by construction: a path named in any way the
    regex sees is kept, and the differential engine test (all data, regorus) would show a rule
    that read something left out.
    """
    paths: set[tuple[str, ...]] = set()
    for module in mods:
        code = _NOT_CODE.sub(" ", module.text)
        if _WHOLE_DATA.search(code):
            return dict(document)
        paths.add(tuple(module.package.split(".")))
        paths.update(tuple(ref.rstrip(".").split(".")) for ref in _DATA_REF.findall(code))
    held: set[tuple[str, ...]] = set()
    for path in paths:
        node: Any = document
        prefix: tuple[str, ...] = ()
        for part in path:
            if not isinstance(node, Mapping):
                break  # past a value (``...roles.x`` of a string): the value is what is read
            if part not in node:
                prefix = ()  # the document holds nothing there (a package of rules, say)
                break
            node = node[part]
            prefix = (*prefix, part)
        if prefix:
            held.add(prefix)
    readable: dict[str, Any] = {}
    for path in held:
        if any(path[:end] in held for end in range(1, len(path))):
            continue  # a shorter path holds all of it already
        node = document
        target = readable
        for part in path[:-1]:
            node = node[part]
            target = target.setdefault(part, {})  # fresh dicts: the document is never changed
        target[path[-1]] = node[path[-1]]
    return readable

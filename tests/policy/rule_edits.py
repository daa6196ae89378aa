"""One rule of a policy module changed by its name, not by its text: the tests that loosen or
narrow a rule of a copy of the policies find it however it is
written, so a rewrite of the rule that keeps its decisions (issue #16: fewer builtin calls) does
not have to rewrite them too. Rules are as ``opa fmt`` writes them: each definition starts at the
line's start with its name, its body and else-chain indented or closed by a line starting
with ``}``."""

from __future__ import annotations

import re


def _definitions(lines: list[str], name: str) -> list[range]:
    """The line ranges (0-based) of every definition of ``name`` but its default."""
    head = re.compile(rf"^{re.escape(name)}\b(?!\.)")
    found = []
    at = 0
    while at < len(lines):
        if not head.match(lines[at]):
            at += 1
            continue
        start, depth = at, 0
        while True:
            depth += lines[at].count("{") - lines[at].count("}")
            at += 1
            if depth <= 0 and (at >= len(lines) or not lines[at].startswith("}")):
                break
        found.append(range(start, at))
    assert found, f"no rule {name}"
    return found


def replace_rule(text: str, name: str, *definitions: str) -> str:
    """``text`` with the definitions of ``name`` (not its default) replaced by ``definitions``."""
    lines = text.splitlines()
    drop = {n for r in _definitions(lines, name) for n in r}
    kept = [line for n, line in enumerate(lines) if n not in drop]
    return "\n".join(kept + ["", *definitions, ""])


def narrow_rule(text: str, name: str, condition: str) -> str:
    """``text`` where the boolean rule ``name`` holds only where it held and ``condition`` holds:
    the rule as written is renamed, its default too, and ``name`` defined over it."""
    written = f"{name}_as_written"
    renamed = re.sub(rf"^(default )?{re.escape(name)}\b", rf"\g<1>{written}", text, flags=re.M)
    return (
        renamed.rstrip("\n")
        + f"\n\ndefault {name} := false\n\n{name} if {{\n\t{written}\n\t{condition}\n}}\n"
    )

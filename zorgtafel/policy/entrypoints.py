"""Every decision entrypoint of the policy: ``(package, rule)`` pairs, read from the input schemas.

Each ``schemas/<name>.input.schema.json`` titles itself "Input of data.<package>.<rule>": that is
the list of queries a service may ask, so the embedded engine compiles exactly these at start and
the differential test generates inputs for each. One source, so a new policy with a schema is
compiled and tested without a second list to keep in step.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

_TITLE = re.compile(r"\bdata\.((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*)\.([A-Za-z_]\w*)\b")


@dataclass(frozen=True)
class Entrypoint:
    package: str  # e.g. "zorgtafel.casework.view"
    rule: str  # "decision" (allow/reasons/obligations) or "result" (a raw document)
    schema: str  # the schema file name, e.g. "casework.view.input.schema.json"

    @property
    def query(self) -> str:
        return f"data.{self.package}.{self.rule}"


def entrypoints(policy_dir: Path) -> list[Entrypoint]:
    """The entrypoints named by the schemas in ``policy_dir/schemas`` (none when there are none)."""
    found = []
    for path in sorted((Path(policy_dir) / "schemas").glob("*.input.schema.json")):
        title = json.loads(path.read_text(encoding="utf-8")).get("title", "")
        match = _TITLE.search(title)
        if match is None:
            raise ValueError(f"{path.name}: the title does not name its query (data.<pkg>.<rule>)")
        found.append(Entrypoint(match.group(1), match.group(2), path.name))
    return found

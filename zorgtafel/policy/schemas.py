"""JSON Schemas of each policy's ``input`` (policies/rego/schemas/<policy>.input.schema.json).

Services test the inputs they build against these, so a renamed fact fails a test instead of
silently becoming a deny.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from zorgtafel.policy import sources


def schema_name(policy: str) -> str:
    """``"zorgtafel.casework.invite"`` or ``"casework.invite"`` -> ``"casework.invite"``."""
    return policy.removeprefix("zorgtafel.")


@lru_cache(maxsize=None)
def _load(path: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return schema


def load_schema(policy: str, policy_dir: Path | None = None) -> dict[str, Any]:
    directory = Path(policy_dir) if policy_dir else sources.default_policy_dir()
    path = directory / "schemas" / f"{schema_name(policy)}.input.schema.json"
    if not path.is_file():
        raise KeyError(f"no input schema for policy {policy!r} at {path}")
    return _load(str(path))


def validate_input(policy: str, input: Mapping[str, Any], policy_dir: Path | None = None) -> None:
    """Raise ``jsonschema.ValidationError`` when ``input`` does not match the policy's schema."""
    import jsonschema

    schema = load_schema(policy, policy_dir)
    jsonschema.validate(instance=input, schema=schema, format_checker=jsonschema.FormatChecker())

"""The decision input as an access-log record keeps it (issue #17): enough to explain and replay
a past decision, nothing the log may not hold.

Policy inputs are facts the services gather: identifiers, codes, pseudonyms, party statuses,
times, flags and the subject's age. Free text is the exception: the break-glass justification
and the account of how the client was informed (Bijlage 3) are the requester's own words and
may name a person. They are kept only as their digest (``sha256:...``), so the record still
proves which text was decided on while the text stays in disclosure's sealed review. A blank text stays blank: the policy refuses a blank justification,
and a digest in its place would turn that refusal into a grant on replay.

As a fail-safe against free text a later input adds without this list being told, any string
longer than ``MAX_PLAIN`` characters (longer than every identifier column) is digested too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from zorgtafel.policy.decision import canonical_json, digest_of

# Free-text fields per policy package, as paths of object keys.
FREE_TEXT: Mapping[str, tuple[tuple[str, ...], ...]] = {
    # The override's account (Bijlage 3): why, and what the client was told. The consulted
    # colleague is a validated pseudonymous person id, kept as it is.
    "zorgtafel.disclosure": (
        ("break_glass", "justification"),
        ("break_glass", "client_informed"),
    ),
}
MAX_PLAIN = 256


def _digested(text: str) -> str:
    return digest_of(text) if text.strip() else ""


def _bounded(value: Any) -> Any:
    if isinstance(value, str):
        return digest_of(value) if len(value) > MAX_PLAIN else value
    if isinstance(value, Mapping):
        return {k: _bounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_bounded(v) for v in value]
    return value


def _replace(node: Any, path: tuple[str, ...]) -> None:
    for key in path[:-1]:
        if not isinstance(node, dict):
            return
        node = node.get(key)
    if isinstance(node, dict) and isinstance(node.get(path[-1]), str):
        node[path[-1]] = _digested(node[path[-1]])


def pseudonymous(policy: str, input: Any) -> Any:
    """``input`` with the policy's free text, and any overlong string, replaced by digests."""
    return _digested_in(policy, json.loads(canonical_json(input)))  # a copy in JSON's types


def _digested_in(policy: str, value: Any) -> Any:
    """``pseudonymous`` on a value of its own (parsed JSON), changed where it stands."""
    for path in FREE_TEXT.get(policy, ()):
        _replace(value, path)
    return _bounded(value)


def recorded_input(policy: str, input_json: str) -> str:
    """What a record's ``decision_input`` holds for a decision of ``policy`` on ``input_json``
    (its canonical JSON): ``{"input": ..., "policy": ...}``; "" when there is nothing to keep."""
    if not policy or not input_json:
        return ""
    # Parsed here, so already a copy of its own: digested where it stands.
    return canonical_json({"policy": policy, "input": _digested_in(policy, json.loads(input_json))})


def of_decision(decision: Any) -> str:
    """The record's ``decision_input`` for a ``zorgtafel.policy.decision.Decision`` (or "")."""
    if decision is None:
        return ""
    return recorded_input(
        str(getattr(decision, "policy", "") or ""), str(getattr(decision, "input_json", "") or "")
    )


def parse(decision_input: str) -> tuple[str, dict[str, Any]] | None:
    """(policy, input) of a stored ``decision_input``; None when the record kept none."""
    if not decision_input:
        return None
    doc = json.loads(decision_input)
    if not isinstance(doc, dict) or not isinstance(doc.get("input"), dict):
        return None
    return str(doc.get("policy", "")), doc["input"]

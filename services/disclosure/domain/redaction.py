"""Redaction of the provider's summary-only fields (art. 16.2): pure Python, no I/O.

A summary-only field is withheld wherever it occurs: a JSON object key at any depth (inside
objects and arrays) that names the field in any letter case (Unicode casefold) has its whole
value replaced by the provider's summary for that field, or by a fixed placeholder. Every
redacted occurrence is reported as a path (``diagnosis``, ``contact.Address``,
``contacts[0].address``, ``a["odd.key"]``), so a top-level field reads as its key, as it
always did.

A key that differs from a field only by Unicode compatibility form, invisible characters or
surrounding whitespace ("ａｄｄｒｅｓｓ", "address\u200b", " address ") is ambiguous: did the
provider mean the field? ``check_redactable`` refuses such content at Provide, so the provider
spells the key as the field is named. At release (content provided before these rules, or
terms changed since) such a key is redacted as well: over-withholding is the safe side.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from zorgtafel.kernel import validate
from zorgtafel.kernel.errors import InvalidArgument

JSON_TYPE = "application/json"  # the one media type whose fields can be redacted
REDACTED = "[summary only]"
# The nesting Provide accepts (and the redaction walks): beyond it, content is refused.
MAX_DEPTH = validate.MAX_JSON_DEPTH

# Default-ignorable code points outside category Cf (which is dropped as a whole): they render
# as nothing, so a key carrying them looks like the field it is not.
_IGNORABLE = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0\U000e0100-\U000e01ef]"
)
# A key shown bare in a path; anything else is quoted as a JSON string, so a path is unambiguous.
_BARE_KEY = re.compile(r"[^\s.\[\]\"'\\]+")


def fold(name: str) -> str:
    """The key as this service compares it to a summary-only field: any letter case."""
    return name.casefold()


def loose(name: str) -> str:
    """The key with case, Unicode compatibility forms, invisible characters and surrounding
    whitespace taken out (Unicode's compatibility caseless match, D146, plus ignorables)."""
    text = unicodedata.normalize("NFD", name).casefold()
    text = unicodedata.normalize("NFKD", text).casefold()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc"))
    return _IGNORABLE.sub("", text).strip()


@dataclass(frozen=True)
class SummaryOnly:
    """The summary-only fields of a set of terms, indexed for matching keys."""

    by_fold: Mapping[str, tuple[str, ...]]
    by_loose: Mapping[str, tuple[str, ...]]

    @classmethod
    def of(cls, fields: Iterable[str]) -> "SummaryOnly":
        by_fold: dict[str, list[str]] = {}
        by_loose: dict[str, list[str]] = {}
        for name in sorted(set(fields)):
            by_fold.setdefault(fold(name), []).append(name)
            by_loose.setdefault(loose(name), []).append(name)
        return cls(
            {k: tuple(v) for k, v in by_fold.items()}, {k: tuple(v) for k, v in by_loose.items()}
        )

    def __bool__(self) -> bool:
        return bool(self.by_fold)

    def matches(self, key: str) -> tuple[str, ...]:
        """The fields ``key`` names, in any case or Unicode form (empty: none)."""
        return self.by_fold.get(fold(key), ()) or self.by_loose.get(loose(key), ())

    def is_near_miss(self, key: str) -> bool:
        """True when ``key`` is a field only up to Unicode form or whitespace."""
        return fold(key) not in self.by_fold and loose(key) in self.by_loose


def same_field(a: str, b: str) -> bool:
    """Whether two summary-only field names would withhold the same keys."""
    return fold(a) == fold(b) or loose(a) == loose(b)


def path_of(parent: str, key: str) -> str:
    if _BARE_KEY.fullmatch(key) and key.isprintable():
        return f"{parent}.{key}" if parent else key
    return f"{parent}[{json.dumps(key)}]"


def _summary(names: tuple[str, ...], summaries: Mapping[str, str]) -> str:
    # Several names can match one key only in terms stored before names had to differ in
    # more than case; their summaries are used only when they agree.
    given = {summaries[n] for n in names if n in summaries}
    return given.pop() if len(given) == 1 else REDACTED


def _children(node: Any, path: str) -> list[tuple[str | None, str, Any]]:
    """(key or None for an array element, path, value) of an object's or array's members."""
    if isinstance(node, dict):
        return [(key, path_of(path, key), node[key]) for key in sorted(node)]
    if isinstance(node, list):
        return [(None, f"{path}[{i}]", value) for i, value in enumerate(node)]
    return []


def redact_document(
    doc: Any, fields: Iterable[str], summaries: Mapping[str, str]
) -> tuple[Any, list[str]]:
    """A copy of ``doc`` with every summary-only field, at any depth and in any case, replaced
    by its summary or ``REDACTED``, and the paths so replaced (in document order, keys sorted).
    ``ValueError`` beyond ``MAX_DEPTH``: nothing is released that was not walked."""
    terms = SummaryOnly.of(fields)
    paths: list[str] = []

    def walk(node: Any, path: str, depth: int) -> Any:
        if isinstance(node, (dict, list)) and depth > MAX_DEPTH:
            raise ValueError("content nests deeper than redaction walks")
        if isinstance(node, dict):
            out: dict[str, Any] = {}
            for key, child_path, value in _children(node, path):
                names = terms.matches(key)
                if names:
                    out[key] = _summary(names, summaries)
                    paths.append(child_path)
                else:
                    out[key] = walk(value, child_path, depth + 1)
            return out
        if isinstance(node, list):
            return [walk(value, p, depth + 1) for _, p, value in _children(node, path)]
        return node

    return walk(doc, "", 1), paths


def check_redactable(doc: Any, fields: Iterable[str]) -> None:
    """Provide's check that the terms can hold for ``doc``: INVALID_ARGUMENT naming
    ``content`` (never echoing it) for a key that is a summary-only field only up to Unicode
    form or whitespace, or for nesting beyond ``MAX_DEPTH``. Keys inside a withheld field are
    not looked at: they are never released."""
    terms = SummaryOnly.of(fields)
    if not terms:
        return
    stack: list[tuple[Any, str, int]] = [(doc, "", 1)]
    while stack:
        node, path, depth = stack.pop()
        if isinstance(node, (dict, list)) and depth > MAX_DEPTH:
            raise InvalidArgument("content", f"JSON nests deeper than {MAX_DEPTH} levels")
        for key, child_path, value in _children(node, path):
            if key is not None and terms.is_near_miss(key):
                raise InvalidArgument(
                    "content",
                    "a key differs from a summary-only field only by Unicode form, invisible "
                    "characters or surrounding whitespace: spell it as the field is named",
                )
            if key is None or not terms.matches(key):
                stack.append((value, child_path, depth + 1))


def redact(
    content: bytes, content_type: str, fields: Iterable[str], summaries: Mapping[str, str]
) -> tuple[bytes, list[str]]:
    """Apply a ``redact`` obligation to stored content: the released bytes and the redacted
    paths. Fails closed (raises) for content whose fields cannot be found: not JSON, not an
    object or array, or nested too deep."""
    fields = sorted(set(fields))
    if not fields:
        return content, []
    if content_type != JSON_TYPE:
        raise ValueError("cannot redact non-JSON content")
    doc = validate.parse_json(content, "content", max_depth=MAX_DEPTH)
    if not isinstance(doc, (dict, list)):
        raise ValueError("cannot redact a JSON value that is neither an object nor an array")
    out, paths = redact_document(doc, fields, summaries)
    return json.dumps(out, ensure_ascii=False, sort_keys=True).encode(), paths

"""Field checks every service shares: INVALID_ARGUMENT naming the field, patterns matched whole.

Pure Python (``re``, ``unicodedata``) so that domain code may use them. Every pattern is applied
with ``fullmatch``: ``re.match`` with ``$`` lets a trailing newline through.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date

from zorgtafel.kernel.errors import InvalidArgument

OIN = re.compile(r"[0-9]{20}")
ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
CODE = re.compile(r"[a-z][a-z0-9_]{0,63}")
PERSON = re.compile(r"[A-Za-z0-9._:@-]{1,128}")
PSEUDONYM = re.compile(r"[A-Za-z0-9._:-]{1,128}")
REFERENCE = re.compile(r"[A-Za-z0-9._:/#-]{1,200}")
HEX32 = re.compile(r"[0-9a-f]{32}")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Bidi marks (left-to-right, right-to-left, Arabic letter: U+200E, U+200F, U+061C), embeddings,
# overrides (U+202A-U+202E) and isolates (U+2066-U+2069): they turn how a text is shown around
# (a mark reorders the digits and punctuation beside it), so a name or an account reads
# otherwise in the console than it is stored. Text in a right-to-left script needs none of them.
BIDI_CONTROLS = frozenset(
    map(chr, (0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)))
)
MAX_LIST = 100
MAX_TEXT = 20_000


def check_pattern(value: str, field: str, pattern: re.Pattern[str], what: str) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise InvalidArgument(field, what)
    return value


def check_oin(value: str, field: str = "party_id") -> str:
    return check_pattern(value, field, OIN, "must be a 20-digit OIN")


def check_id(
    value: str,
    field: str,
    pattern: re.Pattern[str] = ID,
    what: str = "required: 1-64 characters of [A-Za-z0-9._:-]",
) -> str:
    return check_pattern(value, field, pattern, what)


def check_prefixed_id(value: str, field: str, prefix: str, what: str) -> str:
    """An id this suite made: ``<prefix>`` and 32 hex digits (``itm-``, ``sr-``, ``dec-``...)."""
    if (
        not isinstance(value, str)
        or not value.startswith(prefix)
        or not HEX32.fullmatch(value[len(prefix) :])
    ):
        raise InvalidArgument(field, what)
    return value


def check_code(value: str, field: str, *, required: bool = True) -> str:
    if not value and not required:
        return ""
    return check_pattern(
        value,
        field,
        CODE,
        "must be a code: lower case letters, digits and _ (1-64, starting with a letter)",
    )


def check_person(value: str, field: str = "person") -> str:
    return check_pattern(
        value, field, PERSON, "must be a person id of [A-Za-z0-9._:@-], at most 128 characters"
    )


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def person_key(person: str) -> str:
    """A person id as a policy's input may carry it to be compared with ``==``: its ASCII
    letters lowered, nothing else (as regopy's lower: a person id is ASCII, and what is not
    stays what it was, so the policy's pattern still refuses it)."""
    return person.translate(_ASCII_LOWER)


def same_person(a: str, b: str) -> bool:
    """Whether two person ids name one person: ids of [A-Za-z0-9._:@-] (``check_person``, the
    token's subject), compared without surrounding white space and without case, so that
    "Person-3" is person-3 (a width variant is no person id: refused by the pattern)."""
    return a.strip().casefold() == b.strip().casefold()


def check_worded(value: str, field: str, why: str, *, limit: int = MAX_TEXT) -> str:
    """Free text someone must be able to read back as an account (a reason, how a client was
    told): stripped, and holding a letter or digit; a dot, a dash, a zero-width space or an
    emoji only fills the field (a policy's blank check trims white space only). ``why`` is
    the message of the refusal, naming what is required."""
    text = check_text(value, field, limit=limit, strip=True)
    if not any(ch.isalnum() for ch in text):
        raise InvalidArgument(field, why)
    return text


def check_pseudonym(value: str, field: str = "subject_pseudonym") -> str:
    return check_pattern(value, field, PSEUDONYM, "required: a pseudonym of [A-Za-z0-9._:-]")


def check_reference(value: str, field: str = "document_ref") -> str:
    return check_pattern(
        value,
        field,
        REFERENCE,
        "required: a document reference of [A-Za-z0-9._:/#-], at most 200 characters",
    )


def check_text(
    value: str, field: str, *, limit: int = MAX_TEXT, required: bool = True, strip: bool = False
) -> str:
    """Free text: bounded, no control characters but newline and tab, no bidi mark,
    embedding, override or isolate (``BIDI_CONTROLS``), required unless said."""
    text = value if isinstance(value, str) else ""
    if strip:
        text = text.strip()
    if required and not text.strip():
        raise InvalidArgument(field, "required")
    if len(text) > limit:
        raise InvalidArgument(field, f"at most {limit} characters")
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t\r" for ch in text):
        raise InvalidArgument(field, "control characters are not allowed")
    return check_shown_as_stored(text, field)


def check_shown_as_stored(text: str, field: str) -> str:
    """Free text that is shown as it is stored: no bidi mark, embedding, override or isolate
    (``BIDI_CONTROLS``). Part of ``check_text``; for a text checked otherwise too."""
    if not BIDI_CONTROLS.isdisjoint(text):
        raise InvalidArgument(
            field,
            "bidirectional mark, embedding, override or isolate characters are not allowed",
        )
    return text


def check_list(
    values: Iterable[str],
    field: str,
    check_one: Callable[[str, str], str],
    *,
    limit: int = MAX_LIST,
    required: bool = False,
    duplicates: str = "refuse",
) -> tuple[str, ...]:
    """A repeated field: at most ``limit`` entries, each checked as ``field[i]``; duplicates
    are refused (``"refuse"``) or merged into a sorted set (``"merge"``)."""
    items = list(values)
    if required and not items:
        raise InvalidArgument(field, "at least one is required")
    if len(items) > limit:
        raise InvalidArgument(field, f"at most {limit} entries")
    for i, v in enumerate(items):
        check_one(v, f"{field}[{i}]")
    if duplicates == "merge":
        return tuple(sorted(set(items)))
    if len(set(items)) != len(items):
        raise InvalidArgument(field, "entries must be unique")
    return tuple(items)


def check_codes(
    values: Iterable[str],
    field: str,
    *,
    limit: int = MAX_LIST,
    required: bool = False,
    duplicates: str = "refuse",
) -> tuple[str, ...]:
    return check_list(
        values, field, check_code, limit=limit, required=required, duplicates=duplicates
    )


def check_oins(
    values: Iterable[str],
    field: str,
    *,
    limit: int = MAX_LIST,
    required: bool = False,
    duplicates: str = "refuse",
) -> tuple[str, ...]:
    return check_list(
        values, field, check_oin, limit=limit, required=required, duplicates=duplicates
    )


def check_date(value: str, field: str) -> date:
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise InvalidArgument(field, "must be a date YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidArgument(field, "must be a date YYYY-MM-DD") from exc


MAX_JSON_DEPTH = 32


def json_depth(text: str) -> int:
    """The nesting depth of a JSON text, counted without recursion (``json.loads`` of a deeply
    nested document raises RecursionError, which would surface as INTERNAL)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def parse_json(data: bytes | str, field: str, *, max_depth: int = MAX_JSON_DEPTH) -> object:
    """A JSON document from a caller: INVALID_ARGUMENT naming ``field`` when it is not valid
    UTF-8 JSON or nests deeper than ``max_depth``."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        raise InvalidArgument(field, "is not valid UTF-8") from None
    if json_depth(text) > max_depth:
        raise InvalidArgument(field, f"JSON nests deeper than {max_depth} levels")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise InvalidArgument(field, "is not valid JSON") from None

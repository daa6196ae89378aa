"""Redaction that holds (art. 16.2, issue #14): a summary-only field is withheld at any depth
and in any letter case, every redacted path is reported, and Provide refuses content whose
keys the terms cannot be sure to cover."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from services.disclosure.domain import items, redaction
from services.disclosure.domain.items import Terms
from services.disclosure.domain.redaction import REDACTED, redact, redact_document
from zorgtafel.kernel import validate
from zorgtafel.kernel.errors import InvalidArgument

JSON = items.JSON_TYPE
FIELDS = ("address", "diagnosis", "straße")


def fields_of(err) -> list[str]:
    return [f for f, _ in err.value.violations]


def terms(*fields: str) -> Terms:
    return Terms(purposes=("care",), summary_only_fields=fields)


def released(doc, fields=FIELDS, summaries=None) -> tuple[dict, list[str]]:
    out, paths = redact(json.dumps(doc).encode(), JSON, fields, summaries or {})
    return json.loads(out), paths


# --- what is withheld ---------------------------------------------------------------------------


def test_a_top_level_field_reads_as_it_always_did():
    out, paths = released(
        {"diagnosis": "PTSD", "address": "Main St 1", "advice": "rest"},
        summaries={"diagnosis": "trauma care"},
    )
    assert out == {"diagnosis": "trauma care", "address": REDACTED, "advice": "rest"}
    assert paths == ["address", "diagnosis"]


def test_a_field_nested_in_an_object_and_spelled_in_another_case_is_withheld():
    out, paths = released(
        {"contact": {"Address": "Main St 1", "phone": "06"}}, summaries={"address": "Eindhoven"}
    )
    assert out == {"contact": {"Address": "Eindhoven", "phone": "06"}}
    assert paths == ["contact.Address"]


def test_a_field_in_every_object_of_an_array_is_withheld_and_each_path_reported():
    doc = {"contacts": [{"ADDRESS": "a"}, {"name": "x"}, [{"address": {"street": "b"}}]]}
    out, paths = released(doc)
    assert out == {"contacts": [{"ADDRESS": REDACTED}, {"name": "x"}, [{"address": REDACTED}]]}
    assert paths == ["contacts[0].ADDRESS", "contacts[2][0].address"]


def test_a_field_is_matched_by_unicode_casefold():
    out, paths = released({"person": {"STRASSE": "Main St 1"}})
    assert out == {"person": {"STRASSE": REDACTED}}
    assert paths == ["person.STRASSE"]


def test_a_path_through_an_odd_key_is_quoted_so_it_cannot_be_misread():
    out, paths = released({"a.b": {"Address": "x"}, "c": {"address": "y"}})
    assert paths == ['["a.b"].Address', "c.address"]
    assert out == {"a.b": {"Address": REDACTED}, "c": {"address": REDACTED}}


def test_a_top_level_array_stored_before_the_terms_named_fields_is_redacted_too():
    out, paths = released([{"address": "x"}])
    assert (out, paths) == ([{"address": REDACTED}], ["[0].address"])


def test_at_release_a_key_that_only_looks_like_a_field_is_withheld_too():
    # Content provided before these rules, or terms changed since: over-withholding is safe.
    out, paths = released({"ａｄｄｒｅｓｓ": "x", "address\u200b": "y", " Address ": "z"})
    assert set(out.values()) == {REDACTED}
    assert len(paths) == 3


def test_content_that_cannot_be_walked_is_not_released():
    with pytest.raises(ValueError):
        redact(b'"a string"', JSON, ["address"], {})
    with pytest.raises(ValueError):
        redact(b"address: x", "text/plain", ["address"], {})
    with pytest.raises((ValueError, InvalidArgument)):
        redact(b'{"a":' * 40 + b"1" + b"}" * 40, JSON, ["address"], {})
    with pytest.raises(ValueError):
        redact_document(nested({"address": "x"}, redaction.MAX_DEPTH + 1), ["address"], {})


def nested(leaf, depth: int):
    doc = leaf
    for _ in range(depth - 1):
        doc = {"n": doc}
    return doc


def test_content_at_the_depth_limit_is_walked_to_the_bottom():
    doc = nested({"address": "x"}, redaction.MAX_DEPTH)
    out, paths = released(doc)
    assert paths == [".".join(["n"] * (redaction.MAX_DEPTH - 1) + ["address"])]
    assert "x" not in json.dumps(out)


# --- the property: nothing under a withheld field is released, every path is reported ----------

SECRET = "SECRET-"
NAMES = st.sampled_from(FIELDS).flatmap(
    lambda name: st.lists(st.booleans(), min_size=len(name), max_size=len(name)).map(
        lambda upper: "".join(c.upper() if u else c for c, u in zip(name, upper, strict=True))
    )
)
OTHER_KEYS = st.sampled_from(["note", "contact", "items", "a.b", "", "ADDRESSES", "addr"])
# Leaves outside a withheld field are plain; under one, each leaf is a unique secret (below).
LEAVES = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.sampled_from(["x", "y"]))


def documents():
    def extend(children):
        return st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(st.one_of(NAMES, OTHER_KEYS), children, max_size=4),
        )

    return st.recursive(LEAVES, extend, max_leaves=30)


def seal_secrets(doc, counter=None, under=False):
    """``doc`` with every string leaf under a summary-only key replaced by a unique secret,
    and the set of those secrets (what must never be released)."""
    counter = counter if counter is not None else [0]
    secrets: set[str] = set()

    def walk(node, under):
        if isinstance(node, dict):
            out = {}
            for k, v in node.items():
                out[k] = walk(v, under or k.casefold() in {f.casefold() for f in FIELDS})
            return out
        if isinstance(node, list):
            return [walk(v, under) for v in node]
        if under:
            counter[0] += 1
            secret = f"{SECRET}{counter[0]}"
            secrets.add(secret)
            return secret
        return node

    return walk(doc, under), secrets


def expected_paths(doc, path=""):
    """Every path at which a summary-only key occurs, not inside another (independent of the
    implementation: plain string building, keys sorted)."""
    found = []
    if isinstance(doc, dict):
        for k in sorted(doc):
            p = redaction.path_of(path, k)
            if k.casefold() in {f.casefold() for f in FIELDS}:
                found.append(p)
            else:
                found.extend(expected_paths(doc[k], p))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            found.extend(expected_paths(v, f"{path}[{i}]"))
    return found


def values_at(doc, paths_found, path=""):
    """The value each reported path points at."""
    out = {}
    if isinstance(doc, dict):
        members = [(redaction.path_of(path, k), doc[k]) for k in doc]
    elif isinstance(doc, list):
        members = [(f"{path}[{i}]", v) for i, v in enumerate(doc)]
    else:
        members = []
    for child_path, value in members:
        if child_path in paths_found:
            out[child_path] = value
        else:
            out.update(values_at(value, paths_found, child_path))
    return out


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    doc=st.dictionaries(st.one_of(NAMES, OTHER_KEYS), documents(), max_size=5),
    with_summary=st.booleans(),
)
def test_no_value_under_a_withheld_field_is_ever_released(doc, with_summary):
    assume(validate.json_depth(json.dumps(doc)) <= redaction.MAX_DEPTH)
    doc, secrets = seal_secrets(doc)
    summaries = {"address": "in Eindhoven"} if with_summary else {}
    out, paths = redact(json.dumps(doc).encode(), JSON, FIELDS, summaries)
    text = out.decode()
    assert not [s for s in secrets if s in text]
    assert paths == expected_paths(doc)
    released_doc = json.loads(out)
    withheld = values_at(released_doc, set(paths))
    assert sorted(withheld) == sorted(paths)
    for path, value in withheld.items():
        assert value in (REDACTED, "in Eindhoven"), path
    # What is not withheld is released untouched.
    assert expected_paths(released_doc) == paths
    # Provide accepts such content: every key is either a field or plainly another key.
    items.validate_content(json.dumps(doc).encode(), JSON, terms(*FIELDS), summaries)


# --- Provide refuses content the terms cannot be sure to cover ----------------------------------

LOOK_ALIKES = [
    {"contact": {"ａｄｄｒｅｓｓ": "Main St 1"}},  # fullwidth: a compatibility form
    {"contact": [{"address\u200b": "Main St 1"}]},  # zero-width space
    {"contact": {" Address": "Main St 1"}},  # surrounding whitespace
    {"Address\u00a0": "Main St 1"},  # no-break space
]


@pytest.mark.parametrize("doc", LOOK_ALIKES)
def test_provide_refuses_a_key_that_only_looks_like_a_summary_only_field(doc):
    content = json.dumps(doc, ensure_ascii=False).encode()
    with pytest.raises(InvalidArgument) as err:
        items.validate_content(content, JSON, terms("address"), {})
    assert fields_of(err) == ["content"]
    assert "Main St" not in err.value.message and "ddress" not in err.value.message


def test_provide_refuses_content_nested_deeper_than_the_redaction_walks():
    deep = json.dumps(nested({"note": 1}, redaction.MAX_DEPTH + 1)).encode()
    with pytest.raises(InvalidArgument) as err:
        items.validate_content(deep, JSON, terms("address"), {})
    assert fields_of(err) == ["content"]
    with pytest.raises(InvalidArgument) as err:
        redaction.check_redactable(nested({"note": 1}, redaction.MAX_DEPTH + 1), ["address"])
    assert fields_of(err) == ["content"]


def test_provide_accepts_nested_fields_in_any_case_and_keys_inside_a_withheld_field():
    content = json.dumps(
        {"contact": {"ADDRESS": {" address ": "inside, never released"}}, "addr": "x"}
    ).encode()
    items.validate_content(content, JSON, terms("address"), {"address": "in town"})


def test_look_alike_keys_are_of_no_concern_without_summary_only_fields():
    content = json.dumps({"ａｄｄｒｅｓｓ": "x"}).encode()
    items.validate_content(content, JSON, Terms(purposes=("care",)), {})


@pytest.mark.parametrize(
    "fields",
    [
        ("address", "Address"),
        ("address", "ADDRESS"),
        ("strasse", "Straße"),
        ("address", "ａddress"),
    ],
)
def test_terms_naming_one_field_twice_in_another_case_or_form_are_refused(fields):
    with pytest.raises(InvalidArgument) as err:
        items.validate_terms(terms(*fields))
    assert fields_of(err) == ["terms.summary_only_fields"]


@pytest.mark.parametrize("name", [" address", "address ", "\u200b", "addr\u200bess", "a\nb"])
def test_a_summary_only_field_name_with_invisible_characters_is_refused(name):
    with pytest.raises(InvalidArgument) as err:
        items.validate_terms(terms(name))
    assert fields_of(err) == ["terms.summary_only_fields[0]"]


def test_distinct_field_names_are_kept_as_given():
    checked = items.validate_terms(terms("diagnosis", "Address", "home address"))
    assert checked.summary_only_fields == ("Address", "diagnosis", "home address")

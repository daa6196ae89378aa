"""The differential oracle: the embedded engine (regopy) and regorus give the same decision.

For every decision entrypoint (one per input schema), inputs are generated from the schema and
by mutating the shared examples (cases.py): values swapped for schema-valid ones, facts removed,
set to null, text with diacritics, RTL, non-BMP characters and Unicode white space, values that
are not objects where the schema wants an object (and every object of the examples replaced by
each such value in turn: the schema forbids them, the policies must still be total). Each input
goes through ``EmbeddedEngine`` (as the services ask) and through regorus; the full result
document (allow, reasons, obligations, or the raw result) must be equal, and an error on one side
must be an error on the other (both fail closed). Deterministic: ``derandomize=True``.
"""

from __future__ import annotations

import json
import os
from typing import Any

import cases
import pytest
from conftest import POLICY_DIR
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zorgtafel.policy import schemas, sources
from zorgtafel.policy.entrypoints import entrypoints
from zorgtafel.policy.errors import PolicyError

PER_ENTRYPOINT = 150
COMPARED: dict[str, int] = {}


def _with_consents(value: dict[str, Any], **consents: list[Any]) -> dict[str, Any]:
    return {**value, "consents": {"subject": [], "provider_written": [], **consents}}


# A caller with a part in the case on an item that rests on consent, and a third-party release:
# examples whose consents the mutations below can replace (by values that are not objects too).
ON_CONSENT = {**cases.disclosure(item__legal_basis="consent"), "subject": {"age": 20}}
SUBJECT_CONSENT = {"given_by": "subject", "scope": ["safety"], "withdrawn_at": None}
TO_THIRD_PARTY = cases.disclosure(
    action="third_party_release", recipient__is_party=False, recipient__party="Stichting X"
)
PROVIDER_CONSENT = {
    "item_id": "item-1",
    "given_by": cases.POLICE,
    "recipient": "Stichting X",
    "withdrawn_at": None,
}

# intake.access (its object fields: the principal, the nomination, its process director and
# usage terms, the candidate asked in triage, the probing counts), each action the rules read
# those objects for: a nomination read and acted on in triage, a party asked, a nomination.
NOMINATION = {
    "case_id": "c1",
    "nominating_party": cases.POLICE,
    "nominated_by": "worker-1",
    "status": "triage",
    "asked_parties": [cases.SHELTER],
    "linked_to_case_id": "",
    "consent": "given",
    "safety_override": False,
    "process_director": {"party": cases.CARE, "person": "pd-1"},
    "usage_terms": {
        "purposes": ["care_coordination"],
        "recipient_parties": [cases.SHELTER],
        "expires_at": "2030-01-01T00:00:00Z",
    },
}
DIRECTOR = {
    **cases.principal("process_director"),
    "person": "pd-1",
    "functions": ["process_director"],
}
INTAKE_ACCESS = [
    {
        "action": "read_nomination",
        "principal": DIRECTOR,
        "nomination": NOMINATION,
        "now": "2026-06-01T12:00:00Z",
    },
    {
        "action": "ask_in_triage",
        "principal": DIRECTOR,
        "nomination": NOMINATION,
        "candidate": {"party": cases.SHELTER, "status": "active"},
        "now": "2026-06-01T12:00:00Z",
    },
    {
        "action": "read_triage_question",
        "principal": {**cases.principal("caseworker", party=cases.SHELTER), "person": "w-2"},
        "nomination": NOMINATION,
        "now": "2026-06-01T12:00:00Z",
    },
    {
        "action": "nominate",
        "principal": {**cases.principal("caseworker", party=cases.POLICE), "person": "worker-1"},
        "probing": {
            "matches": 1,
            "limit": 3,
            "window_s": 3600,
            "party_matches": 4,
            "party_limit": 20,
        },
        "now": "2026-06-01T12:00:00Z",
    },
]

# Control over items (art. 16.2), consents, oversight and providing (disclosure.control): its
# caller, resource and case, and the case's directors and delegates, are objects the mutations
# below replace (every one by each value that is not an object, too).
CONTROL_CASE = {
    "id": "case-1",
    "involved": [cases.CARE],
    "nominating_party": cases.POLICE,
    "process_director": {"party": cases.POLICE, "person": "piet"},
    "case_director": {"party": cases.SHELTER, "person": "kees"},
    "delegates": {cases.CARE: ["anna"]},
    "closed": False,
    "restricted": False,
}
CONTROL_EXAMPLES: list[dict[str, Any]] = [
    {
        "operation": operation,
        "caller": {**cases.principal(role), "functions": ["process_director"]},
        "resource": resource,
        "case": CONTROL_CASE,
    }
    for operation, role, resource in [
        ("provide", "caseworker", {"case_id": "case-1"}),
        ("submit_subject_request", "caseworker", {"case_id": "case-1"}),
        ("record_consent", "caseworker", {"case_id": "case-1", "kind": "subject"}),
        ("withdraw_consent", "caseworker", {"item_id": "item-1", "kind": "provider_written"}),
        ("set_usage_terms", "caseworker", {"item_id": "item-1", "provider": cases.POLICE}),
        ("supersede", "caseworker", {"item_id": "item-1", "provider": cases.CARE}),
        ("query_access_log", "privacy_officer", {"scoped": True, "concerned": [cases.POLICE]}),
        ("list_reviews", "caseworker", {"scoped": False}),
        ("decide_subject_request", "privacy_officer", {"controller": cases.POLICE}),
        ("list_override_notices", "caseworker", {"provider": cases.CARE}),
        ("list_correction_notices", "caseworker", {"provider": cases.POLICE}),
        ("record_client_informed", "caseworker", {"party": cases.SHELTER}),
    ]
]

EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "zorgtafel.authz": [
        cases.authz("/zorgtafel.intake.v1.IntakeService/Assess", "process_director"),
        cases.authz("/zorgtafel.disclosure.v1.DisclosureService/RequestDisclosure", "caseworker"),
        {  # relayed by a suite service (art. 12.2f): served for the pre-read's request only
            "method": "/zorgtafel.disclosure.v1.DisclosureService/RequestDisclosure",
            "principal": {
                **cases.principal("caseworker"),
                "authenticated_by": "mtls_relay",
                "relayed_by": "casework",
            },
        },
    ],
    "zorgtafel.disclosure": [
        cases.disclosure(),
        cases.disclosure(
            break_glass={"justification": "acuut gevaar", "consulted_colleague": "piet"}
        ),
        cases.disclosure(recipient__party=cases.SHELTER),
        _with_consents(
            ON_CONSENT,
            subject=[SUBJECT_CONSENT, {**SUBJECT_CONSENT, "given_by": "parent"}],
        ),
        _with_consents(TO_THIRD_PARTY, provider_written=[PROVIDER_CONSENT]),
    ],
    "zorgtafel.intake.criteria": [cases.CRITERIA],
    "zorgtafel.intake.access": INTAKE_ACCESS,
    "zorgtafel.casework.invite": [cases.INVITE],
    "zorgtafel.disclosure.control": CONTROL_EXAMPLES,
}

# Text that matters to the rules (parties, roles, purposes...) plus text that tests exactness.
UNICODE = [
    "Zoë",
    "Zoe\u0308",
    "ëé",
    "שלום",
    "\U0001f600",
    "\u00a0",
    "\u3000",
    " \u2003 ",
    "",
    "Çağrı Öztürk",
]


def _strings_in(value: Any, found: set[str]) -> None:
    if isinstance(value, str):
        found.add(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            found.add(key)
            _strings_in(item, found)
    elif isinstance(value, list):
        for item in value:
            _strings_in(item, found)


def _vocabulary(schema: dict[str, Any], examples: list[dict[str, Any]]) -> list[str]:
    found: set[str] = set()
    for example in examples:
        _strings_in(example, found)
    for text in json.dumps(schema).split('"'):
        if text.replace("_", "").isalnum() and len(text) < 40:
            found.add(text)
    found.update(
        [
            cases.POLICE,
            cases.CARE,
            cases.SHELTER,
            "2025-06-01T12:00:00Z",
            "2030-01-01T00:00:00Z",
            "not a time",
        ]
    )
    return sorted(found) + UNICODE


# Values that are not objects, put where the schema wants an object.
NOT_OBJECT_VALUES = [False, True, "x", "", 0, 1.5, [], ["x"], [{}], None]
NOT_OBJECTS = st.sampled_from(NOT_OBJECT_VALUES)


def _strategy(
    node: dict[str, Any], root: dict[str, Any], words: list[str], depth: int = 0
) -> st.SearchStrategy[Any]:
    if "$ref" in node:
        target: Any = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return _strategy(target, root, words, depth)
    for key in ("oneOf", "anyOf"):
        if key in node:
            return st.one_of([_strategy(n, root, words, depth) for n in node[key]])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    if "const" in node:
        return st.just(node["const"])
    kinds = node.get("type")
    if isinstance(kinds, list):
        return st.one_of([_strategy(dict(node, type=k), root, words, depth) for k in kinds])
    text = st.sampled_from(words)
    if kinds == "object" or "properties" in node:
        props = node.get("properties", {})
        required = [k for k in node.get("required", []) if k in props]
        optional = {
            k: _strategy(v, root, words, depth + 1) for k, v in props.items() if k not in required
        }
        fixed = st.fixed_dictionaries(
            {k: _strategy(props[k], root, words, depth + 1) for k in required}, optional=optional
        )
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and depth < 4:
            more = st.dictionaries(text, _strategy(extra, root, words, depth + 1), max_size=3)
            fixed = st.tuples(fixed, more).map(lambda pair: {**pair[1], **pair[0]})
        if depth == 0:
            return fixed
        # One in ten times a value that is not an object where the schema wants one (a consent
        # that is false once set the engines apart: regopy undefined, regorus an error).
        return st.integers(0, 9).flatmap(lambda n: NOT_OBJECTS if n == 0 else fixed)
    if kinds == "array":
        items = node.get("items", {"type": "string"})
        return st.lists(_strategy(items, root, words, depth + 1), max_size=3)
    if kinds == "string":
        return text
    if kinds == "integer":
        return st.integers(min_value=-1, max_value=120)
    if kinds == "number":
        return st.one_of(
            st.integers(min_value=-1, max_value=120), st.floats(-1, 120, allow_nan=False)
        )
    if kinds == "boolean":
        return st.booleans()
    if kinds == "null":
        return st.none()
    return st.one_of(st.none(), st.booleans(), text, st.integers(-1, 3))


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, prefix + (index,))
    return found


def _mutate(example: dict[str, Any], data: st.DataObject, words: list[str]) -> dict[str, Any]:
    value = json.loads(json.dumps(example))
    for _ in range(data.draw(st.integers(1, 3))):
        paths = _paths(value)
        if not paths:
            break
        path = data.draw(st.sampled_from(paths))
        parent = value
        for part in path[:-1]:
            parent = parent[part]
        replacement = data.draw(
            st.one_of(
                st.none(),
                st.booleans(),
                st.sampled_from(words),
                st.integers(-1, 20),
                st.just("DROP"),
                st.just({}),
                st.just([]),
            )
        )
        if replacement == "DROP" and isinstance(parent, dict):
            parent.pop(path[-1], None)
        elif replacement != "DROP":
            parent[path[-1]] = replacement
    return value


class Regorus:
    def __init__(self) -> None:
        os.environ.setdefault("RUST_BACKTRACE", "0")
        import regorus

        self.engine = regorus.Engine()
        for module in sources.modules(POLICY_DIR):
            self.engine.add_policy(module.name, module.text)
        self.engine.add_data_json(json.dumps(sources.data_document(POLICY_DIR)))

    def query(self, query: str, value: dict[str, Any]) -> tuple[str, Any]:
        self.engine.set_input_json(json.dumps(value, ensure_ascii=False))
        try:
            result = self.engine.eval_rule(query)
        except Exception:  # noqa: BLE001 - an evaluation error: fail closed, like PolicyUnavailable
            return ("error", None)
        return ("undefined", None) if result is None else ("value", result)


def _diff(a: Any, b: Any, path: str = "") -> list[str]:
    """Where two JSON values differ, as ``path: a != b`` lines (for the failure message)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [
            d
            for k in sorted(set(a) | set(b))
            for d in _diff(a.get(k, "<absent>"), b.get(k, "<absent>"), f"{path}.{k}")
        ]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in _diff(x, y, f"{path}[{i}]")
        ]
    return (
        []
        if a == b
        else [
            f"{path or '.'}: regopy {json.dumps(a, ensure_ascii=False)} != regorus {json.dumps(b, ensure_ascii=False)}"
        ]
    )


def _embedded_answer(embedded, package: str, rule: str, value: dict[str, Any]) -> tuple[str, Any]:
    try:
        defined, result, _ = embedded._query(package, rule, value)
    except PolicyError:
        return ("error", None)
    return ("value", result) if defined else ("undefined", None)


# An entrypoint on which regopy is known to answer otherwise than regorus, expected to fail
# (strict: the mark must go as soon as the engines agree). Empty: the last one, invite, differed
# by regopy's unescaped quotes in sprintf'd text and its ordering of arrays (the policy now joins
# that text with concat and lists one refusal per party).
KNOWN_DIVERGENT: set[str] = set()


class EvaluatorDiffers(Exception):
    """The regorus evaluator answered other than regorus: not an AssertionError, so the
    expected failure of a KNOWN_DIVERGENT entrypoint (regopy's) does not hide it."""


ENTRYPOINTS = [
    pytest.param(
        e,
        marks=pytest.mark.xfail(
            strict=True, raises=AssertionError, reason="regopy unescaped quotes (see above)"
        ),
    )
    if e.query in KNOWN_DIVERGENT
    else e
    for e in entrypoints(POLICY_DIR)
]


def _compare(entry, value: dict[str, Any], embedded, embedded_regorus, regorus_engine) -> None:
    embedded_answer = _embedded_answer(embedded, entry.package, entry.rule, value)
    regorus_answer = regorus_engine.query(entry.query, value)
    # The regorus evaluator (ADR 0011) reads each package's closure and readable data only,
    # in its own threads: exactly the answer regorus gives with everything loaded.
    evaluated = _embedded_answer(embedded_regorus, entry.package, entry.rule, value)
    if evaluated != regorus_answer:
        raise EvaluatorDiffers(
            f"the regorus evaluator differs from regorus on {entry.query} for input:\n"
            f"{json.dumps(value, ensure_ascii=False, indent=1)}"
        )
    # regopy reports a rule whose value is false as undefined (a known quirk): same decision.
    if embedded_answer == ("undefined", None) and regorus_answer == ("value", False):
        regorus_answer = embedded_answer
    assert embedded_answer == regorus_answer, (
        f"engines disagree on {entry.query} for input:\n"
        f"{json.dumps(value, ensure_ascii=False, indent=1)}\n"
        + "\n".join(_diff(list(embedded_answer), list(regorus_answer)))
    )


@pytest.fixture(scope="module")
def regorus_engine():
    return Regorus()


@pytest.mark.parametrize("entry", ENTRYPOINTS, ids=lambda e: e.query)
def test_embedded_and_regorus_decide_alike(
    entry, embedded, embedded_regorus, regorus_engine, record_property
):
    schema = schemas.load_schema(entry.package, POLICY_DIR)
    examples = EXAMPLES.get(entry.package, [])
    words = _vocabulary(schema, examples)
    generated = _strategy(schema, schema, words)
    count = 0

    @settings(
        max_examples=PER_ENTRYPOINT,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def compare(data: st.DataObject) -> None:
        nonlocal count
        if examples and data.draw(st.booleans()):
            value = _mutate(data.draw(st.sampled_from(examples)), data, words)
        else:
            value = data.draw(generated)
        _compare(entry, value, embedded, embedded_regorus, regorus_engine)
        count += 1

    compare()
    COMPARED[entry.query] = count
    record_property("inputs_compared", count)
    print(f"{entry.query}: {count} inputs compared, embedded == regorus")
    assert count >= PER_ENTRYPOINT // 2


def _object_paths(example: dict[str, Any]) -> list[tuple]:
    """The paths of the objects inside an example (its consents, principal, terms...)."""
    found = []
    for path in _paths(example):
        value: Any = example
        for part in path:
            value = value[part]
        if isinstance(value, dict):
            found.append(path)
    return found


@pytest.mark.parametrize(
    "entry",
    [
        e
        for e in entrypoints(POLICY_DIR)
        if any(_object_paths(x) for x in EXAMPLES.get(e.package, []))
    ],
    ids=lambda e: e.query,
)
def test_the_engines_decide_alike_with_a_non_object_for_any_object_of_the_examples(
    entry, embedded, embedded_regorus, regorus_engine
):
    """Every object in every example (a consent, a principal, the terms...) in turn replaced by
    each value that is not an object: all of them, not a sample (a consent that was false once
    set the engines apart, which the random inputs above had not met)."""
    for example in EXAMPLES[entry.package]:
        for path in _object_paths(example):
            for replacement in NOT_OBJECT_VALUES:
                value = json.loads(json.dumps(example))
                parent = value
                for part in path[:-1]:
                    parent = parent[part]
                parent[path[-1]] = replacement
                _compare(entry, value, embedded, embedded_regorus, regorus_engine)


def _without_status(who: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in who.items() if k != "party_status"}


# Inputs on which the engines once disagreed, compared whatever Hypothesis generates next (a
# newer Hypothesis found the first: regopy answered no JSON for a reason whose status came from
# object.get's default term; the rules now take it from lib.status_shown). The consents that are
# not objects: regopy read object.get(c, "withdrawn_at", null) over a non-object as undefined,
# regorus as an evaluation error; a principal or recipient that is not an object: the party read
# with object.get's default "" and shown in a reason made regopy's answer no JSON (regorus
# refused). The generator now puts such values in object-typed fields, and every object of the
# examples is replaced by each in turn.
PINNED = {
    "a subject's consent that is false, beside one in force": (
        "zorgtafel.disclosure",
        "decision",
        _with_consents(ON_CONSENT, subject=[False, SUBJECT_CONSENT]),
    ),
    "a subject's consent that is a string, alone": (
        "zorgtafel.disclosure",
        "decision",
        _with_consents(ON_CONSENT, subject=["consent"]),
    ),
    "a subject's consent that is a list, beside one withdrawn": (
        "zorgtafel.disclosure",
        "decision",
        _with_consents(
            ON_CONSENT, subject=[[], {**SUBJECT_CONSENT, "withdrawn_at": "2025-01-01T00:00:00Z"}]
        ),
    ),
    "a provider's consent that is false, beside one in force": (
        "zorgtafel.disclosure",
        "decision",
        _with_consents(TO_THIRD_PARTY, provider_written=[PROVIDER_CONSENT, False]),
    ),
    "a provider's consent that is a number, beside one withdrawn": (
        "zorgtafel.disclosure",
        "decision",
        _with_consents(
            TO_THIRD_PARTY,
            provider_written=[7, {**PROVIDER_CONSENT, "withdrawn_at": "2025-01-01T00:00:00Z"}],
        ),
    ),
    "a recipient without a status": (
        "zorgtafel.disclosure",
        "decision",
        {**cases.disclosure(), "recipient": _without_status(cases.disclosure()["recipient"])},
    ),
    "an actor without a status": (
        "zorgtafel.casework.act",
        "decision",
        {"action": "update_action", "principal": _without_status(cases.principal("caseworker"))},
    ),
    "an actor whose principal is false": (
        "zorgtafel.casework.act",
        "decision",
        {"action": "schedule_meeting", "principal": False, "case": False},
    ),
    "a viewer whose principal is false": (
        "zorgtafel.casework.view",
        "result",
        {"principal": False, "case": {}},
    ),
    "a third-party release whose recipient is false": (
        "zorgtafel.disclosure",
        "decision",
        {**_with_consents(TO_THIRD_PARTY, provider_written=[PROVIDER_CONSENT]), "recipient": False},
    ),
    "a viewer without a status": (
        "zorgtafel.casework.view",
        "result",
        {"principal": _without_status(cases.principal("caseworker"))},
    ),
    # A safety override's colleague is compared with the requester without case; lower is
    # ASCII-only on regopy and Unicode on regorus ("\u212a" is k on regorus alone), so the
    # policy compares only person ids (ASCII) that way.
    **{
        f"a safety override consulting {colleague!r}, asked by {requester!r}": (
            "zorgtafel.disclosure",
            "decision",
            _with_consents(
                {
                    **ON_CONSENT,
                    "requester": {**ON_CONSENT["requester"], "person": requester},
                    "recipient": {**ON_CONSENT["recipient"], "person": requester},
                    "case": {**ON_CONSENT["case"], "delegates": {cases.CARE: [requester]}},
                    "break_glass": {
                        "justification": "acuut gevaar",
                        "consulted_colleague": colleague,
                    },
                },
            ),
        )
        for colleague, requester in [
            ("kim", "\u212aim"),
            ("\u212aim", "kim"),
            ("\u00e4nna", "\u00c4NNA"),
            ("Anna", "anna"),
            ("bram", "anna"),
        ]
    },
}


@pytest.mark.parametrize("name", sorted(PINNED))
def test_the_engines_decide_alike_on_inputs_that_once_set_them_apart(
    name, embedded, regorus_engine
):
    package, rule, value = PINNED[name]
    embedded_answer = _embedded_answer(embedded, package, rule, value)
    regorus_answer = regorus_engine.query(f"data.{package}.{rule}", value)
    assert embedded_answer[0] == "value", embedded_answer
    assert embedded_answer == regorus_answer, "\n".join(
        _diff(list(embedded_answer), list(regorus_answer))
    )


@pytest.mark.parametrize(
    "entry",
    [e for e in entrypoints(POLICY_DIR) if EXAMPLES.get(e.package)],
    ids=lambda e: e.query,
)
def test_the_engines_decide_alike_with_any_field_of_the_examples_dropped_or_of_another_type(
    entry, embedded, embedded_regorus, regorus_engine
):
    """Every field of every example (not only its objects: a party, a status, a count), in
    turn left out and replaced by each value of another type, all of them: the engines order
    values of different types differently (regorus: false < 3; regopy: "x" < 3), and a probing
    count that was not a number let a nomination through (intake.access) on one or the other."""
    for example in EXAMPLES[entry.package]:
        for path in _paths(example):
            for replacement in [*NOT_OBJECT_VALUES, {}, {"x": 1}, "DROP"]:
                value = json.loads(json.dumps(example))
                parent = value
                for part in path[:-1]:
                    parent = parent[part]
                if replacement == "DROP":
                    if not isinstance(parent, dict):
                        continue
                    parent.pop(path[-1])
                else:
                    parent[path[-1]] = replacement
                _compare(entry, value, embedded, embedded_regorus, regorus_engine)


def test_the_control_schema_names_every_operation_the_policy_knows(regorus_engine):
    """The generated inputs of zorgtafel.disclosure.control come from its input schema: an
    operation the schema leaves out (supersede and list_correction_notices were) is never
    generated, so the oracle never compares the engines on it; the schema names exactly the
    operations the policy knows (known_ops)."""
    schema = schemas.load_schema("zorgtafel.disclosure.control", POLICY_DIR)
    known = regorus_engine.query("data.zorgtafel.disclosure.control.known_ops", {})
    assert known[0] == "value", known
    assert sorted(schema["properties"]["operation"]["enum"]) == sorted(known[1])

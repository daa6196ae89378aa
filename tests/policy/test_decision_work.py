"""How much work the embedded engine does for one disclosure decision, counted, not timed.

rego-cpp 1.5 copies its whole evaluation state (every local of the bundle and every rule value
remembered so far) on each builtin call, so a builtin costs 4 us at the start of a disclosure
decision and 18 us at its end (issue #16, measured on the bench machine); the number of builtin
calls is what a decision's time follows. ``lib.array_at`` in a rule body tested the type of every
member of the object it read (its ``doc[key]`` head is evaluated as a scan), and checks that a
decision never reaches went before the ones that end it. These counts come from rego-cpp's own
statement trace (its debug log), the same for every run of the pinned regopy; they guard against
a rewrite that brings the work back. Not a timed test.
"""

from __future__ import annotations

import re
from typing import Any

import cases
import pytest
from conftest import POLICY_DIR

from zorgtafel.policy import rego_c, rego_input, sources
from zorgtafel.policy.embedded import input_json

# A delegate reading an item that rests on consent (a child of 14: both the parent and the
# child consented), with a summary-only field: the longest path an item shown takes.
CONSENTED = cases.disclosure(
    item__legal_basis="consent",
    item__terms__summary_only_fields=["statement"],
    subject={"age": 14},
    consents={
        "subject": [
            {"given_by": "parent", "scope": ["safety"]},
            {"given_by": "subject", "scope": ["safety"]},
        ],
        "provider_written": [],
    },
)
# The same asked by a colleague without a part in the case: a refusal.
OUTSIDER = cases.disclosure(requester__person="bert", recipient__person="bert")
# CONSENTED as the service hands it over: its times also as nanoseconds (now_ns,
# terms.expires_at_ns), which the policy compares without parsing the text (issue #16).
CONSENTED_AS_SERVED = {
    **CONSENTED,
    "now_ns": 1_748_779_200_000_000_000,  # 2025-06-01T12:00:00Z
    "item": {
        **CONSENTED["item"],
        "terms": {**CONSENTED["item"]["terms"], "expires_at_ns": 1_893_456_000_000_000_000},
    },
}

# Builtin calls per decision: 117 and 89 before the rewrites of issue #16, 79 and 68 after the
# first (list facts as rules, denials reordered), 75 and 66 with the checks as else-chains; the
# outsider's 25 since its refusal computes only the reasons it shows (part_denials); the allow 72
# since permitted tests what bars a request instead of building every reason; 67 and 24 with the
# tables (actions, legal bases, dossier-blind roles) read from data, not tested with `in`; 69
# with a consent's type tested (is_object) before its withdrawal is read (here two consents).
# As the service hands it over, with its times as numbers: 61 (no regex.match, upper, replace or
# time.parse_rfc3339_ns: the two time parses were a fifth of an allowed decision's time). 58, 22
# and 50 with "named" compared once per decision, sets read by lookup (consents in force, who
# consented), the consent rules by age and the expiry as else-chains. 33, 7 and 25 with the
# objects of facts read by reference without a type test, a consent's withdrawal read by
# reference (no is_object, no object.get), typed lists scanned instead of tested with `in`,
# `not a == b` for `a != b`, `== []` / `== set()` for count, and the refusal's
# `count(reasons) > 0` likewise.
# The authz decision of a caller not seen before (the decision cache misses): 9, 4 with the
# principal read by reference (lib.object_at tested the type of input and of the principal)
# and the same rewrites.
MOST_BUILTIN_CALLS = {"consented": 33, "outsider": 7, "consented_as_served": 25, "authz": 4}

AUTHZ = {
    "method": "/zorgtafel.intake.v1.IntakeService/Assess",
    "principal": {
        "party": "00000099000000000001",
        "party_status": "active",
        "role": "process_director",
        "person": "anna",
        "authenticated_by": "mtls",
    },
}


def _trace(
    capfd: pytest.CaptureFixture[str],
    value: Any,
    package: str = "zorgtafel.disclosure",
    query: str = "data.zorgtafel.disclosure.decision",
    extra: str = "",
) -> tuple[str, Any]:
    """rego-cpp's statement trace of answering ``query`` for ``value`` (on ``package``'s own
    interpreter, as the engine builds it, plus the module ``extra``), and the answer."""
    from regopy import Interpreter, LogLevel

    modules = sources.closure(sources.modules(POLICY_DIR), [package])
    interpreter = Interpreter()
    for module in modules:
        interpreter.add_module(module.name, module.text)
    if extra:
        interpreter.add_module("extra.rego", extra)
    document = sources.readable_data(sources.data_document(POLICY_DIR), modules)
    interpreter.add_data_json(input_json(document))
    compiled = interpreter.build(query)
    rego_input.set_input(interpreter, input_json(value))
    capfd.readouterr()
    interpreter.log_level = LogLevel.DEBUG
    try:
        defined, answer = rego_c.query(interpreter, compiled)
    finally:
        interpreter.log_level = LogLevel.NONE
    trace = capfd.readouterr().out
    assert defined
    return trace, answer


def _builtin_calls(
    capfd: pytest.CaptureFixture[str],
    value: Any,
    package: str = "zorgtafel.disclosure",
    query: str = "data.zorgtafel.disclosure.decision",
    extra: str = "",
) -> tuple[int, Any]:
    """The builtin calls rego-cpp makes to answer ``query`` for ``value``, and the answer."""
    trace, answer = _trace(capfd, value, package, query, extra)
    called = re.findall(r"CallStmt\(func_name=([^,]+),", trace)
    assert called, "rego-cpp wrote no statement trace"
    # A rule or function of a policy is named g0.<path>; anything else is a builtin.
    builtins = [name for name in called if not name.startswith("g0.")]
    return len(builtins), answer


@pytest.mark.parametrize(
    "name, value, allow",
    [
        ("consented", CONSENTED, True),
        ("outsider", OUTSIDER, False),
        ("consented_as_served", CONSENTED_AS_SERVED, True),
    ],
)
def test_a_disclosure_decision_makes_few_builtin_calls(name, value, allow, capfd):
    calls, decision = _builtin_calls(capfd, value)
    assert decision["allow"] is allow
    assert calls <= MOST_BUILTIN_CALLS[name], f"{name}: {calls} builtin calls"


def test_an_authz_decision_makes_few_builtin_calls(capfd):
    calls, decision = _builtin_calls(
        capfd, AUTHZ, "zorgtafel.authz", "data.zorgtafel.authz.decision"
    )
    assert decision["allow"] is True
    assert calls <= MOST_BUILTIN_CALLS["authz"], f"authz: {calls} builtin calls"


def test_a_disclosure_decision_given_its_times_as_numbers_parses_no_time(capfd):
    _, as_text = _builtin_calls(capfd, CONSENTED)
    calls, as_served = _builtin_calls(capfd, CONSENTED_AS_SERVED)
    assert as_served == as_text
    assert calls <= MOST_BUILTIN_CALLS["consented_as_served"], f"{calls} builtin calls"


LOOKUPS = """package extra
import rego.v1
import data.zorgtafel.lib
found := [lib.object_at(input, "principal"), lib.array_at(input, "list")]
"""


def test_a_lookup_of_the_policy_library_tests_the_type_of_the_member_it_finds_only(capfd):
    # Eight members: the old `doc[key]` head tested every one of them (1 + 8 calls each).
    value = {f"fact_{n}": n for n in range(6)} | {"principal": {"party": "p"}, "list": [1]}
    calls, found = _builtin_calls(
        capfd, value, "zorgtafel.authz", "data.extra.found", extra=LOOKUPS
    )
    assert found == [{"party": "p"}, [1]]
    assert calls <= 4, f"{calls} builtin calls for two lookups"


@pytest.mark.parametrize(
    "package, value",
    [
        ("zorgtafel.authz", AUTHZ),
        ("zorgtafel.disclosure", CONSENTED_AS_SERVED),
        ("zorgtafel.disclosure", OUTSIDER),
    ],
)
def test_a_decision_evaluates_each_rule_once(package, value, capfd):
    # rego-cpp remembers a rule's value for the rest of a decision only when it is defined: a
    # rule without a default that is undefined (authz's `relayed` for a call not relayed) was
    # evaluated anew at each reference, three times in an allowed authz decision (issue #16).
    # An evaluation opens a frame ("++") after the call; a remembered value does not.
    trace, _ = _trace(capfd, value, package, f"data.{package}.decision")
    evaluated = re.findall(
        r"CallStmt\(func_name=(g0\.[^,]+),[^\n]*\n(?:\s*Built-in [^\n]*\n)?\s*\+\+\n", trace
    )
    assert evaluated, "rego-cpp wrote no statement trace"
    again = sorted({rule for rule in evaluated if evaluated.count(rule) > 1})
    assert again == [], f"evaluated more than once: {again}"


def test_the_engine_asks_a_decision_by_its_entrypoint_without_a_query_around_it(capfd):
    # A bundle built for the query `data.<package>.decision` wraps the rule in a query of its
    # own (g0.querymodule$N.query$M: 25 plan statements, a tenth of an authz decision); the
    # engine builds each decision's bundle with the rule as its entrypoint and asks that.
    from regopy import LogLevel

    from zorgtafel.policy.embedded import EmbeddedEngine

    engine = EmbeddedEngine(
        POLICY_DIR, timeout_s=5.0, cached_packages=(), packages=["zorgtafel.authz"]
    )
    try:
        slots = engine._compiled.slots["zorgtafel.authz"]  # type: ignore[union-attr]
        slot = slots.get()
        slots.put(slot)
        capfd.readouterr()
        slot.interpreter.log_level = LogLevel.DEBUG
        try:
            decision = engine.decide("zorgtafel.authz", AUTHZ)
        finally:
            slot.interpreter.log_level = LogLevel.NONE
        trace = capfd.readouterr().out
    finally:
        engine.close()
    assert decision.allow
    assert "g0.data.zorgtafel.authz.decision" in trace, "rego-cpp wrote no statement trace"
    assert "querymodule" not in trace

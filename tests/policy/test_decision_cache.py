"""Remembered authz answers (issue #16): the same answer as an evaluation, for one revision
only, never for rules that read the clock, bounded in count and in what one entry may hold."""

from __future__ import annotations

import json
import shutil

import pytest

from bench.bench_policy import AUTHZ_INPUT
from zorgtafel.policy import bundle, signing
from zorgtafel.policy.decision_cache import MAX_INPUT_CHARS, DecisionCache
from zorgtafel.policy.embedded import EmbeddedEngine
from zorgtafel.policy.errors import PolicyUnavailable

KEY = signing.generate_private_key_pem()
# The bench's authz question (a process director assessing), with the request naming no party.
ASSESS = {**AUTHZ_INPUT, "resource": {}}


def _walk(value):
    """Every object in a JSON document (the method table sits under a package path)."""
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from _walk(v)


@pytest.fixture()
def engine(policy_dir):
    engine = EmbeddedEngine(policy_dir, timeout_s=5.0, packages=["zorgtafel.authz"])
    yield engine
    engine.close()


def test_a_repeated_authz_question_is_answered_from_the_cache_with_a_decision_of_its_own(engine):
    first = engine.decide("zorgtafel.authz", ASSESS)
    again = engine.decide("zorgtafel.authz", ASSESS)
    cache = engine.decision_cache("zorgtafel.authz")
    assert cache is not None and (cache.hits, cache.misses) == (1, 1)
    assert first.allow is True and again.allow is True
    assert (again.reasons, again.revision, again.input_digest) == (
        first.reasons,
        first.revision,
        first.input_digest,
    )
    assert again.decision_id != first.decision_id  # each call is logged as its own decision


def test_another_person_party_status_or_method_is_evaluated_not_taken_from_the_cache(engine):
    engine.decide("zorgtafel.authz", ASSESS)
    suspended = {**ASSESS, "principal": {**ASSESS["principal"], "party_status": "suspended"}}
    assert engine.decide("zorgtafel.authz", suspended).allow is False
    other_job = {**ASSESS, "principal": {**ASSESS["principal"], "role": "caseworker"}}
    assert engine.decide("zorgtafel.authz", other_job).allow is False
    unknown_method = {**ASSESS, "method": "/zorgtafel.intake.v1.IntakeService/Nope"}
    assert engine.decide("zorgtafel.authz", unknown_method).allow is False
    assert engine.decide("zorgtafel.authz", ASSESS).allow is True
    cache = engine.decision_cache("zorgtafel.authz")
    assert (cache.hits, cache.misses) == (1, 4)


def test_a_caller_who_changes_a_remembered_answer_does_not_change_the_next_one():
    cache = DecisionCache(4)
    cache.put("q", "{}", True, {"allow": True, "reasons": ["r"]})
    _, value = cache.get("q", "{}")
    value["allow"] = False
    value["reasons"].append("injected")
    assert cache.get("q", "{}") == (True, {"allow": True, "reasons": ["r"]})


def test_the_cache_keeps_its_count_and_no_input_longer_than_the_bound():
    cache = DecisionCache(3)
    for i in range(10):
        cache.put("q", f'{{"i":{i}}}', True, {"i": i})
    assert len(cache) == 3
    assert cache.get("q", '{"i":0}') is None and cache.get("q", '{"i":9}') is not None
    long = '{"x":"' + "a" * MAX_INPUT_CHARS + '"}'
    cache.put("q", long, True, {})
    assert cache.get("q", long) is None
    off = DecisionCache(0)
    off.put("q", "{}", True, {})
    assert off.get("q", "{}") is None


def test_rules_that_read_the_clock_are_never_cached(tmp_path):
    authz = tmp_path / "authz"
    authz.mkdir()
    (authz / "authz.rego").write_text(
        "package zorgtafel.authz\nimport rego.v1\n"
        'decision := {"allow": true, "reasons": [sprintf("at %v", [time.now_ns()])]}\n'
    )
    engine = EmbeddedEngine(tmp_path, timeout_s=5.0)
    try:
        first = engine.decide("zorgtafel.authz", ASSESS)
        again = engine.decide("zorgtafel.authz", ASSESS)
        assert engine.decision_cache("zorgtafel.authz") is None
        assert first.reasons != again.reasons  # evaluated twice: two times
    finally:
        engine.close()


def test_a_new_revision_starts_without_the_old_answers(policy_dir, tmp_path):
    """An adopted revision that refuses what the old one allowed is obeyed on the next call."""
    stricter = tmp_path / "rego"
    shutil.copytree(policy_dir, stricter)
    table = stricter / "authz" / "data.json"
    document = json.loads(table.read_text(encoding="utf-8"))
    methods = next(v for v in _walk(document) if ASSESS["method"] in v)
    methods[ASSESS["method"]]["roles"] = ["board_member"]  # no longer the process director
    table.write_text(json.dumps(document), encoding="utf-8")
    engine = EmbeddedEngine(
        policy_dir,
        timeout_s=5.0,
        bundle_url="http://127.0.0.1:9/bundles/zorgtafel.tar.gz",
        verification_key_pem=signing.public_key_pem(KEY),
        poll_interval_s=3600,
    )
    try:
        engine.load_bundle(signing.sign(bundle.build_bytes(policy_dir)[1], KEY))
        assert engine.decide("zorgtafel.authz", ASSESS).allow is True
        assert engine.decide("zorgtafel.authz", ASSESS).allow is True  # remembered
        engine.load_bundle(signing.sign(bundle.build_bytes(stricter)[1], KEY))
        refused = engine.decide("zorgtafel.authz", ASSESS)
        assert refused.allow is False
        assert any("may not call" in r for r in refused.reasons)
        assert engine.decision_cache("zorgtafel.authz").hits == 0
    finally:
        engine.close()


def test_a_closed_engine_answers_nothing_from_its_cache(engine):
    engine.decide("zorgtafel.authz", ASSESS)
    engine.close()
    with pytest.raises(PolicyUnavailable):
        engine.decide("zorgtafel.authz", ASSESS)

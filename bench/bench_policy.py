"""Embedded policy decisions per second and latency, as ratios to a bare Python function call
measured in the same run. ``run()`` is what ``python -m bench`` calls; ``python -m
bench.bench_policy`` prints and writes bench/results/policy.json. Not a timed test."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench import baseline

RESULTS = Path(__file__).resolve().parent / "results"

AUTHZ_INPUT = {
    "method": "/zorgtafel.intake.v1.IntakeService/Assess",
    "principal": {
        "party": "00000099000000000001",
        "party_status": "active",
        "role": "process_director",
        "person": "anna",
        "authenticated_by": "mtls",
    },
}

DISCLOSURE_INPUT = {
    "action": "read",
    "purpose": "care_coordination",
    "now": "2025-06-01T12:00:00Z",
    "recipient": {
        "party": "00000099000000000002",
        "is_party": True,
        "party_status": "active",
        "role": "caseworker",
        "person": "anna",
    },
    "item": {
        "id": "item-1",
        "case_id": "case-1",
        "provider": "00000099000000000001",
        "category": "safety",
        "classification": "confidential",
        "legal_basis": "consent",
        "retracted": False,
        "terms": {
            "recipient_parties": [],
            "recipient_roles": [],
            "purposes": ["care_coordination"],
            "onward_sharing_allowed": False,
            "summary_only_fields": ["statement"],
            "expires_at": "2030-01-01T00:00:00Z",
            "pre_read_allowed": False,
        },
    },
    "case": {
        "id": "case-1",
        "involved": {
            "00000099000000000002": {"role": "care_provider", "information_need": ["safety"]}
        },
    },
    "subject": {"age": 14},
    "consents": {
        "subject": [
            {"given_by": "parent", "scope": ["safety"]},
            {"given_by": "subject", "scope": ["safety"]},
        ],
        "provider_written": [],
    },
    "break_glass": None,
}


def run(seconds: float = 2.0) -> dict:
    from zorgtafel.policy.embedded import EmbeddedEngine
    from zorgtafel.policy.sources import default_policy_dir

    bare = baseline.bare_function_call()
    engine = EmbeddedEngine(default_policy_dir(), timeout_s=5.0)
    try:
        # Warm every pooled interpreter's compiled bundle before measuring.
        for _ in range(8):
            engine.decide("zorgtafel.authz", AUTHZ_INPUT)
            engine.decide("zorgtafel.disclosure", DISCLOSURE_INPUT)
        authz = baseline.timed_loop(
            lambda: engine.decide("zorgtafel.authz", AUTHZ_INPUT), seconds=seconds
        )
        disclosure = baseline.timed_loop(
            lambda: engine.decide("zorgtafel.disclosure", DISCLOSURE_INPUT), seconds=seconds
        )
    finally:
        engine.close()
    for result in (authz, disclosure):
        result["p50_ratio_to_bare_call"] = result["p50_ms"] / bare["p50_ms"]
        result["p99_ratio_to_bare_call"] = result["p99_ms"] / bare["p99_ms"]
        result["throughput_ratio_to_bare_call"] = result["per_second"] / bare["per_second"]
    # Top-level numbers are the authz decision (the one on every call); details are nested.
    return {
        **authz,
        "authz": authz,
        "disclosure": disclosure,
        "bare_call": bare,
        "revision": engine.revision,
    }


def main() -> int:
    report = run()
    print(
        f"bare Python call: {report['bare_call']['per_second']:.0f}/s p50 {report['bare_call']['p50_ms'] * 1000:.3f} us"
    )
    for name in ("authz", "disclosure"):
        r = report[name]
        print(
            f"{name}: {r['per_second']:.0f} decisions/s p50 {r['p50_ms']:.3f} ms p99 {r['p99_ms']:.3f} ms "
            f"(p50 {r['p50_ratio_to_bare_call']:.0f}x a bare call, throughput {r['throughput_ratio_to_bare_call']:.2g}x)"
        )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "policy.json").write_text(json.dumps(report, indent=2))
    print(f"written: {RESULTS / 'policy.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The regopy-before-grpc leak guard: RSS must not grow across 1,000 decisions.

With grpc's libstdc++ loaded before regopy, every query leaked (~1.4 MB per authz decision). A
fresh process imports the package (which loads regopy first) and then grpc, as a service does,
warms up, and reports its resident memory before and after 500 authz and 500 disclosure (1,000)
decisions. A few MB of slack absorb allocator noise; a leak of even 5 KB per decision exceeds it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

MAX_GROWTH_KB = 6 * 1024

_PROBE = textwrap.dedent(
    """
    import json, sys
    sys.path.insert(0, sys.argv[1])
    import zorgtafel  # loads regopy before anything that loads libstdc++
    import grpc  # noqa: F401 - the order a service has
    import cases
    from zorgtafel.policy.embedded import EmbeddedEngine
    from zorgtafel.policy.sources import default_policy_dir

    def rss_kb():
        with open("/proc/self/status") as status:
            return next(int(l.split()[1]) for l in status if l.startswith("VmRSS:"))

    engine = EmbeddedEngine(default_policy_dir(), timeout_s=10)
    authz = cases.authz("/zorgtafel.intake.v1.IntakeService/Assess", "process_director")
    disclosure = cases.disclosure()
    def burst(n):
        for _ in range(n):
            assert engine.decide("zorgtafel.authz", authz).allow is True
            assert engine.decide("zorgtafel.disclosure", disclosure).allow is True
    burst(100)
    before = rss_kb()
    burst(500)
    after = rss_kb()
    engine.close()
    print(json.dumps({"before_kb": before, "after_kb": after}))
    """
)


def test_rss_does_not_grow_across_a_thousand_decisions(record_property):
    here = Path(__file__).resolve().parent
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(here)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    growth = measured["after_kb"] - measured["before_kb"]
    record_property("rss_growth_kb_per_1000_decisions", growth)
    assert growth <= MAX_GROWTH_KB, (
        f"RSS grew {growth} KB across 500 authz + 500 disclosure decisions"
    )

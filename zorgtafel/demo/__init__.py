"""``zorgtafel demo``: partner systems play one whole case through the four gRPC APIs, as the
covenant describes it (DOMAIN.md "Case life cycle"), and every step is checked: nomination by
a shelter -> assessment -> triage with answers from the police and a municipality -> routing to
a case meeting -> meeting with invitees, case director, plan, roles and information needs ->
disclosures allowed and denied (with the policy's reasons) and one break-glass ->
de-escalation, cleansing, purge. It exits non-zero when any step does not behave as the
covenant says. The end-to-end tests run the same story against the suite started as
processes (``tests/e2e/test_life_cycle.py``)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from zorgtafel.demo.plumbing import StoryFailed
from zorgtafel.demo.story import Story
from zorgtafel.kernel.config import DEFAULT_GRPC_PORTS

__all__ = ["Story", "StoryFailed", "endpoints_from_env", "run_demo"]


def endpoints_from_env(host: str = "127.0.0.1") -> dict[str, str]:
    return {
        s: f"{host}:{os.environ.get(f'ZORGTAFEL_{s.upper()}_GRPC_PORT', p)}"
        for s, p in DEFAULT_GRPC_PORTS.items()
    }


def run_demo(data_dir: Path) -> int:
    key = data_dir / "dev-keys" / "jwt-private.pem"
    if not key.exists():
        print(f"no development keys in {data_dir}; is the suite running (`make up`)?")
        return 2
    # `zorgtafel up` runs the retention schedulers with a short period for closed cases:
    # the story leaves the purge to them.
    story = Story(endpoints_from_env(), key.read_bytes(), auto_purge=True)
    started = time.monotonic()
    story.say("zorgtafel demo: one case through the whole life cycle, as partner systems\n")
    story.run()
    took = time.monotonic() - started
    if story.failures:
        story.say(
            f"\n{len(story.failures)} step(s) did not behave as the covenant says "
            f"({story.steps} steps, {took:.0f}s):"
        )
        for failure in story.failures:
            story.say(f"  - {failure}")
        return 1
    story.say(f"\nall {story.steps} steps behaved as the covenant says ({took:.0f}s)")
    return 0

"""Impact before adoption (issue #17): the recorded decisions replayed under a candidate revision,
and every one that would change (allowed -> denied, denied -> allowed), grouped by the rule that
turns and the article it cites. The report's digest (sha256 over its canonical JSON) is what a
proposal names, so the council votes knowing which decisions the new revision changes.

What "would change" compares with is the recorded outcome. A record whose outcome the service
changed after the policy allowed (an erased item, an obligation it cannot meet) is replayed under
its own revision first, so only a change the candidate makes is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from zorgtafel.policy.decision import canonical_json, digest_of
from zorgtafel.policy.errors import PolicyError
from zorgtafel.policy.replay import Recorded, Revisions, articles, replay

_VARYING = re.compile(r"\[[^\]]*\]|\{[^}]*\}|\b[\w.:-]*\d[\w.:-]*\b(?<!\.)")


@dataclass(frozen=True)
class Flip:
    service: str
    seq: int
    decision_id: str
    recorded_at: str
    policy: str
    before: str  # allowed | denied
    after: str
    rule: str  # the reason that appears (-> denied) or goes away (-> allowed)
    article: str


@dataclass
class ImpactReport:
    candidate: str
    since: str
    replayed: int = 0
    # records compared with their recorded outcome: their deciding revision was not at hand
    unverified: int = 0
    flips: list[Flip] = field(default_factory=list)

    def groups(self) -> dict[str, dict[str, list[Flip]]]:
        """Flips by direction, then by "policy: rule [article]"."""
        out: dict[str, dict[str, list[Flip]]] = {}
        for f in self.flips:
            key = f"{f.policy}: {rule_of(f.rule)}" + (f" [{f.article}]" if f.article else "")
            out.setdefault(f"{f.before} -> {f.after}", {}).setdefault(key, []).append(f)
        return out

    def document(self) -> dict[str, Any]:
        return {
            "candidate": self.candidate,
            "since": self.since,
            "replayed": self.replayed,
            "unverified": self.unverified,
            "changed": [
                {
                    "direction": direction,
                    "rule": rule,
                    "decisions": [
                        {"service": f.service, "seq": f.seq, "decision_id": f.decision_id}
                        for f in flips
                    ],
                }
                for direction, rules in sorted(self.groups().items())
                for rule, flips in sorted(rules.items())
            ],
        }

    @property
    def digest(self) -> str:
        return digest_of(canonical_json(self.document()))

    def text(self) -> str:
        lines = [
            f"Impact of revision {self.candidate} on {self.replayed} recorded decision(s)"
            + (f" since {self.since}" if self.since else ""),
            f"{len(self.flips)} would change"
            + (
                f"; {self.unverified} compared with the recorded outcome (their deciding "
                "revision was not available)"
                if self.unverified
                else ""
            ),
        ]
        for direction, rules in sorted(self.groups().items()):
            lines.append(f"\n{direction}:")
            for rule, flips in sorted(rules.items()):
                lines.append(f"  {rule}  ({len(flips)})")
                lines += [
                    f"    - {f.service} #{f.seq} decision {f.decision_id} at {f.recorded_at}"
                    for f in flips
                ]
        lines.append(f"\nReport digest (attach to the proposal): {self.digest}")
        return "\n".join(lines)


def rule_of(reason: str) -> str:
    """A reason with its case-specific values (ids, lists, times) and its trailing article
    reference left out (the group names the article), so decisions that turn on the same rule
    group together."""
    return _VARYING.sub("…", re.sub(r"\((?:[^()]*)\)\.?$", "", reason)).strip()


def _rule(reasons_then: Iterable[str], reasons_now: Iterable[str]) -> str:
    new = [r for r in reasons_now if r not in set(reasons_then)]
    return new[0] if new else next(iter(reasons_now), "")


def impact(
    revisions: Revisions,
    records: Iterable[Recorded],
    candidate: str,
    since: datetime | None = None,
) -> ImpactReport:
    report = ImpactReport(candidate, since.isoformat() if since else "")
    for record in records:
        try:
            # The policy's own outcome then (not the service's), when its revision is at hand.
            then = replay(revisions, record) if record.revision != candidate else None
        except PolicyError:  # no bundle of that revision: compare with the record
            then = None
            report.unverified += 1
        before = then.allow if then is not None else record.allowed
        before_reasons = then.reasons if then is not None else record.reasons
        now = replay(revisions, record, candidate)
        report.replayed += 1
        if now.allow == before:
            continue
        if now.allow:  # denied -> allowed: the deny reason that no longer holds
            rule = _rule(now.reasons, before_reasons)
        else:  # allowed -> denied: the deny reason the candidate adds
            rule = _rule(before_reasons, now.reasons)
        cited = articles(rule)
        report.flips.append(
            Flip(
                service=record.service,
                seq=record.seq,
                decision_id=record.decision_id,
                recorded_at=str(record.recorded_at or ""),
                policy=record.policy,
                before="allowed" if before else "denied",
                after="allowed" if now.allow else "denied",
                rule=rule,
                article=", ".join(cited),
            )
        )
    return report

"""Which test packages each engine of ``zorgtafel policy test`` evaluated, and what that means.

"0 failed" says only as much as the engines that ran. A package regopy could not evaluate within
its bounds (its memory cap or time budget, or a crash) is decided by regorus alone, and a package
regorus could not load is decided by nobody. So a run names, per engine, the packages it
evaluated and those it did not, with why; a package no engine evaluated fails the run, and so
does a package regopy skipped unless the caller agreed to that (``--allow-regopy-skips``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

ENGINES = ("regorus", "regopy")


@dataclass(frozen=True)
class Evaluated:
    packages: tuple[str, ...]  # every chosen test package, in the order of the tests
    asked: tuple[str, ...]  # the engines the run asked
    skipped: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # engine -> pkg -> why

    def by(self, engine: str) -> list[str]:
        """The packages ``engine`` evaluated (none when it was not asked)."""
        if engine not in self.asked:
            return []
        missed = self.skipped.get(engine, {})
        return [p for p in self.packages if p not in missed]

    def by_none(self) -> list[str]:
        return [p for p in self.packages if not any(p in self.by(e) for e in ENGINES)]

    def lines(self) -> list[str]:
        """One line per engine naming what it evaluated, then one per package it did not."""
        shown = []
        total = len(self.packages)
        for engine in ENGINES:
            if engine not in self.asked:
                shown.append(f"ENGINE {engine}: not run (left out by the caller)")
                continue
            done = self.by(engine)
            names = ", ".join(done) if done else "none"
            shown.append(f"ENGINE {engine}: evaluated {len(done)} of {total} package(s): {names}")
            for package, why in self.skipped.get(engine, {}).items():
                shown.append(f"ENGINE {engine}: did not evaluate {package}: {why}")
        return shown

    def problems(self, *, allow_regopy_skips: bool) -> list[str]:
        """Why the run is red although no test failed (empty when nothing is missing)."""
        found = [f"FAIL  {p}: evaluated by no engine" for p in self.by_none()]
        missed = self.skipped.get("regopy", {})
        if missed and not allow_regopy_skips:
            found.append(
                f"FAIL  regopy did not evaluate {len(missed)} package(s) ({', '.join(missed)}); "
                "their tests were decided by regorus alone: pass --allow-regopy-skips to accept that"
            )
        return found

    def shortfall(self) -> str:
        """The summary line's tail when an engine asked left packages out ("" when none did)."""
        parts = [
            f"{engine} did not evaluate {len(missed)} of {len(self.packages)} package(s)"
            for engine in ENGINES
            if (missed := self.skipped.get(engine, {}))
        ]
        return "; " + "; ".join(parts) if parts else ""

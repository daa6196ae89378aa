"""The covenant's parties as shipped data (``services/governance/seed/parties.json``)."""

from __future__ import annotations

import json
from pathlib import Path

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"


def covenant_parties() -> list[dict]:
    return json.loads((SEED_DIR / "parties.json").read_text(encoding="utf-8"))["parties"]


def covenant_bodies() -> dict:
    return json.loads((SEED_DIR / "bodies.json").read_text(encoding="utf-8"))

"""Every event type of the suite, by topic: the one explicit registry of the published
language (no discovery by reflection). Producers' dataclasses take their TYPE from the
per-service modules; consumers map these names to handlers.

Data fields are identifiers, codes and pseudonyms only: never a name, date of birth, address,
free text about a person, or item content.
"""

from __future__ import annotations

from zorgtafel.contracts.casework import *  # noqa: F401,F403 - re-exported names
from zorgtafel.contracts.disclosure import *  # noqa: F401,F403
from zorgtafel.contracts.governance import *  # noqa: F401,F403
from zorgtafel.contracts.intake import *  # noqa: F401,F403

TOPIC = {s: f"zorgtafel.{s}.v1" for s in ("intake", "casework", "governance", "disclosure")}

"""``zorgtafel restate-cases``: after an upgrade, tell the services that began to keep facts of
casework's cases after those cases opened who has a part in each (governance's ``case_facts``,
since its migration 9c4e2a7d5b18: before, a dispute naming a case opened earlier is UNAVAILABLE
for good). Run beside the running casework, as ``zorgtafel purge`` is (``bootstrap.offline``:
its database as the same ``ZORGTAFEL_*`` variables configure it, nothing served, nothing
migrated, no broker): every case casework holds gets one ``CaseRestated`` in its outbox, which
the running service's relay publishes. A consumer that knows a case already keeps what it
knows, so running it twice changes nothing there. The report holds counts, case ids and an
error's type only; exit 1 when it could not restate every case (run it again)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def _restate(args: argparse.Namespace) -> int:
    # Imported here: the parser is built for every command (``zorgtafel serve`` included).
    from services.casework.service_layer.handlers.restating import restate_all
    from zorgtafel.kernel.bootstrap import offline
    from zorgtafel.kernel.config import Settings
    from zorgtafel.kernel.logging import configure_logging

    configure_logging("INFO", stream=sys.stderr)  # the report alone on stdout
    done: list[str] = []
    report: dict[str, Any] = {"service": "casework"}
    try:
        with offline(Settings.from_env("casework")) as (built, _parts):
            restate_all(built.platform.uow_factory, done)
    except Exception as exc:  # noqa: BLE001 - the database away: say so and how far it came
        report["error"] = type(exc).__name__
    report |= {"restated": len(done), "case_ids": done}
    print(json.dumps(report, indent=2))
    # Each case is restated in a transaction of its own: run it again once the cause is fixed.
    return 1 if "error" in report else 0


def register(sub: Any) -> None:
    """Add ``restate-cases`` to the ``zorgtafel`` command line."""
    p = sub.add_parser(
        "restate-cases",
        help="after an upgrade: publish who has a part in every case casework holds (through"
        " its outbox), for services that began to keep those facts after the cases opened",
    )
    p.set_defaults(func=_restate)

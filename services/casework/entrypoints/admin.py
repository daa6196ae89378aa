"""``zorgtafel restate-cases --operator PERSON [--party OIN]``: after an upgrade, tell the
services that began to keep facts of casework's cases after those cases opened who has a part
in each (governance's ``case_facts``, since its migration 9c4e2a7d5b18: before, a dispute naming
a case opened earlier is UNAVAILABLE for good). Run beside the running casework, as ``zorgtafel
purge`` is (``bootstrap.offline``: its database as the same ``ZORGTAFEL_*`` variables configure
it, nothing served, nothing migrated, no broker): every case casework holds gets one
``CaseRestated`` in its outbox, which the running service's relay publishes. A consumer that
knows a case already keeps what it knows, so running it twice changes nothing there.

The restatements grant access (who has a part in a case, what each party needs to know, 8.4c),
so the operator is accountable: casework's access log (NEN 7513, hash-chained and signed like
every record of it) gets a record before any case is restated (who: the operator's person id
and party; when; how many cases; counts only, no case id, no pseudonym), and one after it (how
many were restated). When the first cannot be written nothing is restated. The report holds
counts, case ids and an error's type only; exit 1 when it could not restate every case (run it
again), exit 2 without a valid operator id."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

RPC = "restate-cases"  # the access-log record's ``rpc``
ROLE = "operator"  # and its ``role``: the person ran an operator's command, not a call


def _restate(args: argparse.Namespace) -> int:
    # Imported here: the parser is built for every command (``zorgtafel serve`` included).
    from zorgtafel.kernel.bootstrap import offline
    from zorgtafel.kernel.caller import Caller
    from zorgtafel.kernel.config import Settings
    from zorgtafel.kernel.logging import configure_logging

    configure_logging("INFO", stream=sys.stderr)  # the report alone on stdout
    done: list[str] = []
    report: dict[str, Any] = {"service": "casework"}
    operator = Caller(party=args.party or "", person=args.operator, role=ROLE)
    try:
        with offline(Settings.from_env("casework")) as (built, _parts):
            try:
                _restate_recorded(built, operator, done, report)
            finally:
                built.platform.access_log.close()
    except Exception as exc:  # noqa: BLE001 - the database away: say so and how far it came
        report.setdefault("error", type(exc).__name__)
    report |= {"restated": len(done), "case_ids": done}
    print(json.dumps(report, indent=2))
    # Each case is restated in a transaction of its own: run it again once the cause is fixed.
    return 1 if "error" in report else 0


def _restate_recorded(built: Any, operator: Any, done: list[str], report: dict[str, Any]) -> None:
    """Every case restated between the operator's two records in casework's access log (the
    first before any case, durable, or nothing is restated); an error's type in ``report``."""
    from services.casework.service_layer.handlers.restating import restate_all

    log = built.platform.access_log
    held: list[int] = []  # how many cases the first record said it restates

    def account(reason: str) -> None:
        record = log.record(operator, result="allowed", action="restate", rpc=RPC, reasons=[reason])
        log.append([record])

    def begin(cases: int) -> None:
        account(
            f"{RPC}: restating the {cases} cases casework holds (CASE_RESTATED: who has a part"
            " in each, what each party needs to know) for the services that keep these facts"
        )
        held.append(cases)

    try:
        restate_all(built.platform.uow_factory, done, account=begin)
    except Exception as exc:  # noqa: BLE001 - the database or the log away: say so, how far
        report["error"] = type(exc).__name__
    if held:
        stopped = f", stopped by {report['error']}" if "error" in report else ""
        try:
            account(f"{RPC}: {len(done)} of {held[0]} cases restated{stopped}")
        except Exception as exc:  # noqa: BLE001 - as above
            report.setdefault("error", type(exc).__name__)


def _person(value: str) -> str:
    from zorgtafel.kernel.validate import PERSON

    if not PERSON.fullmatch(value):
        # Not repeated: whatever was typed (a name, say) stays out of the terminal's log.
        raise argparse.ArgumentTypeError(
            "must be the operator's person id (at most 128 of A-Z a-z 0-9 . _ : @ -)"
        )
    return value


def _oin(value: str) -> str:
    from zorgtafel.kernel.validate import OIN

    if not OIN.fullmatch(value):
        raise argparse.ArgumentTypeError("must be a 20-digit OIN")
    return value


def register(sub: Any) -> None:
    """Add ``restate-cases`` to the ``zorgtafel`` command line."""
    p = sub.add_parser(
        "restate-cases",
        help="after an upgrade: publish who has a part in every case casework holds (through"
        " its outbox), for services that began to keep those facts after the cases opened;"
        " recorded in casework's access log with the operator who ran it",
    )
    p.add_argument(
        "--operator",
        required=True,
        type=_person,
        help="the person id of the operator who runs it (as the identity provider names the"
        " person; never a name): recorded in casework's access log",
    )
    p.add_argument(
        "--party",
        default=None,  # not "": argparse would check a string default as a value
        type=_oin,
        help="the OIN of the operator's organisation, recorded with it (default: none)",
    )
    p.set_defaults(func=_restate)

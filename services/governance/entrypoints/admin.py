"""``zorgtafel checkpoints export``: the access-log checkpoints governance keeps, for an auditor
(issue #15). Like ``zorgtafel verify-log`` it reads the database directly (an administrator's
tool, no token): the output is the file ``zorgtafel verify-log --checkpoint FILE`` reads, a JSON
list of the published checkpoints' data, verified ones only, smallest first."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def _export(args: argparse.Namespace) -> int:
    # Imported here: the parser is built for every command, and ``zorgtafel serve`` forks its
    # migration child before grpc (which the kernel's errors import) may be loaded.
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from services.governance.adapters.repository import CheckpointRepository
    from services.governance.service_layer.handlers.checkpoints import export
    from zorgtafel.kernel.errors import InvalidArgument

    engine = create_engine(args.service_db)
    if engine.dialect.name != "sqlite":
        engine = engine.execution_options(schema_translate_map={None: args.schema})
    try:
        with Session(engine) as session:
            found = export(CheckpointRepository(session), args.log_id)
    except InvalidArgument as exc:
        print(f"checkpoints export: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    if not found:
        print(f"checkpoints export: no verified checkpoint of {args.log_id}", file=sys.stderr)
    json.dump(found, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0 if found else 1


def register(sub: Any) -> None:
    """Add ``checkpoints export`` to the ``zorgtafel`` command line."""
    p = sub.add_parser(
        "checkpoints", help="the access-log checkpoints governance keeps (auditors, issue #15)"
    )
    actions = p.add_subparsers(dest="action", required=True)
    e = actions.add_parser(
        "export",
        help="write one log's verified checkpoints as JSON (for verify-log --checkpoint)",
    )
    e.add_argument(
        "--log-id",
        required=True,
        help="the log, e.g. zorgtafel.disclosure.accesslog",
    )
    e.add_argument(
        "--service-db",
        required=True,
        help="the governance database URL (sqlite:///... or postgresql+psycopg://...)",
    )
    e.add_argument(
        "--schema",
        default="governance",
        help="PostgreSQL schema of the governance service (default: governance)",
    )
    e.set_defaults(func=_export)

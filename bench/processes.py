"""The suite as ``zorgtafel up`` runs it, for the benchmarks that measure processes: a broker
of its own, the four services as ``zorgtafel serve`` processes on PostgreSQL schemas of their
own (or SQLite files), the console's sessions in a schema of its own when it is started, and
everything stopped and dropped afterwards."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def status_mb(pid: int, field: str) -> float:
    """A ``/proc/<pid>/status`` memory field (``VmHWM``: peak RSS, ``VmRSS``: now) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@contextmanager
def suite_processes(
    database_url: str, label: str, console: bool = False, env: dict[str, str] | None = None
) -> Iterator[tuple[Any, Any]]:
    """(the launcher's Suite, not yet started, and its testing Keys); ``console``: the
    console's sessions get a schema of their own too; ``env``: settings for every service."""
    from zorgtafel.kernel.broker import LocalBroker, free_port
    from zorgtafel.kernel.config import SERVICES
    from zorgtafel.launcher import Suite
    from zorgtafel.testing import Keys, drop_schema

    data_dir = Path(tempfile.mkdtemp(prefix=f"zorgtafel-bench-{label}-"))
    keys = Keys(data_dir)
    prefix = f"b{uuid.uuid4().hex[:8]}_"
    schemas = (*SERVICES, "console") if console else SERVICES
    broker = LocalBroker(free_port(), log_file=data_dir / "broker.log").start()
    suite = Suite(
        data_dir,
        database_url=database_url,
        schema_prefix=prefix,
        broker=broker,
        ports={s: (free_port(), free_port()) for s in SERVICES},
        extra_env=(
            {
                "ZORGTAFEL_CONSOLE_DATABASE_URL": database_url,
                "ZORGTAFEL_CONSOLE_DATABASE_SCHEMA": f"{prefix}console",
            }
            if database_url and console
            else {}
        )
        | (env or {}),
    )
    try:
        yield suite, keys
    finally:
        suite.stop()
        broker.stop()
        if database_url:
            for s in schemas:
                drop_schema(database_url, f"{prefix}{s}")

"""Running real services in tests and benchmarks: real gRPC over sockets, a real broker, a
real database (SQLite file or a PostgreSQL schema of its own). Partner systems can use the same
harness to test their integration against the suite."""

from zorgtafel.testing.broker import LogTee, Publisher
from zorgtafel.testing.env import (
    ServiceEnv,
    bad_fields,
    denial_reasons,
    precondition,
    rid,
    service_env,
)
from zorgtafel.testing.handlers import (
    CountingEngine,
    deliver,
    handler_platform,
    logged_read,
    restriction_changed,
    set_party_status,
    set_roster,
    what_caller_is_told,
)
from zorgtafel.testing.inprocess import served
from zorgtafel.testing.services import (
    DEFAULT_PG,
    Keys,
    channel,
    drop_schema,
    postgres_unreachable,
    postgres_url,
    running_service,
    settings_for,
    shared_policy_engine,
    wait_for,
)

__all__ = [
    "DEFAULT_PG",
    "Keys",
    "LogTee",
    "Publisher",
    "ServiceEnv",
    "bad_fields",
    "channel",
    "deliver",
    "denial_reasons",
    "drop_schema",
    "handler_platform",
    "set_roster",
    "postgres_unreachable",
    "postgres_url",
    "precondition",
    "rid",
    "running_service",
    "served",
    "service_env",
    "set_party_status",
    "settings_for",
    "shared_policy_engine",
    "wait_for",
    "what_caller_is_told",
    "CountingEngine",
    "logged_read",
    "restriction_changed",
]

"""The one console entry point: ``zorgtafel <command>``.

up                 the whole suite on this machine (broker, four services, SQLite, embedded policy)
serve SERVICE      one service, or `console` (the Kubernetes entry point)
migrate SERVICE    run that service's database migrations and exit
makemigration SERVICE -m MSG   write a new Alembic revision for a service (developers)
token              mint a development token (dev auth mode only)
policy ...         policy owners' tools: test, lint, explain, bundle, revision, impact,
                   propose, adopt, status
demo               play partner systems through one whole case against a running suite
purge [--dry-run]  one retention tick now (or what it would remove), per service
dead-letters list|replay|discard --service S   the events a service's consumer parked
subject-report     the subject access report across the four services (privacy officer)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from zorgtafel.kernel.config import SERVICES


def _migrate_in_child(service: str) -> None:
    """Run the service's migrations in a forked child and wait for it: Alembic and Mako
    (~10 MB) then never load in the serving process. Forked before grpc is imported (gRPC's
    threads do not survive a fork); where that cannot be, in a fresh interpreter."""
    import os
    import subprocess

    if "grpc" in sys.modules or not hasattr(os, "fork"):
        subprocess.run([sys.executable, "-m", "zorgtafel.cli", "migrate", service], check=True)
        return
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's exit code is checked by the parent
        code = 1
        try:
            code = _migrate(argparse.Namespace(service=service, quiet=True))
        except SystemExit as exc:  # the migration's own report (its error's kind only)
            print(exc.code, file=sys.stderr)
        except BaseException as exc:  # noqa: BLE001 - reported, then the child exits
            print(f"{service}: migration failed: {_error_kind(exc)}", file=sys.stderr)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{service}: migrations failed; not serving")


# Installed beside the suite only by developer tools (bandit, import-linter): structlog loads
# rich and pygments when it finds them (~12 MB per process) to pretty-print, and a service
# logs JSON. A serving process does without.
DEV_ONLY_MODULES = ("rich", "pygments")


def _serve(args: argparse.Namespace) -> int:
    for name in DEV_ONLY_MODULES:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type] # import -> ImportError
    from zorgtafel.kernel.lifeline import watch_parent

    watch_parent()  # started by `zorgtafel up`: stop with it, however it ends
    if args.service == "console":
        # The web console (issue #19) has no database: a client of the four services.
        from services.console.server import serve

        return serve()
    from zorgtafel.kernel.config import Settings
    from zorgtafel.kernel.logging import configure_logging

    settings = Settings.from_env(args.service)
    configure_logging(settings.log_level)
    if not args.no_migrate:
        _migrate_in_child(args.service)
    # Imported only now: the migration child is forked before grpc exists in this process.
    from zorgtafel.kernel.bootstrap import bootstrap
    from zorgtafel.kernel.registry import definition

    app = bootstrap(settings, definition(args.service), run_migrations=False)
    app.install_signal_handlers()
    app.start()
    print(
        f"{args.service}: gRPC {settings.grpc_host}:{app.grpc_port}  "
        f"ops http://{settings.http_host}:{app.ops.port}",
        flush=True,
    )
    app.wait()
    return 0


def _error_kind(exc: BaseException) -> str:
    """An error as its type (and a database error's SQLSTATE), never its text: a database
    error's message holds the row's values (PostgreSQL's ``DETAIL: Key (...)=(...)``) and
    SQLAlchemy's the statement's parameters."""
    state = getattr(getattr(exc, "orig", None) or exc, "sqlstate", None)
    return type(exc).__name__ + (f" (SQLSTATE {state})" if isinstance(state, str) else "")


MIGRATE_ATTEMPTS = 5  # a migration whose connection the database dropped is run again
MIGRATE_RETRY_S = 0.5  # times the attempt: 0.5, 1, 1.5, 2 s


def _migrate(args: argparse.Namespace) -> int:
    from zorgtafel.kernel import db, migrate
    from zorgtafel.kernel.config import Settings
    from zorgtafel.kernel.registry import definition

    settings = Settings.from_env(args.service)
    d = definition(args.service)
    engine = db.make_engine(settings)
    try:
        # A connection the server dropped or refused (a restart, a failover, an operator
        # ending backends) is the database's moment, not the migration's fault: PostgreSQL
        # rolled the transactional DDL back, so it is run again.
        db.again_when_lost(
            lambda: migrate.upgrade(engine, d.metadata, d.versions_dir, settings.effective_schema),
            attempts=MIGRATE_ATTEMPTS,
            pause_s=MIGRATE_RETRY_S,
            before_again=lambda _exc, _attempt: engine.dispose(),
        )
    except Exception as exc:  # noqa: BLE001 - its kind only: the text may hold a row's values
        raise SystemExit(f"{args.service}: migration failed: {_error_kind(exc)}") from None
    finally:
        engine.dispose()
    if not getattr(args, "quiet", False):
        print(f"{args.service}: migrated to head")
    return 0


def _makemigration(args: argparse.Namespace) -> int:
    from zorgtafel.kernel import migrate
    from zorgtafel.kernel.registry import definition

    d = definition(args.service)
    migrate.make_revision(d.metadata, d.versions_dir, args.message)
    return 0


def _token(args: argparse.Namespace) -> int:
    from zorgtafel.kernel.devkeys import ensure_dev_keys, mint_token

    keys = ensure_dev_keys(Path(args.data_dir))
    print(
        mint_token(
            (keys / "jwt-private.pem").read_bytes(),
            party=args.party,
            role=args.role,
            person=args.person,
            ttl_s=args.ttl,
        )
    )
    return 0


def _up(args: argparse.Namespace) -> int:
    from zorgtafel.launcher import run_suite

    return run_suite(Path(args.data_dir), broker_port=args.broker_port)


def _demo(args: argparse.Namespace) -> int:
    from zorgtafel.demo import run_demo

    return run_demo(Path(args.data_dir))


def _verify_log(args: argparse.Namespace) -> int:
    """Verify a service's access log against its signed checkpoints (NEN 7513, issue #15)."""
    import json as _json

    from sqlalchemy import create_engine

    from zorgtafel.kernel.accesslog import store
    from zorgtafel.kernel.accesslog.checkpoint import Checkpoint, PublicKey
    from zorgtafel.kernel.accesslog.service import log_id_of
    from zorgtafel.kernel.registry import definition

    service = args.log
    tables = store.LogTables.of(definition(service).tables)
    key_file = Path(args.public_key or Path(args.data_dir) / f"dev-keys/{service}-log-signing.pub")
    keys = [PublicKey.from_file(key_file)]
    trusted = []
    for path in args.checkpoint or ():
        # A published ACCESS_LOG_CHECKPOINTED event's data (or a list of them).
        data = _json.loads(Path(path).read_text())
        for c in data if isinstance(data, list) else [data]:
            trusted.append(
                Checkpoint(
                    c["log_id"],
                    int(c["size"]),
                    bytes.fromhex(c["root"]),
                    c["signed_at"],
                    c["key_id"],
                    bytes.fromhex(c["signature"]),
                )
            )
    engine = create_engine(args.service_db)
    if engine.dialect.name != "sqlite":
        engine = engine.execution_options(schema_translate_map={None: args.schema or service})
    try:
        with engine.connect() as conn:
            report = store.verify(conn, tables, keys, log_id=log_id_of(service), trusted=trusted)
    finally:
        engine.dispose()
    print(
        _json.dumps(
            {
                "intact": report.intact,
                "records": report.records,
                "first_bad_seq": report.first_bad_seq,
                "problems": report.problems,
                "signed_size": report.signed_size,
                "unsigned_records": report.unsigned_records,
                # Pruned at the end of the retention period: content gone, hash kept (#14).
                "pruned_records": report.pruned,
                "pruned_ranges": [list(r) for r in report.pruned_ranges],
            }
        )
    )
    return 0 if report.intact else 1


def _purge(args: argparse.Namespace) -> int:
    """One retention tick now (issue #14), or with --dry-run what it would remove."""
    import json as _json

    from zorgtafel.kernel.config import Settings
    from zorgtafel.kernel.logging import configure_logging
    from zorgtafel.kernel.purge_now import run_once

    configure_logging("INFO", stream=sys.stderr)  # the report alone on stdout
    reports: list[dict[str, object]] = []
    failed = False
    for service in [args.service] if args.service else SERVICES:
        try:
            report = run_once(Settings.from_env(service), dry_run=args.dry_run)
        except Exception as exc:  # noqa: BLE001 - one service's database away: say so, go on
            failed = True
            reports.append({"service": service, "ran": False, "error": type(exc).__name__})
            continue
        if report is not None:
            reports.append(report.to_dict())
    print(_json.dumps(reports, indent=2))
    return 1 if failed else 0


def _dead_letters(args: argparse.Namespace) -> int:
    """A service's parked events (ADR 0012): list them, replay them through the service's own
    idempotent consumer, or discard one by id. JSON on stdout: ids, types, error types."""
    import json as _json

    from zorgtafel.kernel import dead_letters
    from zorgtafel.kernel.config import Settings
    from zorgtafel.kernel.logging import configure_logging

    configure_logging("INFO", stream=sys.stderr)  # the report alone on stdout
    with dead_letters.service_consumer(Settings.from_env(args.service)) as consumer:
        if args.action == "list":
            print(_json.dumps(dead_letters.listed(consumer), indent=2))
            return 0
        if args.action == "discard":
            if not args.event_id:
                raise SystemExit("dead-letters discard: name the event with --event-id")
            found = [dead_letters.discard(consumer, e) for e in args.event_id]
            print(
                _json.dumps({"discarded": sum(found), "left": len(dead_letters.listed(consumer))})
            )
            return 0 if all(found) else 1
        report = dead_letters.replay(consumer, args.event_id or None)
        print(_json.dumps(report, indent=2))
        # Not all applied (still malformed, or the handler fails again): the operator acts.
        return 0 if report["removed"] == len(report["replayed"]) else 1


def build_parser(*, tools: bool = True) -> argparse.ArgumentParser:
    """Every command; without ``tools`` not the administrators' and policy owners' tools, whose
    modules a serving process then never loads (``serve``: ~2.5 MB per process, issue #16)."""
    parser = argparse.ArgumentParser(
        prog="zorgtafel", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="run one service, or the web console")
    p.add_argument("service", choices=(*SERVICES, "console"))
    p.add_argument(
        "--no-migrate",
        action="store_true",
        help="do not migrate at start (Kubernetes runs `zorgtafel migrate` in an init container)",
    )
    p.set_defaults(func=_serve)

    p = sub.add_parser("migrate", help="migrate one service's database to head")
    p.add_argument("service", choices=SERVICES)
    p.set_defaults(func=_migrate)

    p = sub.add_parser("makemigration", help="autogenerate a migration revision")
    p.add_argument("service", choices=SERVICES)
    p.add_argument("-m", "--message", required=True)
    p.set_defaults(func=_makemigration)

    p = sub.add_parser("token", help="mint a development token (ES256, dev key pair)")
    p.add_argument("--party", required=True, help="20-digit OIN")
    p.add_argument("--role", required=True)
    p.add_argument("--person", required=True, help="pseudonymous person id")
    p.add_argument("--ttl", type=int, default=3600)
    p.add_argument("--data-dir", default="var")
    p.set_defaults(func=_token)

    p = sub.add_parser("up", help="run the whole suite locally")
    p.add_argument("--data-dir", default="var")
    p.add_argument("--broker-port", type=int, default=9092)
    p.set_defaults(func=_up)

    p = sub.add_parser(
        "verify-log",
        help="verify a service's access log against its signed checkpoints "
        "(exit 1 when a record was edited, removed, inserted or reordered)",
    )
    p.add_argument(
        "--log",
        choices=SERVICES,
        default="disclosure",
        help="whose access log (every service keeps one; default: disclosure)",
    )
    p.add_argument(
        "--service-db",
        required=True,
        help="that service's database URL (sqlite:///... or postgresql+psycopg://...)",
    )
    p.add_argument(
        "--schema",
        default="",
        help="PostgreSQL schema of that service (default: the service's name)",
    )
    p.add_argument(
        "--public-key",
        default="",
        help="the log-signing public key (.pub, base64); default: "
        "<data-dir>/dev-keys/<service>-log-signing.pub",
    )
    p.add_argument("--data-dir", default="var")
    p.add_argument(
        "--checkpoint",
        action="append",
        help="a JSON file with published checkpoints (ACCESS_LOG_CHECKPOINTED data) held "
        "outside the database; repeatable",
    )
    p.set_defaults(func=_verify_log)
    if tools:
        _register_tools(sub)
    return parser


def _register_tools(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    # `zorgtafel checkpoints export`: governance's stored access-log checkpoints (issue #15).
    from services.governance.entrypoints.admin import register as register_checkpoints

    register_checkpoints(sub)

    # `zorgtafel restate-cases`: casework's cases restated for governance and disclosure after
    # an upgrade.
    from services.casework.entrypoints.admin import register as register_restate

    register_restate(sub)

    # `zorgtafel subject-report`: one subject access report across the services (issue #14).
    from zorgtafel.kernel.subjectdata.report_cli import register as register_subject_report

    register_subject_report(sub)

    p = sub.add_parser(
        "purge",
        help="run one retention tick now (what the periods in policies/rego/retention say is"
        " due); --dry-run lists it by kind and id without removing anything",
    )
    p.add_argument("--dry-run", action="store_true", help="list what would go; change nothing")
    p.add_argument("--service", choices=SERVICES, help="one service (default: every service)")
    p.set_defaults(func=_purge)

    p = sub.add_parser(
        "dead-letters",
        help="the events a service's consumer parked: list them, replay them (applied once"
        " each, through the service's handlers; exit 1 while some stay parked) or discard one",
    )
    p.add_argument("action", choices=("list", "replay", "discard"))
    p.add_argument("--service", choices=SERVICES, required=True)
    p.add_argument(
        "--event-id",
        action="append",
        help="only this parked event (repeatable); required for discard",
    )
    p.set_defaults(func=_dead_letters)

    p = sub.add_parser("demo", help="play one whole case against a running suite")
    p.add_argument("--data-dir", default="var")
    p.set_defaults(func=_demo)

    try:
        from zorgtafel.policy.cli import register
    except ImportError:  # the policy tools are optional only while they are being built
        pass
    else:
        register(sub)


def main(argv: list[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    args = build_parser(tools=given[:1] != ["serve"]).parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())

"""The one console entry point: ``zorgtafel <command>``.

up                 the whole suite on this machine (broker, four services, SQLite, embedded policy)
serve SERVICE      one service (the Kubernetes entry point)
migrate SERVICE    run that service's database migrations and exit
makemigration SERVICE -m MSG   write a new Alembic revision for a service (developers)
token              mint a development token (dev auth mode only)
policy ...         policy owners' tools: test, lint, explain, bundle, revision
demo               play partner systems through one whole case against a running suite
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from zorgtafel.kernel.config import SERVICES


def _serve(args: argparse.Namespace) -> int:
    from zorgtafel.kernel.bootstrap import bootstrap
    from zorgtafel.kernel.config import Settings
    from zorgtafel.kernel.logging import configure_logging
    from zorgtafel.kernel.registry import definition

    settings = Settings.from_env(args.service)
    configure_logging(settings.log_level)
    app = bootstrap(settings, definition(args.service), run_migrations=not args.no_migrate)
    app.install_signal_handlers()
    app.start()
    print(
        f"{args.service}: gRPC {settings.grpc_host}:{app.grpc_port}  "
        f"ops http://{settings.http_host}:{app.ops.port}",
        flush=True,
    )
    app.wait()
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from zorgtafel.kernel import db, migrate
    from zorgtafel.kernel.config import Settings
    from zorgtafel.kernel.registry import definition

    settings = Settings.from_env(args.service)
    d = definition(args.service)
    engine = db.make_engine(settings)
    migrate.upgrade(engine, d.metadata, d.versions_dir, settings.effective_schema)
    engine.dispose()
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
    """Recompute the disclosure access log's hash chain (tamper evidence, NEN 7513)."""
    import json as _json

    from sqlalchemy import create_engine

    from services.disclosure.adapters.accesslog import verify

    engine = create_engine(args.service_db)
    if engine.dialect.name != "sqlite":
        engine = engine.execution_options(schema_translate_map={None: args.schema})
    try:
        with engine.connect() as conn:
            report = verify(conn)
    finally:
        engine.dispose()
    print(
        _json.dumps(
            {
                "intact": report.intact,
                "records": report.records,
                "first_bad_seq": report.first_bad_seq,
                "problems": report.problems,
            }
        )
    )
    return 0 if report.intact else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zorgtafel", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="run one service")
    p.add_argument("service", choices=SERVICES)
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
        help="verify the disclosure access log's hash chain "
        "(exit 1 when a record was altered or removed)",
    )
    p.add_argument(
        "--service-db",
        required=True,
        help="the disclosure database URL (sqlite:///... or postgresql+psycopg://...)",
    )
    p.add_argument(
        "--schema",
        default="disclosure",
        help="PostgreSQL schema of the disclosure service (default: disclosure)",
    )
    p.set_defaults(func=_verify_log)

    p = sub.add_parser("demo", help="play one whole case against a running suite")
    p.add_argument("--data-dir", default="var")
    p.set_defaults(func=_demo)

    try:
        from zorgtafel.policy.cli import register
    except ImportError:  # the policy tools are optional only while they are being built
        pass
    else:
        register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())

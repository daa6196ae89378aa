"""``zorgtafel policy ...``: test, lint, explain, bundle, revision.

``register(subparsers)`` adds the ``policy`` command; each subcommand sets ``func(args) -> int``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from zorgtafel.policy import sources


def _policy_dir(args: argparse.Namespace) -> Path:
    return Path(args.policy_dir) if args.policy_dir else sources.default_policy_dir()


def _test(args: argparse.Namespace) -> int:
    from zorgtafel.policy import testing

    return testing.run(_policy_dir(args), testing.options_from(args))


def _lint(args: argparse.Namespace) -> int:
    from zorgtafel.policy import lint

    return lint.main([str(_policy_dir(args))])


def _explain(args: argparse.Namespace) -> int:
    from zorgtafel.policy.embedded import EmbeddedEngine
    from zorgtafel.policy.explain import explain

    try:
        document = json.loads(Path(args.input).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"cannot read input {args.input}: {exc}")
        return 2
    # An input file may hold the bare input or {"input": ...} as posted to OPA.
    if isinstance(document, dict) and set(document) == {"input"}:
        document = document["input"]
    engine = EmbeddedEngine(_policy_dir(args), timeout_s=args.timeout, workers=1)
    try:
        print(explain(engine, args.policy, document))
    finally:
        engine.close()
    return 0


def _bundle(args: argparse.Namespace) -> int:
    from zorgtafel.policy.bundle import build_bundle

    revision = build_bundle(_policy_dir(args), Path(args.out))
    print(f"wrote {args.out} revision {revision}")
    return 0


def _revision(args: argparse.Namespace) -> int:
    from zorgtafel.policy.bundle import revision_of

    print(revision_of(_policy_dir(args)))
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    policy = subparsers.add_parser(
        "policy", help="policy tools: test, lint, explain, bundle, revision"
    )
    policy.add_argument(
        "--policy-dir",
        default=None,
        help="Rego directory (default: policies/rego or $ZORGTAFEL_POLICY_DIR)",
    )
    commands = policy.add_subparsers(dest="policy_command", required=True)

    test = commands.add_parser(
        "test", help="run every test_ rule in *_test.rego on regorus and regopy"
    )
    from zorgtafel.policy.testing import add_arguments

    add_arguments(test)
    test.set_defaults(func=_test)
    commands.add_parser("lint", help="syntax and style checks").set_defaults(func=_lint)

    explain = commands.add_parser("explain", help="explain one decision for a privacy officer")
    explain.add_argument("--input", required=True, help="JSON file with the policy input")
    explain.add_argument(
        "--policy",
        default="disclosure",
        help="policy package, e.g. disclosure, authz (default: disclosure)",
    )
    explain.add_argument("--timeout", type=float, default=5.0, help=argparse.SUPPRESS)
    explain.set_defaults(func=_explain)

    bundle = commands.add_parser("bundle", help="write the OPA bundle .tar.gz")
    bundle.add_argument("--out", default="var/policy/bundle.tar.gz")
    bundle.set_defaults(func=_bundle)

    commands.add_parser("revision", help="print the bundle revision (content hash)").set_defaults(
        func=_revision
    )

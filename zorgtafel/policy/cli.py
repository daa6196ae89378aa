"""``zorgtafel policy ...``: test, check, lint, coverage, mutation, explain, bundle, revision.

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

    return lint.main([str(_policy_dir(args))] + (["--rules"] if args.rules else []))


def _explain(args: argparse.Namespace) -> int:
    from zorgtafel.policy.embedded import EmbeddedEngine
    from zorgtafel.policy.explain import explain

    if args.decision_id:  # a logged decision, replayed (issue #17)
        from zorgtafel.policy.loop import explain_decision

        return explain_decision(args)
    if not args.input:
        print("give --input FILE (an input) or --decision-id ID (a logged decision)")
        return 2
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
    from zorgtafel.policy import check, testing
    from zorgtafel.policy.bundle import build_bundle

    # A red check or a red test suite refuses the bundle: OPA would refuse it anyway, keep the
    # old revision, and governance's readiness would wait for the new one forever.
    directory = _policy_dir(args)
    findings = check.check(directory)
    for finding in findings:
        print(finding.text())
    if findings:
        print(f"refused: {len(findings)} finding(s) of policy check; no bundle written")
        return 1
    results, _ = testing.run_tests(directory, testing.Options(regopy=False))
    failed = [r for r in results if not r.passed]
    for result in failed:
        print(result.line())
    if failed or not results:
        print(f"refused: {testing.summary(results)} (policy test); no bundle written")
        return 1
    revision = build_bundle(directory, Path(args.out))
    print(f"wrote {args.out} revision {revision}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from zorgtafel.policy import check

    return check.main(_policy_dir(args))


def _coverage(args: argparse.Namespace) -> int:
    from zorgtafel.policy import coverage

    return coverage.main(_policy_dir(args), args.min, args.per_rule, args.package)


def _mutation(args: argparse.Namespace) -> int:
    from zorgtafel.policy import mutation

    files = tuple(args.files) if args.files else mutation.DECISION_DIRS
    return mutation.main(_policy_dir(args), args.min, args.sample, files)


def _revision(args: argparse.Namespace) -> int:
    from zorgtafel.policy.bundle import revision_of

    print(revision_of(_policy_dir(args)))
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    policy = subparsers.add_parser(
        "policy",
        help="policy tools: test, lint, explain, bundle, revision, impact, propose, adopt, status",
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
    lint = commands.add_parser(
        "lint", help="policy check plus the house and Regal-kind rules, each with its reason"
    )
    lint.add_argument("--rules", action="store_true", help="list the rules and their reasons")
    lint.set_defaults(func=_lint)
    commands.add_parser(
        "check", help="compile strictly and evaluate every entry point on its schema's example"
    ).set_defaults(func=_check)

    from zorgtafel.policy import coverage, mutation

    cover = commands.add_parser("coverage", help="line coverage per rule file (and rule)")
    cover.add_argument(
        "--min", type=float, default=None, help=f"gate, e.g. {coverage.DEFAULT_MIN:g}"
    )
    cover.add_argument("--per-rule", action="store_true", help="the lines no test reaches")
    cover.add_argument("--package", default=None, help="only this policy package")
    cover.set_defaults(func=_coverage)

    mutate = commands.add_parser("mutation", help="mutation score of the decision policies")
    mutate.add_argument(
        "--min", type=float, default=None, help=f"gate, e.g. {mutation.DEFAULT_MIN:g}"
    )
    mutate.add_argument("--sample", type=int, default=None, help="only this many mutants")
    mutate.add_argument(
        "files", nargs="*", help="rule files or directories (default: the decision policies)"
    )
    mutate.set_defaults(func=_mutation)

    explain = commands.add_parser("explain", help="explain one decision for a privacy officer")
    explain.add_argument("--input", default="", help="JSON file with the policy input")
    explain.add_argument(
        "--policy",
        default="disclosure",
        help="policy package, e.g. disclosure, authz (default: disclosure)",
    )
    explain.add_argument("--timeout", type=float, default=5.0, help=argparse.SUPPRESS)
    from zorgtafel.policy import loop

    loop.add_explain_arguments(explain)
    explain.set_defaults(func=_explain)

    bundle = commands.add_parser("bundle", help="write the OPA bundle .tar.gz")
    bundle.add_argument("--out", default="var/policy/bundle.tar.gz")
    bundle.set_defaults(func=_bundle)

    commands.add_parser("revision", help="print the bundle revision (content hash)").set_defaults(
        func=_revision
    )
    loop.register(commands)  # impact, propose, adopt, status

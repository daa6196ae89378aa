"""The policy owners' loop from the command line (issue #17): ``explain --decision-id``,
``impact``, ``propose``, ``adopt`` and ``status`` (``zorgtafel policy ...``).

explain and impact read access logs from the services' databases, read-only, as ``zorgtafel
verify-log`` does (``replay.py`` says why). propose, adopt and status call governance over gRPC
as the user: their token (``--token``/``ZORGTAFEL_TOKEN``, or ``--token-file``) and, when mTLS is
on, their party's certificate (``--tls-ca``, ``--tls-cert``, ``--tls-key``, each also from
``ZORGTAFEL_TLS_*_FILE``), so governance's policy decides exactly as for any partner system.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from zorgtafel.kernel.config import DEFAULT_GRPC_PORTS, SERVICES
from zorgtafel.policy import sources

_SINCE = re.compile(r"^(\d+)([dhm])$")
IMPACT_CODE_PREFIX = "impact-"


def _policy_dir(args: argparse.Namespace) -> Path:
    return Path(args.policy_dir) if args.policy_dir else sources.default_policy_dir()


# -- reading the logs ---------------------------------------------------------------------------


def _log_urls(args: argparse.Namespace) -> dict[str, str]:
    """The access logs to read: ``--service-db`` for ``--log``, else every service's embedded
    SQLite file under ``--data-dir`` that exists."""
    if args.service_db:
        return {args.log or "disclosure": args.service_db}
    services = [args.log] if args.log else list(SERVICES)
    out = {}
    for service in services:
        path = Path(args.data_dir) / f"{service}.db"
        if path.exists():
            out[service] = f"sqlite:///{path.resolve()}"
    return out


def _governance_db(args: argparse.Namespace) -> str:
    if args.governance_db:
        return str(args.governance_db)
    path = Path(args.data_dir) / "governance.db"
    return f"sqlite:///{path.resolve()}" if path.exists() else ""


@contextmanager
def _revisions(args: argparse.Namespace) -> Iterator[Any]:
    from zorgtafel.policy.replay import Revisions

    revisions = Revisions(
        dirs=[_policy_dir(args)],
        bundles=[Path(b) for b in args.bundle or ()],
        governance_url=_governance_db(args),
        governance_schema=args.governance_schema,
    )
    try:
        yield revisions
    finally:
        revisions.close()


def _sources(args: argparse.Namespace) -> list[Any]:
    from zorgtafel.policy.replay import LogSource

    return [LogSource(s, url, args.schema) for s, url in _log_urls(args).items()]


def _revision_arg(revisions: Any, text: str) -> str:
    """A revision given as a content hash, a policy directory or a bundle file."""
    if text.startswith("sha256:"):
        return text
    return str(revisions.add(Path(text)))


def explain_decision(args: argparse.Namespace) -> int:
    from zorgtafel.policy.errors import PolicyError
    from zorgtafel.policy.explain import explain_recorded

    logs = _sources(args)
    if not logs:
        print("no access log to read: give --service-db (and --log) or --data-dir")
        return 2
    try:
        found = [r for log in logs for r in log.by_decision(args.decision_id)]
    finally:
        for log in logs:
            log.close()
    if not found:
        print(f"no record of decision {args.decision_id} that kept its input")
        return 1
    with _revisions(args) as revisions:
        try:
            others = [_revision_arg(revisions, r) for r in args.revision or ()]
            print("\n\n".join(explain_recorded(revisions, rec, others) for rec in found))
        except PolicyError as exc:
            print(f"cannot replay: {exc}")
            return 1
    return 0


def parse_since(text: str, now: datetime | None = None) -> datetime | None:
    """``30d``, ``12h``, ``90m`` or an ISO date/time; "" means the whole log."""
    if not text:
        return None
    now = now or datetime.now(timezone.utc)
    m = _SINCE.match(text)
    if m:
        n, unit = int(m.group(1)), m.group(2)
        return (
            now - {"d": timedelta(days=n), "h": timedelta(hours=n), "m": timedelta(minutes=n)}[unit]
        )
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def run_impact(args: argparse.Namespace) -> int:
    from zorgtafel.policy.errors import PolicyError
    from zorgtafel.policy.impact import impact

    since = parse_since(args.since)
    logs = _sources(args)
    if not logs:
        print("no access log to read: give --service-db (and --log) or --data-dir")
        return 2
    with _revisions(args) as revisions:
        try:
            candidate = _revision_arg(revisions, args.revision or str(_policy_dir(args)))
            records = [r for log in logs for r in log.since(since)]
            report = impact(revisions, records, candidate, since)
        except PolicyError as exc:
            print(f"cannot replay: {exc}")
            return 1
        finally:
            for log in logs:
                log.close()
    if args.out:
        Path(args.out).write_text(
            json.dumps({**report.document(), "digest": report.digest}, indent=2) + "\n",
            encoding="utf-8",
        )
    print(
        json.dumps({**report.document(), "digest": report.digest}) if args.json else report.text()
    )
    return 0


# -- talking to governance ----------------------------------------------------------------------


def _token(args: argparse.Namespace) -> str:
    if args.token:
        return str(args.token)
    if args.token_file:
        return Path(args.token_file).read_text(encoding="utf-8").strip()
    return os.environ.get("ZORGTAFEL_TOKEN", "")


def _channel(args: argparse.Namespace) -> Any:
    import grpc

    if not args.tls_ca:
        return grpc.insecure_channel(args.governance)
    creds = grpc.ssl_channel_credentials(
        root_certificates=Path(args.tls_ca).read_bytes(),
        private_key=Path(args.tls_key).read_bytes() if args.tls_key else None,
        certificate_chain=Path(args.tls_cert).read_bytes() if args.tls_cert else None,
    )
    options = (
        [("grpc.ssl_target_name_override", args.tls_server_name)] if args.tls_server_name else []
    )
    return grpc.secure_channel(args.governance, creds, options=options)


@contextmanager
def _governance(args: argparse.Namespace) -> Iterator[tuple[Any, tuple[tuple[str, str], ...]]]:
    from zorgtafel.generated.governance.v1 import governance_pb2_grpc as gv_grpc

    token = _token(args)
    if not token:
        raise SystemExit("no token: give --token, --token-file or ZORGTAFEL_TOKEN")
    channel = _channel(args)
    try:
        yield gv_grpc.GovernanceServiceStub(channel), (("authorization", f"Bearer {token}"),)
    finally:
        channel.close()


def _rpc_failed(what: str, err: Any) -> int:
    print(f"{what} refused: {err.code().name}: {err.details()}")
    return 1


def impact_code(digest: str) -> str:
    """The proposal's subject code naming an impact report: ``impact-`` and the first 48 hex of
    its digest (a code is at most 64 characters of [a-z0-9._-]: no room for all 64)."""
    return IMPACT_CODE_PREFIX + digest.removeprefix("sha256:")[:48]


def _report_digest(path: str, revision: str) -> str:
    from zorgtafel.policy.decision import canonical_json, digest_of

    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    doc.pop("digest", None)
    if doc.get("candidate") != revision:
        raise SystemExit(
            f"the impact report is about {doc.get('candidate')}, not about {revision}: "
            "run `zorgtafel policy impact` on this revision"
        )
    return digest_of(canonical_json(doc))


def propose(args: argparse.Namespace) -> int:
    import grpc

    from zorgtafel.generated.governance.v1 import governance_pb2 as pb
    from zorgtafel.policy.bundle import revision_of

    revision = revision_of(_policy_dir(args))
    subject = args.subject_code
    if args.impact_report:
        subject = impact_code(_report_digest(args.impact_report, revision))
    request = pb.ProposeRequest(
        request_id=args.request_id or f"propose-{uuid.uuid4().hex}",
        body=pb.BODY_PARTNER_COUNCIL,
        kind=pb.PROPOSAL_KIND_WORK_PROCESS,
        subject_code=subject,
        work_process_version=args.work_process_version,
        policy_revision=revision,
        meeting_id=args.meeting_id,
    )
    with _governance(args) as (stub, md):
        try:
            reply = stub.Propose(request, metadata=md, timeout=args.timeout)
        except grpc.RpcError as err:
            return _rpc_failed("Propose", err)
    p = reply.proposal
    print(
        json.dumps(
            {
                "proposal_id": p.proposal_id,
                "policy_revision": p.policy_revision,
                "work_process_version": p.work_process_version,
                "subject_code": p.subject_code,
                "status": pb.ProposalStatus.Name(p.status),
            }
        )
    )
    return 0


def adopt(args: argparse.Namespace) -> int:
    import tempfile

    import grpc

    from zorgtafel.generated.governance.v1 import governance_pb2 as pb
    from zorgtafel.policy.bundle import build_bundle

    if args.bundle_file:
        data = Path(args.bundle_file).read_bytes()
    else:
        with tempfile.TemporaryDirectory() as tmp:
            build_bundle(_policy_dir(args), Path(tmp) / "bundle.tar.gz")
            data = (Path(tmp) / "bundle.tar.gz").read_bytes()
    request = pb.AdoptPolicyRevisionRequest(
        request_id=args.request_id or f"adopt-{uuid.uuid4().hex}",
        proposal_id=args.proposal_id,
        bundle=data,
    )
    with _governance(args) as (stub, md):
        try:
            reply = stub.AdoptPolicyRevision(request, metadata=md, timeout=args.timeout)
        except grpc.RpcError as err:
            return _rpc_failed("AdoptPolicyRevision", err)
    print(json.dumps(_revision_doc(reply.revision)))
    return 0


def _revision_doc(r: Any) -> dict[str, Any]:
    return {
        "revision": r.revision,
        "work_process_version": r.work_process_version,
        "proposal_id": r.proposal_id,
        "decision_id": r.decision_id,
        "adopted_at": r.adopted_at.ToJsonString() if r.HasField("adopted_at") else "",
    }


def status(args: argparse.Namespace) -> int:
    """The adopted revision (governance's), the one in the policy directory, which revision
    each service instance enforces (``everywhere``: all on the adopted one), and, with
    ``--proposal``, where that proposal stands."""
    import grpc

    from zorgtafel.generated.governance.v1 import governance_pb2 as pb
    from zorgtafel.policy.bundle import revision_of

    out: dict[str, Any] = {"local": revision_of(_policy_dir(args))}
    with _governance(args) as (stub, md):
        try:
            reply = stub.GetAdoptedPolicyRevision(
                pb.GetAdoptedPolicyRevisionRequest(), metadata=md, timeout=args.timeout
            )
            out["adopted"] = _revision_doc(reply.revision) if reply.HasField("revision") else None
            # Which revision each service instance enforces, as each last reported it.
            out["enforced"] = [
                {
                    "service": e.service,
                    "instance": e.instance,
                    "revision": e.revision,
                    "since": e.enforced_at.ToJsonString(),
                }
                for e in reply.enforced
            ]
            if args.proposal_id:
                p = stub.GetProposal(
                    pb.GetProposalRequest(proposal_id=args.proposal_id),
                    metadata=md,
                    timeout=args.timeout,
                ).proposal
                out["proposal"] = {
                    "proposal_id": p.proposal_id,
                    "status": pb.ProposalStatus.Name(p.status),
                    "policy_revision": p.policy_revision,
                    "subject_code": p.subject_code,
                    "decision_id": p.decision_id,
                }
        except grpc.RpcError as err:
            return _rpc_failed("status", err)
    adopted = out.get("adopted") or {}
    out["local_is_adopted"] = adopted.get("revision") == out["local"]
    out["everywhere"] = bool(out["enforced"]) and all(
        e["revision"] == adopted.get("revision") for e in out["enforced"]
    )
    print(json.dumps(out, indent=None if args.json else 2))
    return 0


# -- arguments ----------------------------------------------------------------------------------


def _log_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--log", choices=SERVICES, default="", help="whose access log (default: all)")
    p.add_argument("--service-db", default="", help="that service's database URL")
    p.add_argument("--schema", default="", help="its PostgreSQL schema (default: its name)")
    p.add_argument(
        "--data-dir",
        default=os.environ.get("ZORGTAFEL_DATA_DIR", "var"),
        help="the embedded suite's data directory (its <service>.db files)",
    )
    p.add_argument(
        "--bundle", action="append", help="a bundle file or policy dir of a revision; repeatable"
    )
    p.add_argument(
        "--governance-db",
        default="",
        help="governance's database URL: adopted revisions' bundles (default: <data-dir>)",
    )
    p.add_argument("--governance-schema", default="", help=argparse.SUPPRESS)


def _client_arguments(p: argparse.ArgumentParser) -> None:
    env = os.environ.get
    p.add_argument(
        "--governance",
        default=env("ZORGTAFEL_GOVERNANCE_ADDR", f"127.0.0.1:{DEFAULT_GRPC_PORTS['governance']}"),
        help="governance's gRPC address (ZORGTAFEL_GOVERNANCE_ADDR)",
    )
    p.add_argument("--token", default="", help="your token (default: ZORGTAFEL_TOKEN)")
    p.add_argument("--token-file", default=env("ZORGTAFEL_TOKEN_FILE", ""))
    p.add_argument("--tls-ca", default=env("ZORGTAFEL_TLS_CA_FILE", ""), help="server CA (PEM)")
    p.add_argument("--tls-cert", default=env("ZORGTAFEL_TLS_CERT_FILE", ""), help="your cert")
    p.add_argument("--tls-key", default=env("ZORGTAFEL_TLS_KEY_FILE", ""), help="its key")
    p.add_argument("--tls-server-name", default=env("ZORGTAFEL_TLS_SERVER_NAME", ""))
    p.add_argument("--request-id", default="", help="idempotency key (default: a new one)")
    p.add_argument("--timeout", type=float, default=30.0, help=argparse.SUPPRESS)


def add_explain_arguments(explain: argparse.ArgumentParser) -> None:
    """``explain --decision-id ID [--revision R ...]`` beside ``explain --input FILE``."""
    explain.add_argument("--decision-id", default="", help="a logged decision to re-evaluate")
    explain.add_argument(
        "--revision",
        action="append",
        help="also re-evaluate under this revision (hash, policy dir or bundle); repeatable",
    )
    _log_arguments(explain)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = commands.add_parser(
        "impact", help="replay recorded decisions under a candidate revision: what would change"
    )
    p.add_argument(
        "--revision",
        default="",
        help="the candidate: a policy dir, a bundle or a known hash (default: --policy-dir)",
    )
    p.add_argument("--since", default="30d", help="30d, 12h, 90m or an ISO time; '' for all")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--out", default="", help="also write the JSON report (with its digest) here")
    _log_arguments(p)
    p.set_defaults(func=run_impact)

    p = commands.add_parser(
        "propose", help="propose the policy dir's revision to the partner council (6.6c, 11.3a)"
    )
    p.add_argument("--work-process-version", required=True, help="a code, e.g. wp-2026-12")
    p.add_argument("--subject-code", default="policy-revision")
    p.add_argument(
        "--impact-report",
        default="",
        help="the JSON of `policy impact --out`: its digest becomes the proposal's subject code",
    )
    p.add_argument("--meeting-id", default="")
    _client_arguments(p)
    p.set_defaults(func=propose)

    p = commands.add_parser("adopt", help="adopt the bundle an adopted proposal names")
    p.add_argument("--proposal-id", required=True)
    p.add_argument(
        "--bundle-file", default="", help="the bundle to send (default: built from --policy-dir)"
    )
    _client_arguments(p)
    p.set_defaults(func=adopt)

    p = commands.add_parser("status", help="the adopted revision and the local one")
    p.add_argument("--proposal-id", default="", help="also show where this proposal stands")
    p.add_argument("--json", action="store_true", help="one line of JSON")
    _client_arguments(p)
    p.set_defaults(func=status)

"""``zorgtafel subject-report``: the subject access report across the four services (issue
#14), asked of a running suite's disclosure service as a privacy officer, printed as JSON.

Development mode: the token is minted with the suite's development key (``--data-dir``) for the
party, role and person given; against a production suite pass ``--token`` (and a TLS channel is
not offered here: use a partner system)."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from zorgtafel.kernel.config import DEFAULT_GRPC_PORTS


def register(sub: Any) -> None:
    p = sub.add_parser(
        "subject-report",
        help="the subject access report across the four services (GDPR art. 15), as JSON",
    )
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--case", help="the case id")
    which.add_argument("--subject", help="the subject's pseudonym")
    p.add_argument("--party", help="the privacy officer's party (20-digit OIN)")
    p.add_argument("--person", default="fg-cli", help="the privacy officer (pseudonymous id)")
    p.add_argument("--token", default="", help="a token instead of minting a development one")
    p.add_argument("--data-dir", default="var")
    p.add_argument(
        "--address",
        default="",
        help="disclosure's gRPC address (default 127.0.0.1:$ZORGTAFEL_DISCLOSURE_GRPC_PORT)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import grpc
    from google.protobuf.json_format import MessageToDict

    from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
    from zorgtafel.generated.disclosure.v1 import disclosure_pb2_grpc as pb_grpc

    token = args.token
    if not token:
        if not args.party:
            raise SystemExit("give --party (with the development key) or --token")
        from zorgtafel.kernel.devkeys import mint_token

        key = Path(args.data_dir) / "dev-keys" / "jwt-private.pem"
        token = mint_token(
            key.read_bytes(), party=args.party, role="privacy_officer", person=args.person
        )
    port = os.environ.get("ZORGTAFEL_DISCLOSURE_GRPC_PORT", DEFAULT_GRPC_PORTS["disclosure"])
    address = args.address or f"127.0.0.1:{port}"
    request = (
        pb.SubjectDataReportRequest(case_id=args.case)
        if args.case
        else pb.SubjectDataReportRequest(subject_pseudonym=args.subject)
    )
    with grpc.insecure_channel(address) as channel:
        try:
            reply = pb_grpc.DisclosureServiceStub(channel).SubjectDataReport(
                request, metadata=(("authorization", f"Bearer {token}"),), timeout=60
            )
        except grpc.RpcError as err:
            print(json.dumps({"status": err.code().name, "details": err.details()}, indent=2))
            return 1
    print(json.dumps(MessageToDict(reply), indent=2, ensure_ascii=False))
    return 0

"""``zorgtafel policy status`` (and so propose and adopt, which share its client) calls
governance with mTLS on as a partner system does (issue #17): the user's party certificate and
token from the command line are served; without the certificate the call never reaches a
handler."""

from __future__ import annotations

import json

import pytest

from zorgtafel.cli import build_parser
from zorgtafel.testing import running_service
from zorgtafel.testing_pki import TestCA

pytestmark = pytest.mark.integration

OIN = "00000099000000000037"


def cli(capsys, *argv: str) -> tuple[int, str]:
    args = build_parser().parse_args(list(argv))
    code = args.func(args)
    return code, capsys.readouterr().out


def test_policy_status_over_mtls_with_the_users_certificate_and_token(
    broker, data_dir, keys, tmp_path, capsys
):
    ca = TestCA()
    files = ca.write_server_files(data_dir / "tls")
    client = ca.client(OIN)
    (tmp_path / "me.crt").write_bytes(client.cert_pem)
    (tmp_path / "me.key").write_bytes(client.key_pem)
    token = keys.token(OIN, "council_delegate")
    with running_service(
        "governance", data_dir, broker.bootstrap, auth_mode="mtls", **files
    ) as app:
        common = ["--governance", f"127.0.0.1:{app.grpc_port}", "--token", token]
        tls = ["--tls-ca", files["tls_client_ca_file"], "--tls-server-name", "localhost"]
        mine = ["--tls-cert", str(tmp_path / "me.crt"), "--tls-key", str(tmp_path / "me.key")]
        code, out = cli(capsys, "policy", "status", "--json", *common, *tls, *mine)
        assert code == 0, out
        status = json.loads(out.strip().splitlines()[-1])  # the service logs to stdout too
        assert status["local"].startswith("sha256:") and "adopted" in status
        code, out = cli(capsys, "policy", "status", "--json", "--timeout", "5", *common, *tls)
        assert code == 1 and "UNAVAILABLE" in out  # no client certificate: no handshake

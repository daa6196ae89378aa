"""The console's channel over real mTLS (ADR 0009): a party's console presents that party's
client certificate, and a service in mTLS mode serves a person of that party through it and
refuses a token of another party (the certificate's party must be the token's)."""

from __future__ import annotations

import pytest

from services.console.adapters.calls import Caller, ServiceError
from services.console.adapters.channels import client_tls, open_channel
from services.console.settings import ConsoleSettings
from zorgtafel.demo import actors
from zorgtafel.generated.governance.v1 import governance_pb2 as gv
from zorgtafel.generated.governance.v1 import governance_pb2_grpc as gv_grpc
from zorgtafel.testing import running_service
from zorgtafel.testing_pki import TestCA

pytestmark = pytest.mark.integration


def test_the_consoles_channel_presents_its_partys_certificate_to_the_services(
    broker, data_dir, keys, tmp_path
):
    ca = TestCA()
    server = ca.write_server_files(data_dir / "tls")
    mine = ca.client(actors.LEGER_DES_HEILS)
    (tmp_path / "tls.crt").write_bytes(mine.cert_pem)
    (tmp_path / "tls.key").write_bytes(mine.key_pem)
    (tmp_path / "secret").write_text("s" * 40)
    with running_service(
        "governance", data_dir, broker.bootstrap, auth_mode="mtls", **server
    ) as app:
        settings = ConsoleSettings.from_env(
            {
                "ZORGTAFEL_DATA_DIR": str(tmp_path),
                "ZORGTAFEL_CONSOLE_SECRET_KEY_FILE": str(tmp_path / "secret"),
                "ZORGTAFEL_CONSOLE_PARTY": actors.LEGER_DES_HEILS,
                "ZORGTAFEL_CONSOLE_TLS_CA_FILE": server["tls_client_ca_file"],
                "ZORGTAFEL_CONSOLE_TLS_CERT_FILE": str(tmp_path / "tls.crt"),
                "ZORGTAFEL_CONSOLE_TLS_KEY_FILE": str(tmp_path / "tls.key"),
                "ZORGTAFEL_CONSOLE_TLS_SERVER_NAME": "localhost",
                "ZORGTAFEL_CONSOLE_GOVERNANCE_ADDRESS": f"127.0.0.1:{app.grpc_port}",
            }
        )
        address = settings.endpoints["governance"]
        with open_channel(settings, address, client_tls(settings)) as channel:
            stub = gv_grpc.GovernanceServiceStub(channel)
            own = Caller(keys.token(actors.LEGER_DES_HEILS, "caseworker", "lh-bram"), 20)
            reply = own(stub.ListParties, gv.ListPartiesRequest(page_size=500))
            assert actors.LEGER_DES_HEILS in {p.party_id for p in reply.parties}
            # The same channel with a token of another party: the certificate does not match.
            other = Caller(keys.token(actors.POLICE, "caseworker", "pol-carla"), 20)
            with pytest.raises(ServiceError) as refused:
                other(stub.ListParties, gv.ListPartiesRequest(page_size=500))
            assert refused.value.code == "UNAUTHENTICATED"
        # Without the client certificate the service is not reached at all.
        bare = ConsoleSettings(**{**settings.__dict__, "tls_cert_file": "", "tls_key_file": ""})
        with open_channel(bare, address, client_tls(bare)) as channel:
            stub = gv_grpc.GovernanceServiceStub(channel)
            with pytest.raises(ServiceError) as refused:
                Caller(keys.token(actors.LEGER_DES_HEILS, "caseworker"), 5)(
                    stub.ListParties, gv.ListPartiesRequest()
                )
            assert refused.value.code == "UNAVAILABLE"

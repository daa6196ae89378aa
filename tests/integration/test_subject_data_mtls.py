"""Issue #14 in the production channel mode: disclosure asks intake for its part of the subject
access report over mTLS, presenting its relay certificate (the suite's internal CA, URI SAN
``urn:zorgtafel:service:disclosure``) and relaying the privacy officer's token, as casework does
for the pre-read. Intake, trusting disclosure as a relay (``ZORGTAFEL_TLS_RELAY_SERVICES``),
takes the officer's party from the token and decides by its own facts; the relay certificate
reaches no other intake method (need to know)."""

from __future__ import annotations

import grpc
import pytest

from tests.integration.intake.conftest import ACTIVE, ASTEN, FARENT, Env, nominate_request
from tests.integration.test_preread_mtls import AsTheCaller, service_tls_files
from zorgtafel.generated.intake.v1 import intake_pb2 as ipb
from zorgtafel.generated.intake.v1 import intake_pb2_grpc as ipb_grpc
from zorgtafel.generated.subjectdata.v1 import subjectdata_pb2 as sd
from zorgtafel.kernel.subjectdata.client import SubjectDataPeers
from zorgtafel.testing import Keys, Publisher, running_service, settings_for
from zorgtafel.testing_pki import TestCA

pytestmark = pytest.mark.integration

HOST = "00000099000000000018"  # the organisation hosting the suite (its certificates' OIN)


@pytest.fixture(scope="module")
def suite(broker, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("subject-data-mtls")
    keys = Keys(data_dir)
    partners = TestCA("PKIoverheid test CA")
    internal = TestCA("Zorgtafel internal CA")
    files = service_tls_files(
        internal, data_dir / "tls", HOST, client_ca_pem=partners.cert_pem + internal.cert_pem
    )
    relay = internal.service("disclosure", oin=HOST)
    (data_dir / "relay").mkdir()
    (data_dir / "relay" / "tls.crt").write_bytes(relay.cert_pem)
    (data_dir / "relay" / "tls.key").write_bytes(relay.key_pem)
    publisher = Publisher(broker.bootstrap)
    try:
        with running_service(
            "intake",
            data_dir,
            broker.bootstrap,
            auth_mode="mtls",
            tls_relay_ca_file=str(data_dir / "tls" / "ca.crt"),
            tls_relay_services=("disclosure",),
            **files,
        ) as intake:
            env = Env(intake, keys, publisher)
            env.stub = AsTheCaller(partners, intake.grpc_port, ipb_grpc.IntakeServiceStub, internal)
            # Disclosure's side, configured as in its pod: its own TLS files and the relay pair.
            settings = settings_for(
                "disclosure",
                data_dir,
                broker.bootstrap,
                auth_mode="mtls",
                intake_address=f"127.0.0.1:{intake.grpc_port}",
                peer_ca_file=str(data_dir / "tls" / "ca.crt"),
                relay_client_cert_file=str(data_dir / "relay" / "tls.crt"),
                relay_client_key_file=str(data_dir / "relay" / "tls.key"),
                **files,
            )
            peers = SubjectDataPeers.from_settings(settings, ("intake",))
            try:
                env.register_parties(ACTIVE)
                yield env, peers, data_dir, internal
            finally:
                peers.close()
                env.stub.close()
    finally:
        publisher.close()


def token_of(env: Env, party: str, role: str = "privacy_officer", person: str = "fg-1") -> dict:
    return dict(env.md(party, role, person=person))


def test_disclosure_asks_intake_over_mtls_for_the_officers_part(suite):
    env, peers, _dir, _ca = suite
    case_id = env.stub.Nominate(nominate_request(), metadata=env.md(ASTEN, person="w-1")).case_id
    answer = peers.export("intake", "case_id", case_id, token_of(env, ASTEN))
    assert answer.status == sd.SECTION_STATUS_ANSWERED and answer.data is not None
    assert list(answer.data.case_ids) == [case_id]
    assert any(s.name == "identity" and s.records for s in answer.data.sections)
    # Another party's privacy officer, relayed the same way: intake's own facts refuse it.
    refused = peers.export("intake", "case_id", case_id, token_of(env, FARENT, person="fg-2"))
    assert refused.status == sd.SECTION_STATUS_NOT_A_CONTROLLER and refused.reasons


def test_the_relay_certificate_reaches_no_other_intake_method(suite):
    env, _peers, data_dir, internal = suite
    creds = grpc.ssl_channel_credentials(
        root_certificates=internal.cert_pem,
        private_key=(data_dir / "relay" / "tls.key").read_bytes(),
        certificate_chain=(data_dir / "relay" / "tls.crt").read_bytes(),
    )
    with grpc.secure_channel(f"127.0.0.1:{env.app.grpc_port}", creds) as channel:
        with pytest.raises(grpc.RpcError) as refused:
            ipb_grpc.IntakeServiceStub(channel).GetNomination(
                ipb.GetNominationRequest(case_id="0" * 32),
                metadata=env.md(ASTEN, "caseworker", person="w-1"),  # a role it admits
            )
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert "relay" in (refused.value.details() or "")


def test_the_report_gets_the_same_part_from_intake_for_a_case_held_for_others_as_for_none(suite):
    """The per-service part the report combines (8.4c): for another party's privacy officer,
    intake's answer for a case it holds for others and for a case number of none is the same
    (status and reasons), so the assembled report tells her no more than that nothing is held
    for her party as controller."""
    env, peers, _dir, _ca = suite
    case_id = env.stub.Nominate(nominate_request(), metadata=env.md(ASTEN, person="w-2")).case_id
    held = peers.export("intake", "case_id", case_id, token_of(env, FARENT, person="fg-3"))
    none = peers.export("intake", "case_id", "f" * 32, token_of(env, FARENT, person="fg-4"))
    assert (held.status, held.reasons) == (none.status, none.reasons)
    assert held.status == sd.SECTION_STATUS_NOT_A_CONTROLLER
    assert any(f"nothing held for party {FARENT} as controller" in r for r in held.reasons)

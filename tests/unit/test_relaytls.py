"""The one rule for the TLS a suite service presents when it relays a person's call (casework's
pre-read, disclosure's subject access report): never a plaintext downgrade in mTLS mode, and an
incomplete setting fails at start, naming the setting."""

from __future__ import annotations

import pytest

from zorgtafel.kernel.config import Settings
from zorgtafel.kernel.relaytls import RelaySettings, RelayTls

ROUTE = RelaySettings("peer_ca_file", "relay_client_cert_file", "relay_client_key_file", "peers")


def settings(tmp_path, **env: str) -> Settings:
    return Settings.from_env("disclosure", {"ZORGTAFEL_DATA_DIR": str(tmp_path), **env})


def files(tmp_path, *names: str) -> dict[str, str]:
    out = {}
    for name in names:
        (tmp_path / name).write_bytes(f"-- {name} --".encode())
        out[name] = str(tmp_path / name)
    return out


def test_plaintext_only_when_the_service_serves_plaintext_itself(tmp_path):
    assert RelayTls.from_settings(settings(tmp_path, ZORGTAFEL_AUTH_MODE="dev"), ROUTE) is None
    with pytest.raises(ValueError, match="mtls needs ZORGTAFEL_TLS_CERT_FILE"):
        RelayTls.from_settings(settings(tmp_path, ZORGTAFEL_AUTH_MODE="mtls"), ROUTE)


def test_tls_without_a_ca_to_trust_fails_naming_the_setting(tmp_path):
    f = files(tmp_path, "tls.crt", "tls.key")
    s = settings(
        tmp_path,
        ZORGTAFEL_AUTH_MODE="mtls",
        ZORGTAFEL_TLS_CERT_FILE=f["tls.crt"],
        ZORGTAFEL_TLS_KEY_FILE=f["tls.key"],
    )
    with pytest.raises(ValueError, match="ZORGTAFEL_PEER_CA_FILE"):
        RelayTls.from_settings(s, ROUTE)


def test_the_relay_pair_is_both_or_neither_and_replaces_the_served_pair(tmp_path):
    f = files(tmp_path, "tls.crt", "tls.key", "ca.crt", "relay.crt", "relay.key")
    base = {
        "ZORGTAFEL_AUTH_MODE": "mtls",
        "ZORGTAFEL_TLS_CERT_FILE": f["tls.crt"],
        "ZORGTAFEL_TLS_KEY_FILE": f["tls.key"],
        "ZORGTAFEL_PEER_CA_FILE": f["ca.crt"],
    }
    with pytest.raises(ValueError, match="or neither"):
        RelayTls.from_settings(
            settings(tmp_path, **base, ZORGTAFEL_RELAY_CLIENT_CERT_FILE=f["relay.crt"]), ROUTE
        )
    served = RelayTls.from_settings(settings(tmp_path, **base), ROUTE)
    assert served is not None and served.certificate_chain == b"-- tls.crt --"
    relay = RelayTls.from_settings(
        settings(
            tmp_path,
            **base,
            ZORGTAFEL_RELAY_CLIENT_CERT_FILE=f["relay.crt"],
            ZORGTAFEL_RELAY_CLIENT_KEY_FILE=f["relay.key"],
        ),
        ROUTE,
    )
    assert relay is not None
    assert (relay.root_certificates, relay.certificate_chain, relay.private_key) == (
        b"-- ca.crt --",
        b"-- relay.crt --",
        b"-- relay.key --",
    )

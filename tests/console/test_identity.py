"""One console per party (ADR 0009): a production console names the party it serves and that
party's client certificate; it signs in only that party's people, so no token of another party
is ever forwarded under its certificate. A development console names no party and serves all."""

from __future__ import annotations

import logging
import time

import pytest

from services.console.adapters.channels import client_tls
from services.console.app import create_app
from services.console.settings import ConfigError, ConsoleSettings
from tests.console.test_app import csrf, fake_services
from zorgtafel.demo import actors
from zorgtafel.kernel.devkeys import ensure_dev_keys, mint_token
from zorgtafel.testing_pki import TestCA

BASE = "https://console.example"
IDP_METADATA = {
    "issuer": "https://idp.example",
    "authorization_endpoint": "https://idp.example/authorize",
    "token_endpoint": "https://idp.example/token",
    "jwks_uri": "https://idp.example/jwks",
}


def production_env(tmp_path, party: str = actors.LEGER_DES_HEILS, cert_party: str = "") -> dict:
    """A production console's settings with real files: the party's certificate from a test CA
    (``cert_party`` to give it another party's certificate)."""
    ca = TestCA()
    client = ca.client(cert_party or party)
    files = {
        "secret": b"s" * 40,
        "client-secret": b"c" * 20,
        "ca.crt": ca.cert_pem,
        "tls.crt": client.cert_pem,
        "tls.key": client.key_pem,
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    return {
        "ZORGTAFEL_DATA_DIR": str(tmp_path),
        "ZORGTAFEL_CONSOLE_SECRET_KEY_FILE": str(tmp_path / "secret"),
        "ZORGTAFEL_CONSOLE_PARTY": party,
        "ZORGTAFEL_CONSOLE_TLS_CA_FILE": str(tmp_path / "ca.crt"),
        "ZORGTAFEL_CONSOLE_TLS_CERT_FILE": str(tmp_path / "tls.crt"),
        "ZORGTAFEL_CONSOLE_TLS_KEY_FILE": str(tmp_path / "tls.key"),
        "ZORGTAFEL_CONSOLE_OIDC_METADATA_URL": "https://idp.example/.well-known/openid-configuration",
        "ZORGTAFEL_CONSOLE_OIDC_CLIENT_ID": "zorgtafel-console",
        "ZORGTAFEL_CONSOLE_OIDC_CLIENT_SECRET_FILE": str(tmp_path / "client-secret"),
    }


def test_production_needs_the_party_and_its_client_certificate(tmp_path):
    env = production_env(tmp_path)
    for name in (
        "ZORGTAFEL_CONSOLE_PARTY",
        "ZORGTAFEL_CONSOLE_TLS_CA_FILE",
        "ZORGTAFEL_CONSOLE_TLS_CERT_FILE",
        "ZORGTAFEL_CONSOLE_TLS_KEY_FILE",
    ):
        without = {k: v for k, v in env.items() if k != name}
        with pytest.raises(ConfigError, match=name):
            ConsoleSettings.from_env(without)
    for bad in ("0000009900000000005", "000000990000000000511", "Leger des Heils"):
        with pytest.raises(ConfigError, match="ZORGTAFEL_CONSOLE_PARTY"):
            ConsoleSettings.from_env({**env, "ZORGTAFEL_CONSOLE_PARTY": bad})
    settings = ConsoleSettings.from_env(env)
    assert settings.party == actors.LEGER_DES_HEILS and not settings.dev
    tls = client_tls(settings)
    assert tls is not None and tls.certificate_chain and tls.private_key


def test_a_console_given_another_partys_certificate_does_not_start(tmp_path):
    env = production_env(tmp_path, cert_party=actors.POLICE)
    settings = ConsoleSettings.from_env(env)
    with pytest.raises(ConfigError, match="another party"):
        client_tls(settings)
    with pytest.raises(ConfigError, match="another party"):
        create_app(settings)  # connecting to the services is where the files are read


def test_development_serves_every_party_unless_it_names_one(tmp_path):
    ensure_dev_keys(tmp_path)
    dev = ConsoleSettings.from_env({"ZORGTAFEL_ENV": "dev", "ZORGTAFEL_DATA_DIR": str(tmp_path)})
    assert dev.party == "" and client_tls(dev) is None  # plaintext, as `zorgtafel up` runs
    assert dev.serves(actors.LEGER_DES_HEILS) and dev.serves(actors.POLICE)
    named = ConsoleSettings.from_env(
        {
            "ZORGTAFEL_ENV": "dev",
            "ZORGTAFEL_DATA_DIR": str(tmp_path),
            "ZORGTAFEL_CONSOLE_PARTY": actors.POLICE,
        }
    )
    client = create_app(named, fake_services()).test_client()
    r = client.post("/login/dev", data={"person": "lh-bram", "csrf_token": csrf(client)})
    assert r.status_code == 403
    r = client.post("/login/dev", data={"person": "pol-carla", "csrf_token": csrf(client)})
    assert r.status_code == 302 and r.headers["Location"] == "/"


def oidc_console(tmp_path, monkeypatch, idp_token: str):
    """A production console whose identity provider answers the callback with ``idp_token``
    (the IdP is the one thing not run here: its answer is set, as the metadata is)."""
    app = create_app(ConsoleSettings.from_env(production_env(tmp_path)), fake_services())
    idp = app.extensions["console.oauth"].idp
    idp.server_metadata = {**IDP_METADATA, "_loaded_at": time.time()}
    monkeypatch.setattr(idp, "authorize_access_token", lambda: {"access_token": idp_token})
    return app


def idp_token(tmp_path, actor: actors.Actor) -> str:
    private = (ensure_dev_keys(tmp_path) / "jwt-private.pem").read_bytes()
    return mint_token(private, party=actor.party, role=actor.role, person=actor.person)


def test_a_production_console_refuses_a_person_of_another_party_at_sign_in(
    tmp_path, monkeypatch, caplog
):
    app = oidc_console(tmp_path, monkeypatch, idp_token(tmp_path, actors.POLICE_OFFICER))
    client = app.test_client()
    with caplog.at_level(logging.WARNING, logger="zorgtafel.console"):
        r = client.get("/auth/callback?code=x&state=s", base_url=BASE)
    assert r.status_code == 403
    page = r.get_data(as_text=True)
    assert "Niet de console van uw organisatie" in page and "pol-carla" not in page
    # Not signed in: the next page is the login again, and no token was kept.
    assert client.get("/", base_url=BASE).headers["Location"] == "/login"
    (record,) = [r for r in caplog.records if "sign-in refused" in r.getMessage()]
    message = record.getMessage()
    assert actors.POLICE in message and actors.LEGER_DES_HEILS in message
    assert "pol-carla" not in message and "caseworker" not in message  # no personal data


def test_a_production_console_signs_in_its_own_partys_people(tmp_path, monkeypatch):
    app = oidc_console(tmp_path, monkeypatch, idp_token(tmp_path, actors.SHELTER))
    client = app.test_client()
    r = client.get("/auth/callback?code=x&state=s", base_url=BASE)
    assert r.status_code == 302 and r.headers["Location"] == "/"
    assert client.get("/", base_url=BASE).status_code == 200


def test_a_production_consoles_session_cookie_cannot_be_planted_from_a_sibling_host(
    tmp_path, monkeypatch
):
    """A host of the same site (another application of the party, under the same domain) may
    set a cookie for the whole domain or for a narrower path such as /cases: the browser then
    sends that one first, and a person would work in a session planted for them (what they type
    given under another's name). In production the cookie is ``__Host-`` prefixed: the browser
    takes it only from this host itself, Secure, for the path /, with no Domain."""
    app = oidc_console(tmp_path, monkeypatch, idp_token(tmp_path, actors.SHELTER))
    client = app.test_client()
    r = client.get("/auth/callback?code=x&state=s", base_url=BASE)
    assert r.status_code == 302
    (set_cookie,) = r.headers.getlist("Set-Cookie")
    assert set_cookie.startswith("__Host-zorgtafel_console=")
    assert "Secure" in set_cookie and "Path=/" in set_cookie and "Domain" not in set_cookie
    sid = client.get_cookie("__Host-zorgtafel_console", domain="console.example").value
    # The same id under the name a sibling host could set is not read.
    planted = app.test_client()
    planted.set_cookie("zorgtafel_console", sid, domain="console.example")
    assert planted.get("/", base_url=BASE).headers["Location"] == "/login"


def test_signing_in_asks_the_identity_provider_for_the_person_again_not_its_session(
    tmp_path, monkeypatch
):
    """Sign-out ends the console's session, not the IdP's: on a shared workstation the next
    person's "sign in" would otherwise come back, without a password, as the person who just
    signed out, with their access to cases. Every sign-in asks the IdP to authenticate the
    person anew (OpenID Connect ``prompt=login``)."""
    from urllib.parse import parse_qs, urlparse

    app = oidc_console(tmp_path, monkeypatch, idp_token(tmp_path, actors.SHELTER))
    r = app.test_client().get("/login/oidc", base_url=BASE)
    assert r.status_code == 302
    url = urlparse(r.headers["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == IDP_METADATA["authorization_endpoint"]
    assert parse_qs(url.query)["prompt"] == ["login"]

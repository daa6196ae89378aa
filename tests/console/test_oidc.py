"""Signing in to the console with OpenID Connect against a real, minimal identity provider run
in the test (a Flask IdP over HTTP: discovery, JWKS, authorization code with PKCE S256, token
endpoint with refresh, revocation), with the console (in this process) calling the embedded
suite's services. As the console's design says, the IdP issues the token the services verify
(ES256, their issuer and audience, party/role/sub): the party's IdP holds the signing key whose
public half the services trust (here the suite's development key).

Proved here: sign-in gives a token the services accept (a page drawn by intake), the token is
renewed with the refresh token before it expires, a refused renewal ends the session, sign-out
deletes the session and revokes the refresh token, and a forged state, a replayed callback or
an ID token with another nonce signs nobody in."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlparse

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from flask import Flask, abort, jsonify, redirect, request
from sqlalchemy import func, select
from werkzeug.serving import make_server

from services.console.adapters.sessions import COOKIE, console_sessions
from services.console.app import create_app
from services.console.settings import ConsoleSettings
from zorgtafel.demo import actors
from zorgtafel.kernel.devkeys import mint_token

CLIENT_ID = "zorgtafel-console"
CLIENT_SECRET = "console-client-secret-0123456789"
KID = "party-idp-1"


@dataclass
class IdP:
    """The party's identity provider: signs in ``person`` without a login page (the test is
    the person's browser), and remembers what it was asked."""

    private_pem: bytes
    person: actors.Actor = actors.PROCESS_DIRECTOR
    first_ttl_s: int = 3600  # the access token of a sign-in
    renewed_ttl_s: int = 3600  # of a refresh
    wrong_nonce: bool = False
    refuse_refresh: bool = False
    url: str = ""
    codes: dict[str, dict] = field(default_factory=dict)
    refresh_tokens: dict[str, actors.Actor] = field(default_factory=dict)
    refreshes: int = 0
    revoked: list[str] = field(default_factory=list)
    challenge_methods: list[str] = field(default_factory=list)

    def access_token(self, ttl_s: int) -> str:
        p = self.person
        return mint_token(
            self.private_pem, party=p.party, role=p.role, person=p.person, ttl_s=ttl_s
        )

    def app(self) -> Flask:
        app = Flask("test-idp")

        @app.get("/.well-known/openid-configuration")
        def discovery():  # noqa: ANN202
            return jsonify(
                issuer=self.url,
                authorization_endpoint=f"{self.url}/authorize",
                token_endpoint=f"{self.url}/token",
                jwks_uri=f"{self.url}/jwks",
                revocation_endpoint=f"{self.url}/revoke",
                response_types_supported=["code"],
                grant_types_supported=["authorization_code", "refresh_token"],
                code_challenge_methods_supported=["S256"],
                id_token_signing_alg_values_supported=["ES256"],
                token_endpoint_auth_methods_supported=["client_secret_basic"],
            )

        @app.get("/jwks")
        def jwks():  # noqa: ANN202
            key = load_pem_private_key(self.private_pem, password=None)
            public = jwt.algorithms.ECAlgorithm.to_jwk(key.public_key(), as_dict=True)
            return jsonify(keys=[{**public, "kid": KID, "use": "sig", "alg": "ES256"}])

        @app.get("/authorize")
        def authorize():  # noqa: ANN202
            q = request.args
            if q.get("client_id") != CLIENT_ID or q.get("response_type") != "code":
                abort(400)
            self.challenge_methods.append(q.get("code_challenge_method", ""))
            code = secrets.token_urlsafe(16)
            self.codes[code] = {
                "redirect_uri": q["redirect_uri"],
                "challenge": q.get("code_challenge", ""),
                "nonce": q.get("nonce", ""),
            }
            target = f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q['state']})}"
            return redirect(target)

        def client_ok() -> bool:
            auth = request.authorization
            return bool(auth and (auth.username, auth.password) == (CLIENT_ID, CLIENT_SECRET))

        @app.post("/token")
        def token():  # noqa: ANN202
            if not client_ok():
                return jsonify(error="invalid_client"), 401
            f = request.form
            if f.get("grant_type") == "authorization_code":
                grant = self.codes.pop(f.get("code", ""), None)  # a code is used once
                verifier = f.get("code_verifier", "")
                s256 = (
                    base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                    .rstrip(b"=")
                    .decode()
                )
                if grant is None or grant["redirect_uri"] != f.get("redirect_uri"):
                    return jsonify(error="invalid_grant"), 400
                if not verifier or s256 != grant["challenge"]:
                    return jsonify(error="invalid_grant", error_description="PKCE"), 400
                now = int(time.time())
                id_token = jwt.encode(
                    {
                        "iss": self.url,
                        "aud": CLIENT_ID,
                        "sub": self.person.person,
                        "iat": now,
                        "exp": now + 300,
                        "nonce": "another" if self.wrong_nonce else grant["nonce"],
                    },
                    self.private_pem,
                    algorithm="ES256",
                    headers={"kid": KID},
                )
                ttl = self.first_ttl_s
                answer = {"id_token": id_token}
            elif f.get("grant_type") == "refresh_token":
                self.refreshes += 1
                if (
                    self.refuse_refresh
                    or self.refresh_tokens.pop(f.get("refresh_token", ""), None) is None
                ):
                    return jsonify(error="invalid_grant"), 400
                ttl = self.renewed_ttl_s
                answer = {}
            else:
                return jsonify(error="unsupported_grant_type"), 400
            refresh = secrets.token_urlsafe(24)  # rotated at every use
            self.refresh_tokens[refresh] = self.person
            return jsonify(
                access_token=self.access_token(ttl),
                token_type="Bearer",
                expires_in=ttl,
                refresh_token=refresh,
                scope="openid",
                **answer,
            )

        @app.post("/revoke")
        def revoke():  # noqa: ANN202
            if not client_ok():
                return jsonify(error="invalid_client"), 401
            self.revoked.append(request.form.get("token", ""))
            self.refresh_tokens.pop(request.form.get("token", ""), None)
            return "", 200

        return app


@pytest.fixture(scope="module")
def idp(suite):
    _, keys = suite
    provider = IdP(keys.private)
    server = make_server("127.0.0.1", 0, provider.app(), threaded=True)
    provider.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield provider
    server.shutdown()
    thread.join()


@pytest.fixture
def console(idp, endpoints, tmp_path):
    """The console of a development suite with the party's IdP configured, in this process,
    calling the suite's services; the IdP back to its defaults for each test."""
    idp.first_ttl_s = idp.renewed_ttl_s = 3600
    idp.wrong_nonce = idp.refuse_refresh = False
    secret = tmp_path / "client-secret"
    secret.write_text(CLIENT_SECRET)
    env = {
        "ZORGTAFEL_ENV": "dev",
        "ZORGTAFEL_DATA_DIR": str(tmp_path),
        "ZORGTAFEL_CONSOLE_OIDC_METADATA_URL": f"{idp.url}/.well-known/openid-configuration",
        "ZORGTAFEL_CONSOLE_OIDC_CLIENT_ID": CLIENT_ID,
        "ZORGTAFEL_CONSOLE_OIDC_CLIENT_SECRET_FILE": str(secret),
        **{f"ZORGTAFEL_CONSOLE_{s.upper()}_ADDRESS": a for s, a in endpoints.items()},
    }
    return create_app(ConsoleSettings.from_env(env))


def sign_in(app, idp):
    """The browser's part: to the IdP and back to the callback with its code and state."""
    client = app.test_client()
    r = client.get("/login/oidc")
    assert r.status_code == 302 and r.headers["Location"].startswith(f"{idp.url}/authorize?")
    back = requests.get(r.headers["Location"], allow_redirects=False, timeout=10)
    assert back.status_code == 302
    callback = urlparse(back.headers["Location"])
    r = client.get(f"{callback.path}?{callback.query}")
    return client, r, f"{callback.path}?{callback.query}"


def session_row(app, client) -> dict | None:
    c = client.get_cookie(COOKIE)
    return app.session_interface.store.get(c.value) if c else None


def test_sign_in_gives_a_token_the_services_accept_and_renews_it_before_it_expires(console, idp):
    idp.first_ttl_s = 90  # within the console's two minutes' margin: renewed before use
    client, r, _ = sign_in(console, idp)
    assert r.status_code == 302 and r.headers["Location"] == "/"
    assert idp.challenge_methods[-1] == "S256"
    first = session_row(console, client)["token"]
    assert jwt.decode(first, options={"verify_signature": False})["sub"] == "pd-anna"
    page = client.get("/worklist")  # drawn from intake's ListNominations with the token
    assert page.status_code == 200, page.headers.get("Location")
    assert idp.refreshes == 1
    renewed = session_row(console, client)
    assert renewed["token"] != first and renewed["refresh_token"] in idp.refresh_tokens
    assert client.get("/worklist").status_code == 200
    assert idp.refreshes == 1  # a fresh token is not renewed again


def test_a_refused_renewal_ends_the_session(console, idp):
    idp.first_ttl_s, idp.refuse_refresh = 90, True
    client, r, _ = sign_in(console, idp)
    assert r.status_code == 302
    r = client.get("/worklist")
    assert r.status_code == 302 and r.headers["Location"] == "/login"
    assert session_row(console, client) is None


def test_sign_out_deletes_the_session_and_revokes_the_refresh_token(console, idp):
    client, _, _ = sign_in(console, idp)
    row = session_row(console, client)
    sid = client.get_cookie(COOKIE).value
    page = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert console.session_interface.store.get(sid) is None
    assert row["refresh_token"] in idp.revoked
    assert client.get("/worklist").headers["Location"] == "/login"


def test_a_forged_state_a_replayed_callback_or_another_nonce_signs_nobody_in(console, idp):
    client = console.test_client()
    client.get("/login/oidc")  # a real state is in the session; the callback names another
    assert client.get("/auth/callback?code=x&state=forged").status_code == 400
    assert client.get("/").headers["Location"] == "/login"

    client, r, callback = sign_in(console, idp)
    assert r.status_code == 302 and r.headers["Location"] == "/"
    assert client.get(callback).status_code == 400  # the state was used up

    idp.wrong_nonce = True
    client, r, _ = sign_in(console, idp)
    assert r.status_code == 400
    assert client.get("/worklist").headers["Location"] == "/login"


def test_the_round_trip_to_the_idp_writes_no_session_until_the_person_is_signed_in(console, idp):
    """The state, nonce and PKCE verifier travel sealed in the short-lived cookie: starting
    sign-ins, however many, writes no row; the callback writes the one row of the person.
    A replayed callback with the cookie from before the sign-in is refused (the IdP's code is
    used once)."""
    store = console.session_interface.store
    with store.engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(console_sessions)).scalar_one()
    for _ in range(20):
        assert console.test_client().get("/login/oidc").status_code == 302
    client = console.test_client()
    r = client.get("/login/oidc")
    for _ in range(5):  # pressed again and again: one round trip's state is kept
        r = client.get("/login/oidc")
    assert len(client.get_cookie(COOKIE).value) < 2000
    anonymous = client.get_cookie(COOKIE).value
    with store.engine.connect() as conn:
        assert (
            conn.execute(select(func.count()).select_from(console_sessions)).scalar_one() == before
        )
    back = requests.get(r.headers["Location"], allow_redirects=False, timeout=10)
    callback = urlparse(back.headers["Location"])
    r = client.get(f"{callback.path}?{callback.query}")
    assert r.status_code == 302 and r.headers["Location"] == "/"
    assert session_row(console, client)["token"]
    replay = console.test_client()
    replay.set_cookie(COOKIE, anonymous)
    assert replay.get(f"{callback.path}?{callback.query}").status_code == 400

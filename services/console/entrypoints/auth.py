"""Signing in and out: OpenID Connect against the party's identity provider, and in a
development suite only, a development login for the demo's people.

OpenID Connect: authorization code with PKCE (S256), state and nonce checked by Authlib, the
person authenticated anew at every sign-in (``prompt=login``); the token the services are
called with is the IdP's (``ZORGTAFEL_CONSOLE_OIDC_TOKEN``: they verify it). The IdP's refresh token stays in the server-side session: a token about to expire is
renewed before the request that would use it (the same person and party, or the session ends),
and signing out revokes it at the IdP when it offers a revocation endpoint."""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from joserfc.errors import JoseError

from services.console.adapters.identity import (
    DEMO_PEOPLE,
    DEV_TOKEN_TTL_S,
    demo_person,
    dev_token,
    person_of,
    token_expires_soon,
)
from services.console.entrypoints.common import safe_next, settings
from services.console.settings import ConsoleSettings
from zorgtafel.kernel.auth import OIN_RE

bp = Blueprint("auth", __name__)
log = logging.getLogger("zorgtafel.console")


def register_oidc(app: Flask, s: ConsoleSettings) -> None:
    oauth = OAuth(app)
    oauth.register(
        "idp",
        server_metadata_url=s.oidc_metadata_url,
        client_id=s.oidc_client_id,
        client_secret=s.oidc_client_secret or None,
        client_kwargs={
            "scope": s.oidc_scope,
            "code_challenge_method": "S256",
            # A slow IdP holds one request thread this long at most, never for ever.
            "default_timeout": IDP_TIMEOUT_S,
        },
    )
    app.extensions["console.oauth"] = oauth
    app.before_request(keep_signed_in)


IDP_TIMEOUT_S = 10
# The IdP's answers the callback refuses: a forged or replayed state, a code the IdP refused,
# an ID token with another nonce, audience or issuer, or a bad signature.
_REFUSED = (AuthlibBaseError, JoseError)


def keep_signed_in() -> None:
    """Renew the IdP's token before it expires (within two minutes), with the refresh token
    kept in the session. A refusal, an unreachable IdP, or a token for another person or
    party ends the session (the next page is the sign-in)."""
    token, refresh = session.get("token"), session.get("refresh_token")
    if not token or not refresh or not token_expires_soon(str(token)):
        return
    oauth: Any = current_app.extensions["console.oauth"]
    try:
        answer = oauth.idp.fetch_access_token(grant_type="refresh_token", refresh_token=refresh)
        fresh = answer.get(settings().oidc_token)
        before, after = person_of(str(token)), person_of(str(fresh)) if fresh else None
    except (*_REFUSED, requests.RequestException, jwt.PyJWTError) as exc:
        log.info("session ended: the token could not be renewed (%s)", type(exc).__name__)
        _end_session()
        return
    if after is None or (after.person, after.party) != (before.person, before.party):
        log.warning("session ended: the renewed token names another person or party")
        _end_session()
        return
    session["token"] = fresh
    if answer.get("refresh_token"):  # a rotating IdP answers with a new one
        session["refresh_token"] = answer["refresh_token"]


def _end_session() -> None:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
        session.regenerate()  # type: ignore[attr-defined]


def _revoke(refresh_token: str) -> None:
    """Best effort (RFC 7009): the IdP forgets the refresh token; the session ends anyway."""
    oauth: Any = current_app.extensions.get("console.oauth")
    if oauth is None:
        return
    try:
        url = oauth.idp.load_server_metadata().get("revocation_endpoint")
        if url:
            s = settings()
            hint = "refresh_token"  # RFC 7009: which kind of token, not a secret
            data = {"token": refresh_token, "token_type_hint": hint}
            if not s.oidc_client_secret:  # a public client names itself (RFC 7009, 2.1)
                data["client_id"] = s.oidc_client_id
            requests.post(
                url,
                data=data,
                auth=(s.oidc_client_id, s.oidc_client_secret) if s.oidc_client_secret else None,
                timeout=IDP_TIMEOUT_S,
            )
    except requests.RequestException as exc:
        log.info("refresh token not revoked: %s", type(exc).__name__)


def _other_party(party: str) -> ResponseReturnValue:
    """One console per party (ADR 0009): a person of another party is not signed in and no
    token of theirs is kept or forwarded. Logged with the two parties' OINs only."""
    log.warning(
        "sign-in refused: a person of party %s at the console of party %s",
        party if OIN_RE.fullmatch(party) else "?",  # the claim is unverified here
        settings().party or "?",
    )
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    return render_template("signin_refused.html"), 403


def _sign_in(token: str, label: str) -> None:
    lang = session.get("lang")
    session.clear()
    session.regenerate()  # type: ignore[attr-defined]
    session["token"] = token
    session["label"] = label
    if lang:
        session["lang"] = lang


@bp.get("/login")
def login() -> ResponseReturnValue:
    s = settings()
    return render_template(
        "login.html",
        dev=s.dev,
        oidc=s.oidc_configured,
        people=DEMO_PEOPLE if s.dev else (),
    )


@bp.post("/login/dev")
def dev_login() -> ResponseReturnValue:
    s = settings()
    if not s.dev:
        abort(404)  # refused outside development: no such page there
    actor = demo_person(request.form.get("person", ""))
    if actor is None:
        return render_template(
            "login.html", dev=True, oidc=s.oidc_configured, people=DEMO_PEOPLE, unknown=True
        ), 400
    if not s.serves(actor.party):
        return _other_party(actor.party)
    _sign_in(dev_token(s.data_dir, actor, DEV_TOKEN_TTL_S), actor.label)
    session["dev_person"] = actor.person
    return redirect(url_for("pages.home"))


@bp.get("/login/oidc")
def oidc_login() -> ResponseReturnValue:
    oauth: Any = current_app.extensions.get("console.oauth")
    if oauth is None:
        abort(404)
    # One round trip at a time: the state of an earlier one is dropped, so the sealed cookie
    # that carries it before sign-in stays small however often the button is pressed.
    for key in [k for k in session if k.startswith("_state_idp_")]:
        session.pop(key)
    # The IdP authenticates the person anew (prompt=login), not from its own session: signing
    # out here ends the console's session only, and on a shared workstation the next person
    # would otherwise be signed in as the one who just signed out.
    response: ResponseReturnValue = oauth.idp.authorize_redirect(
        url_for("auth.oidc_callback", _external=True), prompt="login"
    )
    return response


@bp.get("/auth/callback")
def oidc_callback() -> ResponseReturnValue:
    oauth: Any = current_app.extensions.get("console.oauth")
    if oauth is None:
        abort(404)
    try:
        answer = oauth.idp.authorize_access_token()
    except _REFUSED:
        abort(400)  # a forged or replayed state or nonce, or the IdP refused the code
    except requests.RequestException:
        abort(502)  # the IdP does not answer
    token = answer.get(settings().oidc_token) or answer.get("id_token")
    try:
        p = person_of(token) if token else None
    except jwt.PyJWTError:
        p = None  # an opaque token: the services could not verify it either
    if p is None or not (p.person and p.party and p.role):
        abort(401)
    if not settings().serves(p.party):
        return _other_party(p.party)
    _sign_in(token, p.person)
    if answer.get("refresh_token"):
        session["refresh_token"] = answer["refresh_token"]
    return redirect(url_for("pages.home"))


def sign_out() -> None:
    """The session ends (its row deleted, the language kept) and the IdP forgets its refresh
    token: at sign-out, and when the person's party is no longer served."""
    refresh = session.get("refresh_token")
    _end_session()
    if refresh:
        _revoke(str(refresh))


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    sign_out()
    return redirect(url_for("auth.login"))


@bp.post("/language")
def language() -> ResponseReturnValue:
    if request.form.get("lang") in ("nl", "en"):
        session["lang"] = request.form["lang"]
    return redirect(safe_next(request.form.get("next")))
